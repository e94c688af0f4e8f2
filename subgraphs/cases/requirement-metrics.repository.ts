/**
 * requirementMetrics as SQL: four statements sent at once, each one pass over the requirements that
 * match the filter, joined to their cases for the caller's scope and the case manager:
 *  - turnaround per (code, vendor) over the received ones: percentile_cont of the seconds from
 *    ordered to received, in days;
 *  - outstanding requirements of open cases by (vendor, stage);
 *  - overdue outstanding requirements of open cases (overdue_since set, or escalated: as
 *    Requirement.overdue reads it);
 *  - per case manager: their open cases, and those cases' overdue requirements.
 */
import { badInput } from '../../platform/errors';
import type { Db } from '../shared/db';
import type { RequirementCode } from '../shared/enums';
import { CLOSED_STATUSES_SQL } from './cases.migrations';
import { addDays } from './domain/follow-up';
import type { VendorCode, VendorStage } from './domain/requirement-vendors';
import type { RequirementMetrics, RequirementMetricsFilter } from './requirement-metrics.type';

const SECONDS_PER_DAY = 86_400;
const OVERDUE = `(r.overdue_since IS NOT NULL OR r.escalation <> 'NONE')`;

/** WHERE conditions on requirements (alias r) and on their cases (alias c), pushing parameters onto `params`. */
function conditions(
  filter: RequirementMetricsFilter | null | undefined,
  scope: ReadonlySet<string> | null,
  caseManager: string | null,
  params: unknown[],
): { requirement: string; kase: string } {
  const requirement: string[] = [];
  const kase: string[] = [];
  if (filter?.orderedFrom && filter.orderedTo && filter.orderedFrom > filter.orderedTo) {
    throw badInput('filter.orderedFrom must be on or before filter.orderedTo');
  }
  if (filter?.orderedFrom) requirement.push(`r.ordered_at >= $${params.push(`${filter.orderedFrom}T00:00:00Z`)}::timestamptz`);
  if (filter?.orderedTo) requirement.push(`r.ordered_at < $${params.push(`${addDays(filter.orderedTo, 1)}T00:00:00Z`)}::timestamptz`);
  if (filter?.codes) requirement.push(`r.code = ANY($${params.push(filter.codes)})`);
  if (filter?.vendors) requirement.push(`r.vendor = ANY($${params.push(filter.vendors)})`);
  if (scope) kase.push(`c.agent_id = ANY($${params.push([...scope])})`);
  if (caseManager) kase.push(`c.case_manager_id = $${params.push(caseManager)}`);
  const and = (list: string[]) => list.map((condition) => ` AND ${condition}`).join('');
  return { requirement: and(requirement), kase: and(kase) };
}

export async function computeRequirementMetrics(
  db: Db,
  filter: RequirementMetricsFilter | null | undefined,
  scope: ReadonlySet<string> | null,
  caseManager: string | null,
): Promise<RequirementMetrics> {
  const statement = () => {
    const params: unknown[] = [];
    return { params, ...conditions(filter, scope, caseManager, params) };
  };
  const [t, s, o, w] = [statement(), statement(), statement(), statement()];
  const [turnaround, stages, overdue, workload] = await Promise.all([
    db.query<{ code: RequirementCode; vendor: VendorCode | null; received: number; p50Days: number; p90Days: number }>(
      `SELECT r.code, r.vendor, count(*)::int AS received,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY date_part('epoch', r.received_at - r.ordered_at)) / ${SECONDS_PER_DAY} AS "p50Days",
              percentile_cont(0.9) WITHIN GROUP (ORDER BY date_part('epoch', r.received_at - r.ordered_at)) / ${SECONDS_PER_DAY} AS "p90Days"
         FROM cases.requirement r JOIN cases."case" c ON c.id = r.case_id
        WHERE r.status = 'RECEIVED' AND r.received_at IS NOT NULL${t.requirement}${t.kase}
        GROUP BY r.code, r.vendor ORDER BY r.code, r.vendor NULLS FIRST`,
      t.params,
    ),
    db.query<{ vendor: VendorCode; stage: VendorStage; count: number }>(
      `SELECT r.vendor, COALESCE(r.vendor_stage, 'QUEUED') AS stage, count(*)::int AS count
         FROM cases.requirement r JOIN cases."case" c ON c.id = r.case_id
        WHERE r.status = 'ORDERED' AND r.vendor IS NOT NULL AND c.status NOT IN ${CLOSED_STATUSES_SQL}${s.requirement}${s.kase}
        GROUP BY 1, 2 ORDER BY 1, 2`,
      s.params,
    ),
    db.one<{ n: number }>(
      `SELECT count(*)::int AS n
         FROM cases.requirement r JOIN cases."case" c ON c.id = r.case_id
        WHERE r.status = 'ORDERED' AND ${OVERDUE} AND c.status NOT IN ${CLOSED_STATUSES_SQL}${o.requirement}${o.kase}`,
      o.params,
    ),
    db.query<{ caseManagerId: string; openCases: number; overdueRequirements: number }>(
      `SELECT c.case_manager_id AS "caseManagerId", count(*)::int AS "openCases", COALESCE(sum(late.n), 0)::int AS "overdueRequirements"
         FROM cases."case" c
         CROSS JOIN LATERAL (SELECT count(*) AS n FROM cases.requirement r
                              WHERE r.case_id = c.id AND r.status = 'ORDERED' AND ${OVERDUE}${w.requirement}) late
        WHERE c.case_manager_id IS NOT NULL AND c.status NOT IN ${CLOSED_STATUSES_SQL}${w.kase}
        GROUP BY 1 ORDER BY 3 DESC, 2 DESC, 1`,
      w.params,
    ),
  ]);
  return { turnaround, outstandingByStage: stages, overdue: overdue!.n, caseManagerWorkload: workload, asOf: new Date().toISOString() };
}
