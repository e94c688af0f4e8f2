import type { Db } from '../../shared/db';

/** Each carrier's contracting data on file (agents.carrier_contracting); carriers with none are absent. */
export async function contractingByCarrierIds(
  db: Db,
  carrierIds: readonly string[],
): Promise<{ carrierId: string; preAppointmentStates: string[] }[]> {
  return db.query<{ carrierId: string; preAppointmentStates: string[] }>(
    `SELECT carrier_id AS "carrierId", pre_appointment_states AS "preAppointmentStates" FROM agents.carrier_contracting WHERE carrier_id = ANY($1)`,
    [carrierIds],
  );
}
