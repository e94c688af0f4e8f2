/**
 * Every SQL statement on cases.application. The personal part of a draft arrives here already
 * sealed (application.service.ts seals and opens it): this module never sees it in clear.
 */
import type { Db } from '../shared/db';
import type { ApplicationStatus } from './domain/application';
import type { DraftPart } from './application.draft';

/** A row of cases.application as the service uses it. */
export interface ApplicationRow {
  id: string;
  agentId: string;
  carrierId: string;
  productId: string;
  state: string;
  status: ApplicationStatus;
  draft: DraftPart;
  /** Sealed (platform/personal-data.ts): the parties, beneficiaries, identifiers, answers, finances. */
  personal: string;
  caseId: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  signedAt: string | null;
  submittedAt: string | null;
  /** The hash of the start's input, to tell a retried start from another one with the same key. */
  requestHash: string | null;
}

const COLUMNS = `id, agent_id AS "agentId", carrier_id AS "carrierId", product_id AS "productId", state, status, draft, personal,
  case_id AS "caseId", created_by AS "createdBy", created_at AS "createdAt", updated_at AS "updatedAt", signed_at AS "signedAt",
  submitted_at AS "submittedAt", request_hash AS "requestHash"`;

/** Inserts a new application; undefined when the caller's idempotency key is already taken (a concurrent retry won). */
export async function insertApplication(
  db: Db,
  row: Omit<ApplicationRow, 'caseId' | 'signedAt' | 'submittedAt' | 'updatedAt'> & { idempotencyKey: string | null },
): Promise<ApplicationRow | undefined> {
  const rows = await db.query<ApplicationRow>(
    `INSERT INTO cases.application (id, agent_id, carrier_id, product_id, state, status, draft, personal, created_by, idempotency_key, request_hash, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
     ON CONFLICT (created_by, idempotency_key) DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      row.id,
      row.agentId,
      row.carrierId,
      row.productId,
      row.state,
      row.status,
      JSON.stringify(row.draft),
      row.personal,
      row.createdBy,
      row.idempotencyKey,
      row.requestHash,
      row.createdAt,
    ],
  );
  return rows[0];
}

export async function applicationByIdempotencyKey(db: Db, createdBy: string, key: string): Promise<ApplicationRow | undefined> {
  const rows = await db.query<ApplicationRow>(`SELECT ${COLUMNS} FROM cases.application WHERE created_by = $1 AND idempotency_key = $2`, [
    createdBy,
    key,
  ]);
  return rows[0];
}

export async function applicationsByIds(db: Db, ids: readonly string[]): Promise<ApplicationRow[]> {
  return db.query<ApplicationRow>(`SELECT ${COLUMNS} FROM cases.application WHERE id = ANY($1)`, [ids]);
}

/** The application, locked for this transaction (every change reads, merges and writes under the lock). */
export async function lockApplication(tx: Db, id: string): Promise<ApplicationRow | undefined> {
  const rows = await tx.query<ApplicationRow>(`SELECT ${COLUMNS} FROM cases.application WHERE id = $1 FOR NO KEY UPDATE`, [id]);
  return rows[0];
}

/** Writes a changed draft; returns the row as stored. */
export async function saveApplication(
  tx: Db,
  id: string,
  change: {
    draft: DraftPart;
    personal: string;
    status?: ApplicationStatus;
    at: string;
    signedAt?: string;
    submittedAt?: string;
    caseId?: string;
  },
): Promise<ApplicationRow> {
  const rows = await tx.query<ApplicationRow>(
    `UPDATE cases.application
        SET draft = $2, personal = $3, status = COALESCE($4, status), updated_at = $5,
            signed_at = COALESCE($6, signed_at), submitted_at = COALESCE($7, submitted_at), case_id = COALESCE($8, case_id)
      WHERE id = $1
      RETURNING ${COLUMNS}`,
    [
      id,
      JSON.stringify(change.draft),
      change.personal,
      change.status ?? null,
      change.at,
      change.signedAt ?? null,
      change.submittedAt ?? null,
      change.caseId ?? null,
    ],
  );
  return rows[0];
}

export interface ApplicationQuery {
  /** Null: every agent (staff); otherwise only these agents' applications. */
  agentIds: readonly string[] | null;
  statuses: readonly string[] | null;
  carrierId: string | null;
  /** Keyset: (createdAt, id) of the last row of the previous page. */
  after: [string, string] | null;
  limit: number;
}

/** A page of applications, newest first, one statement; `limit + 1` rows say whether another page follows. */
export function applicationPage(db: Db, query: ApplicationQuery): Promise<ApplicationRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (query.agentIds) where.push(`agent_id = ANY(${param(query.agentIds)})`);
  if (query.statuses) where.push(`status = ANY(${param(query.statuses)})`);
  if (query.carrierId) where.push(`carrier_id = ${param(query.carrierId)}`);
  if (query.after) where.push(`(created_at, id) < (${param(query.after[0])}::timestamptz, ${param(query.after[1])})`);
  return db.query<ApplicationRow>(
    `SELECT ${COLUMNS} FROM cases.application ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY created_at DESC, id DESC LIMIT ${param(query.limit + 1)}`,
    params,
  );
}

/** The application a case was made from, if any. */
export async function applicationOfCase(db: Db, caseId: string): Promise<ApplicationRow | undefined> {
  const rows = await db.query<ApplicationRow>(`SELECT ${COLUMNS} FROM cases.application WHERE case_id = $1`, [caseId]);
  return rows[0];
}
