import DataLoader from 'dataloader';
import type { Db } from '../../shared/db';
import { groupBy } from '../../shared/loaders';
import { type OnboardingStepRow, stepsByAgentIds } from './onboarding.repository';

/** Each agent's recorded onboarding steps: one statement per batch. */
export function createOnboardingStepsLoader(db: Db) {
  return new DataLoader<string, OnboardingStepRow[]>(async (ids) => groupBy(ids, await stepsByAgentIds(db, ids), (r) => r.agentId));
}
