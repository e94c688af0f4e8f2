/**
 * `npm run bench:cases`: the cases subgraph on PostgreSQL with a large book (100,000 cases by
 * default), measured over real HTTP with signed identity headers, side by side in one run:
 *  - caseMetrics(groupBy: CARRIER): cold (a new generation each time, so nothing is cached) and cached;
 *  - a filtered cases(first: 50) page without totalCount;
 *  - page 1,000 of the unfiltered list (keyset cursor) against page 1;
 *  - e-applications (bench/applications.ts): updateApplication, reading good order, the check itself;
 *  - the requirements worklist (bench/requirements-worklist.ts) over ~700,000 requirements;
 *  - vendor webhooks (bench/vendor-webhooks.ts): signed PULSE and CHARTWELL webhooks at 200/s, open loop;
 *  - commissionStatement over the book's commission ledger (bench/commission-statement.ts; BENCH_ONLY=commissions alone).
 * Needs DATABASE_URL (PostgreSQL); seeds a database bga_bench_cases on that server once
 * (BENCH_DATABASE names another; BENCH_CASES sets the size; BENCH_RESEED=1 starts over;
 * BENCH_ONLY=worklist, webhooks or metrics (bench/metrics-v2.ts) measures that part alone; BENCH_ONLY=statements books a
 * 100,000-line carrier statement in a database of its own, bench/carrier-statements.ts; BENCH_ONLY=scale measures the
 * metrics at 100,000 and 1,000,000 cases side by side, bench/metrics-scale.ts). Results go to bench/RESULTS.md.
 */
import 'reflect-metadata';
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import { casesSubgraph } from '../subgraphs/cases/cases.subgraph';
import { METRICS_GENERATION_KEY } from '../subgraphs/cases/case-metrics.cache';
import { readCommonConfig, DEV_IDENTITY_SECRET } from '../platform/config';
import { signIdentity } from '../platform/identity';
import { startSubgraph } from '../subgraphs/shared/subgraph-server';
import { seedDatabase } from '../scripts/seed/seed';
import { carriersSubgraph } from '../subgraphs/carriers/carriers.subgraph';
import { applicationRows, benchApplications } from './applications';
import { benchWorklist, seedRequirementsDesk, worklistRows } from './requirements-worklist';
import { appliedExactlyOnce, benchVendorWebhooks, vendorWebhookOptions, vendorWebhookRows, vendorWebhookSummary } from './vendor-webhooks';
import { machineLine, ms, ratio, table, timeSequential, writeResultsSection } from './bench-support';
import { commissionsSection } from './commission-statement';
import { benchCarrierStatements } from './carrier-statements';
import { benchMetricsV2 } from './metrics-v2';
import { benchMetricsScale } from './metrics-scale';

const SIZE = Number(process.env.BENCH_CASES ?? 100_000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 40);
const DATABASE = process.env.BENCH_DATABASE ?? 'bga_bench_cases';
if (!/^[a-z_][a-z0-9_]*$/.test(DATABASE)) throw new Error('BENCH_DATABASE must be a plain lower-case database name');
const ONLY = process.env.BENCH_ONLY ?? '';
if (!['', 'worklist', 'webhooks', 'commissions', 'statements', 'metrics', 'scale'].includes(ONLY))
  throw new Error('BENCH_ONLY must be worklist, webhooks, commissions, statements, metrics or scale (or unset for everything)');

async function benchDatabase(adminUrl: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const exists = (await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [DATABASE])).rowCount;
  if (process.env.BENCH_RESEED === '1' && exists) await admin.query(`DROP DATABASE ${DATABASE} WITH (FORCE)`);
  if (!exists || process.env.BENCH_RESEED === '1') await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${DATABASE}`;
  return url.toString();
}

/** Asks a cases subgraph at `url` as STAFF, signed per request (a signature is valid for a minute, a run takes longer). */
function askAt(url: string) {
  return async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signIdentity({ sub: 'bench', role: 'STAFF' }, DEV_IDENTITY_SECRET) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
}

async function main() {
  if (!process.env.DATABASE_URL)
    throw new Error('bench:cases measures PostgreSQL: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)');
  if (ONLY === 'statements') return benchCarrierStatements(process.env.DATABASE_URL);
  if (ONLY === 'scale') return benchMetricsScale(process.env.DATABASE_URL, askAt, ITERATIONS);
  const url = await benchDatabase(process.env.DATABASE_URL);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const started = Date.now();
  const seeded = await seedDatabase(pool, { cases: SIZE, agents: 1_000, seed: 99 });
  const [{ n: cases }] = (await pool.query('SELECT count(*)::int AS n FROM cases."case"')).rows;
  console.log(seeded.seeded ? `seeded ${cases} cases in ${Math.round((Date.now() - started) / 1000)} s` : `using ${cases} seeded cases`);
  // What autovacuum does on a live database: statistics, and the visibility map that lets the
  // metrics read their indexes alone (index-only scans).
  await pool.query('VACUUM ANALYZE');
  const [{ carrier }] = (await pool.query(`SELECT carrier_id AS carrier FROM cases."case" GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`)).rows;
  // The requirements desk on top of the book (once): outstanding orders at the vendors, case managers, ~700,000 requirements.
  const desk = ONLY === 'metrics' ? { requirements: 0, outstanding: 0, seconds: 0 } : await seedRequirementsDesk(pool);
  console.log(`requirements: ${desk.requirements} (${desk.outstanding} outstanding; desk added in ${desk.seconds} s)`);
  await pool.end();

  const common = readCommonConfig({ ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent', DEBUG_STATS: 'false' });
  // Applications ask the carriers subgraph for their carrier's rules (kept a minute by the cases subgraph).
  const carriers = await startSubgraph(carriersSubgraph, common, 0);
  const subgraph = await startSubgraph(casesSubgraph, common, 0, '127.0.0.1', {
    // No background workers: what is measured is the requests alone, on a desk that stays as seeded.
    env: { ...process.env, CARRIERS_SUBGRAPH_URL: carriers.url, OUTBOX_POLL_MS: '0', SYNC_INTERVAL_MS: '0', FOLLOW_UP_INTERVAL_MS: '0' },
  });
  const ask = async (query: string, variables: Record<string, unknown> = {}) => {
    // Signed per request: a signature is valid for a minute, a run takes longer.
    const response = await fetch(subgraph.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signIdentity({ sub: 'bench', role: 'STAFF' }, DEV_IDENTITY_SECRET) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
  const stop = async () => {
    await subgraph.stop();
    await carriers.stop();
  };
  if (ONLY === 'webhooks') {
    await benchWebhooksSection(url, subgraph.url.replace(/\/graphql$/, ''));
    return stop();
  }
  if (ONLY === 'commissions') {
    await commissionsSection(url, subgraph.url, ITERATIONS * 2);
    return stop();
  }
  if (ONLY === 'metrics') {
    await benchMetricsV2(ask, subgraph.cache, subgraph.url, cases, ITERATIONS);
    return stop();
  }
  const worklist = await benchWorklist(ask, ITERATIONS * 2);
  const worklistBody = `Command: \`DATABASE_URL=postgres://… npm run bench:cases\` (${cases} cases, ${desk.requirements} requirements of which ${desk.outstanding} outstanding, ${ITERATIONS * 2} iterations each after 5 unmeasured, cases subgraph over HTTP on loopback as STAFF, PostgreSQL 15 local).
${machineLine()}

${table(['measure', 'p50', 'p99', 'target'], worklistRows(worklist))}

Load average (1 min) on the machine's ${cpus().length} CPUs after the run: ${loadavg()[0].toFixed(2)}.`;
  writeResultsSection('Requirements worklist on PostgreSQL (bench:cases)', worklistBody);
  console.log(worklistBody);
  if (ONLY === 'worklist') return stop();
  const METRICS =
    '{ caseMetrics(groupBy: CARRIER) { totals { submitted placementRatio medianDaysToIssue submittedPremium } groups { key figures { submitted placed placementRatio } } requirementsAging { code outstanding } } }';
  const cold = await timeSequential(
    Math.min(ITERATIONS, 20),
    async () => {
      await subgraph.cache.incr(METRICS_GENERATION_KEY); // a case write: everything cached before is unreachable
      await ask(METRICS);
    },
    2,
  );
  const cached = await timeSequential(ITERATIONS * 5, () => ask(METRICS), 5);
  const PAGE =
    'query($f: CaseFilter, $after: String) { cases(first: 50, filter: $f, after: $after) { edges { cursor node { id caseNumber status submittedAt } } pageInfo { endCursor } } }';
  const filter = { carrierIds: [carrier], open: true, submittedFrom: '2000-01-01' };
  const filtered = await timeSequential(ITERATIONS * 2, () => ask(PAGE, { f: filter }), 5);
  // The cursor of page 1,000 (49,950 cases in), walked once; then page 1 and page 1,000 timed side by side.
  let after: string | null = null;
  for (let page = 1; page < 1_000 && SIZE > 50_000; page++) after = (await ask(PAGE, { after })).cases.pageInfo.endCursor;
  const pageOne = await timeSequential(ITERATIONS * 2, () => ask(PAGE, {}), 5);
  const pageThousand = await timeSequential(ITERATIONS * 2, () => ask(PAGE, { after }), 5);
  const benchPool = new pg.Pool({ connectionString: url, max: 2 });
  const applications = await benchApplications(ask, benchPool, ITERATIONS * 2, subgraph.url.replace(/\/graphql$/, '/webhooks/esign'));
  await benchPool.end();
  await benchWebhooksSection(url, subgraph.url.replace(/\/graphql$/, ''));
  await commissionsSection(url, subgraph.url, ITERATIONS * 2);
  await benchMetricsV2(ask, subgraph.cache, subgraph.url, cases, ITERATIONS);
  await stop();

  const body = `Command: \`DATABASE_URL=postgres://… npm run bench:cases\` (${cases} cases, ${ITERATIONS}+ iterations each, cases subgraph over HTTP on loopback, PostgreSQL 15 local, Redis ${process.env.REDIS_URL ? 'on' : 'off (in-process cache)'}).
${machineLine()}

${table(
  ['measure', 'p50', 'p99', 'target'],
  [
    ['caseMetrics(groupBy: CARRIER), cold', ms(cold.p50), ms(cold.p99), '≤ 150 ms'],
    ['caseMetrics(groupBy: CARRIER), cached', ms(cached.p50), ms(cached.p99), '≤ 5 ms'],
    ['cases(first: 50), filtered (carrier, open, date), no totalCount', ms(filtered.p50), ms(filtered.p99), '≤ 20 ms'],
    ['cases(first: 50), page 1', ms(pageOne.p50), ms(pageOne.p99), ''],
    ['cases(first: 50), page 1,000 (keyset cursor)', ms(pageThousand.p50), ms(pageThousand.p99), '≤ 1.5 × page 1'],
  ],
)}

Page 1,000 / page 1: ${ratio(pageThousand.p50 / pageOne.p50)}; cold / cached metrics: ${ratio(cold.p50 / cached.p50)}.`;
  writeResultsSection('Cases: lists and metrics on PostgreSQL (bench:cases)', body);
  console.log(body);
  const applicationsBody = `Command: \`DATABASE_URL=postgres://… npm run bench:cases\` (the same run and database; cases subgraph over HTTP on loopback with the carriers subgraph beside it, ${ITERATIONS * 2} iterations each).
${machineLine()}

${table(['measure', 'p50', 'p99', 'target'], applicationRows(applications))}`;
  writeResultsSection('Applications: drafts and good order on PostgreSQL (bench:cases)', applicationsBody);
  console.log(applicationsBody);
  await benchCarrierStatements(process.env.DATABASE_URL);
}

/** Vendor webhooks at 200/s against the running cases subgraph; writes its section, and fails the run when one was not applied exactly once. */
async function benchWebhooksSection(url: string, baseUrl: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const run = await benchVendorWebhooks(pool, baseUrl, vendorWebhookOptions(process.env));
  await pool.end();
  const body = `Command: \`DATABASE_URL=postgres://… npm run bench:cases\` (BENCH_ONLY=webhooks runs this part alone; the same database: ${run.options.requirements} requirements with an order at a vendor added on the book's open cases, half at PULSE, half at CHARTWELL; webhooks encoded and signed as the vendor simulators do, with the development secrets; cases subgraph over HTTP on loopback, the vendors' sender in a worker thread of the bench process, PostgreSQL 15 local).
${machineLine()}

${table(['measure', 'p50', 'p99', 'max', 'target'], vendorWebhookRows(run))}

${vendorWebhookSummary(run)}

Load average (1 min) on the machine's ${cpus().length} CPUs after the run: ${loadavg()[0].toFixed(2)}.`;
  // Another load looked at by hand (BENCH_WEBHOOK_RATE, BENCH_WEBHOOK_SECONDS) is printed, not recorded.
  if (run.options.rate === 200 && run.options.seconds === 10)
    writeResultsSection('Vendor webhooks at 200/s on PostgreSQL (bench:cases)', body);
  console.log(body);
  if (!appliedExactlyOnce(run)) throw new Error('vendor webhooks: not every webhook was applied exactly once (see bench/RESULTS.md)');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
