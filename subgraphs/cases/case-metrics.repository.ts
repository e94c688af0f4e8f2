/**
 * caseMetrics as SQL: the figures over one cohort (the cases submitted in the filter's date range
 * that match it, as they stand now); the arithmetic over the rows is domain/case-metrics.ts.
 *
 * Statements sent at once on separate connections:
 *  - one pass over the cohort grouped by (group key, status) with only additive aggregates (counts,
 *    sums of seconds and cents), so PostgreSQL hashes it in one pass; every figure of the totals,
 *    the statuses and the groups is then a sum of those few hundred rows. (GROUPING SETS with the
 *    ratios written as FILTER aggregates evaluated ~40 aggregates per case per set: 3× slower.)
 *    Without an agent scope or filter, from the rollups instead (migration 18): rows per day or
 *    month, carrier, product type and status, kept in each case write's transaction;
 *  - the medians, which are not additive: percentile_cont over the issued cases only, overall and
 *    per group in two statements, each reading an index of (key, issue_seconds) in order
 *    (migration 2 for the whole book and per carrier, 18 per agent, product type and month);
 *  - the requirement aging.
 */
import type { Db } from '../shared/db';
import type { CaseStatus, RequirementCode } from '../shared/enums';
import type { CaseFilter } from './case.type';
import type { CaseMetrics, MetricsGrouping } from './case-metrics.type';
import { caseConditions } from './case.repository';
import { dayAfter } from './domain/metrics-periods';
import { CLOSED_STATUSES_SQL } from './cases.migrations';
import { groupLabel, type PartRow, SECONDS_PER_DAY, Tally } from './domain/case-metrics';

export const GROUP_KEY: Record<MetricsGrouping, string> = {
  CARRIER: 'carrier_id',
  AGENT: 'agent_id',
  MONTH: `to_char(submitted_at AT TIME ZONE 'UTC', 'YYYY-MM')`,
  PRODUCT_TYPE: 'product_type',
};

/**
 * The groups' keys for their medians: each the leading column of an index of (key, issue_seconds) over
 * the issued cases (migrations 2 and 18), so the values come in order; MONTH as the month's first
 * instant (an index cannot hold to_char's text), formatted after.
 */
const MEDIAN_GROUP_KEY: Record<MetricsGrouping, string> = {
  CARRIER: 'carrier_id',
  AGENT: 'agent_id',
  MONTH: `date_trunc('month', submitted_at AT TIME ZONE 'UTC')`,
  PRODUCT_TYPE: 'product_type',
};

/** The rollup's (cases.case_rollup, migration 18) expression for each grouping it can answer: not AGENT (it has no agent). */
export const ROLLUP_GROUP_KEY: Partial<Record<MetricsGrouping, string>> = {
  CARRIER: 'carrier_id',
  MONTH: `to_char(day, 'YYYY-MM')`,
  PRODUCT_TYPE: 'product_type',
};

/**
 * The rows of cases.case_rollup_month and cases.case_rollup (migration 18) that make up a cohort, as a
 * FROM item (`... r`), or null when the rollups cannot answer it: an agent's scope or an agent or
 * case-manager filter (they have neither column). Statuses, carriers, open/closed and submission
 * days (their own key) they answer exactly: the whole months of the range from the month rollup, the
 * days at its edges (and the whole range, `byDay`, for weeks) from the day rollup. `range` narrows the
 * filter's submission dates further (a series' from and to).
 */
export function rollupSource(
  filter: CaseFilter | null | undefined,
  scope: ReadonlySet<string> | null,
  params: unknown[],
  range: { from?: string; to?: string } = {},
  byDay = false,
): string | null {
  if (scope || filter?.agentIds || filter?.caseManagerIds) return null;
  // caseConditions validates the filter (ids, date order) and throws the same errors for both paths.
  caseConditions(filter, scope, []);
  const where = ['cases > 0'];
  if (filter?.statuses) where.push(`status = ANY($${params.push(filter.statuses)})`);
  if (filter?.carrierIds) where.push(`carrier_id = ANY($${params.push(filter.carrierIds)})`);
  if (filter?.open === true) where.push(`status NOT IN ${CLOSED_STATUSES_SQL}`);
  if (filter?.open === false) where.push(`status IN ${CLOSED_STATUSES_SQL}`);
  const latest = (a?: string, b?: string) => (a && b ? (a > b ? a : b) : (a ?? b));
  const earliest = (a?: string, b?: string) => (a && b ? (a < b ? a : b) : (a ?? b));
  const from = latest(filter?.submittedFrom ?? undefined, range.from);
  const to = earliest(filter?.submittedTo ?? undefined, range.to);
  const day = (date: string) => `$${params.push(date)}::date`;
  const days = (conditions: string[]) => `SELECT * FROM cases.case_rollup WHERE ${[...where, ...conditions].join(' AND ')}`;
  // Whole months: from the first month starting on or after `from` to the last one ending on or before `to` (exclusive bound: its next month's first).
  const monthFrom = from === undefined ? undefined : from.endsWith('-01') ? from : `${firstOfNextMonth(from)}`;
  const monthTo = to === undefined ? undefined : firstOfMonth(dayAfter(to));
  if (byDay || (monthFrom !== undefined && monthTo !== undefined && monthFrom >= monthTo)) {
    const bounds = [...(from ? [`day >= ${day(from)}`] : []), ...(to ? [`day <= ${day(to)}`] : [])];
    return `(${days(bounds)}) r`;
  }
  const months = [...(monthFrom ? [`day >= ${day(monthFrom)}`] : []), ...(monthTo ? [`day < ${day(monthTo)}`] : [])];
  const edges = [
    ...(from && monthFrom && from < monthFrom ? [`(day >= ${day(from)} AND day < ${day(monthFrom)})`] : []),
    ...(to && monthTo && monthTo <= to ? [`(day >= ${day(monthTo)} AND day <= ${day(to)})`] : []),
  ];
  const monthRows = `SELECT * FROM cases.case_rollup_month WHERE ${[...where, ...months].join(' AND ')}`;
  return `(${monthRows}${edges.length ? ` UNION ALL ${days([`(${edges.join(' OR ')})`])}` : ''}) r`;
}

const firstOfMonth = (date: string) => `${date.slice(0, 7)}-01`;
function firstOfNextMonth(date: string): string {
  const [year, month] = [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
  return month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
}

/** The additive part of caseMetrics (per key and status) from the rollup, or undefined when it cannot answer the cohort. */
async function partsFromRollup(
  db: Db,
  filter: CaseFilter | null | undefined,
  scope: ReadonlySet<string> | null,
  groupBy: MetricsGrouping | null | undefined,
): Promise<PartRow[] | undefined> {
  const groupKey = groupBy ? ROLLUP_GROUP_KEY[groupBy] : 'NULL::text';
  const params: unknown[] = [];
  const source = rollupSource(filter, scope, params);
  if (!source || !groupKey) return undefined;
  return db.query<PartRow>(
    `SELECT ${groupKey} AS key, status, sum(cases)::int AS cases, sum(approved)::int AS approved,
            sum(issued)::int AS issued, sum(issue_seconds)::float8 AS "issueSeconds",
            sum(placed_count)::int AS "placedCount", sum(place_seconds)::float8 AS "placeSeconds",
            sum(premium_cents)::text AS "premiumCents"
       FROM ${source}
      GROUP BY 1, 2`,
    params,
  );
}

export async function computeCaseMetrics(
  db: Db,
  filter: CaseFilter | null | undefined,
  scope: ReadonlySet<string> | null,
  groupBy: MetricsGrouping | null | undefined,
): Promise<CaseMetrics> {
  const groupKey = groupBy ? GROUP_KEY[groupBy] : 'NULL::text';
  const cohort = (alias = '') => {
    const params: unknown[] = [];
    const where = caseConditions(filter, scope, params, alias);
    return { params, and: where.map((condition) => ` AND ${condition}`).join('') };
  };
  const parts = cohort();
  const medians = cohort();
  const groupMedians = cohort();
  const aging = cohort('c.');
  const [partRows, medianRows, agingRows] = await Promise.all([
    // The additive part from the rollup where it answers the cohort (the whole book and its carrier, month,
    // product-type and status cuts), from the cases otherwise.
    partsFromRollup(db, filter, scope, groupBy).then(
      (rows) =>
        rows ??
        db.query<PartRow>(
          `SELECT ${groupKey} AS key, status, count(*)::int AS cases, count(approved_at)::int AS approved,
              count(issue_seconds)::int AS issued, sum(issue_seconds) AS "issueSeconds",
              count(place_seconds)::int AS "placedCount", sum(place_seconds) AS "placeSeconds",
              coalesce(sum(annual_premium_cents), 0)::text AS "premiumCents"
         FROM cases."case" WHERE TRUE${parts.and}
        GROUP BY 1, 2`,
          parts.params,
        ),
    ),
    // The overall median and the groups' in two statements, each reading its values in order from an
    // index of (key, issue_seconds) (migrations 2 and 18): no sort of the whole cohort, none spilled to disk.
    Promise.all([
      db.query<{ overall: boolean; key: string | null; median: number }>(
        `SELECT TRUE AS overall, NULL::text AS key, percentile_cont(0.5) WITHIN GROUP (ORDER BY issue_seconds) AS median
           FROM cases."case" WHERE issue_seconds IS NOT NULL${medians.and}`,
        medians.params,
      ),
      groupBy
        ? db.query<{ overall: boolean; key: string | null; median: number }>(
            `SELECT FALSE AS overall, ${groupBy === 'MONTH' ? `to_char(key, 'YYYY-MM')` : 'key'} AS key, median
               FROM (SELECT ${MEDIAN_GROUP_KEY[groupBy]} AS key, percentile_cont(0.5) WITHIN GROUP (ORDER BY issue_seconds) AS median
                       FROM cases."case" WHERE issue_seconds IS NOT NULL${groupMedians.and}
                      GROUP BY 1) medians`,
            groupMedians.params,
          )
        : [],
    ]).then(([overall, groups]) => [...overall, ...groups]),
    db.query<{ code: RequirementCode; outstanding: number; averageAgeDays: number; pastFollowUp: number }>(
      `SELECT r.code, count(*)::int AS outstanding,
              avg(date_part('epoch', now() - r.ordered_at) / ${SECONDS_PER_DAY}.0) AS "averageAgeDays",
              (count(*) FILTER (WHERE r.follow_up_on < (now() AT TIME ZONE 'UTC')::date))::int AS "pastFollowUp"
         FROM cases.requirement r JOIN cases."case" c ON c.id = r.case_id
        WHERE r.status = 'ORDERED' AND c.status NOT IN ${CLOSED_STATUSES_SQL}${aging.and}
        GROUP BY r.code ORDER BY r.code`,
      aging.params,
    ),
  ]);

  const totals = new Tally();
  const byStatus = new Map<CaseStatus, number>();
  const groups = new Map<string, Tally>();
  for (const row of partRows) {
    totals.add(row);
    byStatus.set(row.status, (byStatus.get(row.status) ?? 0) + row.cases);
    if (groupBy && row.key !== null) {
      let group = groups.get(row.key);
      if (!group) groups.set(row.key, (group = new Tally()));
      group.add(row);
    }
  }
  const overallMedian = medianRows.find((row) => row.overall)?.median;
  const medianOf = new Map(medianRows.filter((row) => !row.overall && row.key !== null).map((row) => [row.key!, row.median]));
  return {
    totals: totals.figures(overallMedian),
    byStatus: [...byStatus]
      .map(([status, count]) => ({ status, count }))
      .sort((a, b) => b.count - a.count || a.status.localeCompare(b.status)),
    groups: groupBy
      ? [...groups]
          .sort(([keyA, a], [keyB, b]) =>
            groupBy === 'MONTH' ? keyA.localeCompare(keyB) : b.submitted - a.submitted || keyA.localeCompare(keyB),
          )
          .map(([key, group]) => ({
            key,
            label: groupLabel(groupBy, key),
            carrier: groupBy === 'CARRIER' ? { id: key } : null,
            agent: groupBy === 'AGENT' ? { id: key } : null,
            figures: group.figures(medianOf.get(key)),
          }))
      : [],
    requirementsAging: agingRows,
    asOf: new Date().toISOString(),
  };
}
