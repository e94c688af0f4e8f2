import type { Db } from '../shared/db';
import type { AppointmentStatus } from '../shared/enums';
import { LIVE_APPOINTMENT_STATUSES_SQL } from '../shared/vocabulary';

/** A row of agents.appointment. */
export interface AppointmentRow {
  id: string;
  agentId: string;
  carrierId: string;
  state: string;
  status: AppointmentStatus;
  writingNumber: string | null;
  effectiveOn: string | null;
  terminatedOn: string | null;
}

const APPOINTMENT_COLUMNS = `id, agent_id AS "agentId", carrier_id AS "carrierId", state, status, writing_number AS "writingNumber",
  effective_on AS "effectiveOn", terminated_on AS "terminatedOn"`;

/** Every appointment of these agents, requested, active or terminated, ordered by carrier and state. */
export async function appointmentsByAgentIds(db: Db, agentIds: readonly string[]): Promise<AppointmentRow[]> {
  return db.query<AppointmentRow>(
    `SELECT ${APPOINTMENT_COLUMNS} FROM agents.appointment WHERE agent_id = ANY($1) ORDER BY carrier_id, state, id`,
    [agentIds],
  );
}

/**
 * The live (requested or active) appointment of an agent with a carrier in a state: a new REQUESTED
 * one under this id when there is none. Idempotent: ON CONFLICT on the partial unique index makes a
 * retried or concurrent request a no-op, and the live row is read instead.
 */
export async function requestAppointment(
  db: Db,
  request: { id: string; agentId: string; carrierId: string; state: string },
): Promise<AppointmentRow> {
  const inserted = await db.one<AppointmentRow>(
    `INSERT INTO agents.appointment (id, agent_id, carrier_id, state, status) VALUES ($1, $2, $3, $4, 'REQUESTED')
     ON CONFLICT (agent_id, carrier_id, state) WHERE status IN ${LIVE_APPOINTMENT_STATUSES_SQL} DO NOTHING RETURNING ${APPOINTMENT_COLUMNS}`,
    [request.id, request.agentId, request.carrierId, request.state],
  );
  return (
    inserted ??
    (await db.one<AppointmentRow>(
      `SELECT ${APPOINTMENT_COLUMNS} FROM agents.appointment WHERE agent_id = $1 AND carrier_id = $2 AND state = $3 AND status IN ${LIVE_APPOINTMENT_STATUSES_SQL}`,
      [request.agentId, request.carrierId, request.state],
    ))!
  );
}
