import DataLoader from 'dataloader';
import type { Db } from '../../shared/db';
import { byKey } from '../../shared/loaders';
import { contractingByCarrierIds } from './carrier-contracting.repository';

/** Each carrier's pre-appointment states (none when no contracting data is on file): one statement per batch. */
export function createPreAppointmentStatesLoader(db: Db) {
  return new DataLoader<string, string[]>(async (carrierIds) =>
    byKey(carrierIds, await contractingByCarrierIds(db, carrierIds), (r) => r.carrierId).map((row) => row?.preAppointmentStates ?? []),
  );
}
