import type { Db } from '../shared/db';
import type { AppointmentFiling, AppointmentStatus } from '../shared/enums';
import { LIVE_APPOINTMENT_STATUSES_SQL } from '../shared/vocabulary';
import { appendAgentEvents } from './events/agent-event.repository';

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
  filing: AppointmentFiling;
  applicationOn: string | null;
  filingDueOn: string | null;
  requestedAt: string;
  submittedAt: string | null;
  decidedAt: string | null;
  rejectionReason: string | null;
  filingLateAt: string | null;
}

const APPOINTMENT_COLUMNS = `id, agent_id AS "agentId", carrier_id AS "carrierId", state, status, writing_number AS "writingNumber",
  effective_on AS "effectiveOn", terminated_on AS "terminatedOn", filing, application_on AS "applicationOn",
  filing_due_on AS "filingDueOn", requested_at AS "requestedAt", submitted_at AS "submittedAt", decided_at AS "decidedAt",
  rejection_reason AS "rejectionReason", filing_late_at AS "filingLateAt"`;

/** Every appointment of these agents, requested, active or terminated, ordered by carrier and state (oldest request first). */
export async function appointmentsByAgentIds(db: Db, agentIds: readonly string[]): Promise<AppointmentRow[]> {
  return db.query<AppointmentRow>(
    `SELECT ${APPOINTMENT_COLUMNS} FROM agents.appointment WHERE agent_id = ANY($1) ORDER BY carrier_id, state, requested_at, id`,
    [agentIds],
  );
}

export interface AppointmentRequestRow {
  id: string;
  agentId: string;
  carrierId: string;
  state: string;
  filing: AppointmentFiling;
  /** Just-in-time: the application date and the filing deadline; null for pre-appointment. */
  applicationOn: string | null;
  filingDueOn: string | null;
  /** Who asked (a user id, or service:cases for a submission): recorded on the event. */
  actor: string;
}

/**
 * The live (requested, submitted or active) appointment of an agent with a carrier in a state: a new
 * REQUESTED one under this id when there is none, with its APPOINTMENT_REQUESTED event in the same
 * transaction. Idempotent: ON CONFLICT on the partial unique index makes a retried or concurrent
 * request a no-op, and the live row is read instead (`created` false).
 */
export async function requestAppointment(
  db: Db,
  request: AppointmentRequestRow,
): Promise<{ appointment: AppointmentRow; created: boolean }> {
  return db.transaction(async (tx) => {
    const inserted = await tx.one<AppointmentRow>(
      `INSERT INTO agents.appointment (id, agent_id, carrier_id, state, status, filing, application_on, filing_due_on)
       VALUES ($1, $2, $3, $4, 'REQUESTED', $5, $6, $7)
       ON CONFLICT (agent_id, carrier_id, state) WHERE status IN ${LIVE_APPOINTMENT_STATUSES_SQL} DO NOTHING RETURNING ${APPOINTMENT_COLUMNS}`,
      [request.id, request.agentId, request.carrierId, request.state, request.filing, request.applicationOn, request.filingDueOn],
    );
    if (inserted) {
      await appendAgentEvents(tx, [
        {
          agentId: request.agentId,
          type: 'APPOINTMENT_REQUESTED',
          actor: request.actor,
          carrierId: request.carrierId,
          state: request.state,
          toStatus: 'REQUESTED',
          note: request.filingDueOn ? `just-in-time filing due ${request.filingDueOn}` : null,
        },
      ]);
      return { appointment: inserted, created: true };
    }
    const live = await tx.one<AppointmentRow>(
      `SELECT ${APPOINTMENT_COLUMNS} FROM agents.appointment WHERE agent_id = $1 AND carrier_id = $2 AND state = $3 AND status IN ${LIVE_APPOINTMENT_STATUSES_SQL}`,
      [request.agentId, request.carrierId, request.state],
    );
    return { appointment: live!, created: false };
  });
}

/** One row of appointmentMetrics: appointments of one carrier, state and status. */
export interface AppointmentMetricRow {
  carrierId: string;
  state: string;
  status: AppointmentStatus;
  count: number;
  /** Just-in-time filings the carrier had not received by their due date (as of `today`). */
  overdueFilings: number;
  /** The oldest request among them. */
  oldestRequestedAt: string;
}

/** Appointments by carrier, state and status (one statement), for the statuses asked; BGA-filed and synced alike. */
export async function appointmentMetrics(
  db: Db,
  filter: { statuses: readonly string[]; carrierId: string | null; state: string | null; today: string },
): Promise<AppointmentMetricRow[]> {
  return db.query<AppointmentMetricRow>(
    `SELECT carrier_id AS "carrierId", state, status, count(*)::int AS count,
       (count(*) FILTER (WHERE filing = 'JUST_IN_TIME' AND status = 'REQUESTED' AND filing_due_on < $4::date))::int AS "overdueFilings",
       min(requested_at) AS "oldestRequestedAt"
     FROM agents.appointment
     WHERE status = ANY($1) AND ($2::text IS NULL OR carrier_id = $2) AND ($3::text IS NULL OR state = $3)
     GROUP BY carrier_id, state, status
     ORDER BY carrier_id, state, status`,
    [filter.statuses, filter.carrierId, filter.state, filter.today],
  );
}
