/**
 * Metrics v2 as SQL (docs/domain.md, "What managers measure, v2"): the series by period, the funnel,
 * cycle-time percentiles and the production per writing agent. Each is one statement over the
 * cases table returning additive rows (counts and sums of cents per key and status), summed here
 * with the same Tally as caseMetrics; only the percentiles are computed by PostgreSQL
 * (percentile_cont), since they are not additive.
 */
import { formatMoney } from '../../platform/money';
import type { Db } from '../shared/db';
import type { CaseStatus } from '../shared/enums';
import type { CaseFilter } from './case.type';
import { caseConditions } from './case.repository';
import { GROUP_KEY, ROLLUP_GROUP_KEY, rollupSource } from './case-metrics.repository';
import type { MetricsGrouping } from './case-metrics.type';
import type { AgentProduction, CaseFunnel, CycleTime, MetricsBasis, MetricsInterval, MetricsPeriod } from './case-metrics-v2.type';
import { isClosed } from './domain/case-status';
import { SECONDS_PER_DAY, Tally } from './domain/case-metrics';
import { dayAfter, periodsBetween } from './domain/metrics-periods';

const BASIS_COLUMN: Record<MetricsBasis, string> = { SUBMITTED: 'submitted_at', ISSUED: 'issued_at', PLACED: 'placed_at' };
const TRUNC_UNIT: Record<MetricsInterval, string> = { WEEK: 'week', MONTH: 'month', QUARTER: 'quarter' };

/**
 * Reached approval / issue: a case that is issued or placed passed approval even where a carrier
 * reported no approval date, so the funnel never widens downwards.
 */
export const REACHED_APPROVAL_SQL = 'coalesce(approved_at, issued_at, placed_at) IS NOT NULL';
export const REACHED_ISSUE_SQL = 'coalesce(issued_at, placed_at) IS NOT NULL';

interface StageRow {
  key: string;
  groups: Array<string | null>;
  status: CaseStatus;
  cases: number;
  approved: number;
  issued: number;
  premiumCents: string;
}

/** A Tally with the reached-approval and reached-issue counts beside it. */
class PeriodTally extends Tally {
  reachedApproval = 0;
  reachedIssue = 0;
  addRow(row: StageRow): void {
    this.add({
      key: null,
      status: row.status,
      cases: row.cases,
      approved: 0,
      issued: 0,
      issueSeconds: 0,
      placedCount: 0,
      placeSeconds: 0,
      premiumCents: row.premiumCents,
    });
    this.reachedApproval += row.approved;
    this.reachedIssue += row.issued;
  }
  period(start: string, end: string, group: string[]): MetricsPeriod {
    const figures = this.figures(null);
    return {
      start,
      end,
      group,
      submitted: this.submitted,
      approved: this.reachedApproval,
      issued: this.reachedIssue,
      placed: this.placed,
      declined: this.declined,
      notTaken: this.notTaken,
      submittedPremium: figures.submittedPremium,
      placedPremium: figures.placedPremium,
      placementRatio: figures.placementRatio,
      placementOfSubmitted: this.submitted === 0 ? null : this.placed / this.submitted,
    };
  }
}

export interface SeriesQuestion {
  interval: MetricsInterval;
  basis: MetricsBasis;
  from: string;
  to: string;
  filter?: CaseFilter | null;
  groupBy?: readonly MetricsGrouping[] | null;
}

/** caseMetricsSeries: one statement grouped by (period, groups..., status). */
export async function computeSeries(db: Db, question: SeriesQuestion, scope: ReadonlySet<string> | null): Promise<MetricsPeriod[]> {
  const { interval, basis, from, to } = question;
  const groupBy = question.groupBy ?? [];
  const column = BASIS_COLUMN[basis];
  const params: unknown[] = [];
  const where = caseConditions(question.filter, scope, params);
  where.push(
    `${column} >= $${params.push(`${from}T00:00:00Z`)}::timestamptz`,
    `${column} < $${params.push(`${dayAfter(to)}T00:00:00Z`)}::timestamptz`,
  );
  const groupNames = groupBy.map((_, i) => `, g${i}`).join('');
  const groupPositions = ['1', ...groupBy.map((_, i) => String(i + 2)), String(groupBy.length + 2)].join(', ');
  // By submission, without an agent's scope or an agent grouping: from the rollup (migration 18), a
  // row per day, carrier, product type and status, instead of every case in the range.
  const rollupParams: unknown[] = [];
  const rollup =
    basis === 'SUBMITTED' && groupBy.every((grouping) => ROLLUP_GROUP_KEY[grouping])
      ? rollupSource(question.filter, scope, rollupParams, { from, to }, interval === 'WEEK')
      : null;
  const fromRollup = rollup !== null;
  const source = fromRollup
    ? `SELECT date_trunc('${TRUNC_UNIT[interval]}', day::timestamp) AS period${groupBy.map((grouping, i) => `, ${ROLLUP_GROUP_KEY[grouping]}::text AS g${i}`).join('')},
              status, sum(cases)::int AS cases, sum(reached_approval)::int AS approved, sum(reached_issue)::int AS issued,
              sum(premium_cents)::text AS "premiumCents"
         FROM ${rollup}
        GROUP BY ${groupPositions}`
    : // Grouped by the truncated timestamp and formatted after: grouping by to_char's text made the
      // planner expect a group per row and sort the whole range (3× slower at 100,000 cases).
      `SELECT date_trunc('${TRUNC_UNIT[interval]}', ${column} AT TIME ZONE 'UTC') AS period${groupBy.map((grouping, i) => `, ${GROUP_KEY[grouping]}::text AS g${i}`).join('')},
              status, count(*)::int AS cases,
              (count(*) FILTER (WHERE ${REACHED_APPROVAL_SQL}))::int AS approved,
              (count(*) FILTER (WHERE ${REACHED_ISSUE_SQL}))::int AS issued,
              coalesce(sum(annual_premium_cents), 0)::text AS "premiumCents"
         FROM cases."case" WHERE ${where.join(' AND ')}
        GROUP BY ${groupPositions}`;
  const rows = await db.query<Omit<StageRow, 'groups'> & Record<string, string | null>>(
    `SELECT to_char(period, 'YYYY-MM-DD') AS key${groupNames}, status, cases, approved, issued, "premiumCents" FROM (${source}) parts`,
    fromRollup ? rollupParams : params,
  );
  const tallies = new Map<string, Map<string, { group: string[]; tally: PeriodTally }>>();
  for (const row of rows) {
    const group = groupBy.map((_, i) => row[`g${i}`] as string | null);
    if (group.some((key) => key === null)) continue;
    let byGroup = tallies.get(row.key as string);
    if (!byGroup) tallies.set(row.key as string, (byGroup = new Map()));
    const groupKey = JSON.stringify(group);
    let entry = byGroup.get(groupKey);
    if (!entry) byGroup.set(groupKey, (entry = { group: group as string[], tally: new PeriodTally() }));
    entry.tally.addRow({ ...(row as unknown as StageRow), groups: group });
  }
  const periods: MetricsPeriod[] = [];
  for (const { start, end } of periodsBetween(interval, from, to)) {
    const byGroup = tallies.get(start);
    if (groupBy.length === 0) {
      periods.push((byGroup?.get('[]')?.tally ?? new PeriodTally()).period(start, end, []));
      continue;
    }
    if (!byGroup) continue;
    for (const [, { group, tally }] of [...byGroup].sort(([a], [b]) => a.localeCompare(b))) periods.push(tally.period(start, end, group));
  }
  return periods;
}

/** caseFunnel: one statement grouped by status. */
export async function computeFunnel(db: Db, filter: CaseFilter | null | undefined, scope: ReadonlySet<string> | null): Promise<CaseFunnel> {
  const params: unknown[] = [];
  const where = caseConditions(filter, scope, params);
  const rollupParams: unknown[] = [];
  const rollup = rollupSource(filter, scope, rollupParams);
  // Without an agent's scope or filter: from the rollup (migration 18), not every case.
  const rows = await db.query<{ status: CaseStatus; cases: number; approved: number; issued: number }>(
    rollup
      ? `SELECT status, sum(cases)::int AS cases, sum(reached_approval)::int AS approved, sum(reached_issue)::int AS issued
           FROM ${rollup} GROUP BY status`
      : `SELECT status, count(*)::int AS cases,
            (count(*) FILTER (WHERE ${REACHED_APPROVAL_SQL}))::int AS approved,
            (count(*) FILTER (WHERE ${REACHED_ISSUE_SQL}))::int AS issued
       FROM cases."case" ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      GROUP BY status`,
    rollup ? rollupParams : params,
  );
  const funnel: CaseFunnel = { submitted: 0, approved: 0, issued: 0, placed: 0, open: 0, exits: [] };
  for (const row of rows) {
    funnel.submitted += row.cases;
    funnel.approved += row.approved;
    funnel.issued += row.issued;
    if (row.status === 'PLACED') funnel.placed += row.cases;
    else if (isClosed(row.status)) funnel.exits.push({ status: row.status, count: row.cases });
    else funnel.open += row.cases;
  }
  funnel.exits.sort((a, b) => b.count - a.count || a.status.localeCompare(b.status));
  return funnel;
}

/** caseMetrics.cycleTimes: p50 and p90 of days from submission to each stage, over the cohort cases that reached it. */
export async function computeCycleTimes(
  db: Db,
  filter: CaseFilter | null | undefined,
  scope: ReadonlySet<string> | null,
): Promise<CycleTime[]> {
  const params: unknown[] = [];
  const where = caseConditions(filter, scope, params);
  const percentiles = (seconds: string) => `percentile_cont(ARRAY[0.5, 0.9]::float8[]) WITHIN GROUP (ORDER BY ${seconds})`;
  const row = await db.one<Record<string, number | (number | null)[] | null>>(
    `SELECT count(approved_at)::int AS "approvalCases", ${percentiles(`date_part('epoch', approved_at - submitted_at)`)} AS approval,
            count(issue_seconds)::int AS "issueCases", ${percentiles('issue_seconds')} AS issue,
            count(place_seconds)::int AS "placementCases", ${percentiles('place_seconds')} AS placement
       FROM cases."case" ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`,
    params,
  );
  const days = (value: number | null | undefined) => (value == null ? null : value / SECONDS_PER_DAY);
  return (['APPROVAL', 'ISSUE', 'PLACEMENT'] as const).map((stage) => {
    const name = stage.toLowerCase();
    const values = (row?.[name] as (number | null)[] | null) ?? [null, null];
    return { stage, cases: (row?.[`${name}Cases`] as number) ?? 0, p50Days: days(values[0]), p90Days: days(values[1]) };
  });
}

/** Placed cases and premium per writing agent over the cohort. */
export async function placedByWritingAgent(
  db: Db,
  filter: CaseFilter | null | undefined,
  scope: ReadonlySet<string> | null,
): Promise<Map<string, { placed: number; cents: bigint }>> {
  const params: unknown[] = [];
  const where = caseConditions(filter, scope, params);
  where.push(`status = 'PLACED'`);
  const rows = await db.query<{ agentId: string; placed: number; cents: string }>(
    `SELECT agent_id AS "agentId", count(*)::int AS placed, coalesce(sum(annual_premium_cents), 0)::text AS cents
       FROM cases."case" WHERE ${where.join(' AND ')} GROUP BY agent_id`,
    params,
  );
  return new Map(rows.map((row) => [row.agentId, { placed: row.placed, cents: BigInt(row.cents) }]));
}

/**
 * The ranking: every writing agent's own production plus that of the writing agents in their
 * downline (their scope, as the agents subgraph answers it), top `first` by rolled-up premium.
 */
export async function rankAgents(
  own: ReadonlyMap<string, { placed: number; cents: bigint }>,
  scopeOf: (agentId: string) => Promise<readonly string[]>,
  first: number,
  concurrency = 8,
): Promise<AgentProduction[]> {
  const ids = [...own.keys()];
  const rolled = new Map<string, { placed: number; cents: bigint }>();
  let next = 0;
  const work = async () => {
    while (next < ids.length) {
      const id = ids[next++];
      const total = { placed: 0, cents: 0n };
      for (const member of new Set([id, ...(await scopeOf(id))])) {
        const part = own.get(member);
        if (part) {
          total.placed += part.placed;
          total.cents += part.cents;
        }
      }
      rolled.set(id, total);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, work));
  return [...rolled]
    .sort(([idA, a], [idB, b]) => (a.cents === b.cents ? idA.localeCompare(idB) : a.cents > b.cents ? -1 : 1))
    .slice(0, first)
    .map(([agentId, total], i) => ({
      rank: i + 1,
      agentId,
      agent: { id: agentId },
      placedPremium: formatMoney(total.cents),
      placed: total.placed,
      ownPlacedPremium: formatMoney(own.get(agentId)!.cents),
      ownPlaced: own.get(agentId)!.placed,
    }));
}
