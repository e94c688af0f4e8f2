/** The SQL of requirements (cases.requirement). Functions take the Db (or the transaction) to run on. */
import type { Db } from '../shared/db';
import type { RequirementCode, RequirementStatus } from '../shared/enums';
import type { CaseEventRow } from './case-event.type';
import { OUTSTANDING_VENDOR_ORDER_SQL, VENDOR_LAST_NEWS_SQL } from './cases.migrations';
import type { VendorCode, VendorDetails, VendorStage } from './domain/requirement-vendors';
import type { RequirementRow } from './requirement.type';

export const REQUIREMENT_COLUMNS = `id, case_id AS "caseId", code, status, ordered_at AS "orderedAt", received_at AS "receivedAt",
  follow_up_on AS "followUpOn", note, carrier_requirement_id AS "carrierRequirementId", description, vendor,
  vendor_order_id AS "vendorOrderId", vendor_stage AS "vendorStage", vendor_stage_at AS "vendorStageAt",
  vendor_sequence AS "vendorSequence", vendor_details AS "vendorDetails", follow_ups AS "followUps", escalation,
  overdue_since AS "overdueSince"`;

export const requirementsByCaseIds = (db: Db, caseIds: readonly string[]): Promise<RequirementRow[]> =>
  db.query<RequirementRow>(`SELECT ${REQUIREMENT_COLUMNS} FROM cases.requirement WHERE case_id = ANY($1) ORDER BY ordered_at, id`, [
    caseIds,
  ]);

/** A case's requirements, most recently ordered first (a carrier's code matches the latest of ours). */
export const requirementsOfCase = (tx: Db, caseId: string): Promise<RequirementRow[]> =>
  tx.query<RequirementRow>(`SELECT ${REQUIREMENT_COLUMNS} FROM cases.requirement WHERE case_id = $1 ORDER BY ordered_at DESC`, [caseId]);

/** Locks the requirement row for the rest of the transaction. */
export const lockRequirement = (tx: Db, id: string): Promise<RequirementRow | undefined> =>
  tx.one<RequirementRow>(`SELECT ${REQUIREMENT_COLUMNS} FROM cases.requirement WHERE id = $1 FOR NO KEY UPDATE`, [id]);

/** The codes of the case's requirements still outstanding (ORDERED). */
export async function outstandingCodes(tx: Db, caseId: string): Promise<RequirementCode[]> {
  const rows = await tx.query<{ code: RequirementCode }>(`SELECT code FROM cases.requirement WHERE case_id = $1 AND status = 'ORDERED'`, [
    caseId,
  ]);
  return rows.map((row) => row.code);
}

export async function isOutstanding(tx: Db, caseId: string, code: RequirementCode): Promise<boolean> {
  return Boolean(await tx.one(`SELECT 1 FROM cases.requirement WHERE case_id = $1 AND code = $2 AND status = 'ORDERED'`, [caseId, code]));
}

export interface NewRequirement {
  id: string;
  caseId: string;
  code: RequirementCode;
  status: RequirementStatus;
  orderedAt: string;
  receivedAt: string | null;
  followUpOn: string;
  /** The carrier's own code, for a requirement a carrier ordered. */
  carrierCode: string | null;
  note: string | null;
}

export async function insertRequirement(tx: Db, r: NewRequirement): Promise<RequirementRow> {
  const row = await tx.one<RequirementRow>(
    `INSERT INTO cases.requirement (id, case_id, code, status, ordered_at, received_at, follow_up_on, carrier_code, note)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${REQUIREMENT_COLUMNS}`,
    [r.id, r.caseId, r.code, r.status, r.orderedAt, r.receivedAt, r.followUpOn, r.carrierCode, r.note],
  );
  return row!;
}

/** A person closes an outstanding requirement: received now, or waived with the reason as its note. */
export async function closeRequirement(
  tx: Db,
  id: string,
  status: 'RECEIVED' | 'WAIVED',
  at: string,
  reason: string | null,
): Promise<RequirementRow> {
  const row = await tx.one<RequirementRow>(
    `UPDATE cases.requirement SET status = $2, received_at = $3, note = COALESCE($4, note) WHERE id = $1 RETURNING ${REQUIREMENT_COLUMNS}`,
    [id, status, status === 'RECEIVED' ? at : null, reason],
  );
  return row!;
}

/** The carrier moved a requirement: a receipt is stamped once. */
export async function setRequirementStatus(tx: Db, id: string, status: RequirementStatus, at: string): Promise<void> {
  await tx.query(
    `UPDATE cases.requirement SET status = $2, received_at = CASE WHEN $2 = 'RECEIVED' THEN COALESCE(received_at, $3::timestamptz) ELSE received_at END WHERE id = $1`,
    [id, status, at],
  );
}

/** Several new ORDERED requirements of one case in one statement (the grid's order at submission). */
export async function insertOrderedRequirements(
  tx: Db,
  caseId: string,
  rows: readonly { id: string; code: RequirementCode; followUpOn: string }[],
  orderedAt: string,
  note: string | null,
): Promise<void> {
  if (!rows.length) return;
  await tx.query(
    `INSERT INTO cases.requirement (id, case_id, code, status, ordered_at, received_at, follow_up_on, carrier_code, note)
     SELECT r.id, $1, r.code, 'ORDERED', $4, NULL, r.follow_up_on, NULL, $5
       FROM unnest($2::text[], $3::text[], $6::date[]) AS r (id, code, follow_up_on)`,
    [caseId, rows.map((r) => r.id), rows.map((r) => r.code), orderedAt, note, rows.map((r) => r.followUpOn)],
  );
}

// ---- Vendor orders (the row is its own outbox entry: vendor_due_at, vendor_attempts) and vendor status ----

export interface NewVendorRequirement extends NewRequirement {
  vendor: VendorCode | null;
  /** Sealed JSON (PersonalDataVault field requirement.physician), for an APS. */
  physician: string | null;
  requestedBy: string;
  idempotencyKey: string | null;
}

/**
 * A requirement ordered by a person: with a vendor it is QUEUED and due now for the vendor order
 * worker. Under an idempotency key already used by the same person, nothing is inserted (undefined).
 */
export async function insertOrderedRequirement(tx: Db, r: NewVendorRequirement): Promise<RequirementRow | undefined> {
  return tx.one<RequirementRow>(
    `INSERT INTO cases.requirement (id, case_id, code, status, ordered_at, received_at, follow_up_on, carrier_code, note,
       vendor, vendor_stage, vendor_stage_at, vendor_due_at, physician, requested_by, idempotency_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, CASE WHEN $10::text IS NULL THEN NULL ELSE 'QUEUED' END,
       CASE WHEN $10::text IS NULL THEN NULL ELSE $5::timestamptz END, CASE WHEN $10::text IS NULL THEN NULL ELSE now() END, $11, $12, $13)
     ON CONFLICT (requested_by, idempotency_key) DO NOTHING
     RETURNING ${REQUIREMENT_COLUMNS}`,
    [
      r.id,
      r.caseId,
      r.code,
      r.status,
      r.orderedAt,
      r.receivedAt,
      r.followUpOn,
      r.carrierCode,
      r.note,
      r.vendor,
      r.physician,
      r.requestedBy,
      r.idempotencyKey,
    ],
  );
}

/** The requirement a person ordered under an idempotency key. */
export const requirementByIdempotencyKey = (tx: Db, requestedBy: string, key: string): Promise<RequirementRow | undefined> =>
  tx.one<RequirementRow>(`SELECT ${REQUIREMENT_COLUMNS} FROM cases.requirement WHERE requested_by = $1 AND idempotency_key = $2`, [
    requestedBy,
    key,
  ]);

/** A requirement row as the vendor order worker works it. */
export interface VendorOrderRow {
  id: string;
  caseId: string;
  code: RequirementCode;
  status: RequirementStatus;
  vendor: VendorCode;
  vendorOrderId: string | null;
  carrierRequirementId: string | null;
  /** Sealed. */
  physician: string | null;
  /** Including this claim. */
  attempts: number;
}

/** Leases the requirements due at their vendor (to order, or to cancel there): their due time moves ahead by the lease. */
export const claimDueVendorOrders = (db: Db, leaseSeconds: number, batchSize: number): Promise<VendorOrderRow[]> =>
  db.query<VendorOrderRow>(
    `UPDATE cases.requirement r SET vendor_attempts = r.vendor_attempts + 1, vendor_due_at = now() + make_interval(secs => $1)
      WHERE r.id IN (SELECT id FROM cases.requirement WHERE vendor_due_at <= now()
                      ORDER BY vendor_due_at LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING r.id, r.case_id AS "caseId", r.code, r.status, r.vendor, r.vendor_order_id AS "vendorOrderId",
                r.carrier_requirement_id AS "carrierRequirementId", r.physician, r.vendor_attempts AS "attempts"`,
    [leaseSeconds, batchSize],
  );

/**
 * Claims (leases) outstanding vendor orders with no news for `staleSeconds`: neither a stage change
 * nor a poll. Claiming stamps vendor_polled_at, so the order is not asked again (here or by another
 * replica) for another `staleSeconds`, whatever the answer: a vendor that is down is asked at the
 * order's next turn. Stalest first, read from migration 13's index.
 */
export const claimStaleVendorOrders = (db: Db, staleSeconds: number, batchSize: number): Promise<{ id: string }[]> =>
  db.query<{ id: string }>(
    `UPDATE cases.requirement r SET vendor_polled_at = now()
      WHERE r.id IN (SELECT id FROM cases.requirement
                      WHERE ${OUTSTANDING_VENDOR_ORDER_SQL} AND ${VENDOR_LAST_NEWS_SQL} <= now() - make_interval(secs => $1)
                      ORDER BY ${VENDOR_LAST_NEWS_SQL} LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING r.id`,
    [staleSeconds, batchSize],
  );

/**
 * The vendor took the order: its id is recorded. The row stays due (now) when the requirement was
 * cancelled meanwhile, so the worker cancels it at the vendor next; else it is done.
 */
export async function recordVendorOrder(tx: Db, id: string, orderId: string): Promise<void> {
  await tx.query(
    `UPDATE cases.requirement SET vendor_order_id = $2, vendor_last_error = NULL,
       vendor_due_at = CASE WHEN status = 'CANCELLED' THEN now() ELSE NULL END, vendor_attempts = 0 WHERE id = $1`,
    [id, orderId],
  );
}

/** Nothing more to do at the vendor for this row (done, or refused for good: `error` says why). */
export async function vendorOrderDone(db: Db, id: string, error: string | null): Promise<void> {
  await db.query(`UPDATE cases.requirement SET vendor_due_at = NULL, vendor_last_error = $2 WHERE id = $1`, [id, error]);
}

/** A cancelled requirement whose order never reached its vendor: nothing to cancel there, its vendor stage is CANCELLED. */
export async function vendorOrderNeverSent(db: Db, id: string): Promise<void> {
  await db.query(
    `UPDATE cases.requirement SET vendor_due_at = NULL, vendor_last_error = NULL, vendor_stage = 'CANCELLED', vendor_stage_at = now()
      WHERE id = $1 AND vendor_order_id IS NULL`,
    [id],
  );
}

/** No answer from the vendor: the row comes back after `delaySeconds`. */
export async function vendorOrderLater(db: Db, id: string, delaySeconds: number, reason: string): Promise<void> {
  await db.query(
    `UPDATE cases.requirement SET vendor_due_at = now() + make_interval(secs => $2), vendor_last_error = $3 WHERE id = $1 AND vendor_due_at IS NOT NULL`,
    [id, delaySeconds, reason],
  );
}

/**
 * A vendor's webhook event in one statement: claims its event id and, only when it was not received
 * before, locks the requirement its order names (one round trip instead of two: at 200 webhooks a
 * second each statement counts). `claimed` false: a redelivery, nothing locked; `claimed` with no
 * requirement: an order we have not recorded (the caller rolls the claim back).
 */
export async function claimVendorEventAndLock(
  tx: Db,
  vendor: VendorCode,
  eventId: string,
  orderId: string,
): Promise<{ claimed: boolean; requirement: RequirementRow | undefined }> {
  const row = await tx.one<RequirementRow & { claimed: boolean }>(
    `WITH claim AS (INSERT INTO cases.vendor_event (vendor, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1)
     SELECT EXISTS (SELECT 1 FROM claim) AS claimed, r.*
       FROM (VALUES (1)) AS one
       LEFT JOIN LATERAL (SELECT ${REQUIREMENT_COLUMNS} FROM cases.requirement
                           WHERE vendor = $1 AND vendor_order_id = $3 AND EXISTS (SELECT 1 FROM claim) FOR NO KEY UPDATE) r ON true`,
    [vendor, eventId, orderId],
  );
  const { claimed, ...requirement } = row!;
  return { claimed, requirement: requirement.id ? requirement : undefined };
}

/** A newer vendor stage: what the row gets, follow-up columns included (domain/follow-up.ts followUpColumns). */
export interface VendorStageChange {
  stage: VendorStage;
  at: string;
  sequence: number;
  /** Merged over what the vendor said before. */
  details: VendorDetails;
  followUpOn: string | null;
  overdueSince: string | null;
}

/**
 * A newer vendor stage in one statement: stage, time, sequence, details, the next follow-up and the
 * overdue day, and with `history` its REQUIREMENT_VENDOR_STATUS event carrying the requirement's id
 * (one round trip where it was three: stage, follow-up columns, event).
 */
export async function setVendorStage(
  tx: Db,
  id: string,
  change: VendorStageChange,
  history?: { at: string; actor: string; note: string },
): Promise<void> {
  const update = `UPDATE cases.requirement SET vendor_stage = $2, vendor_stage_at = $3, vendor_sequence = $4,
       vendor_details = COALESCE(vendor_details, '{}'::jsonb) || $5::jsonb, follow_up_on = $6, overdue_since = $7
     WHERE id = $1`;
  const values = [id, change.stage, change.at, change.sequence, JSON.stringify(change.details), change.followUpOn, change.overdueSince];
  if (!history) {
    await tx.query(update, values);
    return;
  }
  await tx.query(
    `WITH updated AS (${update} RETURNING id, case_id, code)
     INSERT INTO cases.case_event (case_id, at, type, requirement_code, actor, note, requirement_id)
     SELECT case_id, $8::timestamptz, 'REQUIREMENT_VENDOR_STATUS', code, $9::text, $10::text, id FROM updated`,
    [...values, history.at, history.actor, history.note],
  );
}

/**
 * A person cancels an outstanding requirement. With a vendor order (or one that may have been
 * placed), the row becomes due so the worker cancels it at the vendor; a vendor order never tried
 * is simply never sent.
 */
export async function cancelRequirementRow(tx: Db, id: string, reason: string): Promise<RequirementRow> {
  const row = await tx.one<RequirementRow>(
    `UPDATE cases.requirement SET status = 'CANCELLED', note = $2,
       vendor_due_at = CASE WHEN vendor IS NULL OR vendor_stage = 'CANCELLED' THEN NULL
                            WHEN vendor_order_id IS NULL AND vendor_attempts = 0 THEN NULL ELSE now() END,
       vendor_stage = CASE WHEN vendor IS NOT NULL AND vendor_order_id IS NULL AND vendor_attempts = 0 THEN 'CANCELLED' ELSE vendor_stage END,
       vendor_stage_at = CASE WHEN vendor IS NOT NULL AND vendor_order_id IS NULL AND vendor_attempts = 0 THEN now() ELSE vendor_stage_at END
     WHERE id = $1 RETURNING ${REQUIREMENT_COLUMNS}`,
    [id, reason],
  );
  return row!;
}

/** The history of several requirements in one statement: their case events, oldest first. */
export const eventsByRequirementIds = (db: Db, requirementIds: readonly string[]): Promise<CaseEventRow[]> =>
  db.query<CaseEventRow>(
    `SELECT case_id AS "caseId", at, type, from_status AS "fromStatus", to_status AS "toStatus", requirement_code AS "requirementCode",
            requirement_id AS "requirementId", actor, note
       FROM cases.case_event WHERE requirement_id = ANY($1) ORDER BY id`,
    [requirementIds],
  );
