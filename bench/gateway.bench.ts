/**
 * `npm run bench:gateway` (issue #5): three gateways side by side in one run, over the same subgraphs
 * and the same supergraph (schema/supergraph.graphql, subgraph URLs rewritten):
 *  - ours (`dist/gateway/main.js`) with every feature on: JWT, signed identity per request, request
 *    limits, rate limit (counted in Redis, limit set out of reach), metrics, error masking; the
 *    response cache off (RESPONSE_CACHE=false) except for the cacheable query; BENCH_GATEWAY_WORKERS
 *    processes (default one: the memory target is for all of ours together);
 *  - a stock @apollo/gateway in @apollo/server, no plugins (bench/gateway/stock-gateway.ts);
 *  - Hive Gateway (@graphql-hive/gateway CLI) as the Guild's federation benchmark runs it: NODE_ENV=production,
 *    --jit, inbound in-flight request deduplication (bench/gateway/hive.config.ts, BENCH_HIVE_SETUP=jit);
 *  - Hive Gateway with @graphql-hive/router-runtime (the Rust query planner) as that benchmark runs it:
 *    NODE_ENV=production, no --jit, the same deduplication (BENCH_HIVE_SETUP=router-runtime).
 * A gateway whose answers differ from the stock gateway's (errors, or other data) before the load is not
 * measured: its cells are left out and the results say why.
 * The peers cannot sign identities: the subgraphs are started with one fixed STAFF identity, signed
 * once, accepted for a day (IDENTITY_MAX_SKEW_MS), and the peers send it on every subgraph request.
 * Every client request carries the same development STAFF token (the peers ignore it).
 *
 * Backends (BENCH_BACKENDS, default "static,real"): `static` is the static-data build of the three
 * subgraphs (bench/gateway/static-subgraphs.ts: committed SDLs, in-memory demo world, no database);
 * `real` is the real subgraphs over the embedded PGlite (or DATABASE_URL) with the demo data, and
 * Redis. Workloads: one nested query repeated, a mix of five nested shapes with varied variables, and a
 * cacheable public query. Beside them, the subgraph-direct ceiling: the same subgraph fetches
 * replayed straight to the subgraphs (bench/gateway/workloads.ts); beside the cacheable query, the
 * node:http floor: one process answering the same bytes from memory and nothing else
 * (bench/gateway/http-floor.ts), the most a gateway process could serve here. Each gateway first gets
 * BENCH_GATEWAY_WARMUP_SECONDS (5) of every workload; each cell is then BENCH_CONNECTIONS (20)
 * connections for BENCH_SECONDS (12) per gateway, in BENCH_ROUNDS (3) slices that the gateways of
 * the cell take in turns (a slow spell of this noisy machine falls on all of them), each slice after
 * BENCH_WARMUP_SECONDS (2) unmeasured. Per cell: good answers per
 * second (200, data, no errors), latency, the CPU time of the gateway's and the subgraphs' processes
 * per answer, the peak summed RSS of every process of the gateway (sampled every 200 ms), where the
 * machine's CPU went and so what the limit was (bench/gateway/processes.ts limitOf). Every answer is
 * checked once against the stock gateway's before the load.
 *
 * Beside "ours" on the repeated query, ours with its throughput steps switched off one by one; on
 * the mix, ours without the entity cache; on the cacheable query, ours with two worker processes
 * (what a second process buys, and what it costs in memory; not part of "ours", whose targets are
 * held by one). BENCH_STEPS=0 leaves them out.
 * Other knobs: BENCH_GATEWAY_WORKERS (our worker processes), BENCH_HIVE_FORK (Hive Gateway's
 * --fork for the extra equal-processes row; 0 leaves the row out), BENCH_VERBOSE=1 (children's logs),
 * BENCH_CPU_PROF=<dir> (CPU profiles of every gateway process).
 * Results go to bench/RESULTS.md.
 */
import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintDevToken } from '../gateway/plugins/authentication';
import { GATEWAY_HEAP_MB, GATEWAY_NODE_ARGS } from '../gateway/runtime';
import { freePort, redisServerOnPath } from '../scripts/embedded/redis-server';
import { DEV_IDENTITY_SECRET, DEV_JWT_SECRET } from '../platform/config';
import { signIdentity } from '../platform/identity';
import { machineLine, ratio, table, writeResultsSection } from './bench-support';
import { checkAnswers, post } from './gateway/answers';
import { seed } from './gateway/database';
import type { HiveSetup } from './gateway/hive.config';
import { benchSubscriptions, subscriptionReport } from './gateway/subscriptions';
import { mergeRounds, runCell, type CellResult } from './gateway/load';
import {
  cpuSplit,
  installCleanup,
  limitOf,
  otherCores,
  startChild,
  stopAll,
  waitForOutput,
  waitUntil,
  type Child,
  type Watched,
} from './gateway/processes';
import {
  body,
  CACHEABLE,
  captureFetches,
  mix,
  NESTED,
  replayCeiling,
  SAMPLE_QUERIES,
  type CeilingResult,
  type Operation,
  type Samples,
} from './gateway/workloads';

const env = process.env;
/** Measured seconds per gateway and cell, in ROUNDS slices taken in turns with the other gateways of the cell. */
const SECONDS = Number(env.BENCH_SECONDS ?? 12);
const ROUNDS = Math.max(1, Number(env.BENCH_ROUNDS ?? 3));
/** Unmeasured seconds before each slice. */
const WARMUP = Number(env.BENCH_WARMUP_SECONDS ?? 2);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 20);
// One gateway process by default: ours holds the targets in one (peak memory ≤ 300 MB is for all its processes together).
const WORKERS = Number(env.BENCH_GATEWAY_WORKERS ?? 1);
const HIVE_FORK = Number(env.BENCH_HIVE_FORK ?? (WORKERS > 1 ? WORKERS : 0));
const BACKENDS = (env.BENCH_BACKENDS ?? 'static,real')
  .split(',')
  .map((b) => b.trim())
  .filter(Boolean) as Backend[];
const MIX_SIZE = 100;
/** The peers of ours, by key: the fastest of them on the mix is "the best peer" (issue #18). */
const PEERS = ['stock', 'hive', 'hive-router'] as const;
/** Where the Hive Gateway peers' setup comes from (bench/gateway/hive.config.ts): the Guild's benchmark, as read. */
const GUILD_BENCHMARK = 'graphql-hive/graphql-gateways-benchmark (commit e583a1f, 2026-05-16)';
type Workload = 'nested' | 'mix' | 'cacheable';
/** Issue #5's targets for ours over the stock gateway (response cache on for the cacheable query only). */
const TARGET_OVER_STOCK: Record<Workload, number> = { nested: 4, mix: 1.8, cacheable: 20 };
const ALL_WORKLOADS: readonly Workload[] = ['nested', 'mix', 'cacheable'];
/** BENCH_WORKLOADS=mix,cacheable runs only those cells (for working on one of them): printed, not written to RESULTS.md. */
const WORKLOADS_RUN = (env.BENCH_WORKLOADS ?? ALL_WORKLOADS.join(',')).split(',').map((w) => w.trim()) as Workload[];
for (const w of WORKLOADS_RUN)
  if (!ALL_WORKLOADS.includes(w)) throw new Error(`BENCH_WORKLOADS: unknown workload "${w}" (${ALL_WORKLOADS.join(', ')})`);
const runs = (workload: Workload) => WORKLOADS_RUN.includes(workload);
/** Seconds of every workload sent to each gateway once it is up, before any cell (JIT, lazy loading). */
const GATEWAY_WARMUP = Number(env.BENCH_GATEWAY_WARMUP_SECONDS ?? 5);

type Backend = 'static' | 'real';
const SUBGRAPH_NAMES = ['agents', 'cases', 'carriers'] as const;
const DIST = join(process.cwd(), 'dist');
const IDENTITY_MAX_SKEW_MS = '86400000';

/** BENCH_CPU_PROF=<dir>: every gateway process writes a V8 CPU profile under <dir>/<gateway>/ when it exits. */
const profiling = (gateway: string): string[] =>
  env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${join(env.BENCH_CPU_PROF, gateway)}`] : [];

interface Gateway {
  key: string;
  label: string;
  url: string;
  child: Child;
}

interface Row {
  backend: Backend;
  workload: Workload;
  gateway: string;
  label: string;
  result?: CellResult;
  ceiling?: CeilingResult;
}

const fixed = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const latency = (msValue: number) => fixed(msValue, msValue < 100 ? 1 : 0);

/** One POST on a new connection (so that a cluster's round-robin hands it to the next worker). */
function postOnNewConnection(url: string, headers: Record<string, string>, payload: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json', connection: 'close', ...headers }, timeout: 5_000 },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Ready when `{ __typename }` answers on `processes` × 2 new connections in a row: every worker is up. */
const answersGraphql =
  (url: string, headers: Record<string, string>, processes = 1) =>
  async () => {
    for (let i = 0; i < processes * 2; i++) {
      const { status, text } = await postOnNewConnection(url, headers, JSON.stringify({ query: '{ __typename }' }));
      if (status !== 200 || !text.includes('"__typename":"Query"')) return false;
    }
    return true;
  };

function rewriteSupergraph(urls: Record<string, string>, path: string): string {
  let sdl = readFileSync(join(process.cwd(), 'schema', 'supergraph.graphql'), 'utf8');
  for (const [name, url] of Object.entries(urls)) {
    const pattern = new RegExp(`(@join__graph\\(name: "${name}", url: ")[^"]*(")`);
    if (!pattern.test(sdl)) throw new Error(`supergraph has no subgraph "${name}"`);
    sdl = sdl.replace(pattern, `$1${url}$2`);
  }
  writeFileSync(path, sdl);
  return sdl;
}

interface Subgraphs {
  urls: Record<string, string>;
  /** The subgraph processes. */
  children: Child[];
  /** The embedded database's process, when there is one. */
  database?: Child;
  /** The real subgraphs' database. */
  databaseUrl?: string;
}

async function startStaticSubgraphs(): Promise<Subgraphs> {
  const children: Child[] = [];
  const urls: Record<string, string> = {};
  await Promise.all(
    SUBGRAPH_NAMES.map(async (name) => {
      const child = startChild(`static-${name}`, process.execPath, [join(DIST, 'bench/gateway/static-subgraphs.js'), name], {
        ...env,
        PORT: String(await freePort()),
        IDENTITY_MAX_SKEW_MS,
      });
      children.push(child);
      urls[name] = (await waitForOutput(child, /listening (\S+)/))[1];
    }),
  );
  return { urls, children };
}

async function startRealSubgraphs(redisUrl: string | undefined, extraEnv: Record<string, string> = {}): Promise<Subgraphs> {
  const children: Child[] = [];
  let databaseUrl = env.DATABASE_URL;
  let database: Child | undefined;
  if (databaseUrl) {
    await seed(databaseUrl);
  } else {
    database = startChild('pglite', process.execPath, [join(DIST, 'bench/gateway/database.js')], { ...env });
    databaseUrl = (await waitForOutput(database, /listening (\S+)/, 300_000))[1];
  }
  const urls: Record<string, string> = {};
  for (const name of SUBGRAPH_NAMES) {
    const port = await freePort();
    const child = startChild(name, process.execPath, [join(DIST, `subgraphs/${name}/main.js`)], {
      ...env,
      DATABASE_URL: databaseUrl,
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
      PORT: String(port),
      HOST: '127.0.0.1',
      IDENTITY_MAX_SKEW_MS,
      LOG_LEVEL: 'warn',
      DEBUG_STATS: 'false',
      // No background work: the bench measures reads.
      OUTBOX_POLL_MS: '0',
      SYNC_INTERVAL_MS: '0',
      CATALOG_REFRESH_MS: '0',
      ...extraEnv,
    });
    children.push(child);
    await waitUntil(child, async () => (await fetch(`http://127.0.0.1:${port}/health`)).ok);
    urls[name] = `http://127.0.0.1:${port}/graphql`;
  }
  return { urls, children, database, databaseUrl };
}

interface Context {
  tmp: string;
  token: string;
  identity: Record<string, string>;
  redisUrl: string | undefined;
}

/** Ours with some of its features switched off (their env), measured beside the full one. */
interface Step {
  key: string;
  label: string;
  env: Record<string, string>;
  /** Node flags after the deployed ones (a later --max-old-space-size wins). */
  nodeArgs?: string[];
}
/**
 * What each step of ours buys, on the repeated nested query: ours with its throughput features
 * switched off one by one (everything else — JWT, limits, rate limit, metrics, logs — stays on).
 */
const STEPS: Step[] = [
  {
    key: 'ours-step-0',
    label: 'ours, 1 process, no fetch dedupe, no coalescing (undici keep-alive pool only)',
    env: { GATEWAY_WORKERS: '1', SUBGRAPH_DEDUPE: 'false', REQUEST_COALESCING: 'false' },
  },
  {
    key: 'ours-step-1',
    label: 'ours, 1 process, + identical in-flight subgraph fetches merged',
    env: { GATEWAY_WORKERS: '1', REQUEST_COALESCING: 'false' },
  },
  { key: 'ours-step-2', label: 'ours, 1 process, + identical in-flight requests coalesced', env: { GATEWAY_WORKERS: '1' } },
];
const RUN_STEPS = env.BENCH_STEPS !== '0';
/** What the entity cache buys, on the mix: ours with it off (everything else on). */
const MIX_STEP: Step = { key: 'ours-no-entity-cache', label: 'ours without the entity cache', env: { ENTITY_CACHE_ENTRIES: '0' } };
/** What a second process buys on the cacheable query, and what it costs in memory (run when ours is one process). */
const CACHE_WORKERS_STEP: Step = {
  key: 'ours-cache-2-workers',
  label: 'ours, response cache on, 2 worker processes',
  env: { GATEWAY_WORKERS: '2' },
};

async function startOurs(
  ctx: Context,
  supergraphPath: string,
  urls: Record<string, string>,
  responseCache: boolean,
  step?: Step,
): Promise<Gateway> {
  const port = await freePort();
  const name = step?.key ?? `ours${responseCache ? '-cache' : ''}`;
  // Started as it is deployed (gateway/runtime.ts: the heap cap).
  const child = startChild(
    name,
    process.execPath,
    [...GATEWAY_NODE_ARGS, ...(step?.nodeArgs ?? []), ...profiling(name), join(DIST, 'gateway/main.js')],
    {
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      SUPERGRAPH_PATH: supergraphPath,
      AGENTS_URL: urls.agents,
      CASES_URL: urls.cases,
      CARRIERS_URL: urls.carriers,
      ...(ctx.redisUrl ? { REDIS_URL: ctx.redisUrl } : {}),
      // Every feature on; the rate limit counts every request but is out of reach.
      RATE_LIMIT: '1000000000',
      LOG_LEVEL: 'warn',
      DEBUG_STATS: 'false',
      GATEWAY_WORKERS: String(WORKERS),
      RESPONSE_CACHE: String(responseCache),
      ...step?.env,
    },
  );
  const url = `http://127.0.0.1:${port}/graphql`;
  await waitUntil(child, answersGraphql(url, { authorization: `Bearer ${ctx.token}` }, Number(step?.env.GATEWAY_WORKERS ?? WORKERS)));
  if (step) return { key: step.key, label: step.label, url, child };
  return { key: responseCache ? 'ours-cache' : 'ours', label: responseCache ? 'ours, response cache on' : 'ours', url, child };
}

async function startStock(ctx: Context, supergraphPath: string): Promise<Gateway> {
  const port = await freePort();
  const child = startChild('stock', process.execPath, [...profiling('stock'), join(DIST, 'bench/gateway/stock-gateway.js')], {
    ...env,
    PORT: String(port),
    HOST: '127.0.0.1',
    SUPERGRAPH_PATH: supergraphPath,
    BENCH_IDENTITY_HEADERS: JSON.stringify(ctx.identity),
  });
  const url = `http://127.0.0.1:${port}/graphql`;
  await waitUntil(child, answersGraphql(url, {}));
  return { key: 'stock', label: 'stock @apollo/gateway', url, child };
}

/**
 * The Hive Gateway peers, each as the Guild's federation benchmark (graphql-hive/graphql-gateways-benchmark,
 * gateways/hive-gateway and gateways/hive-gateway-router-runtime: package.json's start script, run.sh,
 * gateway.config.ts) starts it: NODE_ENV=production, `--jit` for the plain one and not for router-runtime,
 * the rest in bench/gateway/hive.config.ts. One process (`--fork 1`), as ours; that benchmark gives each
 * gateway FORK=2 on 3 cores (BENCH_HIVE_FORK adds the equal-processes row).
 */
const HIVE_SETUPS: Record<HiveSetup, { key: string; label: string; jit: boolean; how: string }> = {
  jit: {
    key: 'hive',
    label: 'Hive Gateway (--jit)',
    jit: true,
    how: '`NODE_ENV=production hive-gateway supergraph … --jit`, config `inboundInflightRequestDeduplication: true` (gateways/hive-gateway: package.json, run.sh, gateway.config.ts)',
  },
  'router-runtime': {
    key: 'hive-router',
    label: 'Hive Gateway + router-runtime',
    jit: false,
    how: '`NODE_ENV=production hive-gateway supergraph …` (no --jit), config `unifiedGraphHandler` from @graphql-hive/router-runtime and `inboundInflightRequestDeduplication: true` (gateways/hive-gateway-router-runtime: package.json, run.sh, gateway.config.ts)',
  },
};

async function startHive(ctx: Context, supergraphPath: string, fork: number, setup: HiveSetup = 'jit'): Promise<Gateway> {
  const port = await freePort();
  const bin = join(process.cwd(), 'node_modules/@graphql-hive/gateway/dist/bin.js');
  const { key, label, jit } = HIVE_SETUPS[setup];
  const name = fork > 1 ? `${key}-fork` : key;
  const child = startChild(
    name,
    process.execPath,
    [
      ...profiling(name),
      bin,
      'supergraph',
      supergraphPath,
      '--config-path',
      join(DIST, 'bench/gateway/hive.config.js'),
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--fork',
      String(fork),
      ...(jit ? ['--jit'] : []),
    ],
    // JIT unset: the flag alone says it (router-runtime refuses it, hive.config.ts).
    { ...env, JIT: '', NODE_ENV: 'production', BENCH_HIVE_SETUP: setup, BENCH_IDENTITY_HEADERS: JSON.stringify(ctx.identity) },
  );
  const url = `http://127.0.0.1:${port}/graphql`;
  await waitUntil(child, answersGraphql(url, {}, fork));
  return { key: fork > 1 ? `${key}-fork` : key, label: fork > 1 ? `${label} --fork ${fork}` : label, url, child };
}

/** Headers node:http writes itself (or that belong to one connection): the floor's server adds its own. */
const HOP_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/**
 * The node:http floor (bench/gateway/http-floor.ts): the cacheable query's answer as our gateway's
 * response cache sends it, bytes and headers, served by a process that does nothing else.
 */
async function startFloor(ctx: Context, cached: Gateway, headers: Record<string, string>): Promise<Gateway> {
  const response = await fetch(cached.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: body(CACHEABLE),
  });
  const answer = {
    status: response.status,
    headers: [...response.headers].filter(([name]) => !HOP_HEADERS.has(name)).flat(),
    body: await response.text(),
  };
  if (response.status !== 200 || response.headers.get('age') === null)
    throw new Error(`the cacheable query was not answered from the response cache: HTTP ${response.status}`);
  const file = join(ctx.tmp, 'floor-answer.json');
  writeFileSync(file, JSON.stringify(answer));
  const child = startChild('floor', process.execPath, [join(DIST, 'bench/gateway/http-floor.js')], {
    ...env,
    PORT: String(await freePort()),
    BENCH_FLOOR_ANSWER: file,
  });
  const url = (await waitForOutput(child, /listening (\S+)/))[1];
  return { key: 'floor', label: 'node:http floor (the same answer from memory, nothing else)', url, child };
}

async function readSamples(urls: Record<string, string>, identity: Record<string, string>): Promise<Samples> {
  const ask = async (name: string, query: string) => {
    const { status, json } = await post(urls[name], identity, JSON.stringify({ query }));
    if (status !== 200 || json.errors) throw new Error(`reading samples from ${name}: ${status} ${JSON.stringify(json.errors ?? json)}`);
    return json.data;
  };
  const agents = await ask('agents', SAMPLE_QUERIES.agents);
  const cases = await ask('cases', SAMPLE_QUERIES.cases);
  const carriers = await ask('carriers', SAMPLE_QUERIES.carriers);
  return {
    agents: agents.agents.edges.map((e: any) => e.node),
    cases: cases.cases.edges.map((e: any) => e.node),
    carriers: carriers.carriers.map((c: any) => c.id),
  };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const versionOf = (pkg: string) =>
  (JSON.parse(readFileSync(join(process.cwd(), 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;

async function benchBackend(ctx: Context, backend: Backend, rows: Row[], notes: string[]): Promise<void> {
  const log = (message: string) => console.log(`[bench:gateway] ${backend}: ${message}`);
  // A Redis of its own for each backend (unless REDIS_URL): nothing cached over one set of subgraphs answers for the other.
  let redis: Child | undefined;
  if (!env.REDIS_URL && redisServerOnPath()) {
    const port = await freePort();
    redis = startChild('redis', 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      ...env,
    });
    await waitForOutput(redis, /Ready to accept connections/);
    ctx = { ...ctx, redisUrl: `redis://127.0.0.1:${port}` };
  }
  log('starting subgraphs');
  const subgraphs = backend === 'static' ? await startStaticSubgraphs() : await startRealSubgraphs(ctx.redisUrl);
  const supergraphPath = join(ctx.tmp, `supergraph-${backend}.graphql`);
  const supergraphSdl = rewriteSupergraph(subgraphs.urls, supergraphPath);
  const clientHeaders = { authorization: `Bearer ${ctx.token}` };
  const running: Gateway[] = [];
  try {
    const samples = await readSamples(subgraphs.urls, ctx.identity);
    const operations = mix(samples, MIX_SIZE);
    log('capturing the subgraph fetches of each operation');
    const [nestedPlan] = await captureFetches(supergraphSdl, ctx.identity, [NESTED]);
    const mixPlans = await captureFetches(supergraphSdl, ctx.identity, operations);

    log('starting gateways');
    const ours = await startOurs(ctx, supergraphPath, subgraphs.urls, false);
    running.push(ours);
    const stock = await startStock(ctx, supergraphPath);
    running.push(stock);
    const hive = await startHive(ctx, supergraphPath, 1, 'jit');
    running.push(hive);
    const hiveRouter = await startHive(ctx, supergraphPath, 1, 'router-runtime');
    running.push(hiveRouter);

    const everyGateway = [stock, ours, hive, hiveRouter];
    const { problems, bytes, wrong } = await checkAnswers(everyGateway, [NESTED, CACHEABLE, ...operations], clientHeaders);
    const mixBytes = bytes.slice(2).sort((a, b) => a - b);
    notes.push(
      `${backend}: ${
        problems.length === 0
          ? `every operation (the nested query, the cacheable query and the ${operations.length} of the mix) answered without errors and with the same data by all ${everyGateway.length} gateways`
          : `**${problems.length} answer problem(s)** before the load: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? '; …' : ''}`
      }. Answers: nested ${kb(bytes[0])}, cacheable ${kb(bytes[1])}, mix ${kb(mixBytes[0])} to ${kb(mixBytes.at(-1)!)} (median ${kb(mixBytes[Math.floor(mixBytes.length / 2)])}).`,
    );
    // A gateway that does not answer as the stock one does is not measured: its requests/s would count other work.
    const refused = everyGateway.filter((g) => g !== stock && wrong.has(g.key));
    if (refused.length)
      notes.push(
        `${backend}: **not measured**, answers differ from stock @apollo/gateway's: ${refused.map((g) => g.label).join(', ')} (its cells are left out, and so are the ratios that need them).`,
      );
    const measured = everyGateway.filter((g) => !refused.includes(g));
    const compared = [ours, stock, hive, hiveRouter].filter((g) => measured.includes(g));

    const backendWatched: Watched[] = [
      ...subgraphs.children.map((c) => ({ label: `${c.name.replace(/^static-/, '')} subgraph`, kind: 'subgraph' as const, pgid: c.pid })),
      ...(subgraphs.database ? [{ label: 'the database (PGlite)', kind: 'database' as const, pgid: subgraphs.database.pid }] : []),
      ...(redis ? [{ label: 'Redis', kind: 'redis' as const, pgid: redis.pid }] : []),
    ];
    const warm = async (gateway: Gateway) => {
      if (GATEWAY_WARMUP <= 0) return;
      log(`warming up ${gateway.label} (${GATEWAY_WARMUP} s of every workload)`);
      await runCell({
        url: gateway.url,
        headers: clientHeaders,
        bodies: [NESTED, CACHEABLE, ...operations].map(body),
        connections: CONNECTIONS,
        seconds: GATEWAY_WARMUP,
        warmupSeconds: 0,
        pgids: [],
      });
    };
    for (const g of compared) await warm(g);
    // The gateways of a cell take turns: ROUNDS slices each, so that a slow spell of the machine falls on all of them.
    const cells = async (workload: Row['workload'], gateways: readonly Gateway[], ops: readonly Operation[]) => {
      const rounds = gateways.length > 1 ? ROUNDS : 1;
      const slices = new Map<Gateway, CellResult[]>(gateways.map((g) => [g, []]));
      for (let round = 0; round < rounds; round++) {
        for (const gateway of gateways) {
          log(`${workload}: ${gateway.label}${rounds > 1 ? ` (round ${round + 1} of ${rounds})` : ''}`);
          slices.get(gateway)!.push(
            await runCell({
              url: gateway.url,
              headers: clientHeaders,
              bodies: ops.map(body),
              connections: CONNECTIONS,
              seconds: SECONDS / rounds,
              warmupSeconds: WARMUP,
              pgids: [gateway.child.pid],
              watched: [{ label: gateway.label, kind: 'gateway', pgid: gateway.child.pid }, ...backendWatched],
            }),
          );
        }
      }
      for (const gateway of gateways) {
        const result = mergeRounds(slices.get(gateway)!);
        rows.push({ backend, workload, gateway: gateway.key, label: gateway.label, result });
        log(
          `  ${gateway.label}: ${fixed(result.rps)} req/s, p99 ${fixed(result.p99)} ms, CPU ${fixed(result.cpuMsPerRequest, 2)} ms/req (subgraphs ${fixed(result.subgraphCpuMsPerRequest, 2)}), peak ${fixed(result.peakMb)} MB, errors ${result.non2xx + result.graphqlErrors + result.transportErrors}; cores ${cpuSplit(result.cpu)}; limit: ${limitOf(result.cpu).text}`,
        );
      }
    };
    const ceiling = async (workload: Row['workload'], plans: Parameters<typeof replayCeiling>[0]) => {
      log(`${workload}: subgraph-direct ceiling`);
      const result = await replayCeiling(plans, ctx.identity, CONNECTIONS, SECONDS, WARMUP, backendWatched);
      rows.push({ backend, workload, gateway: 'ceiling', label: 'subgraph-direct ceiling', ceiling: result });
      log(
        `  ${fixed(result.rps)} req/s, p99 ${fixed(result.p99)} ms, subgraphs CPU ${fixed(result.subgraphCpuMsPerRequest, 2)} ms/req, ${fixed(result.fetchesPerRequest, 1)} fetches in ${result.stages} stages, errors ${result.errors}; cores ${cpuSplit(result.cpu)}; limit: ${limitOf(result.cpu).text}`,
      );
    };

    /** One cell of a gateway started for it alone (a step of ours, Hive with --fork), stopped after. */
    const aloneCell = async (start: () => Promise<Gateway>, workload: Row['workload'], ops: readonly Operation[]) => {
      const gateway = await start();
      running.push(gateway);
      await warm(gateway);
      await cells(workload, [gateway], ops);
      await gateway.child.stop();
      running.splice(running.indexOf(gateway), 1);
    };
    const stepCell = (step: Step, workload: Row['workload'], ops: readonly Operation[]) =>
      aloneCell(() => startOurs(ctx, supergraphPath, subgraphs.urls, false, step), workload, ops);

    // The repeated nested query.
    if (runs('nested')) await ceiling('nested', [nestedPlan]);
    if (runs('nested')) await cells('nested', compared, [NESTED]);
    if (runs('nested') && HIVE_FORK > 1 && measured.includes(hive))
      await aloneCell(() => startHive(ctx, supergraphPath, HIVE_FORK, 'jit'), 'nested', [NESTED]);
    // What each step buys (the full "ours" above adds the worker processes).
    if (runs('nested') && RUN_STEPS) {
      for (const step of STEPS) await stepCell(step, 'nested', [NESTED]);
    }
    // The mix.
    if (runs('mix')) await ceiling('mix', mixPlans);
    if (runs('mix')) await cells('mix', compared, operations);
    if (runs('mix') && RUN_STEPS) await stepCell(MIX_STEP, 'mix', operations);
    if (!runs('cacheable')) return;
    // The cacheable query: ours with the response cache on, beside everyone without.
    const cached = await startOurs(ctx, supergraphPath, subgraphs.urls, true);
    running.push(cached);
    // Twice: the second answer comes from the cache, and must be the stock gateway's too.
    const cachedCheck = [
      ...(await checkAnswers([stock, cached], [CACHEABLE], clientHeaders)).problems,
      ...(await checkAnswers([stock, cached], [CACHEABLE], clientHeaders)).problems,
    ];
    if (cachedCheck.length)
      notes.push(`${backend}: **ours with the response cache answered the cacheable query wrongly**: ${cachedCheck.join('; ')}`);
    await warm(cached);
    const floor = await startFloor(ctx, cached, clientHeaders);
    running.push(floor);
    await cells('cacheable', [cached, ...compared, floor], [CACHEABLE]);
    if (RUN_STEPS && WORKERS === 1)
      await aloneCell(() => startOurs(ctx, supergraphPath, subgraphs.urls, true, CACHE_WORKERS_STEP), 'cacheable', [CACHEABLE]);
  } finally {
    await Promise.all(running.map((g) => g.child.stop()));
    await Promise.all(subgraphs.children.map((c) => c.stop()));
    await subgraphs.database?.stop();
    await redis?.stop();
  }
}

function report(rows: Row[], notes: string[], redisLine: string): string {
  const find = (backend: Backend, workload: Row['workload'], gateway: string) =>
    rows.find((r) => r.backend === backend && r.workload === workload && r.gateway === gateway);
  const rps = (row: Row | undefined) => row?.result?.rps ?? row?.ceiling?.rps ?? NaN;
  const WORKLOADS: Record<Row['workload'], string> = {
    nested: 'nested query, repeated',
    mix: `varied mix (${MIX_SIZE} operations, 5 shapes)`,
    cacheable: 'cacheable query',
  };
  const sections: string[] = [];
  const verdicts: string[] = [];
  const ratioRows: (string | number)[][] = [];
  for (const backend of BACKENDS) {
    const mine = rows.filter((r) => r.backend === backend);
    if (mine.length === 0) continue;
    const tableRows = mine.map((r) => {
      const ceilingRps = rps(find(backend, r.workload, 'ceiling'));
      if (r.ceiling) {
        const c = r.ceiling;
        return [
          WORKLOADS[r.workload],
          `${r.label} (${fixed(c.fetchesPerRequest, 1)} fetches, ${c.stages} stages)`,
          fixed(c.rps),
          latency(c.p50),
          latency(c.p99),
          '–',
          fixed(c.subgraphCpuMsPerRequest, 2),
          '–',
          String(c.errors),
          '100%',
          cpuSplit(c.cpu),
          limitOf(c.cpu).text,
        ];
      }
      const x = r.result!;
      const errors = x.non2xx + x.graphqlErrors + x.transportErrors;
      const share = r.workload === 'cacheable' || !Number.isFinite(ceilingRps) ? '–' : `${fixed((100 * x.rps) / ceilingRps)}%`;
      const memory =
        x.processes > 1 ? `${fixed(x.peakMb)} (${x.processes}: ${x.perProcessMb.map((m) => fixed(m)).join(' + ')})` : fixed(x.peakMb);
      return [
        WORKLOADS[r.workload],
        r.label,
        fixed(x.rps),
        latency(x.p50),
        latency(x.p99),
        fixed(x.cpuMsPerRequest, 2),
        fixed(x.subgraphCpuMsPerRequest, 2),
        memory,
        errors ? `**${errors}**` : '0',
        share,
        cpuSplit(x.cpu),
        limitOf(x.cpu).text,
      ];
    });
    sections.push(`### ${backend === 'static' ? 'Static-data subgraphs (no database)' : `Real subgraphs (${env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'}, demo data${redisLine ? ', Redis' : ''})`}

${table(['workload', 'gateway', 'requests/s', 'p50 ms', 'p99 ms', 'gateway CPU ms/req', 'subgraphs CPU ms/req', 'peak MB (processes: each)', 'errors', 'of ceiling', 'cores: gateway / subgraphs / db / Redis / load gen. / other', 'limit'], tableRows)}`);
    const firstErrors = mine.filter((r) => r.result?.firstError).map((r) => `${r.label} (${r.workload}): ${r.result!.firstError}`);
    if (firstErrors.length)
      sections.push(`First bad answers: ${firstErrors.map((e) => `\`${e.replace(/`/g, "'").slice(0, 200)}\``).join('; ')}`);

    // Which is the limit, per workload and gateway: where the CPU went (processes.ts limitOf).
    for (const workload of ['nested', 'mix', 'cacheable'] as const) {
      const ceilingRow = find(backend, workload, 'ceiling');
      const gateways = mine.filter((r) => r.workload === workload && r.result);
      if (gateways.length === 0) continue;
      const limits = gateways.map((g) => ({ g, limit: limitOf(g.result!.cpu) }));
      const backendBound = limits.filter((l) => l.limit.backend);
      const parts = limits.map(
        ({ g, limit }) =>
          `${g.label} ${ceilingRow ? `${fixed((100 * rps(g)) / rps(ceilingRow))}% of the ceiling, ` : ''}held by ${limit.short}`,
      );
      verdicts.push(
        `- ${backend}, ${WORKLOADS[workload]}${ceilingRow ? ` (ceiling ${fixed(rps(ceilingRow))} req/s, ${fixed(ceilingRow.ceiling!.fetchesPerRequest, 1)} subgraph fetches in ${ceilingRow.ceiling!.stages} stages, held by ${limitOf(ceilingRow.ceiling!.cpu).short})` : ''}: ${parts.join('; ')}. ${
          backendBound.length
            ? `**The ${backend === 'real' ? 'Postgres-backed subgraphs' : 'subgraphs'} are the limit for ${backendBound.map((l) => l.g.label).join(', ')}**: ratios involving ${backendBound.length > 1 ? 'them' : 'it'} understate the gateways' differences.`
            : 'No subgraph, database or Redis process saturated: the gateways (and the machine they share) are the limit.'
        }`,
      );
      // Whether the target can be reached at all here: above the ceiling (a gateway sending the plan's
      // fetches) or the floor (one Node process answering from memory), only fewer fetches or more
      // processes could get there.
      const goal = TARGET_OVER_STOCK[workload] * rps(find(backend, workload, 'stock'));
      const bound = workload === 'cacheable' ? find(backend, workload, 'floor') : ceilingRow;
      if (bound && goal > rps(bound)) {
        verdicts.push(
          workload === 'cacheable'
            ? `  - **The target is above the node:http floor**: ${TARGET_OVER_STOCK[workload]}× stock is ${fixed(goal)} req/s, and one Node process that does nothing but answer the same bytes from memory reached ${fixed(rps(bound))} req/s here (the load generator shares the ${availableParallelism()} cores): no single gateway process can meet it on this machine.`
            : `  - **The target is above the subgraph-direct ceiling**: ${TARGET_OVER_STOCK[workload]}× stock is ${fixed(goal)} req/s, and a gateway costing nothing that sends the plan's fetches reaches ${fixed(rps(bound))} req/s over these subgraphs: only a gateway that sends fewer fetches (merged, deduplicated, coalesced or cached) can meet it.`,
        );
      }
    }
    const target = (label: string, value: number, goal: number, unit: '×' | 'MB' = '×') => {
      const ok = unit === 'MB' ? value <= goal : value >= goal;
      ratioRows.push([
        backend,
        label,
        unit === 'MB' ? `${fixed(value)} MB` : ratio(value),
        unit === 'MB' ? `≤ ${goal} MB` : `≥ ${goal}×`,
        Number.isFinite(value) ? (ok ? '✓' : '✗') : '–',
      ]);
    };
    const info = (label: string, value: number) => ratioRows.push([backend, label, ratio(value), '', '']);
    const r = (workload: Row['workload'], gateway: string) => rps(find(backend, workload, gateway));
    const cpu = (workload: Row['workload'], gateway: string) => find(backend, workload, gateway)?.result?.cpuMsPerRequest ?? NaN;
    target('repeated nested: ours / stock', r('nested', 'ours') / r('nested', 'stock'), TARGET_OVER_STOCK.nested);
    target(`repeated nested: ours / ${HIVE_SETUPS.jit.label}`, r('nested', 'ours') / r('nested', 'hive'), 2.5);
    info(`repeated nested: ours / ${HIVE_SETUPS['router-runtime'].label}`, r('nested', 'ours') / r('nested', 'hive-router'));
    if (find(backend, 'nested', 'hive-fork'))
      info(`repeated nested: ours / ${HIVE_SETUPS.jit.label} --fork ${HIVE_FORK}`, r('nested', 'ours') / r('nested', 'hive-fork'));
    for (const peer of Object.values(HIVE_SETUPS))
      info(`repeated nested: ${peer.label} / stock`, r('nested', peer.key) / r('nested', 'stock'));
    info('repeated nested, CPU per request: stock / ours', cpu('nested', 'stock') / cpu('nested', 'ours'));
    for (const peer of Object.values(HIVE_SETUPS))
      info(`repeated nested, CPU per request: ${peer.label} / ours`, cpu('nested', peer.key) / cpu('nested', 'ours'));
    for (const step of STEPS)
      if (find(backend, 'nested', step.key)) info(`repeated nested: ${step.label} / stock`, r('nested', step.key) / r('nested', 'stock'));
    target('varied mix: ours / stock', r('mix', 'ours') / r('mix', 'stock'), TARGET_OVER_STOCK.mix);
    // Issue #18: on the mix, ours against the best peer measured (the fastest of stock and the Hive Gateways).
    const peers = PEERS.filter((key) => find(backend, 'mix', key)?.result);
    const best = peers.reduce<string | undefined>((a, key) => (a === undefined || r('mix', key) > r('mix', a) ? key : a), undefined);
    const bestLabel = best ? find(backend, 'mix', best)!.label : 'no peer measured';
    if (backend === 'static') target(`varied mix: ours / best peer (${bestLabel})`, r('mix', 'ours') / (best ? r('mix', best) : NaN), 1.5);
    else info(`varied mix: ours / best peer (${bestLabel})`, r('mix', 'ours') / (best ? r('mix', best) : NaN));
    if (backend === 'real') target('varied mix: ours / subgraph-direct ceiling', r('mix', 'ours') / r('mix', 'ceiling'), 0.95);
    for (const peer of Object.values(HIVE_SETUPS)) {
      info(`varied mix: ours / ${peer.label}`, r('mix', 'ours') / r('mix', peer.key));
      info(`varied mix: ${peer.label} / stock`, r('mix', peer.key) / r('mix', 'stock'));
    }
    info('varied mix, CPU per request: stock / ours', cpu('mix', 'stock') / cpu('mix', 'ours'));
    for (const peer of Object.values(HIVE_SETUPS))
      info(`varied mix, CPU per request: ${peer.label} / ours`, cpu('mix', peer.key) / cpu('mix', 'ours'));
    if (find(backend, 'mix', MIX_STEP.key)) info(`varied mix: ${MIX_STEP.label} / stock`, r('mix', MIX_STEP.key) / r('mix', 'stock'));
    target(
      'cacheable, response cache on: ours / stock',
      r('cacheable', 'ours-cache') / r('cacheable', 'stock'),
      TARGET_OVER_STOCK.cacheable,
    );
    info('cacheable: ours with / without the response cache', r('cacheable', 'ours-cache') / r('cacheable', 'ours'));
    info('cacheable: node:http floor / stock', r('cacheable', 'floor') / r('cacheable', 'stock'));
    info('cacheable: ours with the response cache / node:http floor', r('cacheable', 'ours-cache') / r('cacheable', 'floor'));
    const workers = find(backend, 'cacheable', CACHE_WORKERS_STEP.key)?.result;
    if (workers)
      info(
        `cacheable: ${CACHE_WORKERS_STEP.label} / stock (peak ${fixed(workers.peakMb)} MB: ${workers.perProcessMb.map((m) => fixed(m)).join(' + ')})`,
        workers.rps / r('cacheable', 'stock'),
      );
    const oursPeak = Math.max(
      ...mine.filter((x) => x.gateway.startsWith('ours') && x.gateway !== CACHE_WORKERS_STEP.key && x.result).map((x) => x.result!.peakMb),
    );
    target(`peak memory of ours (all its processes, any cell${workers ? ' but the 2-worker row' : ''})`, oursPeak, 300, 'MB');
  }
  const oursProcesses = Math.max(0, ...rows.filter((r) => r.gateway === 'ours' && r.result).map((r) => r.result!.processes));
  const others = rows.map((r) => otherCores((r.result ?? r.ceiling)!.cpu));
  const meanOther = others.reduce((a, b) => a + b, 0) / Math.max(1, others.length);
  if (meanOther > 0.2) {
    notes.unshift(
      `**Not a quiet machine**: processes the bench did not start used ${meanOther.toFixed(2)} of the ${availableParallelism()} cores on average during the cells (up to ${Math.max(...others).toFixed(2)}); requests/s and latencies are skewed by them, CPU ms per request much less. Rerun on a quiet machine for the figures that count.`,
    );
  }
  // The command as run: every BENCH_* setting given in the environment, in front of it.
  const given = Object.keys(env)
    .filter((name) => name.startsWith('BENCH_') && name !== 'BENCH_IDENTITY_HEADERS')
    .sort()
    .map((name) => `${name}=${env[name]}`);
  return `Command: \`${[...given, 'npm run bench:gateway'].join(' ')}\` (BENCH_SECONDS=${SECONDS} measured per gateway and cell, in BENCH_ROUNDS=${ROUNDS} slices the gateways of a cell take in turns, each after ${WARMUP} s of warm-up; ${CONNECTIONS} connections, autocannon in the bench process; backends: ${BACKENDS.join(', ')}). A merged cell sums answers and seconds; p50 is the mean of the slices', p99 and memory the worst.
${machineLine()}

Gateways, all over the same supergraph and subgraphs: **ours** (\`dist/gateway/main.js\`, every feature on — JWT, signed identity per request, request limits, rate limit counted in ${redisLine || 'process'} with the limit out of reach, metrics, error masking — response cache off except where said; GATEWAY_WORKERS=${WORKERS} (BENCH_GATEWAY_WORKERS); ${oursProcesses} process(es) seen under load); **stock** @apollo/gateway ${versionOf('@apollo/gateway')} in @apollo/server ${versionOf('@apollo/server')}, no plugins (\`bench/gateway/stock-gateway.ts\`, one process); **${HIVE_SETUPS.jit.label}**, @graphql-hive/gateway ${versionOf('@graphql-hive/gateway')} CLI, and **${HIVE_SETUPS['router-runtime'].label}**, the same CLI with @graphql-hive/router-runtime ${versionOf('@graphql-hive/router-runtime')} (the Rust query planner), each set up as the Guild's federation gateway benchmark sets it up, from its repository ${GUILD_BENCHMARK}: ${Object.values(
    HIVE_SETUPS,
  )
    .map((p) => `${p.label}: ${p.how}`)
    .join(
      '; ',
    )}. Both run here as one process (\`--fork 1\`, as ours; that benchmark gives every gateway FORK=2 on 3 cores) with \`bench/gateway/hive.config.ts\` adding only the identity headers and logging at warn${HIVE_FORK > 1 ? `, and ${HIVE_SETUPS.jit.label} once more with \`--fork ${HIVE_FORK}\`, as many processes as ours, on the repeated query` : ''}. Router-runtime runs without --jit, as there: with it, graphql-jit executes the supergraph schema instead of the query plan, sends no subgraph request and answers null (hive.config.ts says why). Every gateway's answers are checked against stock's before the load, and a gateway that differs is not measured. The peers send one fixed STAFF identity, signed at start, to every subgraph (IDENTITY_MAX_SKEW_MS=${IDENTITY_MAX_SKEW_MS}); every client request carries a development STAFF token. Requests/s counts only 200 answers with data and no errors; gateway CPU ms/req is the user + system CPU time of all the gateway's processes during the measured seconds divided by those answers (less sensitive than requests/s to what else runs on the machine), subgraphs CPU ms/req the same for the subgraph processes (the database process not included); peak MB is the summed RSS of every process of the gateway under test, sampled every 200 ms (warm-up included). The subgraph-direct ceiling replays, straight to the subgraphs, the subgraph fetches @apollo/gateway's query plan makes for the same operations (stage after stage, parallel within a stage, ${CONNECTIONS} at once): what a gateway costing nothing would reach.

${sections.join('\n\n')}

Which is the limit, from where the CPU went during each cell: a subgraph or database process at ≥ 85% of a core is saturated (the backend is the limit), else a gateway process at ≥ 85% (the gateway is), else the load generator, else all the machine's CPUs busy (the gateway, the subgraphs and the load generator share ${availableParallelism()} cores), else nothing (latency-bound). "Other" cores are everything else running on the machine. Ours may pass 100% of the ceiling: it merges and deduplicates subgraph fetches, so it sends fewer than the plan's.
${verdicts.join('\n')}

${table(['backend', 'measure', 'value', 'target', ''], ratioRows)}

${notes.map((n) => `- ${n}`).join('\n')}`;
}

/** BENCH_ONLY=subscriptions runs only the subscriptions part; unset, everything. */
const ONLY = env.BENCH_ONLY ?? '';
if (ONLY !== '' && ONLY !== 'subscriptions') throw new Error('BENCH_ONLY must be subscriptions (or unset for everything)');
const SUBSCRIPTIONS = Number(env.BENCH_SUBSCRIPTIONS ?? 2_000);
const SUBSCRIPTION_SECONDS = Number(env.BENCH_SUBSCRIPTION_SECONDS ?? 20);
/** How often the cases subgraph's relay reads new case events in this part (its default is 100 ms). */
const RELAY_INTERVAL_MS = env.BENCH_RELAY_INTERVAL_MS ?? '10';
const SUBSCRIPTIONS_TITLE = 'Gateway: subscriptions, commit to client (bench:gateway)';
/** The gateway's old-generation cap in this part (BENCH_SUBSCRIPTION_HEAP_MB; default: as deployed, gateway/runtime.ts). */
const SUBSCRIPTION_HEAP_MB = Number(env.BENCH_SUBSCRIPTION_HEAP_MB ?? GATEWAY_HEAP_MB);

/**
 * Subscriptions (bench/gateway/subscriptions.ts): the real subgraphs over their database, Redis (the
 * case event stream), and ours alone, one process; N SSE subscriptions with one case event a second
 * each. Answers the results section's body.
 */
async function subscriptionsPart(ctx: Context): Promise<string> {
  const log = (message: string) => console.log(`[bench:gateway] ${message}`);
  let redis: Child | undefined;
  let redisUrl = ctx.redisUrl;
  if (!redisUrl) {
    if (!redisServerOnPath()) throw new Error('subscriptions: needs Redis (REDIS_URL or a redis-server on PATH)');
    const port = await freePort();
    redis = startChild('redis', 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      ...env,
    });
    await waitForOutput(redis, /Ready to accept connections/);
    redisUrl = `redis://127.0.0.1:${port}`;
  }
  log('subscriptions: starting the real subgraphs');
  const subgraphs = await startRealSubgraphs(redisUrl, { CASE_EVENT_RELAY_INTERVAL_MS: RELAY_INTERVAL_MS });
  let ours: Gateway | undefined;
  try {
    const supergraphPath = join(ctx.tmp, 'supergraph-subscriptions.graphql');
    rewriteSupergraph(subgraphs.urls, supergraphPath);
    ours = await startOurs({ ...ctx, redisUrl }, supergraphPath, subgraphs.urls, false, {
      key: 'ours-subscriptions',
      label: 'ours',
      env: { GATEWAY_WORKERS: '1' },
      nodeArgs: [`--max-old-space-size=${SUBSCRIPTION_HEAP_MB}`],
    });
    const watched: Watched[] = [
      { label: 'gateway', kind: 'gateway', pgid: ours.child.pid },
      ...subgraphs.children.map((c) => ({ label: `${c.name} subgraph`, kind: 'subgraph' as const, pgid: c.pid })),
      ...(subgraphs.database ? [{ label: 'the database (PGlite)', kind: 'database' as const, pgid: subgraphs.database.pid }] : []),
      ...(redis ? [{ label: 'Redis', kind: 'redis' as const, pgid: redis.pid }] : []),
    ];
    const result = await benchSubscriptions({
      url: ours.url,
      base: ours.url.replace(/\/graphql$/, ''),
      databaseUrl: subgraphs.databaseUrl!,
      redisUrl,
      jwtSecret: env.JWT_SECRET || DEV_JWT_SECRET,
      subscriptions: SUBSCRIPTIONS,
      seconds: SUBSCRIPTION_SECONDS,
      warmupSeconds: 5,
      watched,
      log,
    });
    const database = env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : 'the embedded PGlite in its own process';
    return subscriptionReport(
      result,
      `Command: \`${env.DATABASE_URL ? 'DATABASE_URL=postgres://… ' : ''}${SUBSCRIPTION_HEAP_MB === GATEWAY_HEAP_MB ? '' : `BENCH_SUBSCRIPTION_HEAP_MB=${SUBSCRIPTION_HEAP_MB} `}BENCH_ONLY=subscriptions npm run bench:gateway\` (${new Date().toISOString().slice(0, 10)}; BENCH_SUBSCRIPTIONS=${SUBSCRIPTIONS}, ${SUBSCRIPTION_SECONDS} s measured after 5 s; the real subgraphs over ${database} with the demo data, ${redis ? 'a redis-server of its own' : 'REDIS_URL'} for the case event stream, CASE_EVENT_RELAY_INTERVAL_MS=${RELAY_INTERVAL_MS}; ours as deployed${SUBSCRIPTION_HEAP_MB === GATEWAY_HEAP_MB ? ` (old generation capped at ${GATEWAY_HEAP_MB} MB)` : `, but with its old generation capped at ${SUBSCRIPTION_HEAP_MB} MB instead of ${GATEWAY_HEAP_MB} (BENCH_SUBSCRIPTION_HEAP_MB)`}, one process, every feature on, response cache off; the subscribers are SSE streams (graphql-sse distinct connections, one caller each) read by the bench process, which also commits the events: a multi-row INSERT into cases.case_event every 50 ms. Latency: from the INSERT's answer to the frame read here; memory: the gateway's own /metrics, median of 5 reads). ${machineLine()}`,
    );
  } finally {
    await ours?.child.stop();
    await Promise.all(subgraphs.children.map((c) => c.stop()));
    await subgraphs.database?.stop();
    await redis?.stop();
  }
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'bga-bench-gateway-'));
  installCleanup(async () => rmSync(tmp, { recursive: true, force: true }));
  const notes: string[] = [];
  const rows: Row[] = [];
  try {
    const redisLine = env.REDIS_URL ? 'Redis (REDIS_URL)' : redisServerOnPath() ? 'Redis (a redis-server started for each backend)' : '';
    if (!redisLine) notes.push('No REDIS_URL and no redis-server on PATH: our gateway and the real subgraphs used in-process caches.');
    if (env.REDIS_URL) notes.push('REDIS_URL is shared by both backends: what one left in the response cache may answer the other.');
    const ctx: Context = {
      tmp,
      redisUrl: env.REDIS_URL,
      token: await mintDevToken(env.JWT_SECRET || DEV_JWT_SECRET, { sub: 'user:bench-gateway', role: 'STAFF' }),
      identity: signIdentity({ sub: 'user:bench-gateway', role: 'STAFF' }, env.IDENTITY_SECRET || DEV_IDENTITY_SECRET),
    };
    if (ONLY !== 'subscriptions') {
      for (const backend of BACKENDS) {
        if (backend !== 'static' && backend !== 'real') throw new Error(`BENCH_BACKENDS: unknown backend "${backend}" (static, real)`);
        await benchBackend(ctx, backend, rows, notes);
      }
      const text = report(rows, notes, redisLine);
      if (WORKLOADS_RUN.length === ALL_WORKLOADS.length)
        writeResultsSection('Gateway: ours vs stock @apollo/gateway vs Hive Gateway (bench:gateway)', text);
      console.log(`\n${text}`);
    }
    if (ONLY === '' || ONLY === 'subscriptions') {
      const text = await subscriptionsPart(ctx);
      // A run with another heap cap keeps a section of its own beside the deployed one's.
      writeResultsSection(
        SUBSCRIPTION_HEAP_MB === GATEWAY_HEAP_MB
          ? SUBSCRIPTIONS_TITLE
          : `${SUBSCRIPTIONS_TITLE.slice(0, -1)}, old generation ${SUBSCRIPTION_HEAP_MB} MB)`,
        text,
      );
      console.log(`\n${text}`);
    }
  } finally {
    await stopAll();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch(async (error) => {
  console.error(error);
  await stopAll();
  process.exit(1);
});
