/**
 * The case rollups (migration 18, cases.case_rollup by day and cases.case_rollup_month): kept in the write's transaction by statement
 * triggers on cases."case", it always equals the cases aggregated afresh — after the seed, inserts,
 * updates that move a case between keys, updates that change nothing it counts, multi-row updates,
 * deletes, and a rolled-back write. And the whole-book answers read from it (caseMetrics by each
 * grouping but AGENT, caseMetricsSeries by submission, caseFunnel) equal the same answers read from
 * the cases (the same cohort named by its agents, which the rollup cannot answer).
 */
import type pg from 'pg';
import { Db } from '../../subgraphs/shared/db';
import { computeCaseMetrics } from '../../subgraphs/cases/case-metrics.repository';
import { computeFunnel, computeSeries } from '../../subgraphs/cases/case-metrics-v2.repository';
import type { MetricsGrouping } from '../../subgraphs/cases/case-metrics.type';
import { testPool } from '../support/test-pool';

let pool: pg.Pool;
let db: Db;
const RUN = Date.now().toString(36);

/** A rollup as it is (by day or by month), and the cases aggregated afresh the same way, in one comparable shape. */
const rollupSql = (
  table: string,
) => `SELECT day::text, carrier_id, product_type, status, cases, approved, issued, issue_seconds::text, placed_count,
    place_seconds::text, premium_cents::text, reached_approval, reached_issue
  FROM ${table} WHERE cases <> 0 ORDER BY 1, 2, 3, 4`;
const ROLLUP_SQL = rollupSql('cases.case_rollup');
const freshSql = (day: string) => `SELECT ${day}::text AS day, carrier_id, product_type, status, count(*)::int AS cases,
    count(approved_at)::int AS approved, count(issue_seconds)::int AS issued, coalesce(sum(issue_seconds::numeric), 0)::text AS issue_seconds,
    count(place_seconds)::int AS placed_count, coalesce(sum(place_seconds::numeric), 0)::text AS place_seconds,
    sum(annual_premium_cents)::text AS premium_cents,
    (count(*) FILTER (WHERE coalesce(approved_at, issued_at, placed_at) IS NOT NULL))::int AS reached_approval,
    (count(*) FILTER (WHERE coalesce(issued_at, placed_at) IS NOT NULL))::int AS reached_issue
  FROM cases."case" GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`;
const expectRollupExact = async () => {
  const DAY = `(submitted_at AT TIME ZONE 'UTC')::date`;
  const [days, freshDays, months, freshMonths] = await Promise.all([
    pool.query(ROLLUP_SQL),
    pool.query(freshSql(DAY)),
    pool.query(rollupSql('cases.case_rollup_month')),
    pool.query(freshSql(`date_trunc('month', ${DAY})::date`)),
  ]);
  // numeric sums print with trailing zeros in one and not the other: compare them as numbers
  const norm = (rows: Record<string, unknown>[]) =>
    rows.map((r) => ({ ...r, issue_seconds: Number(r.issue_seconds), place_seconds: Number(r.place_seconds) }));
  expect(norm(days.rows)).toEqual(norm(freshDays.rows));
  expect(norm(months.rows)).toEqual(norm(freshMonths.rows));
  expect(days.rows.length).toBeGreaterThan(months.rows.length);
  expect(months.rows.length).toBeGreaterThan(0);
};

/** Figures compared to 10 significant digits (sums of seconds are numeric on one side, float8 on the other); asOf and the requirement aging (ages against now(), not from the rollup) dropped. */
function comparable(value: unknown): unknown {
  if (typeof value === 'number') return Number(value.toPrecision(10));
  if (Array.isArray(value)) return value.map(comparable);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== 'asOf' && key !== 'requirementsAging')
        .map(([key, v]) => [key, comparable(v)]),
    );
  return value;
}

async function insertCase(id: string, status: string, submitted: string, fields: Record<string, unknown> = {}) {
  const row: Record<string, unknown> = {
    id,
    case_number: `BGA-R${RUN}${id.slice(-3)}`,
    agent_id: 'agt_0002',
    carrier_id: 'car_summit',
    product_id: 'prd_summit_term',
    product_type: 'TERM',
    insured_first_name: 'Test',
    insured_last_name: 'Insured',
    insured_birth_date: '1980-01-01',
    insured_gender: 'MALE',
    insured_state: 'TX',
    insured_tobacco: false,
    face_amount: 500000,
    term_years: 20,
    applied_health_class: 'PREFERRED',
    payment_mode: 'ANNUAL',
    annual_premium_cents: 123456,
    modal_premium_cents: 123456,
    status,
    submitted_at: submitted,
    created_by: 'user:test',
    ...fields,
  };
  const columns = Object.keys(row);
  await pool.query(
    `INSERT INTO cases."case" (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
    Object.values(row),
  );
}

beforeAll(async () => {
  pool = testPool();
  db = new Db(pool);
});

afterAll(async () => {
  await pool.end();
});

describe('the case rollup', () => {
  it('equals the seeded cases aggregated afresh', async () => {
    await expectRollupExact();
  });

  it('follows inserts, updates between keys, no-op and multi-row updates, deletes, and ignores a rolled-back write', async () => {
    const a = `case_r${RUN}a01`;
    const b = `case_r${RUN}b02`;
    await insertCase(a, 'SUBMITTED', '2026-03-04T10:00:00.000Z');
    await insertCase(b, 'IN_UNDERWRITING', '2026-03-04T23:59:59.999Z', { carrier_id: 'car_harborlight', product_type: 'WHOLE_LIFE' });
    await expectRollupExact();
    // Moves a between statuses, fills its stage dates (the generated seconds come with them).
    await pool.query(
      `UPDATE cases."case" SET status = 'PLACED', approved_at = '2026-03-20T00:00:00Z', issued_at = '2026-03-25T00:00:00Z',
         placed_at = '2026-04-01T00:00:00Z', closed_at = '2026-04-01T00:00:00Z' WHERE id = $1`,
      [a],
    );
    await expectRollupExact();
    // Changes nothing the rollup counts.
    await pool.query(`UPDATE cases."case" SET insured_last_name = 'Other' WHERE id = ANY($1)`, [[a, b]]);
    await expectRollupExact();
    // Moves the submission day and the premium of both, and a thousand seeded cases at once.
    await pool.query(
      `UPDATE cases."case" SET submitted_at = submitted_at - interval '1 day', annual_premium_cents = annual_premium_cents + 1 WHERE id = ANY($1)`,
      [[a, b]],
    );
    await pool.query(
      `UPDATE cases."case" SET annual_premium_cents = annual_premium_cents + 7 WHERE id IN (SELECT id FROM cases."case" ORDER BY id LIMIT 1000)`,
    );
    await expectRollupExact();
    const before = (await pool.query(ROLLUP_SQL)).rows;
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`UPDATE cases."case" SET status = 'DECLINED' WHERE id = $1`, [b]);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    expect((await pool.query(ROLLUP_SQL)).rows).toEqual(before);
    await pool.query(`DELETE FROM cases."case" WHERE id = ANY($1)`, [[a, b]]);
    await expectRollupExact();
  });

  it('answers the whole book as the cases do: caseMetrics by every grouping it has, the series by submission, the funnel', async () => {
    const agentIds = (await pool.query<{ id: string }>(`SELECT DISTINCT agent_id AS id FROM cases."case"`)).rows.map((r) => r.id);
    // The same cohort: every case, named by its agents (which only the cases can answer), or not at all (the rollup).
    const byAgents = { agentIds };
    for (const groupBy of [null, 'CARRIER', 'MONTH', 'PRODUCT_TYPE'] as (MetricsGrouping | null)[]) {
      const [fromRollup, fromCases] = await Promise.all([
        computeCaseMetrics(db, null, null, groupBy),
        computeCaseMetrics(db, byAgents, null, groupBy),
      ]);
      expect(comparable(fromRollup)).toEqual(comparable(fromCases));
      expect(fromRollup.totals.submitted).toBeGreaterThan(0);
    }
    // Whole months from the month rollup, the days at the edges from the day rollup: every shape of range.
    const to = new Date().toISOString().slice(0, 10);
    const back = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
    const ranges = [
      { submittedFrom: '2025-06-01' },
      { submittedFrom: back(400) },
      { submittedTo: back(200) },
      { submittedFrom: back(500), submittedTo: back(100) },
      { submittedFrom: `${back(300).slice(0, 7)}-01`, submittedTo: back(60) },
      { submittedFrom: back(45), submittedTo: back(40) },
      { submittedFrom: `${back(100).slice(0, 7)}-03`, submittedTo: `${back(100).slice(0, 7)}-27` },
      { submittedFrom: '2024-01-31', submittedTo: '2024-03-01' },
    ];
    for (const range of ranges) {
      const filter = { statuses: ['PLACED', 'ISSUED', 'DECLINED', 'SUBMITTED'], carrierIds: ['car_summit', 'car_harborlight'], ...range };
      const [filteredRollup, filteredCases] = await Promise.all([
        computeCaseMetrics(db, filter as never, null, 'MONTH'),
        computeCaseMetrics(db, { ...filter, agentIds } as never, null, 'MONTH'),
      ]);
      expect(comparable(filteredRollup)).toEqual(comparable(filteredCases));
      const [open, openCases] = await Promise.all([
        computeCaseMetrics(db, { ...range, open: true }, null, 'CARRIER'),
        computeCaseMetrics(db, { ...range, open: true, agentIds }, null, 'CARRIER'),
      ]);
      expect(comparable(open)).toEqual(comparable(openCases));
    }
    const seriesRanges = [
      { from: `${Number(to.slice(0, 4)) - 2}${to.slice(4, 8)}01`, to },
      { from: back(400), to: back(35) },
      { from: back(50), to: back(45) },
    ];
    for (const groupBy of [[], ['CARRIER', 'PRODUCT_TYPE'], ['MONTH']] as MetricsGrouping[][]) {
      for (const [interval, { from, to }] of (['WEEK', 'MONTH', 'QUARTER'] as const).flatMap((i) =>
        seriesRanges.map((r) => [i, r] as const),
      )) {
        const question = { interval, basis: 'SUBMITTED' as const, from, to, groupBy };
        const [fromRollup, fromCases] = await Promise.all([
          computeSeries(db, question, null),
          computeSeries(db, { ...question, filter: byAgents }, null),
        ]);
        expect(fromRollup).toEqual(fromCases);
      }
    }
    expect(await computeFunnel(db, { open: false }, null)).toEqual(await computeFunnel(db, { open: false, agentIds }, null));
    expect(await computeFunnel(db, null, null)).toEqual(await computeFunnel(db, byAgents, null));
  });
});
