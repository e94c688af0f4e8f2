/**
 * `BENCH_ONLY=scale npm run bench:cases`: the dashboard's metrics at two book sizes side by side in one
 * run (BENCH_SCALE, "100000,1000000" unless set), each in a database of its own on the same server
 * (bga_bench_cases for 100,000 cases, bga_bench_cases_<size> for another size; seeded once, by
 * seedDatabase's streamed batches, as `npm run seed -- --cases <size> --agents 1000 --seed 99` does).
 * Per size: caseMetrics with no grouping and with each grouping, and caseMetricsSeries over 24 months,
 * cold (a new metrics generation before each call: what the first reader after a write waits) and
 * cached; and fresh after a write: a case's premium changed in SQL and the generation bumped, as the
 * write path does, then the time until caseMetrics answers with the new total.
 */
import 'reflect-metadata';
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import { readCommonConfig } from '../platform/config';
import { seedDatabase } from '../scripts/seed/seed';
import { casesSubgraph } from '../subgraphs/cases/cases.subgraph';
import { METRICS_GENERATION_KEY } from '../subgraphs/cases/case-metrics.cache';
import { startSubgraph } from '../subgraphs/shared/subgraph-server';
import { machineLine, ms, ratio, table, type Timing, timeSequential, writeResultsSection } from './bench-support';

type Ask = (query: string, variables?: Record<string, unknown>) => Promise<any>;

const METRICS = `query($g: MetricsGrouping) { caseMetrics(groupBy: $g) {
  totals { submitted placed placementRatio medianDaysToIssue submittedPremium }
  groups { key figures { submitted placed placementRatio medianDaysToIssue placedPremium } }
  requirementsAging { code outstanding } } }`;
const SERIES = `query($from: Date!, $to: Date!) { caseMetricsSeries(interval: MONTH, basis: SUBMITTED, from: $from, to: $to) {
  periods { start submitted approved issued placed declined notTaken submittedPremium placedPremium placementRatio } } }`;

interface SizeResult {
  cases: number;
  seedSeconds: number | null;
  rows: Map<string, { cold: Timing; cached: Timing }>;
  fresh: Timing;
}

export function scaleDatabase(size: number): string {
  return size === 100_000 ? 'bga_bench_cases' : `bga_bench_cases_${size}`;
}

async function databaseFor(adminUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  if (!(await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount) await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function measureSize(adminUrl: string, size: number, iterations: number, ask: (url: string) => Ask): Promise<SizeResult> {
  const url = await databaseFor(adminUrl, scaleDatabase(size));
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const started = Date.now();
  const seeded = await seedDatabase(pool, { cases: size, agents: 1_000, seed: 99, log: console.log });
  const seedSeconds = seeded.seeded ? Math.round((Date.now() - started) / 1000) : null;
  const [{ n: cases }] = (await pool.query('SELECT count(*)::int AS n FROM cases."case"')).rows;
  await pool.query('VACUUM ANALYZE');
  const common = readCommonConfig({ ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent', DEBUG_STATS: 'false' });
  const subgraph = await startSubgraph(casesSubgraph, common, 0, '127.0.0.1', {
    env: { ...process.env, OUTBOX_POLL_MS: '0', SYNC_INTERVAL_MS: '0', FOLLOW_UP_INTERVAL_MS: '0' },
  });
  const call = ask(subgraph.url);
  const to = new Date().toISOString().slice(0, 10);
  const from = `${Number(to.slice(0, 4)) - 2}${to.slice(4, 8)}01`;
  const measures: Array<[string, () => Promise<unknown>]> = [
    ['caseMetrics (no grouping)', () => call(METRICS, { g: null })],
    ...(['CARRIER', 'AGENT', 'MONTH', 'PRODUCT_TYPE'] as const).map(
      (g) => [`caseMetrics(groupBy: ${g})`, () => call(METRICS, { g })] as [string, () => Promise<unknown>],
    ),
    ['caseMetricsSeries(MONTH, SUBMITTED, 24 months)', () => call(SERIES, { from, to })],
  ];
  const rows = new Map<string, { cold: Timing; cached: Timing }>();
  for (const [name, run] of measures) {
    const cold = await timeSequential(
      iterations,
      async () => {
        await subgraph.cache.incr(METRICS_GENERATION_KEY);
        await run();
      },
      1,
    );
    const cached = await timeSequential(iterations * 4, run, 5);
    rows.set(name, { cold, cached });
    console.log(`${size}: ${name}: cold p50 ${ms(cold.p50)}, cached p50 ${ms(cached.p50)}`);
  }
  // Fresh after a write: one case's premium moves by a dollar, the generation is bumped (as every
  // case write does after its commit), and the clock runs until caseMetrics shows the new total.
  const [{ id }] = (await pool.query(`SELECT id FROM cases."case" ORDER BY id LIMIT 1`)).rows;
  const fresh = await timeSequential(iterations, async (i) => {
    const before = (await call(METRICS, { g: null })).caseMetrics.totals.submittedPremium;
    const started = performance.now();
    await pool.query(`UPDATE cases."case" SET annual_premium_cents = annual_premium_cents + $2 WHERE id = $1`, [id, i % 2 ? -100 : 100]);
    await subgraph.cache.incr(METRICS_GENERATION_KEY);
    for (;;) {
      if ((await call(METRICS, { g: null })).caseMetrics.totals.submittedPremium !== before) break;
      if (performance.now() - started > 10_000) throw new Error('caseMetrics did not show the write within 10 s');
    }
  });
  await subgraph.stop();
  await pool.end();
  return { cases, seedSeconds, rows, fresh };
}

export async function benchMetricsScale(adminUrl: string, ask: (url: string) => Ask, iterations: number): Promise<void> {
  const sizes = (process.env.BENCH_SCALE ?? '100000,1000000').split(',').map(Number);
  if (sizes.length !== 2 || sizes.some((n) => !Number.isInteger(n) || n <= 0))
    throw new Error('BENCH_SCALE: two sizes, e.g. 100000,1000000');
  const results: SizeResult[] = [];
  for (const size of sizes) results.push(await measureSize(adminUrl, size, iterations, ask));
  const [small, large] = results;
  const rows: string[][] = [];
  const target = (name: string) => (name.startsWith('caseMetrics') ? '≤ 250 ms' : '');
  for (const [name, a] of small.rows) {
    const b = large.rows.get(name)!;
    rows.push([`${name}, cold`, ms(a.cold.p50), ms(b.cold.p50), ms(b.cold.p99), ratio(b.cold.p50 / a.cold.p50), target(name)]);
    rows.push([`${name}, cached`, ms(a.cached.p50), ms(b.cached.p50), ms(b.cached.p99), ratio(b.cached.p50 / a.cached.p50), '≤ 5 ms']);
  }
  rows.push([
    'fresh after a write (write, bump, first answer with it)',
    ms(small.fresh.p50),
    ms(large.fresh.p50),
    ms(large.fresh.p99),
    ratio(large.fresh.p50 / small.fresh.p50),
    '≤ 1 s',
  ]);
  const n = (r: SizeResult) => r.cases.toLocaleString('en-US');
  const body = `Command: \`DATABASE_URL=postgres://… BENCH_ONLY=scale npm run bench:cases\` (BENCH_SCALE=${sizes.join(',')}: ${n(small)} and ${n(large)} cases, 1,000 agents, seed 99, each in its own database on one PostgreSQL 15 (fsync off, defaults otherwise), seeded once by the streamed seed${large.seedSeconds !== null ? ` (${n(large)} cases seeded in ${large.seedSeconds} s in this run)` : ''}, VACUUM ANALYZE after; cases subgraph over HTTP on loopback as STAFF, Redis ${process.env.REDIS_URL ? 'on' : 'off (in-process cache)'}; ${iterations} cold and ${iterations * 4} cached iterations per measure; cold = a new metrics generation before each call).
${machineLine()}

${table(['measure', `p50 at ${n(small)}`, `p50 at ${n(large)}`, `p99 at ${n(large)}`, 'growth (p50)', 'target'], rows)}

Load average (1 min) on the machine's ${cpus().length} CPUs after the run: ${loadavg()[0].toFixed(2)}.`;
  writeResultsSection('Metrics at 100,000 and 1,000,000 cases on PostgreSQL (bench:cases, BENCH_ONLY=scale)', body);
  console.log(body);
}
