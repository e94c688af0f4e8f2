/**
 * SQL for case lists: the filter as WHERE conditions, and keyset pages on (submitted_at, id) so
 * page 1,000 costs what page 1 costs. Shared by `cases`, `Agent.cases` and the metrics.
 */
import { parseIds } from '../../platform/ids';
import { decodeCursor, encodeCursor, pageSize } from '../shared/pagination';
import { badInput } from '../../platform/errors';
import type { Db } from '../shared/db';
import { CLOSED_STATUSES_SQL } from './cases.migrations';
import { CASE_COLUMNS, type CasesContext } from './case.loader';
import type { Case, CaseConnection, CaseFilter, CaseOrder, CaseRow } from './case.type';

export const MAX_PAGE = 200;

/** The next UTC midnight after a YYYY-MM-DD date, as an ISO instant. */
function dayAfter(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString();
}

/**
 * WHERE conditions for a filter (plus an optional agent scope), pushing parameters onto `params`.
 * Ids are checked here so a malformed one is BAD_USER_INPUT, not an empty list.
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
 * One page of cases as a connection: one statement for the page (one row more than asked, to know
 * whether another page follows), and one more only if the client selects totalCount.
 */
export async function casePage(ctx: CasesContext, db: Db, args: PageArgs, scope: ReadonlySet<string> | null): Promise<CaseConnection> {
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
  const page = rows.slice(0, limit);
  for (const row of page) ctx.loaders.case.prime(row.id, row);
  const edges = page.map((row) => ({ cursor: encodeCursor([row.submittedAt, row.id]), node: row as unknown as Case }));
  const connection = {
    edges,
    pageInfo: {
      hasNextPage: rows.length > limit,
      hasPreviousPage: Boolean(args.after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  } as unknown as CaseConnection;
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
  return connection;
}
