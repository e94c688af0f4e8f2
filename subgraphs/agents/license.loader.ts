import DataLoader from 'dataloader';
import type { Db } from '../shared/db';
import { groupBy } from '../shared/loaders';
import { licenseActive } from './domain/eligibility';
import { licensesByAgentIds } from './license.repository';
import type { License } from './license.type';

/** Each agent's licenses, with whether each is active on `today` (YYYY-MM-DD): one statement per batch. */
export function createLicenseLoader(db: Db, today: string) {
  return new DataLoader<string, License[]>(async (agentIds) => {
    const licenses = (await licensesByAgentIds(db, agentIds)).map((row) => ({ ...row, active: licenseActive(row, today) }));
    return groupBy(agentIds, licenses, (r) => r.agentId);
  });
}
