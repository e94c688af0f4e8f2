/**
 * Carrier statements in SQL: files (booked once by content hash), their lines matched to cases and
 * reconciled against cases.commission a batch at a time (one statement per batch of up to
 * BOOKING_BATCH lines, whatever its size), the exceptions listed for staff, and what was received by
 * carrier and period (for the commission metrics).
 */
import { randomBytes } from 'node:crypto';
import { badInput } from '../../../platform/errors';
import type { Db } from '../../shared/db';
import type { StatementLine, StatementProblem } from './statement-parser';

/** Lines booked per SQL statement. */
export const BOOKING_BATCH = 1_000;
/** Received within this many cents of expected is MATCHED (rounding of the carrier's own arithmetic). */
export const MATCH_TOLERANCE_CENTS = 1;

export type StatementSourceKind = 'UPLOAD' | 'WATCHED_FOLDER';
export type StatementLineStatus = 'MATCHED' | 'MISMATCHED' | 'UNMATCHED';
export type StatementExceptionKind = 'UNMATCHED' | 'MISMATCHED' | 'DUPLICATE' | 'INVALID';

export interface StatementFileRow {
  id: string;
  carrierId: string;
  fileName: string;
  contentSha256: string;
  layout: string;
  source: StatementSourceKind;
  bookedBy: string;
  bookedAt: string;
  lineCount: number;
  matchedCount: number;
  mismatchedCount: number;
  unmatchedCount: number;
  duplicateCount: number;
  invalidCount: number;
  receivedCents: number;
}

export interface StatementLineRow {
  fileId: string;
  lineNo: number;
  carrierId: string;
  policyNumber: string;
  caseId: string | null;
  transaction: string;
  premiumCents: number;
  rateBasisPoints: number;
  amountCents: number;
  period: string;
  expectedCents: number | null;
  status: StatementLineStatus;
  insuredNameMatches: boolean | null;
}

export interface StatementExceptionRow {
  id: number;
  fileId: string;
  carrierId: string;
  lineNo: number;
  kind: StatementExceptionKind;
  policyNumber: string | null;
  transaction: string | null;
  expectedCents: number | null;
  receivedCents: number | null;
  message: string;
}

export interface BatchCounts {
  matched: number;
  mismatched: number;
  unmatched: number;
  duplicates: number;
  receivedCents: number;
}

export const STATEMENT_ID_PREFIX = 'stm_';
export const newStatementId = () => `${STATEMENT_ID_PREFIX}${randomBytes(9).toString('hex')}`;

/** A statement id as given; BAD_USER_INPUT naming the argument when it is not one. */
export function parseStatementId(value: string, argument: string): string {
  if (!/^stm_[a-z0-9]{1,64}$/.test(value)) throw badInput(`${argument} is not a valid statement id (expected stm_...)`);
  return value;
}

const FILE_COLUMNS = `id, carrier_id AS "carrierId", file_name AS "fileName", content_sha256 AS "contentSha256", layout, source,
  booked_by AS "bookedBy", booked_at AS "bookedAt", line_count AS "lineCount", matched_count AS "matchedCount",
  mismatched_count AS "mismatchedCount", unmatched_count AS "unmatchedCount", duplicate_count AS "duplicateCount",
  invalid_count AS "invalidCount", received_cents AS "receivedCents"`;

export async function statementByHash(db: Db, sha256: string): Promise<StatementFileRow | undefined> {
  return db.one<StatementFileRow>(`SELECT ${FILE_COLUMNS} FROM cases.statement_file WHERE content_sha256 = $1`, [sha256]);
}

export async function statementById(db: Db, id: string): Promise<StatementFileRow | undefined> {
  return db.one<StatementFileRow>(`SELECT ${FILE_COLUMNS} FROM cases.statement_file WHERE id = $1`, [id]);
}

/** The file's row, first of its booking (a second file with the same content hash fails on the unique index). */
export async function insertStatementFile(
  db: Db,
  file: {
    id: string;
    carrierId: string;
    fileName: string;
    sha256: string;
    layout: string;
    source: StatementSourceKind;
    bookedBy: string;
    bookedAt: string;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO cases.statement_file (id, carrier_id, file_name, content_sha256, layout, source, booked_by, booked_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [file.id, file.carrierId, file.fileName, file.sha256, file.layout, file.source, file.bookedBy, file.bookedAt],
  );
}

/** The file's totals, last of its booking. */
export async function finishStatementFile(
  db: Db,
  id: string,
  totals: Omit<StatementFileRow, 'id' | 'carrierId' | 'fileName' | 'contentSha256' | 'layout' | 'source' | 'bookedBy' | 'bookedAt'>,
): Promise<StatementFileRow> {
  return (await db.one<StatementFileRow>(
    `UPDATE cases.statement_file SET line_count = $2, matched_count = $3, mismatched_count = $4, unmatched_count = $5,
       duplicate_count = $6, invalid_count = $7, received_cents = $8
     WHERE id = $1 RETURNING ${FILE_COLUMNS}`,
    [
      id,
      totals.lineCount,
      totals.matchedCount,
      totals.mismatchedCount,
      totals.unmatchedCount,
      totals.duplicateCount,
      totals.invalidCount,
      totals.receivedCents,
    ],
  ))!;
}

/**
 * Books a batch of parsed lines in ONE statement: each matched to its case by (carrier, policy
 * number), its expected amount read from cases.commission (the sum over the case's rows of that
 * transaction, every role: the carrier pays the BGA's level), the line inserted as MATCHED,
 * MISMATCHED or UNMATCHED, and the exceptions listed: unmatched and mismatched lines, and lines
 * already booked (same carrier, policy, transaction, period and amount), which are not booked again.
 * The last name is compared with the case's insured in the statement and stored nowhere.
 */
export async function bookStatementBatch(db: Db, fileId: string, carrierId: string, lines: readonly StatementLine[]): Promise<BatchCounts> {
  const row = await db.one<BatchCounts>(
    `WITH input AS (
       SELECT * FROM unnest($3::int[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::int[], $9::bigint[], $10::text[])
         AS t(line_no, policy_number, last_name, transaction, premium_cents, rate_basis_points, amount_cents, period)
     ), matched AS (
       SELECT i.*, c.id AS case_id, lower(c.insured_last_name) = lower(i.last_name) AS name_matches,
         (SELECT sum(k.amount_cents) FROM cases.commission k WHERE k.case_id = c.id AND k.transaction = i.transaction)::bigint AS expected_cents
       FROM input i
       LEFT JOIN LATERAL (
         SELECT id, insured_last_name FROM cases."case" WHERE carrier_id = $2 AND policy_number = i.policy_number ORDER BY submitted_at DESC, id LIMIT 1
       ) c ON true
     ), booked AS (
       INSERT INTO cases.statement_line (file_id, line_no, carrier_id, policy_number, case_id, transaction, premium_cents,
         rate_basis_points, amount_cents, period, expected_cents, status, insured_name_matches)
       SELECT $1, line_no, $2, policy_number, case_id, transaction, premium_cents, rate_basis_points, amount_cents, period, expected_cents,
         CASE WHEN case_id IS NULL THEN 'UNMATCHED'
              WHEN abs(amount_cents - coalesce(expected_cents, 0)) <= ${MATCH_TOLERANCE_CENTS} THEN 'MATCHED'
              ELSE 'MISMATCHED' END,
         name_matches
       FROM matched ORDER BY line_no
       ON CONFLICT (carrier_id, policy_number, transaction, period, amount_cents) DO NOTHING
       RETURNING line_no, policy_number, transaction, status, expected_cents, amount_cents
     ), exceptions AS (
       INSERT INTO cases.statement_exception (file_id, line_no, kind, policy_number, transaction, expected_cents, received_cents, message)
       SELECT $1, b.line_no, b.status, b.policy_number, b.transaction, b.expected_cents, b.amount_cents,
         CASE WHEN b.status = 'UNMATCHED' THEN 'no policy of this carrier has this number'
              WHEN b.expected_cents IS NULL THEN 'no commission of this transaction is expected for the policy'
              ELSE 'the amount received is not the amount expected' END
       FROM booked b WHERE b.status <> 'MATCHED'
       UNION ALL
       SELECT $1, m.line_no, 'DUPLICATE', m.policy_number, m.transaction, NULL, m.amount_cents,
         'the same line (policy, transaction, period, amount) is already booked'
       FROM matched m WHERE NOT EXISTS (SELECT 1 FROM booked b WHERE b.line_no = m.line_no)
       RETURNING kind
     )
     SELECT (SELECT count(*) FROM booked WHERE status = 'MATCHED')::int AS matched,
            (SELECT count(*) FROM booked WHERE status = 'MISMATCHED')::int AS mismatched,
            (SELECT count(*) FROM booked WHERE status = 'UNMATCHED')::int AS unmatched,
            (SELECT count(*) FROM exceptions WHERE kind = 'DUPLICATE')::int AS duplicates,
            (SELECT coalesce(sum(amount_cents), 0) FROM booked)::bigint AS "receivedCents"`,
    [
      fileId,
      carrierId,
      lines.map((line) => line.lineNo),
      lines.map((line) => line.policyNumber),
      lines.map((line) => line.lastName),
      lines.map((line) => line.transaction),
      lines.map((line) => line.premiumCents),
      lines.map((line) => line.rateBasisPoints),
      lines.map((line) => line.amountCents),
      lines.map((line) => line.period),
    ],
  );
  return row!;
}

/** Lines that could not be read, listed as INVALID exceptions (one statement per batch that has any). */
export async function insertInvalidLines(db: Db, fileId: string, problems: readonly StatementProblem[]): Promise<void> {
  await db.query(
    `INSERT INTO cases.statement_exception (file_id, line_no, kind, policy_number, message)
     SELECT $1, line_no, 'INVALID', policy_number, message FROM unnest($2::int[], $3::text[], $4::text[]) AS t(line_no, policy_number, message)`,
    [
      fileId,
      problems.map((problem) => problem.lineNo),
      problems.map((problem) => problem.policyNumber),
      problems.map((problem) => problem.message),
    ],
  );
}

/** Statements booked, newest first (keyset on booked_at, id), optionally of one carrier. */
export async function listStatements(
  db: Db,
  options: { carrierId?: string | null; limit: number; after?: readonly [string, string] },
): Promise<StatementFileRow[]> {
  const params: unknown[] = [options.limit + 1];
  const where: string[] = [];
  if (options.carrierId) where.push(`carrier_id = $${params.push(options.carrierId)}`);
  if (options.after) where.push(`(booked_at, id) < ($${params.push(options.after[0])}::timestamptz, $${params.push(options.after[1])})`);
  return db.query<StatementFileRow>(
    `SELECT ${FILE_COLUMNS} FROM cases.statement_file ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY booked_at DESC, id DESC LIMIT $1`,
    params,
  );
}

/** A statement's lines in file order (keyset on line_no), optionally of some statuses. */
export async function listStatementLines(
  db: Db,
  fileId: string,
  options: { statuses?: readonly StatementLineStatus[] | null; limit: number; afterLineNo?: number },
): Promise<StatementLineRow[]> {
  const params: unknown[] = [fileId, options.limit + 1, options.afterLineNo ?? 0];
  const status = options.statuses?.length ? `AND status = ANY($${params.push(options.statuses)}::text[])` : '';
  return db.query<StatementLineRow>(
    `SELECT file_id AS "fileId", line_no AS "lineNo", carrier_id AS "carrierId", policy_number AS "policyNumber", case_id AS "caseId",
       transaction, premium_cents AS "premiumCents", rate_basis_points AS "rateBasisPoints", amount_cents AS "amountCents", period,
       expected_cents AS "expectedCents", status, insured_name_matches AS "insuredNameMatches"
     FROM cases.statement_line WHERE file_id = $1 AND line_no > $3 ${status} ORDER BY line_no LIMIT $2`,
    params,
  );
}

/** Exceptions for staff, oldest first (keyset on id): of one statement, or one carrier's, of some kinds. */
export async function listStatementExceptions(
  db: Db,
  options: {
    fileId?: string | null;
    carrierId?: string | null;
    kinds?: readonly StatementExceptionKind[] | null;
    limit: number;
    afterId?: number;
  },
): Promise<StatementExceptionRow[]> {
  const params: unknown[] = [options.limit + 1, options.afterId ?? 0];
  const where = ['e.id > $2'];
  if (options.fileId) where.push(`e.file_id = $${params.push(options.fileId)}`);
  if (options.carrierId) where.push(`f.carrier_id = $${params.push(options.carrierId)}`);
  if (options.kinds?.length) where.push(`e.kind = ANY($${params.push(options.kinds)}::text[])`);
  return db.query<StatementExceptionRow>(
    `SELECT e.id, e.file_id AS "fileId", f.carrier_id AS "carrierId", e.line_no AS "lineNo", e.kind, e.policy_number AS "policyNumber",
       e.transaction, e.expected_cents AS "expectedCents", e.received_cents AS "receivedCents", e.message
     FROM cases.statement_exception e JOIN cases.statement_file f ON f.id = e.file_id
     WHERE ${where.join(' AND ')} ORDER BY e.id LIMIT $1`,
    params,
  );
}

export interface ReceivedByCarrierPeriod {
  carrierId: string;
  /** YYYY-MM. */
  period: string;
  /** Sum of the booked lines' amounts (duplicates are not booked; chargebacks are negative). */
  receivedCents: number;
  /** Of which on lines matched to a case (MATCHED or MISMATCHED). */
  matchedCents: number;
  lines: number;
}

/**
 * What carriers paid, by carrier and period, from the booked statement lines: for the commission
 * metrics (expected vs received). Periods are YYYY-MM, both bounds inclusive; one statement.
 */
export async function receivedByCarrierPeriod(
  db: Db,
  options: { carrierIds?: readonly string[] | null; fromPeriod?: string | null; toPeriod?: string | null } = {},
): Promise<ReceivedByCarrierPeriod[]> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (options.carrierIds?.length) where.push(`carrier_id = ANY($${params.push(options.carrierIds)}::text[])`);
  if (options.fromPeriod) where.push(`period >= $${params.push(options.fromPeriod)}`);
  if (options.toPeriod) where.push(`period <= $${params.push(options.toPeriod)}`);
  return db.query<ReceivedByCarrierPeriod>(
    `SELECT carrier_id AS "carrierId", period, sum(amount_cents)::bigint AS "receivedCents",
       coalesce(sum(amount_cents) FILTER (WHERE case_id IS NOT NULL), 0)::bigint AS "matchedCents", count(*)::int AS lines
     FROM cases.statement_line ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     GROUP BY carrier_id, period ORDER BY carrier_id, period`,
    params,
  );
}
