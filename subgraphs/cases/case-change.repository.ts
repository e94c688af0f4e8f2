/** The SQL of case changes (cases.case_change): the change, and its delivery to the carrier. Functions take the Db (or the transaction). */
import type { Db } from '../shared/db';
import type { CaseChangeRow } from './case-change.type';
import type { CaseChangeKind } from './domain/case-change';

const COLUMNS = `id, case_id AS "caseId", kinds, status, requested_at AS "requestedAt", requested_by AS "requestedBy",
  carrier_message AS "carrierMessage", amendment_required AS "amendmentRequired"`;

export interface NewCaseChange {
  id: string;
  caseId: string;
  kinds: CaseChangeKind[];
  /** The non-personal parts of the change. */
  draft: Record<string, unknown>;
  /** The sealed personal parts (beneficiaries, owner, reason), or null when there are none. */
  personal: string | null;
  reference: string;
  requestedAt: string;
  requestedBy: string;
  idempotencyKey: string;
  requestHash: string;
}

/** Inserts the change, queued for the carrier now; undefined when a concurrent request with the same key won. */
export const insertCaseChange = (tx: Db, c: NewCaseChange): Promise<CaseChangeRow | undefined> =>
  tx.one<CaseChangeRow>(
    `INSERT INTO cases.case_change (id, case_id, kinds, status, draft, personal, reference, requested_at, requested_by, idempotency_key, request_hash, next_attempt_at)
     VALUES ($1, $2, $3, 'REQUESTED', $4, $5, $6, $7, $8, $9, $10, $7)
     ON CONFLICT (requested_by, idempotency_key) DO NOTHING RETURNING ${COLUMNS}`,
    [
      c.id,
      c.caseId,
      c.kinds,
      JSON.stringify(c.draft),
      c.personal,
      c.reference,
      c.requestedAt,
      c.requestedBy,
      c.idempotencyKey,
      c.requestHash,
    ],
  );

export const caseChangeByIdempotencyKey = (db: Db, requestedBy: string, key: string) =>
  db.one<CaseChangeRow & { requestHash: string; personal: string | null }>(
    `SELECT ${COLUMNS}, request_hash AS "requestHash", personal FROM cases.case_change WHERE requested_by = $1 AND idempotency_key = $2`,
    [requestedBy, key],
  );

export const caseChangesByCaseIds = (db: Db, caseIds: readonly string[]): Promise<CaseChangeRow[]> =>
  db.query<CaseChangeRow>(`SELECT ${COLUMNS} FROM cases.case_change WHERE case_id = ANY($1) ORDER BY requested_at, id`, [caseIds]);

export const caseChangeById = (db: Db, id: string): Promise<CaseChangeRow | undefined> =>
  db.one<CaseChangeRow>(`SELECT ${COLUMNS} FROM cases.case_change WHERE id = $1`, [id]);

/** A leased change to send: what the worker needs besides the case. */
export interface DueChange {
  id: string;
  caseId: string;
  kinds: CaseChangeKind[];
  reference: string;
  draft: Record<string, unknown>;
  personal: string | null;
  attempts: number;
}

/**
 * Leases the due changes as the outbox does (FOR UPDATE SKIP LOCKED inside one short UPDATE that
 * counts the attempt and pushes next_attempt_at ahead by the lease), and marks them SENT: from here
 * the carrier may have them, so no one may treat them as merely requested.
 */
export const claimDueChanges = (db: Db, leaseSeconds: number, batchSize: number): Promise<DueChange[]> =>
  db.query<DueChange>(
    `UPDATE cases.case_change c SET attempts = c.attempts + 1, status = 'SENT', next_attempt_at = now() + make_interval(secs => $1)
      WHERE c.id IN (SELECT id FROM cases.case_change WHERE decided_at IS NULL AND next_attempt_at <= now()
                      ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING c.id, c.case_id AS "caseId", c.kinds, c.reference, c.draft, c.personal, c.attempts`,
    [leaseSeconds, batchSize],
  );

/** Locks the change for this transaction if no decision is recorded yet; false when one is (another worker wrote it). */
export async function lockUndecidedChange(tx: Db, id: string): Promise<boolean> {
  return Boolean(await tx.one(`SELECT 1 FROM cases.case_change WHERE id = $1 AND decided_at IS NULL FOR NO KEY UPDATE`, [id]));
}

/** The carrier decided: the change is done, with its message and whether an amendment must be signed. */
export async function decideChange(
  tx: Db,
  id: string,
  decision: { status: 'ACCEPTED' | 'REJECTED'; carrierMessage: string | null; amendmentRequired: boolean | null },
): Promise<void> {
  await tx.query(
    `UPDATE cases.case_change SET status = $2, carrier_message = $3, amendment_required = $4, decided_at = now(), last_error = NULL WHERE id = $1`,
    [id, decision.status, decision.carrierMessage, decision.amendmentRequired],
  );
}

/** No decision: the change comes back after `delaySeconds`, still SENT (the carrier may have it). */
export async function retryChangeLater(db: Db, id: string, delaySeconds: number, reason: string): Promise<void> {
  await db.query(`UPDATE cases.case_change SET next_attempt_at = now() + make_interval(secs => $2), last_error = $3 WHERE id = $1`, [
    id,
    delaySeconds,
    reason,
  ]);
}
