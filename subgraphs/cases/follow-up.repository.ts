/**
 * The SQL of the follow-up job (follow-up.worker.ts): leasing the outstanding requirements whose
 * follow-up day has come, and writing one follow-up (the row's schedule columns) once the domain
 * (domain/follow-up.ts) said what it is. Times come from the job's clock, never from now(), so tests
 * move the clock and the database agrees. Functions take the Db (or the transaction) to run on.
 */
import type { Db } from '../shared/db';
import type { CaseStatus } from '../shared/enums';
import type { Escalation } from './domain/requirement-vendors';

/**
 * Leases the requirements due a follow-up on `today`: FOR UPDATE SKIP LOCKED inside one short UPDATE
 * that sets follow_up_leased_until, so replicas never take the same row at once and no transaction
 * stays open while the vendor is asked. A row whose lease ran out (its worker died) comes back.
 */
export async function claimDueFollowUps(db: Db, now: string, today: string, leaseSeconds: number, batchSize: number): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `UPDATE cases.requirement r SET follow_up_leased_until = $1::timestamptz + make_interval(secs => $3)
      WHERE r.id IN (SELECT id FROM cases.requirement
                      WHERE status = 'ORDERED' AND follow_up_on <= $2::date
                        AND (follow_up_leased_until IS NULL OR follow_up_leased_until <= $1::timestamptz)
                      ORDER BY follow_up_on LIMIT $4 FOR UPDATE SKIP LOCKED)
      RETURNING r.id`,
    [now, today, leaseSeconds, batchSize],
  );
  return rows.map((row) => row.id);
}

/** The case a requirement belongs to, as the follow-up needs it: who to escalate to, and whether it is still open. */
export const followUpCase = (tx: Db, caseId: string) =>
  tx.one<{ agentId: string; caseManagerId: string | null; status: CaseStatus }>(
    `SELECT agent_id AS "agentId", case_manager_id AS "caseManagerId", status FROM cases."case" WHERE id = $1`,
    [caseId],
  );

/** One follow-up looked at: the schedule moves on and the lease is given back, in the follow-up's transaction. */
export async function recordFollowUp(
  tx: Db,
  id: string,
  row: { made: boolean; followUpOn: string | null; escalation: Escalation; overdueSince: string | null },
): Promise<void> {
  await tx.query(
    `UPDATE cases.requirement SET follow_ups = follow_ups + $2, follow_up_on = $3, escalation = $4, overdue_since = $5,
            follow_up_leased_until = NULL
      WHERE id = $1`,
    [id, row.made ? 1 : 0, row.followUpOn, row.escalation, row.overdueSince],
  );
}
