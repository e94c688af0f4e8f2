/**
 * `npm run bench:quotes`: compareQuotes through the gateway over the twelve simulated carriers at
 * 150 ms latency each, side by side in one run:
 *  - cold comparison (quote caches empty; tokens and rate books already held, as in steady
 *    operation) against a sequential baseline (the same carriers asked one after another);
 *  - warm comparison (answered by the carriers subgraph's cache; no gateway response cache);
 *  - 50 concurrent identical cold comparisons: quote calls per quoting carrier (single-flight);
 *  - 3 of 12 carriers faulty (hang, 500, malformed): when the other 9 arrive, and the breaker.
 * Uses the embedded database (or DATABASE_URL) and REDIS_URL when set. Results go to bench/RESULTS.md.
 */
import 'reflect-metadata';
import pg from 'pg';
import { CARRIERS } from '../subgraphs/carriers/fixtures/carriers.fixture';
import { startEmbeddedDatabase } from '../scripts/embedded/pglite-server';
import { seedDatabase } from '../scripts/seed/seed';
import { graphql } from '../test/support/graphql';
import { startStack } from '../test/support/stack';
import { machineLine, ms, ratio, table, timeSequential, writeResultsSection } from './bench-support';

const LATENCY_MS = 150;
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 30);
const TIMEOUT_MS = 1_000;

const COMPARE = `query($i: QuoteInput!) { compareQuotes(input: $i) { quotes { carrier { id } annualPremium } outcomes { carrier { id } status latencyMs cached } } }`;
const input = (faceAmount: number, extra: Record<string, unknown> = {}) => ({
  state: 'TX',
  birthDate: '1985-07-01',
  gender: 'MALE',
  tobacco: false,
  healthClass: 'PREFERRED',
  faceAmount,
  termYears: 20,
  ...extra,
});

async function main() {
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedDatabase();
  process.env.DATABASE_URL ??= embedded!.url;
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  await seedDatabase(pool, { cases: 50, agents: 30 });
  await pool.end();
  const stack = await startStack({
    simulators: { latencyMs: LATENCY_MS },
    env: {
      CARRIER_TIMEOUT_MS: String(TIMEOUT_MS),
      COMPARE_TIMEOUT_MS: '3000',
      CARRIER_BREAKER_THRESHOLD: '3',
      CARRIER_BREAKER_COOLDOWN_MS: '2000',
      DEBUG_STATS: 'true',
    },
  });
  const token = await stack.token('STAFF');
  const control = stack.simulators.control;
  // A new face amount is a new question: a quote cache miss for every carrier.
  let counter = 0;
  const nextFace = () => 250_000 + 1_000 * counter++;
  const compare = async (i: Record<string, unknown>) => {
    const response = await graphql(stack.url, COMPARE, { i }, { token });
    if (response.errors) throw new Error(JSON.stringify(response.errors));
    return response.data!.compareQuotes as {
      quotes: unknown[];
      outcomes: { carrier: { id: string }; status: string; latencyMs: number; cached: boolean }[];
    };
  };

  // Steady state first: tokens fetched, rate books downloaded.
  await compare(input(nextFace()));
  await compare(input(nextFace()));

  // Cold: a new face amount each time, so no quote is cached; everything else is.
  const cold = await timeSequential(ITERATIONS, () => compare(input(nextFace())));
  // Sequential baseline: the same twelve carriers, asked one after another (each uncached).
  const sequential = await timeSequential(Math.max(5, Math.floor(ITERATIONS / 4)), async () => {
    const f = nextFace();
    for (const carrier of CARRIERS) await compare(input(f, { carrierIds: [carrier.id] }));
  });
  // Warm: the same question again and again, answered by the carriers subgraph's cache.
  const warmInput = input(nextFace());
  await compare(warmInput);
  const warm = await timeSequential(ITERATIONS * 5, () => compare(warmInput));

  // Single-flight: 50 identical cold comparisons at once.
  control.resetCounts('*');
  const burst = input(nextFace());
  const burstStarted = performance.now();
  await Promise.all(Array.from({ length: 50 }, () => compare(burst)));
  const burstMs = performance.now() - burstStarted;
  const quoteCalls = CARRIERS.map((c) => ({ code: c.code, protocol: c.protocol, calls: control.counts(c.code).quote }));

  // Faults: one carrier hangs, one answers 500, one answers garbage.
  const [hang, fail, garble] = CARRIERS.filter((c) => c.protocol !== 'RATEBOOK').map((c) => c.code);
  control.setFault(hang, 'hang', { kinds: ['quote'] });
  control.setFault(fail, '5xx', { kinds: ['quote'] });
  control.setFault(garble, 'malformed', { kinds: ['quote'] });
  const faulty = new Set([hang, fail, garble].map((code) => CARRIERS.find((c) => c.code === code)!.id));
  const faultRuns: { total: number; slowestHealthy: number; statuses: string[] }[] = [];
  for (let i = 0; i < 6; i++) {
    const started = performance.now();
    const result = await compare(input(nextFace()));
    const total = performance.now() - started;
    const healthy = result.outcomes.filter((o) => !faulty.has(o.carrier.id));
    faultRuns.push({
      total,
      slowestHealthy: Math.max(...healthy.map((o) => o.latencyMs)),
      statuses: result.outcomes
        .filter((o) => faulty.has(o.carrier.id))
        .map((o) => `${CARRIERS.find((c) => c.id === o.carrier.id)!.code}:${o.status}(${o.latencyMs} ms)`),
    });
  }
  control.clearFaults();
  await new Promise((r) => setTimeout(r, 2_200));
  const recovered = await compare(input(nextFace()));
  await stack.stop();
  await embedded?.stop();

  const slowest = LATENCY_MS;
  const burstOk =
    quoteCalls.filter((q) => q.protocol !== 'RATEBOOK').every((q) => q.calls === 1) &&
    quoteCalls.filter((q) => q.protocol === 'RATEBOOK').every((q) => q.calls === 0);
  const lastFault = faultRuns.at(-1)!;
  const firstFault = faultRuns[0];
  const body = `Command: \`npm run bench:quotes\` (${ITERATIONS} iterations; 12 simulated carriers at ${LATENCY_MS} ms each; per-carrier deadline ${TIMEOUT_MS} ms; gateway -> carriers subgraph over HTTP on loopback; cache: ${process.env.REDIS_URL ? 'Redis' : 'in-process'}).
${machineLine()}

${table(
  ['measure', 'p50', 'p99', 'target'],
  [
    ['cold comparison, 12 carriers in parallel', ms(cold.p50), ms(cold.p99), `≤ 1.2 × ${slowest} ms = ${ms(1.2 * slowest)}`],
    ['sequential baseline, the same 12 one after another', ms(sequential.p50), ms(sequential.p99), ''],
    ['warm comparison (carriers subgraph cache)', ms(warm.p50), ms(warm.p99), '≤ 5 ms, ≥ 30× faster than cold'],
  ],
)}

- cold / slowest carrier: ${ratio(cold.p50 / slowest)}; sequential / cold: ${ratio(sequential.p50 / cold.p50)}; cold / warm: ${ratio(cold.p50 / warm.p50)}.
- 50 concurrent identical cold comparisons (${ms(burstMs)} for all): quote calls per carrier ${quoteCalls.map((q) => `${q.code} ${q.calls}`).join(', ')} — ${burstOk ? 'exactly one per quoting carrier; rate-book carriers price locally (0)' : 'NOT one per carrier'}.
- 3 of 12 faulty (${hang} hangs, ${fail} answers 500, ${garble} answers malformed XML): first comparison ${ms(firstFault.total)} in all, slowest healthy carrier ${firstFault.slowestHealthy} ms (deadline + 100 ms = ${TIMEOUT_MS + 100} ms); faulty outcomes ${firstFault.statuses.join(', ')}.
- After the breakers open (threshold 3 failed calls): comparison ${ms(lastFault.total)}, faulty outcomes ${lastFault.statuses.join(', ')}.
- After the carriers recover and the cooldown passes: ${recovered.outcomes.filter((o) => o.status === 'OK').length} of 12 OK.`;
  writeResultsSection('Quotes: compareQuotes across 12 carriers (bench:quotes)', body);
  console.log(body);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
