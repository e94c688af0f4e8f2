/**
 * caseMetrics as SQL: DOMAIN.md's definitions, over one cohort (the cases submitted in the filter's
 * date range that match it, as they stand now). One statement computes totals, statuses and groups
 * (GROUPING SETS), one more the requirement aging. Money stays integer cents until formatted.
 */
import type { Db } from '../shared/db';
import { CLOSED_STATUSES_SQL } from './cases.migrations';
import { caseConditions } from './case.query';
import type { CaseFilter } from './case.type';
import type { CaseMetrics, CaseMetricsFigures, MetricsGrouping } from './case-metrics.type';
import { centsToMoney } from '../shared/scalars';
import type { CaseStatus, RequirementCode } from '../shared/enums';

const GROUP_KEY: Record<MetricsGrouping, string> = {
  CARRIER: 'carrier_id',
  AGENT: 'agent_id',
  MONTH: `to_char(submitted_at AT TIME ZONE 'UTC', 'YYYY-MM')`,
  PRODUCT_TYPE: 'product_type',
};

const DAYS = (column: string) => `extract(epoch FROM (${column} - submitted_at)) / 86400.0`;

const FIGURES_SQL = `
  count(*)::int AS submitted,
  (count(*) FILTER (WHERE status NOT IN ${CLOSED_STATUSES_SQL}))::int AS open,
  (count(*) FILTER (WHERE status = 'PLACED'))::int AS placed,
  (count(*) FILTER (WHERE status = 'DECLINED'))::int AS declined,
  (count(*) FILTER (WHERE status = 'NOT_TAKEN'))::int AS "notTaken",
  (count(*) FILTER (WHERE status = 'PLACED'))::float8 / nullif(count(*) FILTER (WHERE status IN ${CLOSED_STATUSES_SQL}), 0) AS "placementRatio",
  (count(*) FILTER (WHERE status = 'NOT_TAKEN'))::float8 / nullif(count(*) FILTER (WHERE status IN ('PLACED', 'NOT_TAKEN')), 0) AS "notTakenRate",
  (count(*) FILTER (WHERE status = 'DECLINED'))::float8
    / nullif(count(*) FILTER (WHERE status IN ('DECLINED', 'POSTPONED')) + count(*) FILTER (WHERE approved_at IS NOT NULL), 0) AS "declineRate",
  (avg(${DAYS('issued_at')}) FILTER (WHERE issued_at IS NOT NULL))::float8 AS "averageDaysToIssue",
  (percentile_cont(0.5) WITHIN GROUP (ORDER BY ${DAYS('issued_at')}) FILTER (WHERE issued_at IS NOT NULL))::float8 AS "medianDaysToIssue",
  (avg(${DAYS('placed_at')}) FILTER (WHERE placed_at IS NOT NULL))::float8 AS "averageDaysToPlace",
  coalesce(sum(annual_premium_cents), 0)::text AS "submittedPremiumCents",
  coalesce(sum(annual_premium_cents) FILTER (WHERE status = 'PLACED'), 0)::text AS "placedPremiumCents"`;

type FigureRow = Omit<CaseMetricsFigures, 'submittedPremium' | 'placedPremium'> & { submittedPremiumCents: string; placedPremiumCents: string };

function figures(row: FigureRow | undefined): CaseMetricsFigures {
  if (!row) {
    return { submitted: 0, open: 0, placed: 0, declined: 0, notTaken: 0, placementRatio: null, notTakenRate: null, declineRate: null,
      averageDaysToIssue: null, medianDaysToIssue: null, averageDaysToPlace: null, submittedPremium: '0.00', placedPremium: '0.00' };
  }
  const { submittedPremiumCents, placedPremiumCents, ...rest } = row;
  // Sums arrive as text: totals can pass 2^53 cents on a large book, so they go through BigInt.
  return { ...rest, submittedPremium: centsToMoney(BigInt(submittedPremiumCents)), placedPremium: centsToMoney(BigInt(placedPremiumCents)) };
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
function label(grouping: MetricsGrouping, key: string): string {
  if (grouping === 'MONTH') return `${MONTHS[Number(key.slice(5, 7)) - 1]} ${key.slice(0, 4)}`;
  if (grouping === 'PRODUCT_TYPE') return key.toLowerCase().split('_').map((w) => w[0].toUpperCase() + w.slice(1)).join(' ');
  return key;
}

export async function computeCaseMetrics(db: Db, filter: CaseFilter | null | undefined, scope: ReadonlySet<string> | null, groupBy: MetricsGrouping | null | undefined): Promise<CaseMetrics> {
  const params: unknown[] = [];
  const where = caseConditions(filter, scope, params);
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const groupKey = groupBy ? GROUP_KEY[groupBy] : null;
  // grouping(x) is 0 when the row is grouped by x: set 0 = totals, 1 = by status, 2 = by group.
  const set = groupKey ? `CASE WHEN grouping(status) = 0 THEN 1 WHEN grouping(${groupKey}) = 0 THEN 2 ELSE 0 END` : 'CASE WHEN grouping(status) = 0 THEN 1 ELSE 0 END';
  const rows = await db.query<FigureRow & { set: number; status: CaseStatus | null; key: string | null }>(
    `SELECT ${set} AS set, status, ${groupKey ?? 'NULL::text'} AS key, ${FIGURES_SQL}
       FROM cases."case" ${whereSql}
      GROUP BY GROUPING SETS ((), (status)${groupKey ? `, (${groupKey})` : ''})`,
    params,
  );
  const agingParams: unknown[] = [];
  const agingWhere = caseConditions(filter, scope, agingParams, 'c.');
  const aging = await db.query<{ code: RequirementCode; outstanding: number; averageAgeDays: number; pastFollowUp: number }>(
    `SELECT r.code, count(*)::int AS outstanding,
            avg(extract(epoch FROM (now() - r.ordered_at)) / 86400.0)::float8 AS "averageAgeDays",
            (count(*) FILTER (WHERE r.follow_up_on < (now() AT TIME ZONE 'UTC')::date))::int AS "pastFollowUp"
       FROM cases.requirement r JOIN cases."case" c ON c.id = r.case_id
      WHERE r.status = 'ORDERED' AND c.status NOT IN ${CLOSED_STATUSES_SQL} ${agingWhere.length ? `AND ${agingWhere.join(' AND ')}` : ''}
      GROUP BY r.code ORDER BY r.code`,
    agingParams,
  );
  const totals = rows.find((r) => r.set === 0);
  return {
    totals: figures(totals),
    byStatus: rows.filter((r) => r.set === 1).map((r) => ({ status: r.status!, count: r.submitted })).sort((a, b) => b.count - a.count || a.status.localeCompare(b.status)),
    groups: groupBy
      ? rows
          .filter((r) => r.set === 2 && r.key !== null)
          .sort((a, b) => (groupBy === 'MONTH' ? a.key!.localeCompare(b.key!) : b.submitted - a.submitted || a.key!.localeCompare(b.key!)))
          .map((r) => ({
            key: r.key!,
            label: label(groupBy, r.key!),
            carrier: groupBy === 'CARRIER' ? { id: r.key! } : null,
            agent: groupBy === 'AGENT' ? { id: r.key! } : null,
            figures: figures(r),
          }))
      : [],
    requirementsAging: aging,
    asOf: new Date().toISOString(),
  };
}
