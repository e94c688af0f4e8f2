/** The SQL of the outbox of applications to send (cases.outbox). Functions take the Db (or the transaction) to run on. */
import type { Db } from '../shared/db';

/** A claimed (leased) row: one application to send, with the agent as the submission named them. */
export interface OutboxRow {
  id: number;
  caseId: string;
  reference: string;
  attempts: number;
  /** Null on rows written before submissions recorded the agent. */
  agentNpn: string | null;
  writingNumber: string | null;
}

/** Queues a case's application; the reference is stable per case, so every resend carries it. */
export async function enqueueApplication(
  tx: Db,
  row: { caseId: string; reference: string; dueAt: string; agentNpn: string; writingNumber: string | null },
): Promise<void> {
  await tx.query(`INSERT INTO cases.outbox (case_id, reference, next_attempt_at, agent_npn, writing_number) VALUES ($1, $2, $3, $4, $5)`, [
    row.caseId,
    row.reference,
    row.dueAt,
    row.agentNpn,
    row.writingNumber,
  ]);
}

/**
 * Leases the due rows: FOR UPDATE SKIP LOCKED inside one short UPDATE that counts the attempt and
 * pushes next_attempt_at ahead by the lease, so replicas never send the same row at once and no
 * transaction stays open while the carrier is called.
 */
export const claimDueApplications = (db: Db, leaseSeconds: number, batchSize: number): Promise<OutboxRow[]> =>
  db.query<OutboxRow>(
    `UPDATE cases.outbox o SET attempts = o.attempts + 1, next_attempt_at = now() + make_interval(secs => $1)
      WHERE o.id IN (SELECT id FROM cases.outbox WHERE sent_at IS NULL AND next_attempt_at <= now()
                      ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING o.id, o.case_id AS "caseId", o.reference, o.attempts, o.agent_npn AS "agentNpn", o.writing_number AS "writingNumber"`,
    [leaseSeconds, batchSize],
  );

/** The carrier decided (accepted or rejected): the row is done; `lastError` keeps a rejection's message. */
export async function markSent(tx: Db, id: number, lastError: string | null): Promise<void> {
  await tx.query(`UPDATE cases.outbox SET sent_at = now(), last_error = $2 WHERE id = $1`, [id, lastError]);
}

/** No decision: the row comes back after `delaySeconds`. */
export async function retryLater(db: Db, id: number, delaySeconds: number, reason: string): Promise<void> {
  await db.query(`UPDATE cases.outbox SET next_attempt_at = now() + make_interval(secs => $2), last_error = $3 WHERE id = $1`, [
    id,
    delaySeconds,
    reason,
  ]);
}
