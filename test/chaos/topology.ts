/**
 * The whole graph for the chaos run, on loopback, every service its own OS process: the database
 * (PGlite's wire server as a child on a data dir in the run's temp folder, or a real PostgreSQL given
 * by CHAOS_DATABASE_URL with commands to stop and start it), a redis-server child, the three
 * subgraphs and the gateway. The carrier simulators run in this process: their control API is how
 * faults are injected and how applications are counted at the carriers.
 */
import { execSync } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, redisServerOnPath } from '../../scripts/embedded/redis-server';
import { seedDatabase } from '../../scripts/seed/seed';
import { createPool } from '../../subgraphs/shared/db';
import { startSimulators, type RunningSimulators } from '../../simulators/simulators';
import { portOpen, ProcessGroup, until, type ManagedProcess } from './processes';
import { GATEWAY_NODE_ARGS } from '../../gateway/runtime';

export const SUBGRAPH_NAMES = ['agents', 'cases', 'carriers'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

export interface Service {
  name: string;
  process: ManagedProcess;
  port: number;
  base: string;
}

/** The database whose restart is a scenario. */
export interface DatabaseUnderTest {
  kind: 'pglite' | 'postgresql';
  url: string;
  /** Takes the database down, keeps it down for holdMs, brings it back; answers when it is down and when it accepts queries again. */
  restart(holdMs: number): Promise<{ downAt: number; upAt: number }>;
  dispose(): Promise<void>;
}

export interface Topology {
  group: ProcessGroup;
  database: DatabaseUnderTest;
  /** Pool of the run itself, for the checks (never shared with a service). */
  pool: pg.Pool;
  redis?: { process: ManagedProcess; port: number; url: string };
  /** Why there is no Redis, when there is none. */
  redisSkipped?: string;
  simulators: RunningSimulators;
  subgraphs: Record<SubgraphName, Service>;
  gateway: Service;
  graphqlUrl: string;
  stop(): Promise<void>;
}

export interface TopologyOptions {
  root: string;
  workDir: string;
  logDir: string;
  say: (message: string) => void;
  seed: { cases: number; agents: number; seed: number };
}

const dist = (root: string, path: string) => join(root, 'dist', path);

export async function health(base: string, path = '/health', timeoutMs = 1_000): Promise<{ status: number; body: any } | undefined> {
  try {
    const response = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
    return { status: response.status, body: await response.json().catch(() => undefined) };
  } catch {
    return undefined;
  }
}

async function canQuery(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function startPglite(group: ProcessGroup, options: TopologyOptions): Promise<DatabaseUnderTest> {
  const port = await freePort();
  const dataDir = join(options.workDir, 'pglite');
  const process_ = group.add({
    name: 'postgres-pglite',
    command: process.execPath,
    args: [dist(options.root, 'test/chaos/pglite-process.js'), dataDir, String(port)],
    env: { ...process.env },
  });
  const url = `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
  const up = async () => {
    process_.start();
    await until(
      'the database to accept queries',
      async () => {
        if (!process_.alive) throw new Error(`the database process exited:\n${process_.tail()}`);
        return (await canQuery(url)) || undefined;
      },
      60_000,
      100,
    );
  };
  await up();
  return {
    kind: 'pglite',
    url,
    async restart(holdMs) {
      const downAt = Date.now();
      // A crash, not a shutdown: no goodbye to any connection, as when the database host dies.
      await process_.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, holdMs));
      await up();
      return { downAt, upAt: Date.now() };
    },
    async dispose() {
      await process_.kill('SIGTERM');
    },
  };
}

/**
 * A real PostgreSQL: CHAOS_DATABASE_URL names the server (a throwaway database bga_chaos_<pid> is
 * made on it and dropped afterwards), and CHAOS_DB_STOP_CMD + CHAOS_DB_START_CMD (or one
 * CHAOS_DB_RESTART_CMD) take it down and up, e.g. `pg_ctl -D … -m immediate stop` / `pg_ctl -D … -w start`.
 */
async function externalPostgres(options: TopologyOptions): Promise<DatabaseUnderTest> {
  const env = process.env;
  const admin = env.CHAOS_DATABASE_URL!;
  const stopCmd = env.CHAOS_DB_STOP_CMD;
  const startCmd = env.CHAOS_DB_START_CMD;
  const restartCmd = env.CHAOS_DB_RESTART_CMD;
  if (!(stopCmd && startCmd) && !restartCmd) {
    throw new Error('CHAOS_DATABASE_URL needs CHAOS_DB_STOP_CMD and CHAOS_DB_START_CMD (or CHAOS_DB_RESTART_CMD) to restart the database');
  }
  const name = `bga_chaos_${process.pid}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${name}`);
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const target = new URL(admin);
  target.pathname = `/${name}`;
  const url = target.toString();
  const run = (command: string) => execSync(command, { stdio: ['ignore', 'ignore', 'inherit'], timeout: 60_000 });
  options.say(`PostgreSQL at ${target.host}, database ${name}`);
  return {
    kind: 'postgresql',
    url,
    async restart(holdMs) {
      const downAt = Date.now();
      if (stopCmd && startCmd) {
        run(stopCmd);
        await new Promise((r) => setTimeout(r, holdMs));
        run(startCmd);
      } else {
        run(restartCmd!);
      }
      await until('PostgreSQL to accept queries', async () => (await canQuery(url)) || undefined, 60_000, 100);
      return { downAt, upAt: Date.now() };
    },
    async dispose() {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await c.end();
    },
  };
}

async function startRedis(group: ProcessGroup): Promise<{ process: ManagedProcess; port: number; url: string }> {
  const port = await freePort();
  const process_ = group.add({
    name: 'redis',
    command: 'redis-server',
    // No persistence: a restarted Redis comes back empty, the hardest case for "the cache recovers".
    args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    env: { ...process.env },
  });
  process_.start();
  await until('redis-server to listen', async () => (await portOpen(port)) || undefined, 10_000, 50);
  return { process: process_, port, url: `redis://127.0.0.1:${port}` };
}

/** Starts a service and waits for its /health. */
export async function startService(service: Service, timeoutMs = 60_000): Promise<void> {
  service.process.start();
  await until(
    `${service.name} to answer /health`,
    async () => {
      if (!service.process.alive) throw new Error(`${service.name} exited during start-up:\n${service.process.tail()}`);
      return (await health(service.base))?.status === 200 || undefined;
    },
    timeoutMs,
    100,
  );
}

/**
 * The cases subgraph's vendor settings: the vendors' webhooks reach it on its own port, and an
 * order with no news for 3 s is asked about every second (the vendor scenario drops webhooks).
 */
const vendorEnv = (port: number) => ({
  VENDOR_CALLBACK_BASE_URL: `http://127.0.0.1:${port}`,
  VENDOR_POLL_INTERVAL_MS: '1000',
  VENDOR_POLL_STALE_SECONDS: '3',
});

export async function startTopology(options: TopologyOptions): Promise<Topology> {
  const { say } = options;
  const group = new ProcessGroup(options.logDir, dist(options.root, 'test/chaos/watchdog.js'));
  let database: DatabaseUnderTest | undefined;
  let simulators: RunningSimulators | undefined;
  let pool: pg.Pool | undefined;
  const stop = async () => {
    await group.stopAll();
    await simulators?.stop().catch(() => undefined);
    await pool?.end().catch(() => undefined);
    await database?.dispose().catch(() => undefined);
  };
  try {
    if (process.env.CHAOS_DATABASE_URL) {
      database = await externalPostgres(options);
    } else {
      say('starting the database: PGlite over the wire protocol, its own process');
      database = await startPglite(group, options);
    }
    pool = createPool(database.url, 2);
    const anchor = new Date().toISOString().slice(0, 10);
    const seeded = await seedDatabase(pool, { ...options.seed, anchor });
    say(`seeded ${seeded.cases} cases`);

    let redis: Topology['redis'];
    let redisSkipped: string | undefined;
    if (redisServerOnPath()) redis = await startRedis(group);
    else redisSkipped = 'no redis-server on PATH: the services run with in-process caches and the Redis scenario is skipped';

    // The producer database knows the seeded world's agents: the scheduled license sync (every 60 s) then
    // finds the licenses the seed wrote, instead of another world's that leave agents unlicensed mid-run.
    simulators = await startSimulators({
      host: '127.0.0.1',
      latencyMs: 20,
      jitterMs: 30,
      autoProgressMs: 0,
      pdb: { world: { agents: options.seed.agents, seed: options.seed.seed, anchor } },
    });
    const gatewayPort = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...simulators.env,
      DATABASE_URL: database.url,
      ...(redis ? { REDIS_URL: redis.url } : {}),
      DEBUG_STATS: 'true',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      HOST: '127.0.0.1',
      // Applications go out within half a second of being written (1 s by default).
      OUTBOX_POLL_MS: '500',
    };
    delete env.NODE_OPTIONS;
    // Only what this run started: never a Redis or database of the caller's environment.
    if (!redis) delete env.REDIS_URL;
    delete env.REDIS_CLUSTER;
    // Every port first: the cases subgraph asks the agents and carriers subgraphs on their own URLs.
    const ports = {} as Record<SubgraphName, number>;
    for (const name of SUBGRAPH_NAMES) ports[name] = await freePort();
    env.AGENTS_SUBGRAPH_URL = `http://127.0.0.1:${ports.agents}/graphql`;
    env.CARRIERS_SUBGRAPH_URL = `http://127.0.0.1:${ports.carriers}/graphql`;
    const subgraphs = {} as Record<SubgraphName, Service>;
    for (const name of SUBGRAPH_NAMES) {
      const port = ports[name];
      subgraphs[name] = {
        name: `${name} subgraph`,
        port,
        base: `http://127.0.0.1:${port}`,
        process: group.add({
          name,
          command: process.execPath,
          args: ['--enable-source-maps', dist(options.root, 'subgraphs/run.js'), name],
          env: { ...env, PORT: String(port), ...(name === 'cases' ? vendorEnv(port) : {}) },
        }),
      };
    }
    say('starting the three subgraphs');
    await Promise.all(Object.values(subgraphs).map((s) => startService(s)));
    const gateway: Service = {
      name: 'gateway',
      port: gatewayPort,
      base: `http://127.0.0.1:${gatewayPort}`,
      process: group.add({
        name: 'gateway',
        command: process.execPath,
        args: ['--enable-source-maps', ...GATEWAY_NODE_ARGS, dist(options.root, 'gateway/main.js')],
        env: {
          ...env,
          PORT: String(gatewayPort),
          SUPERGRAPH_PATH: join(options.root, 'schema', 'supergraph.graphql'),
          ...Object.fromEntries(SUBGRAPH_NAMES.map((name) => [`${name.toUpperCase()}_URL`, `${subgraphs[name].base}/graphql`])),
        },
      }),
    };
    say('starting the gateway');
    await startService(gateway);
    await until(
      'the gateway to be ready',
      async () => ((await health(gateway.base, '/ready'))?.body?.status === 'ready' ? true : undefined),
      30_000,
      200,
    );
    return { group, database, pool, redis, redisSkipped, simulators, subgraphs, gateway, graphqlUrl: `${gateway.base}/graphql`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
