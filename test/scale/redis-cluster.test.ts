/**
 * The cache port over a real 3-node Redis Cluster (ioredis Cluster, configured as in production by
 * REDIS_URL + REDIS_CLUSTER): keys spread over the nodes' hash slots, reads and writes and
 * generation counters work, and no operation needs two keys in one slot. Then the whole graph with
 * two gateways, configured by those two variables only: ready, quotes and metrics generations
 * shared across gateways, and one rate limit counted by both.
 */
import { randomUUID } from 'node:crypto';
import type { RunningGateway } from '../../gateway/gateway';
import { CARRIERS } from '../../subgraphs/carriers/fixtures/carriers.fixture';
import { CachedLoader, createCache, type Cache } from '../../platform/cache';
import { readCommonConfig } from '../../platform/config';
import { newStats } from '../../platform/stats';
import { graphql } from '../support/graphql';
import { canRunRedisCluster, startRedisCluster, type RedisCluster } from '../support/redis-cluster';
import { scaleResults, startGatewayFor } from '../support/scale-out';
import { startStack, type Stack } from '../support/stack';
import { eligibleTargets, submission } from '../support/submissions';
import { testPool } from '../support/test-pool';

const available = canRunRedisCluster();
if (!available) console.log('[test] redis-server/redis-cli not on PATH: the Redis Cluster tests are skipped (CI installs them)');
const describeCluster = available ? describe : describe.skip; // skipped only when no redis-server is installed
const scale = scaleResults(
  'Redis Cluster: the cache and the whole graph on 3 nodes (test:scale)',
  'test/scale/redis-cluster.test.ts; a throwaway 3-node Redis Cluster (redis-server, no replicas) on loopback, ioredis Cluster configured by REDIS_URL and REDIS_CLUSTER=true; two gateways over one stack; PGlite, 12 simulated carriers, in the test process',
);
afterAll(() => scale.write());

describeCluster('cache on a 3-node Redis Cluster', () => {
  let cluster: RedisCluster;
  let cache: Cache;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    const config = readCommonConfig({ DATABASE_URL: 'postgres://unused', REDIS_URL: cluster.url, REDIS_CLUSTER: 'true' });
    cache = createCache({ redisUrl: config.redisUrl, cluster: config.redisCluster });
    expect(await cache.ready(10_000)).toBe(true);
  }, 30_000);

  afterAll(async () => {
    await cache?.close();
    await cluster?.stop();
  });

  it('stores and reads keys that land on every node', async () => {
    const keys = Array.from({ length: 60 }, (_, i) => `quote:v1:car_test:${i}`);
    await Promise.all(keys.map((key, i) => cache.set(key, String(i), 60)));
    expect(await Promise.all(keys.map((key) => cache.get(key)))).toEqual(keys.map((_, i) => String(i)));
    // The keys really are spread: every node holds some of them.
    const perNode = await Promise.all((cache.redis as import('ioredis').Cluster).nodes('master').map((node) => node.dbsize()));
    expect(perNode).toHaveLength(3);
    expect(perNode.every((n) => n > 0)).toBe(true);
    scale.record('60 keys written and read back', `keys per node: ${perNode.join(', ')}`);
  });

  it('counts generations atomically and single-flights loads', async () => {
    const key = `metrics:gen:${Date.now()}`;
    const values = await Promise.all(Array.from({ length: 10 }, () => cache.incr(key)));
    expect([...values].sort((a, b) => a! - b!)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const loader = new CachedLoader(cache);
    let loads = 0;
    const stats = newStats();
    const results = await Promise.all(Array.from({ length: 10 }, () => loader.get(`sf:${key}`, 60, async () => ++loads, stats)));
    expect(loads).toBe(1);
    expect(results.every((r) => r.value === 1)).toBe(true);
    expect((await loader.get(`sf:${key}`, 60, async () => ++loads, stats)).cached).toBe(true);
    scale.record('10 concurrent INCRs; 10 concurrent loads of one key', 'generations 1 to 10, each once; 1 load, then a cache hit');
  });
});

describeCluster('the whole graph on a 3-node Redis Cluster, configured by REDIS_URL and REDIS_CLUSTER', () => {
  let cluster: RedisCluster;
  let stack: Stack;
  let gatewayB: RunningGateway;
  let staff: string;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    stack = await startStack({ env: { REDIS_URL: cluster.url, REDIS_CLUSTER: 'true' } });
    gatewayB = await startGatewayFor(stack);
    staff = await stack.token('STAFF');
  }, 60_000);

  afterAll(async () => {
    await gatewayB?.stop();
    await stack?.stop();
    await cluster?.stop();
  });

  it('reports the cluster as its cache on /ready, at the gateway and at every subgraph', async () => {
    const ready = await (await fetch(new URL('/ready', stack.url))).json();
    expect(ready).toMatchObject({ status: 'ready', cache: { kind: 'redis', ok: true } });
    for (const subgraph of Object.values(stack.subgraphs)) {
      expect(await (await fetch(new URL('/ready', subgraph.url))).json()).toMatchObject({
        status: 'ready',
        cache: { kind: 'redis', ok: true },
      });
    }
    scale.record('/ready at the gateway and the 3 subgraphs', 'cache: redis, ok');
  });

  it('answers through gateway B from the quotes gateway A cached, spread over every node', async () => {
    const input = {
      state: 'OH',
      birthDate: '1979-11-02',
      gender: 'MALE',
      tobacco: true,
      healthClass: 'STANDARD',
      faceAmount: 250_000 + 1_000 * Math.floor(Math.random() * 500),
      termYears: 20,
    };
    const query = `query($i: QuoteInput!) { compareQuotes(input: $i) { quotes { product { id } annualPremium } outcomes { status cached } } }`;
    const first = await graphql(stack.url, query, { i: input }, { token: staff });
    expect(first.errors).toBeUndefined();
    const before = stack.simulators.control.totalCounts();
    const asked = performance.now();
    const again = await graphql(gatewayB.url, query, { i: input }, { token: staff });
    const took = performance.now() - asked;
    expect(again.data!.compareQuotes).toEqual({
      ...first.data!.compareQuotes,
      outcomes: first.data!.compareQuotes.outcomes.map((o: object) => ({ ...o, cached: true })),
    });
    expect(again.extensions!.stats.carriers).toMatchObject({ carrierCalls: 0, cacheHits: CARRIERS.length });
    expect(stack.simulators.control.totalCounts().quote).toBe(before.quote);
    // The keys the graph wrote (quotes, catalogs, tokens, generations, rate-limit counts) live on every node.
    const perNode = await Promise.all(
      (stack.subgraphs.carriers.cache.redis as import('ioredis').Cluster).nodes('master').map((node) => node.dbsize()),
    );
    expect(perNode).toHaveLength(3);
    expect(perNode.every((n) => n > 0)).toBe(true);
    scale.record(
      'a comparison cached through gateway A, asked through B',
      `${took.toFixed(0)} ms, ${CARRIERS.length} of ${CARRIERS.length} carriers from the cache, 0 carrier calls; the graph's keys per node: ${perNode.join(', ')}`,
    );
  });

  it('makes caseMetrics through gateway B fresh after a case written through gateway A', async () => {
    const pool = testPool(1);
    try {
      const [target] = await eligibleTargets(pool);
      const filter = { agentIds: [target.agentId], carrierIds: [target.carrierId] };
      const read = async () => {
        const response = await graphql(
          gatewayB.url,
          'query($f: CaseFilter) { caseMetrics(filter: $f) { totals { submitted } } }',
          { f: filter },
          { token: staff },
        );
        return {
          submitted: response.data!.caseMetrics.totals.submitted as number,
          cached: response.extensions!.stats.cases.cacheHits === 1,
        };
      };
      await read();
      let before = await read();
      for (let i = 0; i < 10 && !before.cached; i++) before = await read(); // other test files' writes start new generations too
      expect(before.cached).toBe(true);
      const submitted = await graphql(
        stack.url,
        'mutation($input: SubmitCaseInput!) { submitCase(input: $input) { id } }',
        { input: submission(target, `cluster-${randomUUID()}`) },
        { token: staff },
      );
      expect(submitted.errors).toBeUndefined();
      expect(await read()).toEqual({ submitted: before.submitted + 1, cached: false });
      scale.record(
        'caseMetrics through B after a case written through A',
        `fresh at the first read: ${before.submitted} → ${before.submitted + 1} submitted, not from the cache`,
      );
    } finally {
      await pool.end();
    }
  });

  it('counts one rate limit for a client across both gateways (one key per client and window, on one slot)', async () => {
    // Two more gateways with a small limit; a client of its own, so no other test's requests count.
    const limited = [
      await startGatewayFor(stack, { env: { RATE_LIMIT: '4', RATE_LIMIT_WINDOW_S: '60' } }),
      await startGatewayFor(stack, { env: { RATE_LIMIT: '4', RATE_LIMIT_WINDOW_S: '60' } }),
    ];
    try {
      const token = await stack.agentToken(`agt_cluster_${randomUUID().slice(0, 8)}`);
      // Windows are fixed (60 s): start well inside one, so all six requests count in the same.
      const intoWindow = Date.now() % 60_000;
      if (intoWindow > 55_000) await new Promise((r) => setTimeout(r, 60_500 - intoWindow));
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await graphql(limited[i % 2].url, '{ carriers { id } }', {}, { token })).status);
      expect(statuses.slice(0, 4)).toEqual([200, 200, 200, 200]);
      expect(statuses.slice(4)).toEqual([429, 429]);
      scale.record('one client, RATE_LIMIT=4 a minute, 6 requests alternating over two gateways', `statuses ${statuses.join(', ')}`);
    } finally {
      for (const gateway of limited) await gateway.stop();
    }
  });
});
