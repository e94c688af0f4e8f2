/**
 * requirementsWorklist as SQL: the outstanding requirements of open cases the caller may see, most
 * urgent first (the agent told, then with the case manager, then overdue, oldest first, then by the
 * next follow-up, then by order), a keyset page at a time. The order is migration 11's indexes'
 * (requirement_worklist_idx, and under a code or a vendor) expression for expression, so a page reads the index in order and stops
 * after `first + 1` rows; the case conditions (open, scope, case manager) are checked per row.
 */
import { badInput } from '../../platform/errors';
import type { Db } from '../shared/db';
import { decodeCursor, keysetPage, pageSize } from '../shared/pagination';
import {
  CLOSED_STATUSES_SQL,
  WORKLIST_FOLLOW_UP_SQL,
  WORKLIST_ORDER_SQL,
  WORKLIST_OVERDUE_SQL,
  WORKLIST_URGENCY_SQL,
} from './cases.migrations';
import { REQUIREMENT_COLUMNS } from './requirement.repository';
import type { RequirementRow } from './requirement.type';
import type { RequirementConnection, RequirementWorklistFilter } from './requirement-worklist.type';

export const MAX_WORKLIST_PAGE = 200;

/** The sort key of a row, as the cursor carries it (every value exact: ordered_at as PostgreSQL's own text). */
interface Keyed {
  urgency: number;
  overdueKey: string;
  followUpKey: string;
  orderedKey: string;
}

const ORDER = WORKLIST_ORDER_SQL;

export async function worklistPage(
  db: Db,
  args: { filter?: RequirementWorklistFilter | null; first?: number | null; after?: string | null },
  scope: ReadonlySet<string> | null,
  caseManager: string | null,
): Promise<{ rows: RequirementRow[]; connection: RequirementConnection }> {
  const limit = pageSize(args.first, MAX_WORKLIST_PAGE);
  const params: unknown[] = [];
  const where = [`status = 'ORDERED'`];
  const filter = args.filter ?? {};
  if (filter.code) where.push(`code = $${params.push(filter.code)}`);
  if (filter.vendor) where.push(`vendor = $${params.push(filter.vendor)}`);
  // Overdue as Requirement.overdue reads it (overdue_since set, or escalated): the urgencies below 3.
  if (filter.overdue === true) where.push(`${WORKLIST_URGENCY_SQL} < 3`);
  if (filter.overdue === false) where.push(`${WORKLIST_URGENCY_SQL} = 3`);
  const caseWhere = [`c.id = r.case_id`, `c.status NOT IN ${CLOSED_STATUSES_SQL}`];
  if (scope) caseWhere.push(`c.agent_id = ANY($${params.push([...scope])})`);
  if (caseManager) caseWhere.push(`c.case_manager_id = $${params.push(caseManager)}`);
  // Staff without a case manager: the case is only checked open, row by row as the index gives them
  // (a subquery per row, which the planner cannot turn into a join: as a join it takes the 8% of open
  // cases for the share of outstanding requirements that survive, when nearly all do, and sorts them
  // all). An agent's scope or a case manager narrows the cases: there the planner chooses, from the
  // cases (a small scope) or along the index (migration 11's statistics tell it managed cases are open).
  where.push(
    scope || caseManager
      ? `EXISTS (SELECT 1 FROM cases."case" c WHERE ${caseWhere.join(' AND ')})`
      : `(SELECT c.status NOT IN ${CLOSED_STATUSES_SQL} FROM cases."case" c WHERE c.id = r.case_id)`,
  );
  const countWhere = [...where];
  const countParams = [...params];
  if (args.after) {
    const [urgency, overdueKey, followUpKey, orderedKey, id] = decodeCursor(args.after, ['number', 'string', 'string', 'string', 'string']);
    const day = /^(\d{4}-\d{2}-\d{2}|infinity)$/;
    if (
      !day.test(overdueKey as string) ||
      !day.test(followUpKey as string) ||
      !/^\d{4}-\d{2}-\d{2}[ T][\d:.]+([+-]\d{2}(:?\d{2})?|Z)?$/.test(orderedKey as string)
    ) {
      throw badInput('after is not a valid cursor');
    }
    where.push(
      `(${ORDER}) > ($${params.push(urgency)}::int, $${params.push(overdueKey)}::date, $${params.push(followUpKey)}::date, $${params.push(orderedKey)}::timestamptz, $${params.push(id)})`,
    );
  }
  const rows = await db.query<RequirementRow & Keyed>(
    `SELECT ${REQUIREMENT_COLUMNS}, ${WORKLIST_URGENCY_SQL} AS urgency, ${WORKLIST_OVERDUE_SQL}::text AS "overdueKey",
            ${WORKLIST_FOLLOW_UP_SQL}::text AS "followUpKey", ordered_at::text AS "orderedKey"
       FROM cases.requirement r WHERE ${where.join(' AND ')}
      ORDER BY ${ORDER} LIMIT $${params.push(limit + 1)}`,
    params,
  );
  const connection = keysetPage(
    rows,
    limit,
    args.after,
    (row) => [row.urgency, row.overdueKey, row.followUpKey, row.orderedKey, row.id],
    strip,
  ) as unknown as RequirementConnection;
  // A getter: the count(*) runs only when a client selects totalCount, and once however often it is selected.
  let total: Promise<number> | undefined;
  Object.defineProperty(connection, 'totalCount', {
    enumerable: true,
    get: () =>
      (total ??= db
        .one<{ n: number }>(`SELECT count(*)::int AS n FROM cases.requirement r WHERE ${countWhere.join(' AND ')}`, countParams)
        .then((r) => r!.n)),
  });
  return { rows: rows.slice(0, limit).map(strip), connection };
}

/** The row without its sort keys. */
function strip({ urgency: _u, overdueKey: _o, followUpKey: _f, orderedKey: _k, ...row }: RequirementRow & Keyed): RequirementRow {
  return row;
}
