import { CachedLoader, createCache, MemoryCache, type Cache } from '../cache';
import { newStats } from '../stats';

const redisUrl = process.env.REDIS_URL;

function behavesLikeACache(name: string, make: () => Cache) {
  describe(name, () => {
    let cache: Cache;
    beforeAll(async () => {
      cache = make();
      expect(await cache.ready(5_000)).toBe(true);
    });
    afterAll(() => cache.close());

    it('stores, expires on TTL and deletes', async () => {
      const key = `test:${name}:${Date.now()}`;
      expect(await cache.get(key)).toBeNull();
      await cache.set(key, 'v', 60);
      expect(await cache.get(key)).toBe('v');
      await cache.del(key);
      expect(await cache.get(key)).toBeNull();
    });

    it('counts generations atomically', async () => {
      const key = `test:gen:${name}:${Date.now()}`;
      const values = await Promise.all([cache.incr(key), cache.incr(key), cache.incr(key)]);
      expect([...values].sort()).toEqual([1, 2, 3]);
    });

    it('counts in a window that a new key opens and an existing key keeps', async () => {
      const key = `test:window:${name}:${Date.now()}`;
      expect(await cache.incr(key, 1)).toBe(1);
      expect(await cache.incr(key, 100)).toBe(2);
      await new Promise((r) => setTimeout(r, 1_200));
      expect(await cache.incr(key, 1)).toBe(1);
    });

    it('adds more than one at a time, and a key the call creates still gets its window', async () => {
      const key = `test:window-by:${name}:${Date.now()}`;
      expect(await cache.incr(key, 1, 5)).toBe(5);
      expect(await cache.incr(key, 100, 3)).toBe(8);
      await new Promise((r) => setTimeout(r, 1_200));
      expect(await cache.incr(key, 1, 2)).toBe(2);
    });

    it('single-flights concurrent misses into one load and counts hits', async () => {
      const loader = new CachedLoader(cache);
      const key = `test:sf:${name}:${Date.now()}`;
      let loads = 0;
      const stats = newStats();
      const load = async () => {
        loads++;
        await new Promise((r) => setTimeout(r, 20));
        return { price: 37000 };
      };
      const results = await Promise.all(Array.from({ length: 20 }, () => loader.get(key, 60, load, stats)));
      expect(loads).toBe(1);
      expect(results.every((r) => r.value.price === 37000)).toBe(true);
      const again = await loader.get(key, 60, load, stats);
      expect(again).toEqual({ value: { price: 37000 }, cached: true });
      expect(loads).toBe(1);
      expect(stats.cacheHits).toBe(1);
      expect(stats.cacheMisses).toBe(20);
    });
  });
}

behavesLikeACache('memory cache', () => new MemoryCache(100));

// Without REDIS_URL there is no Redis to test against here: CI sets it and runs these against a real redis-server.
const describeRedis = redisUrl ? describe : describe.skip;
describeRedis('with REDIS_URL', () => {
  behavesLikeACache('redis cache', () => createCache({ redisUrl }));
  it('connects to REDIS_URL', async () => {
    const cache = createCache({ redisUrl });
    expect(await cache.ready(5_000)).toBe(true);
    expect(await cache.ping()).toBe(true);
    await cache.close();
  });
});

describe('memory cache eviction', () => {
  it('evicts the least recently used entry past its size', async () => {
    const cache = new MemoryCache(2);
    await cache.set('a', '1', 60);
    await cache.set('b', '2', 60);
    await cache.get('a');
    await cache.set('c', '3', 60);
    expect(await cache.get('b')).toBeNull();
    expect(await cache.get('a')).toBe('1');
  });

  it('keeps what it holds within its character budget, whatever the number of entries (found by the gateway fuzz suite)', async () => {
    const cache = new MemoryCache(10_000, 1_000);
    for (let i = 0; i < 50; i++) await cache.set(`k${i}`, 'x'.repeat(200), 60);
    const kept = (await Promise.all(Array.from({ length: 50 }, (_, i) => cache.get(`k${i}`)))).filter((v) => v !== null);
    expect(kept.length).toBe(4); // 4 x (3 + 200) characters fit in 1,000; the most recent ones
    expect(await cache.get('k49')).not.toBeNull();
    await cache.set('huge', 'x'.repeat(2_000), 60);
    expect(await cache.get('huge')).toBeNull();
    expect(await cache.get('k49')).not.toBeNull();
    await cache.del('k49');
    for (let i = 0; i < 5; i++) await cache.set(`n${i}`, 'y'.repeat(150), 60);
    expect(await cache.get('n4')).not.toBeNull();
    // An entry found expired gives its characters back.
    const expiring = new MemoryCache(10, 1_000);
    await expiring.set('old', 'z'.repeat(900), 0.001);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await expiring.get('old')).toBeNull();
    await expiring.set('new', 'z'.repeat(900), 60);
    expect(await expiring.get('new')).not.toBeNull();
  });
});

describe('memory cache expiry', () => {
  afterEach(() => jest.restoreAllMocks());

  it('drops expired entries nobody reads again, so under steady load it holds what is live (bench:soak without Redis)', async () => {
    let now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const cache = new MemoryCache(10_000, 10_000_000);
    // A new key every second, each kept 60 s and never read again (metrics of a past generation, a one-off quote).
    for (let second = 0; second < 600; second++) {
      await cache.set(`metrics:${second}`, 'x'.repeat(1_000), 60);
      now += 1_000;
    }
    const { entries, chars } = cache.held();
    // The last 60 s are live; at most one sweep interval (10 s) of expired ones waits for the next sweep.
    expect(entries).toBeGreaterThanOrEqual(60);
    expect(entries).toBeLessThanOrEqual(71);
    expect(chars).toBe(entries * (1_000 + 'metrics:599'.length));
    expect(await cache.get('metrics:599')).not.toBeNull();
    expect(await cache.get('metrics:500')).toBeNull();
  });
});

describe('createCache', () => {
  it('bounds the in-process cache by the characters it is given (CACHE_MEMORY_MAX_MB)', async () => {
    const cache = createCache({ memoryMaxChars: 1_000 }) as MemoryCache;
    for (let i = 0; i < 20; i++) await cache.set(`k${i}`, 'v'.repeat(100), 60);
    expect(cache.held().chars).toBeLessThanOrEqual(1_000);
    expect(cache.held().entries).toBe(9); // 9 x (2 or 3 + 100) characters fit in 1,000
  });
});

describe('redis unreachable', () => {
  it('turns every operation into a miss or a no-op, quickly', async () => {
    const cache = createCache({ redisUrl: 'redis://127.0.0.1:1', commandTimeoutMs: 100 });
    const started = Date.now();
    expect(await cache.get('k')).toBeNull();
    await expect(cache.set('k', 'v', 10)).resolves.toBeUndefined();
    expect(await cache.incr('k')).toBeNull();
    expect(await cache.ping()).toBe(false);
    expect(Date.now() - started).toBeLessThan(2_000);
    await cache.close();
  });
});
