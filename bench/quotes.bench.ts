/**
 * `npm run bench:quotes`: compareQuotes through the gateway, every simulated carrier at 150 ms
 * latency, side by side in one run:
 *  - at 12, 25, 50 and 100 carriers (the 12 demo carriers, then generated ones: all in the catalog,
 *    all configured by their CARRIER_<CODE>_* settings; a size is asked with carrierIds naming its
 *    first N carriers): cold comparison, warm comparison, and the CPU of the process that runs the
 *    gateway and the subgraphs per carrier per cold comparison;
 *  - at the 12 demo carriers: cold against a sequential baseline (the same carriers asked one after
 *    another), 50 concurrent identical cold comparisons (quote calls per quoting carrier:
 *    single-flight), 3 of 12 carriers faulty (hang, 500, malformed: when the other 9 arrive, and the
 *    breaker).
 * The simulated carriers and the embedded database run in a child process (`--backend`), so this
 * process's CPU is the gateway's and the subgraphs' (plus this bench's own requests), as in
 * production where the carriers are other companies' systems. Uses DATABASE_URL and REDIS_URL when
 * set. BENCH_ITERATIONS (default 30) cold comparisons per size, five times as many warm ones.
 * Results go to bench/RESULTS.md.
 */
import 'reflect-metadata';
import { type ChildProcess, fork } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import pg from 'pg';
import { startEmbeddedDatabase } from '../scripts/embedded/pglite-server';
import { seedCarriers, seedDatabase } from '../scripts/seed/seed';
import { startSimulators } from '../simulators/simulators';
import { CARRIERS } from '../subgraphs/carriers/fixtures/carriers.fixture';
import { carriersUpTo } from '../subgraphs/carriers/fixtures/generated-carriers';
import { guidelinesFor } from '../subgraphs/carriers/fixtures/underwriting-guidelines.fixture';
import { validateHealthProfile } from '../subgraphs/carriers/domain/health-profile';
import { estimateUnderwriting, pricingOf, requirementHealthFacts } from '../subgraphs/carriers/domain/underwriting';
import { readUnderwritingGuidelines } from '../subgraphs/carriers/domain/underwriting-guidelines';
import { graphql } from '../test/support/graphql';
import { startStack } from '../test/support/stack';
import {
  cpuStopwatch,
  machineLine,
  ms,
  percentile,
  ratio,
  summarize,
  type Timing,
  table,
  timeSequential,
  writeResultsSection,
} from './bench-support';

const LATENCY_MS = 150;
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 30);
const TIMEOUT_MS = 1_000;
const SIZES: readonly number[] = [12, 25, 50, 100];
const ALL = carriersUpTo(Math.max(...SIZES));

// ---------------------------------------------------------------------------------------------
// The backend in a child process: `node quotes.bench.js --backend` serves the simulated carriers
// (and the embedded database unless DATABASE_URL is set) and says where.

interface Backend {
  databaseUrl: string;
  /** CARRIER_<CODE>_* settings of every simulated carrier. */
  env: Record<string, string>;
  /** Base URL by carrier code (the control API is under /_control/ there). */
  endpoints: Record<string, string>;
}

async function serveBackend(): Promise<void> {
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedDatabase();
  const simulators = await startSimulators({ host: '127.0.0.1', latencyMs: LATENCY_MS, carriers: ALL });
  const backend: Backend = { databaseUrl: process.env.DATABASE_URL ?? embedded!.url, env: simulators.env, endpoints: simulators.endpoints };
  process.send!(backend);
  const stop = () => void Promise.all([simulators.stop(), embedded?.stop()]).finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('disconnect', stop);
}

async function startBackend(): Promise<Backend & { stop(): Promise<void> }> {
  const child: ChildProcess = fork(__filename, ['--backend'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: ['--enable-source-maps'],
  });
  const backend = await new Promise<Backend>((resolve, reject) => {
    child.once('message', (message) => resolve(message as Backend));
    child.once('exit', (code) => reject(new Error(`the backend process exited (${code})`)));
  });
  return {
    ...backend,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The simulators' HTTP control API, one carrier at a time. */
function controlOf(endpoints: Record<string, string>) {
  const call = async (code: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${endpoints[code]}/_control/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${code} /_control/${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<Record<string, number>>;
  };
  return {
    resetCounts: (codes: readonly string[]) => Promise.all(codes.map((code) => call(code, 'DELETE', 'counts'))),
    quoteCalls: async (code: string) => (await call(code, 'GET', 'counts')).quote,
    setFault: (code: string, fault: string) => call(code, 'PUT', 'fault', { fault, kinds: ['quote'] }),
    clearFault: (code: string) => call(code, 'DELETE', 'fault'),
  };
}

// ---------------------------------------------------------------------------------------------

const COMPARE = `query($i: QuoteInput!) { compareQuotes(input: $i) { quotes { carrier { id } annualPremium } outcomes { carrier { id } status latencyMs cached } } }`;
const MATRIX = `query($i: QuoteMatrixInput!) { quoteMatrix(input: $i) { cells { faceAmount termYears quotes { carrier { id } annualPremium } outcomes { status } } } }`;
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

/** A client with something for every guideline to judge: build, blood pressure, cigars, a condition, a hobby. */
const HEALTH = {
  heightInches: 70,
  weightPounds: 196,
  bloodPressure: { systolic: 132, diastolic: 84, treated: false },
  cholesterol: { total: 215, ratio: 4.4, treated: false },
  nicotine: [{ kind: 'CIGAR', lastUsedOn: '2026-09-01', perYear: 6 }],
  familyHistory: { heartDiseaseBefore60: true, cancerBefore60: false },
  conditions: [{ code: 'SLEEP_APNEA', diagnosedOn: '2019-04-01', controlled: true }],
  avocations: ['SCUBA_OVER_100_FT'],
};

/** Microseconds per carrier of the analyzer's pure work, over every benchmarked carrier's guidelines. */
function analyzerCostPerCarrier(): number {
  const asOf = '2026-12-01';
  const profile = validateHealthProfile(HEALTH, asOf).profile!;
  const all = ALL.map((carrier) => readUnderwritingGuidelines(JSON.parse(JSON.stringify(guidelinesFor(carrier)))));
  const rounds = 200;
  let sink = 0;
  const started = performance.now();
  for (let round = 0; round < rounds; round++)
    for (const guidelines of all) {
      const estimate = estimateUnderwriting(guidelines, profile, { issueAge: 40 + (round % 20), asOf });
      sink += (pricingOf(estimate, 20)?.tableRating ?? 1) + (requirementHealthFacts(guidelines, profile).treated ? 1 : 0);
    }
  const micros = ((performance.now() - started) * 1000) / (rounds * all.length);
  if (sink < 0) console.log(sink);
  return micros;
}

interface SizeResult {
  size: number;
  protocols: string;
  cold: Timing;
  warm: Timing;
  /** CPU of this process per carrier per cold comparison, in ms. */
  cpuPerCarrierMs: number;
  /** Median over the cold comparisons of the slowest carrier's own latency, in ms. */
  slowestCarrierP50: number;
  ok: number;
}

async function main() {
  const loadBefore = loadavg()[0];
  const backend = await startBackend();
  const pool = new pg.Pool({ connectionString: backend.databaseUrl, max: 2 });
  await seedDatabase(pool, { cases: 50, agents: 30 });
  await seedCarriers(pool, ALL.slice(CARRIERS.length));
  await pool.end();
  const stack = await startStack({
    // The carriers are the backend process's: none simulated here.
    simulators: { carriers: [] },
    env: {
      ...backend.env,
      DATABASE_URL: backend.databaseUrl,
      CARRIER_TIMEOUT_MS: String(TIMEOUT_MS),
      COMPARE_TIMEOUT_MS: '3000',
      CARRIER_BREAKER_THRESHOLD: '3',
      CARRIER_BREAKER_COOLDOWN_MS: '2000',
      DEBUG_STATS: 'true',
    },
  });
  const token = await stack.token('STAFF');
  const control = controlOf(backend.endpoints);
  const demoIds = CARRIERS.map((c) => c.id);
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
  const demo = (faceAmount: number, extra: Record<string, unknown> = {}) => input(faceAmount, { carrierIds: demoIds, ...extra });

  // Steady state first, at every carrier: tokens fetched, rate books downloaded.
  const allIds = ALL.map((c) => c.id);
  await compare(input(nextFace(), { carrierIds: allIds }));
  await compare(input(nextFace(), { carrierIds: allIds }));

  // The sizes take turns, round after round, so a drift of the machine (or of the JIT) touches them
  // all alike. Cold: a new face amount each time, so no quote is cached; everything else is. Warm:
  // the size's one question again, answered by the carriers subgraph's cache.
  const runs = SIZES.map((size) => {
    const carriers = ALL.slice(0, size);
    const carrierIds = carriers.map((c) => c.id);
    return {
      size,
      carriers,
      carrierIds,
      warmInput: input(nextFace(), { carrierIds }),
      cold: [] as number[],
      warm: [] as number[],
      cpuMs: 0,
      slowest: [] as number[],
      fewestOk: size,
    };
  });
  const coldComparison = async (run: (typeof runs)[number]) => {
    const cpu = cpuStopwatch();
    const started = performance.now();
    const result = await compare(input(nextFace(), { carrierIds: run.carrierIds }));
    return { result, wall: performance.now() - started, cpu: cpu() };
  };
  // Unmeasured rounds first: every size's code paths warm, its warm question asked once.
  for (let round = 0; round < 3; round++) for (const run of runs) await coldComparison(run);
  for (const run of runs) await compare(run.warmInput);
  for (let round = 0; round < ITERATIONS; round++) {
    for (const run of runs) {
      const { result, wall, cpu } = await coldComparison(run);
      run.cold.push(wall);
      run.cpuMs += cpu;
      run.slowest.push(Math.max(...result.outcomes.map((o) => o.latencyMs)));
      run.fewestOk = Math.min(run.fewestOk, result.outcomes.filter((o) => o.status === 'OK').length);
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        await compare(run.warmInput);
        run.warm.push(performance.now() - started);
      }
    }
  }
  const sizes: SizeResult[] = runs.map((run) => ({
    size: run.size,
    protocols: ['ACORD', 'REST', 'RATEBOOK'].map((p) => `${run.carriers.filter((c) => c.protocol === p).length}`).join('/'),
    cold: summarize(run.cold),
    warm: summarize(run.warm),
    cpuPerCarrierMs: run.cpuMs / ITERATIONS / run.size,
    slowestCarrierP50: percentile(run.slowest, 50),
    ok: run.fewestOk,
  }));

  // Sequential baseline: the twelve demo carriers, asked one after another (each uncached).
  const sequential = await timeSequential(Math.max(5, Math.floor(ITERATIONS / 4)), async () => {
    const f = nextFace();
    for (const carrier of CARRIERS) await compare(input(f, { carrierIds: [carrier.id] }));
  });
  const cold12 = sizes[0].cold;

  // A 5 x 5 quoteMatrix against one comparison at the 12 demo carriers, taking turns, both cold
  // (new face amounts each time): the matrix asks 25 cells of every carrier under one deadline.
  const matrixRounds = Math.max(5, Math.floor(ITERATIONS / 3));
  const matrixCold: number[] = [];
  const singleCold: number[] = [];
  let fewestMatrixCells = 25;
  for (let round = 0; round < matrixRounds + 1; round++) {
    const startedSingle = performance.now();
    await compare(demo(nextFace()));
    const single = performance.now() - startedSingle;
    const faceAmounts = Array.from({ length: 5 }, () => nextFace());
    const { termYears: _term, faceAmount: _face, ...client } = demo(0);
    const startedMatrix = performance.now();
    const response = await graphql(stack.url, MATRIX, { i: { ...client, faceAmounts, termYears: [10, 15, 20, 25, 30] } }, { token });
    const matrix = performance.now() - startedMatrix;
    if (response.errors) throw new Error(JSON.stringify(response.errors));
    // The first round warms the matrix's code path: not measured.
    if (round === 0) continue;
    singleCold.push(single);
    matrixCold.push(matrix);
    fewestMatrixCells = Math.min(fewestMatrixCells, response.data!.quoteMatrix.cells.length);
  }
  const matrixTiming = summarize(matrixCold);
  const singleTiming = summarize(singleCold);

  // The health analyzer: warm comparisons at 50 carriers with and without health answers, taking
  // turns (the analyzer runs per carrier per comparison, cache hit or not), and the analyzer alone
  // per carrier (estimate, pricing terms and requirement facts over the 100 carriers' guidelines).
  const fifty = ALL.slice(0, 50).map((c) => c.id);
  const plainWarm = input(nextFace(), { carrierIds: fifty });
  const healthWarm = { ...plainWarm, health: HEALTH };
  await compare(plainWarm);
  await compare(healthWarm);
  const warmPlain: number[] = [];
  const warmHealth: number[] = [];
  for (let round = 0; round < ITERATIONS * 3; round++) {
    let started = performance.now();
    await compare(plainWarm);
    warmPlain.push(performance.now() - started);
    started = performance.now();
    await compare(healthWarm);
    warmHealth.push(performance.now() - started);
  }
  const analyzer = analyzerCostPerCarrier();

  // Single-flight: 50 identical cold comparisons at once.
  await control.resetCounts(CARRIERS.map((c) => c.code));
  const burst = demo(nextFace());
  const burstStarted = performance.now();
  await Promise.all(Array.from({ length: 50 }, () => compare(burst)));
  const burstMs = performance.now() - burstStarted;
  const quoteCalls = await Promise.all(
    CARRIERS.map(async (c) => ({ code: c.code, protocol: c.protocol, calls: await control.quoteCalls(c.code) })),
  );

  // Faults: one carrier hangs, one answers 500, one answers garbage.
  const [hang, fail, garble] = CARRIERS.filter((c) => c.protocol !== 'RATEBOOK').map((c) => c.code);
  await control.setFault(hang, 'hang');
  await control.setFault(fail, '5xx');
  await control.setFault(garble, 'malformed');
  const faulty = new Set([hang, fail, garble].map((code) => CARRIERS.find((c) => c.code === code)!.id));
  const faultRuns: { total: number; slowestHealthy: number; statuses: string[] }[] = [];
  for (let i = 0; i < 6; i++) {
    const started = performance.now();
    const result = await compare(demo(nextFace()));
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
  for (const code of [hang, fail, garble]) await control.clearFault(code);
  await new Promise((r) => setTimeout(r, 2_200));
  const recovered = await compare(demo(nextFace()));
  await stack.stop();
  await backend.stop();

  const slowest = LATENCY_MS;
  const burstOk =
    quoteCalls.filter((q) => q.protocol !== 'RATEBOOK').every((q) => q.calls === 1) &&
    quoteCalls.filter((q) => q.protocol === 'RATEBOOK').every((q) => q.calls === 0);
  const lastFault = faultRuns.at(-1)!;
  const firstFault = faultRuns[0];
  const at50 = sizes.find((s) => s.size === 50)!;
  const cpuGrowth = sizes.at(-1)!.cpuPerCarrierMs / sizes[0].cpuPerCarrierMs;
  const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
  const body = `Command: \`npm run bench:quotes\` (${ITERATIONS} cold and ${ITERATIONS * 5} warm comparisons per size, the sizes taking turns round after round after 3 unmeasured rounds; every simulated carrier at ${LATENCY_MS} ms; per-carrier deadline ${TIMEOUT_MS} ms; gateway -> carriers subgraph over HTTP on loopback, both in the bench process; the simulated carriers and the database in a child process; cache: ${process.env.REDIS_URL ? 'Redis' : 'in-process'}).
${machineLine()} Load average (1 min) on the machine's ${availableParallelism()} CPUs: ${loadBefore.toFixed(2)} before the run, ${loadavg()[0].toFixed(2)} after.

Carriers: the 12 demo ones, then generated ones (GEN013, GEN014, ...: the three protocols in rotation, their own rates), all ${ALL.length} in the catalog and configured by their CARRIER_<CODE>_* settings; a size is compared with \`carrierIds\` naming its first N carriers. CPU is this process's user + system time (every thread: the gateway, the three subgraphs and the bench's own requests) while each cold comparison runs, divided by its carriers.

${table(
  [
    'carriers (ACORD/REST/RATEBOOK)',
    'cold p50',
    'cold p99',
    'cold p50 / slowest carrier (150 ms)',
    'slowest carrier, p50 of its own latency',
    'warm p50',
    'warm p99',
    'CPU per carrier per comparison',
    'fewest OK outcomes',
  ],
  sizes.map((s) => [
    `${s.size} (${s.protocols})`,
    ms(s.cold.p50),
    ms(s.cold.p99),
    ratio(s.cold.p50 / slowest),
    ms(s.slowestCarrierP50),
    ms(s.warm.p50),
    ms(s.warm.p99),
    ms(s.cpuPerCarrierMs),
    `${s.ok} of ${s.size}`,
  ]),
)}

- Cold p50 ≤ 1.2 × ${slowest} ms = ${ms(1.2 * slowest)} at every size: ${verdict(sizes.every((s) => s.cold.p50 <= 1.2 * slowest))} (${sizes.map((s) => `${s.size}: ${ratio(s.cold.p50 / slowest)}`).join(', ')}).
- Warm p50 ≤ 5 ms at 50 carriers: ${verdict(at50.warm.p50 <= 5)} (${ms(at50.warm.p50)}).
- CPU per carrier per comparison, 100 carriers / 12 carriers: ${ratio(cpuGrowth)} (it must not grow with the number of carriers: ${verdict(cpuGrowth <= 1.2)} at ≤ 1.2×).

At the 12 demo carriers:

${table(
  ['measure', 'p50', 'p99', 'target'],
  [
    ['cold comparison, 12 carriers in parallel', ms(cold12.p50), ms(cold12.p99), `≤ 1.2 × ${slowest} ms = ${ms(1.2 * slowest)}`],
    ['sequential baseline, the same 12 one after another', ms(sequential.p50), ms(sequential.p99), ''],
    ['warm comparison (carriers subgraph cache)', ms(sizes[0].warm.p50), ms(sizes[0].warm.p99), '≤ 5 ms, ≥ 30× faster than cold'],
  ],
)}

- A 5 × 5 \`quoteMatrix\` (25 cells × 12 carriers), cold, taking turns with one cold comparison (${matrixRounds} rounds after one unmeasured): matrix p50 ${ms(matrixTiming.p50)} (p99 ${ms(matrixTiming.p99)}), comparison p50 ${ms(singleTiming.p50)}: ${ratio(matrixTiming.p50 / singleTiming.p50)} one comparison (target ≤ 1.5×: ${verdict(matrixTiming.p50 / singleTiming.p50 <= 1.5)}); ${fewestMatrixCells} of 25 cells answered in every round.
- The health analyzer (field underwriting, per carrier per comparison): warm comparison at 50 carriers with \`health\` p50 ${ms(summarize(warmHealth).p50)} vs without ${ms(summarize(warmPlain).p50)} (${ratio(summarize(warmHealth).p50 / summarize(warmPlain).p50)}, ${ITERATIONS * 3} of each, taking turns); the analyzer alone ${analyzer.toFixed(1)} µs per carrier (estimate, pricing terms and requirement facts, over ${ALL.length} carriers' guidelines).
- cold / slowest carrier: ${ratio(cold12.p50 / slowest)}; sequential / cold: ${ratio(sequential.p50 / cold12.p50)}; cold / warm: ${ratio(cold12.p50 / sizes[0].warm.p50)}.
- 50 concurrent identical cold comparisons (${ms(burstMs)} for all): quote calls per carrier ${quoteCalls.map((q) => `${q.code} ${q.calls}`).join(', ')} — ${burstOk ? 'exactly one per quoting carrier; rate-book carriers price locally (0)' : 'NOT one per carrier'}.
- 3 of 12 faulty (${hang} hangs, ${fail} answers 500, ${garble} answers malformed XML): first comparison ${ms(firstFault.total)} in all, slowest healthy carrier ${firstFault.slowestHealthy} ms (deadline + 100 ms = ${TIMEOUT_MS + 100} ms); faulty outcomes ${firstFault.statuses.join(', ')}.
- After the breakers open (threshold 3 failed calls): comparison ${ms(lastFault.total)}, faulty outcomes ${lastFault.statuses.join(', ')}.
- After the carriers recover and the cooldown passes: ${recovered.outcomes.filter((o) => o.status === 'OK').length} of 12 OK.`;
  writeResultsSection('Quotes: compareQuotes across 12 to 100 carriers (bench:quotes)', body);
  console.log(body);
}

if (process.argv[2] === '--backend') {
  serveBackend().catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
