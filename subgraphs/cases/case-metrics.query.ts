/**
 * caseMetrics as SQL: DOMAIN.md's definitions, over one cohort (the cases submitted in the filter's
 * date range that match it, as they stand now).
 *
 * Three statements, sent at once on separate connections:
 *  - one pass over the cohort grouped by (group key, status) with only additive aggregates (counts,
 *    sums of seconds and cents), so PostgreSQL hashes it in one pass; every figure of the totals,
 *    the statuses and the groups is then a sum of those few hundred rows. (GROUPING SETS with the
 *    ratios written as FILTER aggregates evaluated ~40 aggregates per case per set: 3× slower.)
 *  - the medians, which are not additive: percentile_cont over the issued cases only, per group and
 *    overall (from an index, in order, for the whole book and per carrier: migration 2);
 *  - the requirement aging.
 * Money stays integer cents (BigInt) until formatted; days are seconds / 86400 at the end.
 */
import type { Db } from '../shared/db';
import { CLOSED_STATUSES_SQL } from './cases.migrations';
import { caseConditions } from './case.query';
import { isClosed } from './case-status';
import type { CaseFilter } from './case.type';
import type { CaseMetrics, CaseMetricsFigures, MetricsGrouping } from './case-metrics.type';
import { centsToMoney } from '../../platform/scalars';
import type { CaseStatus, RequirementCode } from '../shared/enums';

const GROUP_KEY: Record<MetricsGrouping, string> = {
  CARRIER: 'carrier_id',
  AGENT: 'agent_id',
  MONTH: `to_char(submitted_at AT TIME ZONE 'UTC', 'YYYY-MM')`,
  PRODUCT_TYPE: 'product_type',
};

const SECONDS_PER_DAY = 86_400;

/** One row per (group key, status): everything additive DOMAIN.md's figures are made of. */
interface PartRow {
  key: string | null;
  status: CaseStatus;
  cases: number;
  approved: number;
  issued: number;
  issueSeconds: number | null;
  placedCount: number;
  placeSeconds: number | null;
  premiumCents: string;
}

/** The sums of PartRows of one group (or of the whole cohort). */
class Tally {
  submitted = 0;
  open = 0;
  closed = 0;
  placed = 0;
  declined = 0;
  postponed = 0;
  notTaken = 0;
  approved = 0;
  issued = 0;
  issueSeconds = 0;
  placedCount = 0;
  placeSeconds = 0;
  premiumCents = 0n;
  placedPremiumCents = 0n;

  add(row: PartRow): void {
    this.submitted += row.cases;
    if (isClosed(row.status)) this.closed += row.cases;
    else this.open += row.cases;
    if (row.status === 'PLACED') this.placed += row.cases;
    if (row.status === 'DECLINED') this.declined += row.cases;
    if (row.status === 'POSTPONED') this.postponed += row.cases;
    if (row.status === 'NOT_TAKEN') this.notTaken += row.cases;
    this.approved += row.approved;
    this.issued += row.issued;
    this.issueSeconds += row.issueSeconds ?? 0;
    this.placedCount += row.placedCount;
    this.placeSeconds += row.placeSeconds ?? 0;
    // Sums arrive as text: totals can pass 2^53 cents on a large book, so they go through BigInt.
    const cents = BigInt(row.premiumCents);
    this.premiumCents += cents;
    if (row.status === 'PLACED') this.placedPremiumCents += cents;
  }

  figures(medianSeconds: number | null | undefined): CaseMetricsFigures {
    const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);
    return {
      submitted: this.submitted,
      open: this.open,
      placed: this.placed,
      declined: this.declined,
      notTaken: this.notTaken,
      placementRatio: ratio(this.placed, this.closed),
      notTakenRate: ratio(this.notTaken, this.placed + this.notTaken),
      declineRate: ratio(this.declined, this.declined + this.postponed + this.approved),
      averageDaysToIssue: this.issued === 0 ? null : this.issueSeconds / this.issued / SECONDS_PER_DAY,
      medianDaysToIssue: medianSeconds == null ? null : medianSeconds / SECONDS_PER_DAY,
      averageDaysToPlace: this.placedCount === 0 ? null : this.placeSeconds / this.placedCount / SECONDS_PER_DAY,
      submittedPremium: centsToMoney(this.premiumCents),
      placedPremium: centsToMoney(this.placedPremiumCents),
    };
  }
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
function label(grouping: MetricsGrouping, key: string): string {
  if (grouping === 'MONTH') return `${MONTHS[Number(key.slice(5, 7)) - 1]} ${key.slice(0, 4)}`;
  if (grouping === 'PRODUCT_TYPE')
    return key
      .toLowerCase()
      .split('_')
      .map((w) => w[0].toUpperCase() + w.slice(1))
      .join(' ');
  return key;
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
  const aging = cohort('c.');
  const [partRows, medianRows, agingRows] = await Promise.all([
    db.query<PartRow>(
      `SELECT ${groupKey} AS key, status, count(*)::int AS cases, count(approved_at)::int AS approved,
              count(issue_seconds)::int AS issued, sum(issue_seconds) AS "issueSeconds",
              count(place_seconds)::int AS "placedCount", sum(place_seconds) AS "placeSeconds",
              coalesce(sum(annual_premium_cents), 0)::text AS "premiumCents"
         FROM cases."case" WHERE TRUE${parts.and}
        GROUP BY 1, 2`,
      parts.params,
    ),
    db.query<{ overall: boolean; key: string | null; median: number }>(
      `SELECT ${groupBy ? `grouping(${groupKey}) = 1` : 'TRUE'} AS overall, ${groupKey} AS key,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY issue_seconds) AS median
         FROM cases."case" WHERE issue_seconds IS NOT NULL${medians.and}
        GROUP BY ${groupBy ? `GROUPING SETS ((), (${groupKey}))` : '()'}`,
      medians.params,
    ),
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
  const groupMedians = new Map(medianRows.filter((row) => !row.overall && row.key !== null).map((row) => [row.key!, row.median]));
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
            label: label(groupBy, key),
            carrier: groupBy === 'CARRIER' ? { id: key } : null,
            agent: groupBy === 'AGENT' ? { id: key } : null,
            figures: group.figures(groupMedians.get(key)),
          }))
      : [],
    requirementsAging: agingRows,
    asOf: new Date().toISOString(),
  };
}
