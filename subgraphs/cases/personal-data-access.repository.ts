import { badInput } from '../../platform/errors';
import type { Db } from '../shared/db';
import { decodeCursor, keysetPage, pageSize } from '../shared/pagination';
import type {
  PersonalDataAccess,
  PersonalDataAccessConnection,
  PersonalDataAccessFilter,
  PersonalDataAccessRow,
} from './personal-data-access.type';

export const MAX_ACCESS_PAGE = 200;

/** One full read to record: who, what, in which request. The value read is never part of it. */
export type PersonalDataAccessEntry = Omit<PersonalDataAccessRow, 'id' | 'at' | 'reason'> & { reason?: string | null };

const COLUMNS = `id, at, actor_sub AS "actorSub", actor_role AS "actorRole", subject_kind AS "subjectKind", subject_id AS "subjectId",
  field, request_id AS "requestId", reason`;

/**
 * Appends the entries in one statement (a response that reveals many fields records them together).
 * They share the statement's instant; run it inside the transaction of the read when there is one.
 */
export async function recordAccess(db: Db, entries: readonly PersonalDataAccessEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const column = <K extends keyof PersonalDataAccessEntry>(key: K) => entries.map((entry) => entry[key] ?? null);
  await db.query(
    `INSERT INTO cases.personal_data_access (actor_sub, actor_role, subject_kind, subject_id, field, request_id, reason)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])`,
    [
      column('actorSub'),
      column('actorRole'),
      column('subjectKind'),
      column('subjectId'),
      column('field'),
      column('requestId'),
      column('reason'),
    ],
  );
}

/** A page of the log, newest first (keyset cursors on at, id). */
export async function personalDataAccessPage(
  db: Db,
  args: { filter?: PersonalDataAccessFilter | null; first?: number | null; after?: string | null },
): Promise<PersonalDataAccessConnection> {
  const limit = pageSize(args.first, MAX_ACCESS_PAGE);
  const params: unknown[] = [];
  const where: string[] = [];
  const filter = args.filter ?? {};
  if (filter.subjectId) where.push(`subject_id = $${params.push(filter.subjectId)}`);
  if (filter.actor) where.push(`actor_sub = $${params.push(filter.actor)}`);
  if (filter.from) where.push(`at >= $${params.push(filter.from)}::timestamptz`);
  if (filter.to) where.push(`at < $${params.push(filter.to)}::timestamptz`);
  if (args.after) {
    const [at, id] = decodeCursor(args.after, ['string', 'number']);
    if (Number.isNaN(Date.parse(at as string)) || !Number.isSafeInteger(id)) throw badInput('after is not a valid cursor');
    where.push(`(at, id) < ($${params.push(at)}::timestamptz, $${params.push(id)})`);
  }
  const rows = await db.query<PersonalDataAccessRow>(
    `SELECT ${COLUMNS} FROM cases.personal_data_access ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY at DESC, id DESC LIMIT $${params.push(limit + 1)}`,
    params,
  );
  return keysetPage(
    rows,
    limit,
    args.after,
    (row) => [row.at, row.id],
    (row) => ({ ...row, id: String(row.id), actor: row.actorSub }) as PersonalDataAccess,
  );
}
