/** The SQL of requirements (cases.requirement). Functions take the Db (or the transaction) to run on. */
import type { Db } from '../shared/db';
import type { RequirementCode, RequirementStatus } from '../shared/enums';
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
