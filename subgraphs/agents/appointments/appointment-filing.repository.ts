/**
 * The filing worker's SQL: claiming due appointments under a lease, and each transition written
 * together with its agent event in one transaction. Every update names the status it expects, so a
 * row someone else moved meanwhile is left alone (and no event is written for it).
 */
import type { Db } from '../../shared/db';
import type { AppointmentFilingCode, AppointmentStatusCode } from '../../shared/vocabulary';
import { type AppointmentTransition, filingLate } from '../domain/appointment-filing';
import { appendAgentEvents, type NewAgentEvent } from '../events/agent-event.repository';

/** Who writes the worker's events. */
export const FILING_ACTOR = 'system:appointment-filing';

/** An appointment the worker leased: to send (REQUESTED) or to ask about (SUBMITTED, or ACTIVE for terminations). */
export interface ClaimedAppointment {
  id: string;
  agentId: string;
  carrierId: string;
  state: string;
  status: AppointmentStatusCode;
  filing: AppointmentFilingCode;
  applicationOn: string | null;
  filingDueOn: string | null;
  carrierReference: string | null;
  filingLateAt: string | null;
  npn: string;
}

/**
 * Leases up to `batchSize` due appointments: REQUESTED ones (to send), SUBMITTED ones (undecided) and
 * ACTIVE ones the carrier knows (terminations), whose next check has come. One UPDATE ... FOR UPDATE
 * SKIP LOCKED pushes each one's next check `leaseSeconds` ahead: replicas never take the same row,
 * and a row whose work fails comes back when the lease runs out. Only the BGA's own filings (not
 * appointments the producer database reported). `agentIds` narrows the claim (a test keeping to its own agents).
 */
export async function claimDueAppointments(
  db: Db,
  options: { leaseSeconds: number; batchSize: number; agentIds?: readonly string[] },
): Promise<ClaimedAppointment[]> {
  return db.query<ClaimedAppointment>(
    `WITH due AS (
       SELECT id FROM agents.appointment
       -- The partial index's own predicate (appointment_filing_work_idx), word for word.
       WHERE source = 'BGA' AND (status IN ('REQUESTED', 'SUBMITTED') OR (status = 'ACTIVE' AND carrier_reference IS NOT NULL))
         AND (next_check_at IS NULL OR next_check_at <= now())
         AND ($3::text[] IS NULL OR agent_id = ANY($3))
       ORDER BY next_check_at NULLS FIRST, requested_at, id
       LIMIT $2
       FOR UPDATE SKIP LOCKED
     )
     UPDATE agents.appointment a SET next_check_at = now() + make_interval(secs => $1), attempts = a.attempts + 1
     FROM due, agents.agent g
     WHERE a.id = due.id AND g.id = a.agent_id
     RETURNING a.id, a.agent_id AS "agentId", a.carrier_id AS "carrierId", a.state, a.status, a.filing,
       a.application_on AS "applicationOn", a.filing_due_on AS "filingDueOn", a.carrier_reference AS "carrierReference",
       a.filing_late_at AS "filingLateAt", g.npn`,
    [options.leaseSeconds, options.batchSize, options.agentIds ?? null],
  );
}

const eventOf = (
  row: ClaimedAppointment,
  type: NewAgentEvent['type'],
  from: string,
  to: string,
  note: string | null = null,
): NewAgentEvent => ({
  agentId: row.agentId,
  type,
  actor: FILING_ACTOR,
  carrierId: row.carrierId,
  state: row.state,
  fromStatus: from,
  toStatus: to,
  note,
});

/**
 * The late-filing alert, once per appointment (inside the caller's transaction): a just-in-time
 * filing not at the carrier after its due date. The row's filing_late_at is claimed first, so two
 * workers never both raise it.
 */
async function raiseLateAlert(tx: Db, row: ClaimedAppointment, today: string): Promise<boolean> {
  if (row.filingLateAt !== null || !filingLate(row, today)) return false;
  const claimed = await tx.query(
    `UPDATE agents.appointment SET filing_late_at = now() WHERE id = $1 AND filing_late_at IS NULL RETURNING id`,
    [row.id],
  );
  if (!claimed.length) return false;
  await appendAgentEvents(tx, [
    eventOf(row, 'APPOINTMENT_FILING_LATE', row.status, row.status, `just-in-time filing was due ${row.filingDueOn}`),
  ]);
  return true;
}

/** The carrier received the request: SUBMITTED under its reference, next asked after `pollSeconds`; `late` when it came after the due date. */
export async function recordSubmitted(
  db: Db,
  row: ClaimedAppointment,
  carrierReference: string,
  options: { pollSeconds: number; today: string },
): Promise<{ submitted: boolean; late: boolean }> {
  return db.transaction(async (tx) => {
    const updated = await tx.query(
      `UPDATE agents.appointment SET status = 'SUBMITTED', carrier_reference = $2, submitted_at = now(), last_error = NULL,
         next_check_at = now() + make_interval(secs => $3)
       WHERE id = $1 AND status = 'REQUESTED' RETURNING id`,
      [row.id, carrierReference, options.pollSeconds],
    );
    if (!updated.length) return { submitted: false, late: false };
    const late = await raiseLateAlert(tx, row, options.today);
    await appendAgentEvents(tx, [eventOf(row, 'APPOINTMENT_SUBMITTED', 'REQUESTED', 'SUBMITTED', `carrier reference ${carrierReference}`)]);
    return { submitted: true, late };
  });
}

/** The carrier refused the request itself (not a retry): REJECTED with its words. */
export async function recordRefused(db: Db, row: ClaimedAppointment, message: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const updated = await tx.query(
      `UPDATE agents.appointment SET status = 'REJECTED', rejection_reason = $2, decided_at = now(), last_error = NULL, next_check_at = NULL
       WHERE id = $1 AND status = 'REQUESTED' RETURNING id`,
      [row.id, message],
    );
    if (!updated.length) return false;
    await appendAgentEvents(tx, [eventOf(row, 'APPOINTMENT_REJECTED', 'REQUESTED', 'REJECTED', message)]);
    return true;
  });
}

/**
 * The carrier could not be reached (or could not answer): the error is noted and the lease brings
 * the row back. A just-in-time filing past its due date raises its late alert (once): true then.
 */
export async function recordTrouble(db: Db, row: ClaimedAppointment, error: string, today: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const updated = await tx.query(`UPDATE agents.appointment SET last_error = $2 WHERE id = $1 AND status = $3 RETURNING id`, [
      row.id,
      error.slice(0, 500),
      row.status,
    ]);
    return updated.length > 0 && row.status === 'REQUESTED' && (await raiseLateAlert(tx, row, today));
  });
}

/** Nothing new from the carrier: asked again after `pollSeconds`. */
export async function recheckLater(db: Db, row: ClaimedAppointment, pollSeconds: number, error: string | null = null): Promise<void> {
  await db.query(
    `UPDATE agents.appointment SET next_check_at = now() + make_interval(secs => $2), last_error = $3 WHERE id = $1 AND status = $4`,
    [row.id, pollSeconds, error, row.status],
  );
}

/** A decision or termination from the carrier, with its event. An appointment now ACTIVE is asked about again (terminations) after `pollSeconds`. */
export async function recordTransition(
  db: Db,
  row: ClaimedAppointment,
  transition: AppointmentTransition,
  pollSeconds: number,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const updated = await tx.query(
      `UPDATE agents.appointment SET status = $3,
         writing_number = CASE WHEN $3 = 'ACTIVE' THEN $4 ELSE writing_number END,
         effective_on = CASE WHEN $3 = 'ACTIVE' THEN $5::date ELSE effective_on END,
         terminated_on = CASE WHEN $3 = 'TERMINATED' THEN $6::date ELSE terminated_on END,
         rejection_reason = CASE WHEN $3 = 'REJECTED' THEN $7 ELSE rejection_reason END,
         decided_at = CASE WHEN $8 THEN now() ELSE decided_at END,
         last_error = NULL,
         next_check_at = CASE WHEN $3 = 'ACTIVE' THEN now() + make_interval(secs => $9) ELSE NULL END
       WHERE id = $1 AND status = $2 RETURNING id`,
      [
        row.id,
        row.status,
        transition.to,
        transition.writingNumber ?? null,
        transition.effectiveOn ?? null,
        transition.terminatedOn ?? null,
        transition.rejectionReason ?? null,
        transition.decided,
        pollSeconds,
      ],
    );
    if (!updated.length) return false;
    const note =
      transition.to === 'REJECTED'
        ? (transition.rejectionReason ?? null)
        : transition.to === 'TERMINATED'
          ? `terminated ${transition.terminatedOn}`
          : transition.effectiveOn
            ? `effective ${transition.effectiveOn}`
            : null;
    await appendAgentEvents(tx, [eventOf(row, transition.event, row.status, transition.to, note)]);
    return true;
  });
}
