/**
 * Metrics v2 in bench:cases (`BENCH_ONLY=metrics` alone, or with the rest): caseMetricsSeries over
 * 24 months (alone and by carrier × product type), caseFunnel and caseMetrics.cycleTimes, cold (a
 * new generation each time) and cached; and the whole book exported as CSV, with its time and the
 * heap it took while streaming (sampled), against the file's size.
 */
import { cpus, loadavg } from 'node:os';
import { DEV_IDENTITY_SECRET } from '../platform/config';
import { signIdentity } from '../platform/identity';
import type { Cache } from '../platform/cache';
import { METRICS_GENERATION_KEY } from '../subgraphs/cases/case-metrics.cache';
import { machineLine, ms, table, timeSequential, writeResultsSection } from './bench-support';

type Ask = (query: string, variables?: Record<string, unknown>) => Promise<unknown>;

export async function benchMetricsV2(ask: Ask, cache: Cache, subgraphUrl: string, cases: number, iterations: number): Promise<void> {
  const to = new Date().toISOString().slice(0, 10);
  const from = `${Number(to.slice(0, 4)) - 2}${to.slice(4, 8)}01`;
  const SERIES = `query($from: Date!, $to: Date!, $groupBy: [MetricsGrouping!]) { caseMetricsSeries(interval: MONTH, basis: SUBMITTED, from: $from, to: $to, groupBy: $groupBy) {
    periods { start group submitted placed placedPremium placementRatio placementOfSubmitted } } }`;
  const FUNNEL = '{ caseFunnel { submitted approved issued placed exits { status count } } }';
  const CYCLES = '{ caseMetrics { cycleTimes { stage p50Days p90Days } } }';
  const measures: Array<[string, () => Promise<unknown>, string]> = [
    ['caseMetricsSeries(MONTH, 24 months)', () => ask(SERIES, { from, to }), '≤ 250 ms cold'],
    [
      'caseMetricsSeries(MONTH, 24 months, CARRIER × PRODUCT_TYPE)',
      () => ask(SERIES, { from, to, groupBy: ['CARRIER', 'PRODUCT_TYPE'] }),
      '',
    ],
    ['caseFunnel (whole book)', () => ask(FUNNEL), ''],
    ['caseMetrics { cycleTimes } (whole book)', () => ask(CYCLES), ''],
  ];
  const rows: string[][] = [];
  for (const [name, run, target] of measures) {
    const cold = await timeSequential(
      Math.min(iterations, 20),
      async () => {
        await cache.incr(METRICS_GENERATION_KEY);
        await run();
      },
      2,
    );
    const cached = await timeSequential(iterations * 2, run, 5);
    rows.push([`${name}, cold`, ms(cold.p50), ms(cold.p99), target]);
    rows.push([`${name}, cached`, ms(cached.p50), ms(cached.p99), '≤ 5 ms']);
  }

  // The whole book as CSV (a filter that matches every case: unfiltered exports are capped).
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  const sampler = setInterval(() => {
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  }, 20);
  const started = performance.now();
  const response = await fetch(new URL('/export/cases.csv?submittedFrom=2000-01-01', subgraphUrl), {
    headers: signIdentity({ sub: 'bench', role: 'STAFF' }, DEV_IDENTITY_SECRET),
  });
  let bytes = 0;
  let lines = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.byteLength;
    for (const byte of chunk) if (byte === 10) lines++;
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MB`;
  const body = `Command: \`DATABASE_URL=postgres://… BENCH_ONLY=metrics npm run bench:cases\` (${cases} cases, ${iterations}+ iterations each after warm-up, cases subgraph over HTTP on loopback as STAFF, Redis ${process.env.REDIS_URL ? 'on' : 'off (in-process cache)'}; cold = a new metrics generation before each call).
${machineLine()}

${table(['measure', 'p50', 'p99', 'target'], rows)}

CSV export of the whole book (\`/export/cases.csv\`, keyset batches of EXPORT_BATCH_ROWS, client and subgraph in one process): ${lines - 1} rows, ${mb(bytes)} in ${seconds.toFixed(1)} s (${Math.round((lines - 1) / seconds)} rows/s); heap ${mb(heapBefore)} before, at most ${mb(heapPeak)} while streaming (+${mb(heapPeak - heapBefore)} for a ${mb(bytes)} file).

Load average (1 min) on the machine's ${cpus().length} CPUs after the run: ${loadavg()[0].toFixed(2)}.`;
  writeResultsSection('Metrics v2: series, funnel, cycle times and CSV export on PostgreSQL (bench:cases)', body);
  console.log(body);
}
