/**
 * The cache port over a real 3-node Redis Cluster (ioredis Cluster, configured as in production by
 * REDIS_URL + REDIS_CLUSTER): keys spread over the nodes' hash slots, reads and writes and
 * generation counters work, and no operation needs two keys in one slot.
 */
import { CachedLoader, createCache, type Cache } from '../../subgraphs/shared/cache';
import { readCommonConfig } from '../../subgraphs/shared/config';
import { newStats } from '../../subgraphs/shared/stats';
import { canRunRedisCluster, startRedisCluster, type RedisCluster } from '../support/redis-cluster';

const available = canRunRedisCluster();
if (!available) console.log('[test] redis-server/redis-cli not on PATH: the Redis Cluster tests are skipped (CI installs them)');
const describeCluster = available ? describe : describe.skip; // skipped only when no redis-server is installed

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
    const perNode = await Promise.all(
      (cache.redis as import('ioredis').Cluster).nodes('master').map((node) => node.dbsize()),
    );
    expect(perNode).toHaveLength(3);
    expect(perNode.every((n) => n > 0)).toBe(true);
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
  });
});
