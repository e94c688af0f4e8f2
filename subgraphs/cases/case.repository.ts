/**
 * The SQL of cases and their history (cases."case", cases.case_event): the filter as WHERE
 * conditions, keyset pages on (submitted_at, id) so page 1,000 costs what page 1 costs, the writes
 * of submissions, status moves and carrier syncs, and the leases of the sync worker. Functions take
 * the Db (or the transaction) to run on.
 */
import { badInput } from '../../platform/errors';
import { newId, parseIds } from '../../platform/ids';
import type { Db } from '../shared/db';
import type { CaseStatus, HealthClass, RequirementCode } from '../shared/enums';
import { decodeCursor, keysetPage, pageSize } from '../shared/pagination';
import type { CaseEventRow, CaseEventType } from './case-event.type';
import type { CaseConnection, CaseFilter, CaseOrder, CaseRow } from './case.type';
import { CLOSED_STATUSES_SQL } from './cases.migrations';
import { isCaseManagerId } from './domain/case-manager';
import { FREE_LOOK_DAYS, RECONSIDERATION_DAYS, type Stamps } from './domain/case-status';
import type { SyncStep } from './domain/carrier-sync';
import { setRequirementStatus } from './requirement.repository';

export const MAX_PAGE = 200;

export const CASE_COLUMNS = `id, case_number AS "caseNumber", agent_id AS "agentId", carrier_id AS "carrierId", product_id AS "productId",
  product_type AS "productType", insured_first_name AS "insuredFirstName", insured_last_name AS "insuredLastName",
  insured_birth_date AS "insuredBirthDate", insured_gender AS "insuredGender", insured_state AS "insuredState",
  insured_tobacco AS "insuredTobacco", face_amount AS "faceAmount", approved_face_amount AS "approvedFaceAmount",
  term_years AS "termYears", applied_health_class AS "appliedHealthClass", approved_health_class AS "approvedHealthClass",
  table_rating AS "tableRating", flat_extra_per_thousand_cents AS "flatExtraPerThousandCents", flat_extra_years AS "flatExtraYears", payment_mode AS "paymentMode", annual_premium_cents AS "annualPremiumCents",
  modal_premium_cents AS "modalPremiumCents", status, carrier_reference AS "carrierReference", policy_number AS "policyNumber",
  submitted_at AS "submittedAt", approved_at AS "approvedAt", issued_at AS "issuedAt", placed_at AS "placedAt", closed_at AS "closedAt",
  case_manager_id AS "caseManagerId"`;

/** Now, at the millisecond precision the case timestamps keep (cursors carry them exactly). */
export const nowIso = (): string => new Date().toISOString();

/** The next UTC midnight after a YYYY-MM-DD date, as an ISO instant. */
function dayAfter(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString();
}

/**
 * WHERE conditions for a filter (plus an optional agent scope), pushing parameters onto `params`.
 * Ids are checked here so a malformed one is BAD_USER_INPUT, not an empty list. Shared by the case
 * lists and the metrics.
 */
export function caseConditions(
  filter: CaseFilter | undefined | null,
  scope: ReadonlySet<string> | null,
  params: unknown[],
  alias = '',
): string[] {
  const column = (name: string) => `${alias}${name}`;
  const where: string[] = [];
  if (scope) where.push(`${column('agent_id')} = ANY($${params.push([...scope])})`);
  if (!filter) return where;
  const agentIds = parseIds('agent', filter.agentIds, 'filter.agentIds');
  const carrierIds = parseIds('carrier', filter.carrierIds, 'filter.carrierIds');
  if (filter.submittedFrom && filter.submittedTo && filter.submittedFrom > filter.submittedTo) {
    throw badInput('filter.submittedFrom must be on or before filter.submittedTo');
  }
  if (filter.statuses) where.push(`${column('status')} = ANY($${params.push(filter.statuses)})`);
  if (carrierIds) where.push(`${column('carrier_id')} = ANY($${params.push(carrierIds)})`);
  if (agentIds) where.push(`${column('agent_id')} = ANY($${params.push(agentIds)})`);
  if (filter.caseManagerIds) {
    if (!filter.caseManagerIds.every(isCaseManagerId)) throw badInput('filter.caseManagerIds has an id that is not a valid staff user id');
    where.push(`${column('case_manager_id')} = ANY($${params.push(filter.caseManagerIds)})`);
  }
  if (filter.submittedFrom) where.push(`${column('submitted_at')} >= $${params.push(`${filter.submittedFrom}T00:00:00Z`)}::timestamptz`);
  if (filter.submittedTo) where.push(`${column('submitted_at')} < $${params.push(dayAfter(filter.submittedTo))}::timestamptz`);
  if (filter.open === true) where.push(`${column('status')} NOT IN ${CLOSED_STATUSES_SQL}`);
  if (filter.open === false) where.push(`${column('status')} IN ${CLOSED_STATUSES_SQL}`);
  return where;
}

export interface PageArgs {
  filter?: CaseFilter | null;
  orderBy?: CaseOrder | null;
  first?: number | null;
  after?: string | null;
}

/**
 * One page of cases as a connection, with its rows: one statement for the page (one row more than
 * asked, to know whether another page follows), and one more only if the client selects totalCount.
 */
export async function casePage(
  db: Db,
  args: PageArgs,
  scope: ReadonlySet<string> | null,
): Promise<{ rows: CaseRow[]; connection: CaseConnection }> {
  const limit = pageSize(args.first, MAX_PAGE);
  const descending = (args.orderBy ?? 'SUBMITTED_AT_DESC') === 'SUBMITTED_AT_DESC';
  const params: unknown[] = [];
  const where = caseConditions(args.filter, scope, params);
  const countWhere = [...where];
  const countParams = [...params];
  if (args.after) {
    const [submittedAt, id] = decodeCursor(args.after, ['string', 'string']);
    if (Number.isNaN(Date.parse(submittedAt as string))) throw badInput('after is not a valid cursor');
    where.push(`(submitted_at, id) ${descending ? '<' : '>'} ($${params.push(submittedAt)}::timestamptz, $${params.push(id)})`);
  }
  const direction = descending ? 'DESC' : 'ASC';
  const rows = await db.query<CaseRow>(
    `SELECT ${CASE_COLUMNS} FROM cases."case" ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY submitted_at ${direction}, id ${direction} LIMIT $${params.push(limit + 1)}`,
    params,
  );
  const connection = keysetPage(rows, limit, args.after, (row) => [row.submittedAt, row.id]) as unknown as CaseConnection;
  // A getter: the count(*) runs only when a client selects totalCount, and once however often
  // it is selected (aliases, fragments).
  let total: Promise<number> | undefined;
  Object.defineProperty(connection, 'totalCount', {
    enumerable: true,
    get: () =>
      (total ??= db
        .one<{ n: number }>(
          `SELECT count(*)::int AS n FROM cases."case" ${countWhere.length ? `WHERE ${countWhere.join(' AND ')}` : ''}`,
          countParams,
        )
        .then((r) => r!.n)),
  });
  return { rows: rows.slice(0, limit), connection };
}

export const casesByIds = (db: Db, ids: readonly string[]): Promise<CaseRow[]> =>
  db.query<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases."case" WHERE id = ANY($1)`, [ids]);

export const caseById = (db: Db, id: string): Promise<CaseRow | undefined> =>
  db.one<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases."case" WHERE id = $1`, [id]);

export const caseByNumber = (db: Db, caseNumber: string): Promise<CaseRow | undefined> =>
  db.one<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases."case" WHERE case_number = $1`, [caseNumber]);

/**
 * Locks the case row for the rest of the transaction. NO KEY UPDATE, not UPDATE: the case's id never
 * changes, and FOR UPDATE would also block the key-share lock another transaction takes to insert a
 * child row (an event, a change) — a deadlock when that transaction holds a row this one then waits on.
 */
export const lockCase = (tx: Db, id: string): Promise<CaseRow | undefined> =>
  tx.one<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases."case" WHERE id = $1 FOR NO KEY UPDATE`, [id]);

/** A case a caller submitted under an idempotency key, with the hash of the payload it was submitted with. */
export const caseByIdempotencyKey = (db: Db, createdBy: string, key: string): Promise<(CaseRow & { requestHash: string }) | undefined> =>
  db.one<CaseRow & { requestHash: string }>(
    `SELECT ${CASE_COLUMNS}, request_hash AS "requestHash" FROM cases."case" WHERE created_by = $1 AND idempotency_key = $2`,
    [createdBy, key],
  );

export interface NewCase {
  id: string;
  agentId: string;
  carrierId: string;
  productId: string;
  productType: string;
  insured: { firstName: string; lastName: string; birthDate: string; gender: string; state: string; tobacco: boolean };
  faceAmount: number;
  termYears: number | null;
  healthClass: string;
  tableRating: number;
  paymentMode: string;
  annualPremiumCents: number;
  modalPremiumCents: number;
  submittedAt: string;
  createdBy: string;
  idempotencyKey: string;
  requestHash: string;
}

/** Writes a submitted case with the next case number; undefined when a concurrent duplicate (same caller and key) committed first. */
export const insertCase = (tx: Db, c: NewCase): Promise<CaseRow | undefined> =>
  tx.one<CaseRow>(
    `INSERT INTO cases."case" (id, case_number, agent_id, carrier_id, product_id, product_type, insured_first_name, insured_last_name,
       insured_birth_date, insured_gender, insured_state, insured_tobacco, face_amount, term_years, applied_health_class, table_rating,
       payment_mode, annual_premium_cents, modal_premium_cents, status, submitted_at, created_by, idempotency_key, request_hash, updated_at)
     VALUES ($1, 'BGA-' || lpad(nextval('cases.case_number_seq')::text, 7, '0'), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
       $17, $18, 'SUBMITTED', $19, $20, $21, $22, $19)
     ON CONFLICT (created_by, idempotency_key) DO NOTHING
     RETURNING ${CASE_COLUMNS}`,
    [
      c.id,
      c.agentId,
      c.carrierId,
      c.productId,
      c.productType,
      c.insured.firstName,
      c.insured.lastName,
      c.insured.birthDate,
      c.insured.gender,
      c.insured.state,
      c.insured.tobacco,
      c.faceAmount,
      c.termYears,
      c.healthClass,
      c.tableRating,
      c.paymentMode,
      c.annualPremiumCents,
      c.modalPremiumCents,
      c.submittedAt,
      c.createdBy,
      c.idempotencyKey,
      c.requestHash,
    ],
  );

export interface StatusMove {
  status: CaseStatus;
  policyNumber: string | null;
  approvedHealthClass: HealthClass | null;
  approvedFaceAmount: number | null;
  stamps: Stamps;
  at: string;
}

/** A person's status move; each date is stamped only the first time. */
export async function moveCaseStatus(tx: Db, id: string, move: StatusMove): Promise<CaseRow> {
  const row = await tx.one<CaseRow>(
    `UPDATE cases."case" SET status = $2, policy_number = COALESCE($3, policy_number),
        approved_health_class = COALESCE($4, approved_health_class), approved_face_amount = COALESCE($5, approved_face_amount),
        approved_at = COALESCE(approved_at, $6), issued_at = COALESCE(issued_at, $7), placed_at = COALESCE(placed_at, $8),
        closed_at = COALESCE(closed_at, $9), updated_at = $10
      WHERE id = $1 RETURNING ${CASE_COLUMNS}`,
    [
      id,
      move.status,
      move.policyNumber,
      move.approvedHealthClass,
      move.approvedFaceAmount,
      move.stamps.approvedAt ?? null,
      move.stamps.issuedAt ?? null,
      move.stamps.placedAt ?? null,
      move.stamps.closedAt ?? null,
      move.at,
    ],
  );
  return row!;
}

/** The carrier accepted the application: its id for it is kept. */
export async function setCarrierReference(tx: Db, id: string, carrierReference: string): Promise<void> {
  await tx.query(`UPDATE cases."case" SET carrier_reference = $2, updated_at = now() WHERE id = $1`, [id, carrierReference]);
}

/** The carrier rejected the application of a case still SUBMITTED: it closes as INCOMPLETE. */
export async function closeAsIncomplete(tx: Db, id: string, at: string): Promise<void> {
  await tx.query(`UPDATE cases."case" SET status = 'INCOMPLETE', closed_at = COALESCE(closed_at, $2), updated_at = $2 WHERE id = $1`, [
    id,
    at,
  ]);
}

export interface NewEvent {
  caseId: string;
  at: string;
  type: CaseEventType;
  actor: string;
  fromStatus?: CaseStatus | null;
  toStatus?: CaseStatus | null;
  requirementCode?: RequirementCode | null;
  /** The requirement the event is about (its history is these events). */
  requirementId?: string | null;
  note?: string | null;
}

/** Appends to a case's history (rows are never updated or deleted) and returns the event as written. */
export async function appendEvent(tx: Db, event: NewEvent): Promise<Omit<CaseEventRow, 'caseId'> & NewEvent> {
  const row = await tx.one<{ at: string }>(
    `INSERT INTO cases.case_event (case_id, at, type, from_status, to_status, requirement_code, actor, note, requirement_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING at`,
    [
      event.caseId,
      event.at,
      event.type,
      event.fromStatus ?? null,
      event.toStatus ?? null,
      event.requirementCode ?? null,
      event.actor,
      event.note ?? null,
      event.requirementId ?? null,
    ],
  );
  return { fromStatus: null, toStatus: null, requirementCode: null, requirementId: null, note: null, ...event, at: row!.at };
}

/** One event per requirement code, all of one kind, in one statement. */
export async function appendRequirementEvents(
  tx: Db,
  event: Omit<NewEvent, 'requirementCode' | 'fromStatus' | 'toStatus'>,
  codes: readonly string[],
): Promise<void> {
  if (!codes.length) return;
  await tx.query(
    `INSERT INTO cases.case_event (case_id, at, type, requirement_code, actor, note)
     SELECT $1, $2, $3, code, $4, $5 FROM unnest($6::text[]) WITH ORDINALITY AS c (code, n) ORDER BY n`,
    [event.caseId, event.at, event.type, event.actor, event.note ?? null, codes],
  );
}

export const eventsByCaseIds = (db: Db, caseIds: readonly string[]): Promise<CaseEventRow[]> =>
  db.query<CaseEventRow>(
    `SELECT case_id AS "caseId", at, type, from_status AS "fromStatus", to_status AS "toStatus", requirement_code AS "requirementCode",
            requirement_id AS "requirementId", actor, note
       FROM cases.case_event WHERE case_id = ANY($1) ORDER BY id`,
    [caseIds],
  );

/** Has the case's history an event of this type (the submission asked for a just-in-time appointment)? */
export async function hasEvent(db: Db, caseId: string, type: CaseEventType): Promise<boolean> {
  return Boolean(await db.one(`SELECT 1 FROM cases.case_event WHERE case_id = $1 AND type = $2 LIMIT 1`, [caseId, type]));
}

/** The notes of a case's CARRIER_SYNC events: an unknown carrier code is noted once. */
export async function carrierSyncNotes(tx: Db, caseId: string): Promise<Set<string>> {
  const rows = await tx.query<{ note: string }>(
    `SELECT DISTINCT note FROM cases.case_event WHERE case_id = $1 AND type = 'CARRIER_SYNC' AND note IS NOT NULL`,
    [caseId],
  );
  return new Set(rows.map((row) => row.note));
}

/**
 * Writes a carrier sync's steps in order, each change with its CARRIER_SYNC event by `actor` (a
 * requirement's events carry its id: its history), then marks the case synced.
 */
export async function applySyncSteps(tx: Db, caseId: string, actor: string, at: string, steps: readonly SyncStep[]): Promise<void> {
  for (const step of steps) {
    switch (step.kind) {
      case 'note':
        await appendEvent(tx, { caseId, at, type: 'CARRIER_SYNC', actor, note: step.note });
        break;
      case 'status':
        // A reconsidered case is open again (closed_at cleared); a free-look cancellation leaves the placed count (placed_at cleared).
        await tx.query(
          `UPDATE cases."case" SET status = $2, policy_number = COALESCE($3, policy_number), approved_at = COALESCE(approved_at, $4),
              issued_at = COALESCE(issued_at, $5),
              placed_at = CASE WHEN $9 THEN NULL ELSE COALESCE(placed_at, $6) END,
              closed_at = CASE WHEN $10 THEN NULL ELSE COALESCE(closed_at, $7) END, updated_at = $8 WHERE id = $1`,
          [
            caseId,
            step.to,
            step.policyNumber,
            step.stamps.approvedAt ?? null,
            step.stamps.issuedAt ?? null,
            step.stamps.placedAt ?? null,
            step.stamps.closedAt ?? null,
            at,
            step.unplace,
            step.reopen,
          ],
        );
        await appendEvent(tx, { caseId, at, type: 'CARRIER_SYNC', actor, fromStatus: step.from, toStatus: step.to, note: step.note });
        break;
      case 'policyNumber':
        await tx.query(`UPDATE cases."case" SET policy_number = $2, updated_at = $3 WHERE id = $1`, [caseId, step.policyNumber, at]);
        break;
      case 'terms':
        // The carrier's approved terms, and the premium re-priced with them (unchanged when they could not be priced).
        await tx.query(
          `UPDATE cases."case" SET approved_health_class = COALESCE($2, approved_health_class), table_rating = $3,
              flat_extra_per_thousand_cents = $4, flat_extra_years = $5,
              approved_face_amount = CASE WHEN $6::integer = face_amount THEN approved_face_amount ELSE $6 END,
              annual_premium_cents = COALESCE($7, annual_premium_cents), modal_premium_cents = COALESCE($8, modal_premium_cents), updated_at = $9
            WHERE id = $1`,
          [
            caseId,
            step.terms.healthClass,
            step.terms.tableRating,
            step.terms.flatExtraPerThousandCents,
            step.terms.flatExtraYears,
            step.terms.faceAmount,
            step.annualPremiumCents,
            step.modalPremiumCents,
            at,
          ],
        );
        await appendEvent(tx, { caseId, at, type: 'CARRIER_SYNC', actor, note: step.note });
        break;
      case 'newRequirement': {
        const id = newId('requirement');
        await tx.query(
          `INSERT INTO cases.requirement (id, case_id, code, status, ordered_at, received_at, follow_up_on, carrier_code, carrier_requirement_id, description)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [
            id,
            caseId,
            step.code,
            step.status,
            step.orderedAt,
            step.receivedAt,
            step.followUpOn,
            step.carrierCode,
            step.carrierRequirementId,
            step.description,
          ],
        );
        await appendEvent(tx, { caseId, at, type: 'CARRIER_SYNC', actor, requirementCode: step.code, requirementId: id, note: step.note });
        break;
      }
      case 'requirementStatus':
        if (step.carrierRequirementId)
          await tx.query(`UPDATE cases.requirement SET carrier_requirement_id = $2 WHERE id = $1`, [
            step.requirementId,
            step.carrierRequirementId,
          ]);
        await setRequirementStatus(tx, step.requirementId, step.status, at);
        await appendEvent(tx, {
          caseId,
          at,
          type: 'CARRIER_SYNC',
          actor,
          requirementCode: step.code,
          requirementId: step.requirementId,
          note: step.note,
        });
        break;
    }
  }
  await tx.query(`UPDATE cases."case" SET last_synced_at = $2 WHERE id = $1`, [caseId, at]);
}

/**
 * Leases the cases the carrier has accepted that are due a sync, oldest sync first: pushing
 * last_synced_at forward inside one UPDATE ... FOR UPDATE SKIP LOCKED, so two replicas never sync
 * the same case at once. Open cases, and two kinds of closed ones the carrier may still move
 * (domain/case-status.ts): PLACED within its free-look period, INCOMPLETE within reconsideration.
 */
export const claimDueSyncs = (db: Db, intervalSeconds: number, batchSize: number) =>
  db.query<Pick<CaseRow, 'id' | 'carrierId' | 'carrierReference'>>(
    `UPDATE cases."case" c SET last_synced_at = now()
      WHERE c.id IN (SELECT id FROM cases."case"
                      WHERE carrier_reference IS NOT NULL
                        AND (closed_at IS NULL
                             OR (status = 'PLACED' AND placed_at > now() - make_interval(days => $3))
                             OR (status = 'INCOMPLETE' AND closed_at > now() - make_interval(days => $4)))
                        AND (last_synced_at IS NULL OR last_synced_at < now() - make_interval(secs => $1))
                      ORDER BY last_synced_at NULLS FIRST LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING c.id, c.carrier_id AS "carrierId", c.carrier_reference AS "carrierReference"`,
    [intervalSeconds, batchSize, FREE_LOOK_DAYS, RECONSIDERATION_DAYS],
  );
