/**
 * `npm start`: the whole graph on embedded defaults, one command. Starts the database (PGlite over
 * the Postgres wire protocol unless DATABASE_URL is set), Redis (REDIS_URL, else a redis-server from
 * PATH on a free port, else an in-process cache, said plainly), the carrier and e-signature simulators, the three
 * subgraphs and the gateway as their own processes, seeds demo data on first run, and prints how to
 * query. Ctrl-C stops everything it started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { mintDevToken } from '../gateway/plugins/authentication';
import { DEV_JWT_SECRET, int } from '../platform/config';
import { createPool } from '../subgraphs/shared/db';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded/pglite-server';
import { startEmbeddedRedis, type EmbeddedRedis } from './embedded/redis-server';
import { seedDatabase } from './seed/seed';
import { startSimulators, type RunningSimulators } from '../simulators/simulators';
import { GATEWAY_NODE_ARGS } from '../gateway/runtime';

const DIST = join(__dirname, '..');
const say = (message: string) => console.log(`[bga-graph] ${message}`);

async function waitForHealth(url: string, child: ChildProcess, name: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} during start-up (see its log above)`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} did not become healthy within ${timeoutMs} ms`);
}

async function main(): Promise<void> {
  const env = process.env;
  const gatewayPort = int(env, 'PORT', 4000, { min: 1, max: 65535 });
  const ports = {
    agents: int(env, 'AGENTS_PORT', 4001, { min: 1, max: 65535 }),
    cases: int(env, 'CASES_PORT', 4002, { min: 1, max: 65535 }),
    carriers: int(env, 'CARRIERS_PORT', 4003, { min: 1, max: 65535 }),
  };
  const children: ChildProcess[] = [];
  let database: EmbeddedDatabase | undefined;
  let redis: EmbeddedRedis | undefined;
  let simulators: RunningSimulators | undefined;
  let stopping = false;

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping...');
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
            child.once('exit', () => (clearTimeout(timer), resolve()));
            child.kill('SIGTERM');
          }),
      ),
    );
    await simulators?.stop().catch(() => undefined);
    await redis?.stop().catch(() => undefined);
    await database?.stop().catch(() => undefined);
    process.exit(code);
  };
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));
  // Never leave orphans, even when we die of something else.
  process.once('exit', () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  });

  try {
    let databaseUrl = env.DATABASE_URL;
    if (!databaseUrl) {
      const dataDir = env.PGLITE_DATA_DIR ?? join(process.cwd(), '.data', 'pglite');
      say(`starting embedded Postgres (PGlite) with data in ${dataDir}`);
      database = await startEmbeddedDatabase({ dataDir });
      databaseUrl = database.url;
    }
    const pool = createPool(databaseUrl, 2);
    const seeded = await seedDatabase(pool, { log: say });
    // The producer database's data is the seed's as of the day it was seeded (its dates count from that day).
    const seededOn = (
      await pool.query<{ day: string | null }>(`SELECT to_char(min(created_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day FROM agents.agent`)
    ).rows[0]?.day;
    await pool.end();
    say(seeded.seeded ? `seeded demo data (${seeded.cases} cases)` : 'demo data already present (npm run db:reset starts over)');

    let redisUrl = env.REDIS_URL;
    if (!redisUrl) {
      redis = await startEmbeddedRedis();
      redisUrl = redis?.url;
      say(
        redis
          ? `started redis-server at ${redis.url}`
          : 'no REDIS_URL and no redis-server on PATH: using an in-process cache (not shared between processes)',
      );
    }

    // The simulated carriers: real HTTP servers speaking each carrier's protocol, with a little latency.
    simulators = await startSimulators({
      host: '127.0.0.1',
      latencyMs: int(env, 'SIMULATOR_LATENCY_MS', 40, { min: 0, max: 60_000 }),
      jitterMs: int(env, 'SIMULATOR_JITTER_MS', 40, { min: 0, max: 60_000 }),
      autoProgressMs: int(env, 'SIMULATOR_PROGRESS_MS', 60_000, { min: 0 }),
      appointmentDecisionMs: int(env, 'SIMULATOR_APPOINTMENT_DECISION_MS', 60_000, { min: 0 }),
      // Vendor orders move along their stages on their own, a stage a minute by default.
      vendors: { autoProgressMs: int(env, 'SIMULATOR_VENDOR_PROGRESS_MS', 60_000, { min: 0 }) },
      // Carriers push each status change to the cases subgraph, signed with its (development) push secret.
      carrierPush: { baseUrl: `http://127.0.0.1:${ports.cases}/webhooks/carriers`, secret: env.CARRIER_PUSH_SECRET },
      pdb: { world: { anchor: env.SIMULATOR_PDB_ANCHOR ?? seededOn ?? undefined } },
    });
    say(`started ${Object.keys(simulators.endpoints).length} simulated carriers (ACORD TXLife, REST/OAuth2, rate book)`);
    say(`started the simulated e-signature provider at ${simulators.esign.url}`);
    say(
      `started the simulated requirement vendors: PULSE (exams) at ${simulators.env.VENDOR_PULSE_URL}, CHARTWELL (APS) at ${simulators.env.VENDOR_CHARTWELL_URL}`,
    );
    say(
      `started the simulated national producer database at ${simulators.env.PDB_URL} (the license sync takes a batch of agents every 15 s)`,
    );

    const childEnv: NodeJS.ProcessEnv = {
      ...env,
      DATABASE_URL: databaseUrl,
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
      DEBUG_STATS: env.DEBUG_STATS ?? 'true',
      LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
      // The cases subgraph asks the agents and carriers subgraphs on their own ports (internal fields are not public).
      AGENTS_SUBGRAPH_URL: env.AGENTS_SUBGRAPH_URL ?? `http://127.0.0.1:${ports.agents}/graphql`,
      CARRIERS_SUBGRAPH_URL: env.CARRIERS_SUBGRAPH_URL ?? `http://127.0.0.1:${ports.carriers}/graphql`,
      ...simulators.env,
      // The e-signature provider calls the cases subgraph's webhook back on its own port.
      ESIGN_CALLBACK_URL: env.ESIGN_CALLBACK_URL ?? `http://127.0.0.1:${ports.cases}/webhooks/esign`,
      // And the agents subgraph's, for BGA agreements.
      AGENTS_ESIGN_CALLBACK_URL: env.AGENTS_ESIGN_CALLBACK_URL ?? `http://127.0.0.1:${ports.agents}/webhooks/esign-agreements`,
      // So do the requirement vendors (/webhooks/vendors/<vendor> under this origin).
      VENDOR_CALLBACK_BASE_URL: env.VENDOR_CALLBACK_BASE_URL ?? `http://127.0.0.1:${ports.cases}`,
      // The demo's license sync goes through the seeded agents in minutes (production's default is a batch a minute).
      PDB_SYNC_INTERVAL_MS: env.PDB_SYNC_INTERVAL_MS ?? '15000',
    };
    const spawnService = (name: string, script: string, port: number, extra: NodeJS.ProcessEnv = {}, nodeArgs: readonly string[] = []) => {
      const child = spawn(process.execPath, ['--enable-source-maps', ...nodeArgs, join(DIST, script)], {
        env: { ...childEnv, ...extra, PORT: String(port) },
        stdio: 'inherit',
      });
      children.push(child);
      child.once('exit', (code, signal) => {
        if (!stopping) {
          say(`${name} exited (${signal ?? code}); stopping everything`);
          void stopAll(1);
        }
      });
      return child;
    };
    for (const [name, port] of Object.entries(ports)) {
      const child = spawnService(name, `subgraphs/${name}/main.js`, port);
      await waitForHealth(`http://127.0.0.1:${port}/health`, child, `${name} subgraph`);
    }
    const gateway = spawnService(
      'gateway',
      'gateway/main.js',
      gatewayPort,
      {
        AGENTS_URL: `http://127.0.0.1:${ports.agents}/graphql`,
        CASES_URL: `http://127.0.0.1:${ports.cases}/graphql`,
        CARRIERS_URL: `http://127.0.0.1:${ports.carriers}/graphql`,
      },
      GATEWAY_NODE_ARGS,
    );
    await waitForHealth(`http://127.0.0.1:${gatewayPort}/health`, gateway, 'gateway');

    const secret = env.JWT_SECRET || DEV_JWT_SECRET;
    const staff = await mintDevToken(secret, { sub: 'user:dev-staff', role: 'STAFF' });
    const agent = await mintDevToken(secret, { sub: 'user:agt_0013', role: 'AGENT', agentId: 'agt_0013' });
    const url = `http://localhost:${gatewayPort}/graphql`;
    console.log(`
bga-graph is up: ${url}
Explorer (works offline): open ${url} in a browser; paste {"authorization": "Bearer <token>"} into its Headers tab.
Dashboard (works offline): open http://localhost:${gatewayPort}/dashboard in a browser; paste a token below to sign in.

Staff token (12 h):
  ${staff}
Agent token for agt_0013 (12 h):
  ${agent}

Try it (copy both lines):
  TOKEN=${staff}
  curl -s ${url} -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" -H 'x-debug-stats: 1' \\
    -d '{"query":"{ cases(first: 5, filter: {open: true}) { totalCount edges { node { caseNumber status agent { npn lastName licenses { state } } carrier { name amBestRating } product { name } requirements { code status } } } } }"}'

More tokens: npm run token -- --role admin | npm run token -- --agent agt_0042. Ctrl-C stops everything.
`);
  } catch (error) {
    console.error(`[bga-graph] start failed: ${(error as Error).message}`);
    await stopAll(1);
  }
}

void main();
