/**
 * bench:cases, the requirements desk: requirementsWorklist over the book of 100,000 cases with
 * ~700,000 requirements. The seeded book's requirements are mostly received (its cases span two
 * years); this adds, in a few bulk statements (generate_series), what a live desk has on top: the
 * open cases' outstanding orders at the vendors in their stages, overdue and escalated as the
 * follow-up job leaves them, case managers on the open cases, and received requirements up to
 * ~700,000 in all. Then it times the worklist's first page (unfiltered, and under the filters a
 * case manager uses) and a page deep in the list by its cursor.
 */
import type pg from 'pg';
import { CLOSED_STATUSES_SQL } from '../subgraphs/cases/cases.migrations';
import { ms, type Timing, timeSequential } from './bench-support';

export const WORKLIST_TARGET_REQUIREMENTS = 700_000;
const CASE_MANAGERS = 5;

/** Adds the desk once (rows prefixed req_desk_); returns the number of requirements and of outstanding ones. */
export async function seedRequirementsDesk(pool: pg.Pool): Promise<{ requirements: number; outstanding: number; seconds: number }> {
  const started = Date.now();
  const done = (await pool.query(`SELECT 1 FROM cases.requirement WHERE id LIKE 'req_desk_%' LIMIT 1`)).rowCount;
  if (!done) {
    await pool.query(
      `UPDATE cases."case" SET case_manager_id = 'usr_staff_0' || (1 + abs(hashtext(id)) % ${CASE_MANAGERS})
        WHERE status NOT IN ${CLOSED_STATUSES_SQL} AND case_manager_id IS NULL`,
    );
    // Four outstanding orders per open case, of every kind, 0-44 days old, with the columns the
    // follow-up job would have written at that age (escalation at 21 and 30 days, overdue from the
    // first follow-up: exams 3 days, APS 14, others 7).
    await pool.query(`
      INSERT INTO cases.requirement (id, case_id, code, status, ordered_at, follow_up_on, vendor, vendor_order_id, vendor_stage, vendor_stage_at,
                                     follow_ups, escalation, overdue_since)
      SELECT 'req_desk_' || substr(c.id, 6) || '_' || g, c.id, k.code, 'ORDERED', o.at, o.at::date + f.days,
             k.vendor, CASE WHEN k.vendor IS NULL THEN NULL ELSE 'DESK-' || substr(c.id, 6) || '-' || g END,
             k.stage, CASE WHEN k.vendor IS NULL THEN NULL ELSE o.at + interval '1 day' END,
             0, CASE WHEN o.age >= 30 THEN 'AGENT' WHEN o.age >= 21 THEN 'CASE_MANAGER' ELSE 'NONE' END,
             CASE WHEN o.age >= f.first THEN o.at::date + f.first END
        FROM cases."case" c
        CROSS JOIN generate_series(1, 4) g
        CROSS JOIN LATERAL (SELECT abs(hashtext(c.id || g)) AS h) x
        CROSS JOIN LATERAL (SELECT (x.h % 45) AS age, date_trunc('milliseconds', now() - make_interval(days => x.h % 45, secs => x.h % 86400)) AS at) o
        CROSS JOIN LATERAL (SELECT * FROM (VALUES
            (0, 'APS', 'CHARTWELL', (ARRAY['ORDERED', 'AUTHORIZATION_SENT', 'REQUESTED_FROM_PROVIDER', 'PROVIDER_FEE_PAID', 'RECEIVED_BY_VENDOR'])[1 + x.h % 5]),
            (1, 'PARAMED_EXAM', 'PULSE', (ARRAY['ORDERED', 'SCHEDULED', 'COMPLETED', 'NO_SHOW'])[1 + x.h % 4]),
            (2, 'BLOOD_URINE', 'PULSE', (ARRAY['QUEUED', 'ORDERED', 'SCHEDULED'])[1 + x.h % 3]),
            (3, (ARRAY['MIB', 'RX_CHECK', 'PHONE_INTERVIEW', 'INSPECTION_REPORT'])[1 + x.h % 4], NULL, NULL)) AS v (n, code, vendor, stage)
          WHERE v.n = (g - 1) % 4) k
        CROSS JOIN LATERAL (SELECT CASE WHEN k.code = 'APS' THEN 14 WHEN k.vendor = 'PULSE' THEN 3 ELSE 7 END AS first) f0
        CROSS JOIN LATERAL (SELECT f0.first, CASE WHEN o.age >= f0.first THEN o.age + 1 + x.h % 6 ELSE f0.first END AS days) f
       WHERE c.status NOT IN ${CLOSED_STATUSES_SQL}`);
    // Received requirements on the whole book up to the target, with vendors' turnarounds.
    const [{ n }] = (await pool.query(`SELECT count(*)::int AS n FROM cases.requirement`)).rows;
    const missing = WORKLIST_TARGET_REQUIREMENTS - n;
    if (missing > 0) {
      await pool.query(
        `INSERT INTO cases.requirement (id, case_id, code, status, ordered_at, received_at, follow_up_on, vendor, vendor_stage, vendor_stage_at)
         SELECT 'req_desk_r' || g, c.id, v.code, 'RECEIVED', c.submitted_at + interval '2 days',
                c.submitted_at + interval '2 days' + make_interval(days => v.days + g % 9), (c.submitted_at + interval '9 days')::date,
                v.vendor, v.stage, c.submitted_at + interval '2 days' + make_interval(days => v.days + g % 9)
           FROM generate_series(1, $1::int) g
           JOIN (SELECT id, submitted_at, row_number() OVER (ORDER BY id) - 1 AS n, count(*) OVER () AS total FROM cases."case") c
             ON c.n = g % c.total
           CROSS JOIN LATERAL (SELECT * FROM (VALUES (0, 'APS', 'CHARTWELL', 'SENT_TO_CARRIER', 18), (1, 'PARAMED_EXAM', 'PULSE', 'RESULTS_SENT_TO_CARRIER', 6),
                                                      (2, 'EKG', 'PULSE', 'RESULTS_SENT_TO_CARRIER', 5)) AS k (n, code, vendor, stage, days)
                                WHERE k.n = g % 3) v`,
        [missing],
      );
    }
    await pool.query('VACUUM ANALYZE cases.requirement');
    await pool.query('ANALYZE cases."case"');
  }
  const [counts] = (
    await pool.query(
      `SELECT count(*)::int AS requirements, (count(*) FILTER (WHERE status = 'ORDERED'))::int AS outstanding FROM cases.requirement`,
    )
  ).rows;
  return { ...counts, seconds: Math.round((Date.now() - started) / 1000) };
}

type Ask = (query: string, variables?: Record<string, unknown>) => Promise<any>;

const PAGE = `query($f: RequirementWorklistFilter, $after: String) { requirementsWorklist(first: 50, filter: $f, after: $after) {
  edges { cursor node { id code overdue escalation nextFollowUpOn nextFollowUpAction } } pageInfo { hasNextPage endCursor } } }`;

export interface WorklistTimings {
  firstPage: Timing;
  overdueAps: Timing;
  caseManager: Timing;
  deepPage: Timing;
  deepPageNumber: number;
  /** cases(first: 50) page 1 in the same run, for scale on a noisy machine. */
  casesPage: Timing;
}

const CASES_PAGE = '{ cases(first: 50) { edges { cursor node { id caseNumber status submittedAt } } pageInfo { endCursor } } }';

export async function benchWorklist(ask: Ask, iterations: number): Promise<WorklistTimings> {
  const casesPage = await timeSequential(iterations, () => ask(CASES_PAGE), 5);
  const firstPage = await timeSequential(iterations, () => ask(PAGE, {}), 5);
  const overdueAps = await timeSequential(iterations, () => ask(PAGE, { f: { overdue: true, code: 'APS', vendor: 'CHARTWELL' } }), 5);
  const caseManager = await timeSequential(iterations, () => ask(PAGE, { f: { caseManager: 'usr_staff_03' } }), 5);
  // A page deep in the list (page 100, or the last there is), walked once by its cursors, then timed.
  let after: string | null = null;
  let deepPageNumber = 1;
  for (; deepPageNumber < 100; deepPageNumber++) {
    const page: { pageInfo: { hasNextPage: boolean; endCursor: string | null } } = (await ask(PAGE, { after })).requirementsWorklist;
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  const deepPage = await timeSequential(iterations, () => ask(PAGE, { after }), 5);
  return { firstPage, overdueAps, caseManager, deepPage, deepPageNumber, casesPage };
}

export function worklistRows(t: WorklistTimings): string[][] {
  return [
    ['requirementsWorklist(first: 50), page 1, no totalCount', ms(t.firstPage.p50), ms(t.firstPage.p99), '≤ 20 ms'],
    ['requirementsWorklist(first: 50), overdue APSs at CHARTWELL', ms(t.overdueAps.p50), ms(t.overdueAps.p99), ''],
    ["requirementsWorklist(first: 50), one case manager's", ms(t.caseManager.p50), ms(t.caseManager.p99), ''],
    [`requirementsWorklist(first: 50), page ${t.deepPageNumber} (keyset cursor)`, ms(t.deepPage.p50), ms(t.deepPage.p99), ''],
    ['for scale, the same run: cases(first: 50), page 1', ms(t.casesPage.p50), ms(t.casesPage.p99), ''],
  ];
}
