import type { IncomingMessage } from 'node:http';
import { createCache, MemoryCache, type Cache } from '../../../platform/cache';
import { HttpError } from '../../../platform/http';
import { DEV_IDENTITY_SECRET, DEV_JWT_SECRET } from '../../../platform/config';
import { mintDevToken, requestIdentity } from '../authentication';
import { rateLimiter, verifiedClient } from '../rate-limit';

/** The limiter reads only these of a request (by default each client is its address). */
const requestOf = (address: string, authorization?: string) =>
  ({ headers: authorization ? { authorization } : {}, socket: { remoteAddress: address } }) as unknown as IncomingMessage;

/** The real in-process cache, with its round trips counted. */
function counted(cache: Cache): Cache & { incrCalls: number } {
  const wrapper = Object.create(cache) as Cache & { incrCalls: number };
  wrapper.incrCalls = 0;
  wrapper.incr = (...args: Parameters<Cache['incr']>) => {
    wrapper.incrCalls++;
    return cache.incr(...args);
  };
  return wrapper;
}

/** 200 or the HttpError's status, as a client would see it. */
async function status(check: (req: IncomingMessage) => Promise<void> | void, req: IncomingMessage): Promise<number> {
  try {
    await check(req);
    return 200;
  } catch (error) {
    if (error instanceof HttpError) return error.status;
    throw error;
  }
}

const windowed = { windowSeconds: 3600 };
let token = 0;
const client = () => requestOf(`client${++token}${Date.now()}`);

describe('rate limit (permits leased from the shared count)', () => {
  it('is exact for a small limit: two processes alternating serve 5, then 429 with Retry-After', async () => {
    const cache = counted(new MemoryCache(100));
    const a = rateLimiter(cache, { limit: 5, ...windowed });
    const b = rateLimiter(cache, { limit: 5, ...windowed });
    const req = client();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push(await status(i % 2 ? b : a, req));
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    try {
      await a(req);
      throw new Error('not refused');
    } catch (error) {
      expect((error as HttpError).code).toBe('RATE_LIMITED');
      expect(Number((error as HttpError).headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    // Once over, a process refuses without asking the cache again.
    const calls = cache.incrCalls;
    for (let i = 0; i < 10; i++) expect(await status(a, req)).toBe(429);
    expect(cache.incrCalls).toBe(calls);
  });

  it('takes permits in leases: 2,500 requests of one client cost 3 round trips, and the count covers every one served', async () => {
    const cache = counted(new MemoryCache(100));
    const limit = rateLimiter(cache, { limit: 100_000, ...windowed }); // leases of 1,000
    const name = `lease${Date.now()}`;
    const req = requestOf(name);
    for (let i = 0; i < 2_500; i++) expect(await status(limit, req)).toBe(200);
    expect(cache.incrCalls).toBe(3);
    const window = Math.floor(Date.now() / 1000 / windowed.windowSeconds);
    expect(Number(await cache.get(`ratelimit:${window}:a:${name}`))).toBe(3_000);
  });

  it('never serves more than the limit across processes, and serves all of it when every lease is used', async () => {
    const cache = counted(new MemoryCache(100));
    const processes = [rateLimiter(cache, { limit: 300, ...windowed }), rateLimiter(cache, { limit: 300, ...windowed })]; // leases of 3
    const req = client();
    let served = 0;
    for (let i = 0; i < 400; i++) if ((await status(processes[i % 2], req)) === 200) served++;
    expect(served).toBe(300);
    expect(cache.incrCalls).toBeLessThan(120); // 100 leases and the two that found the window over
  });

  it('lets concurrent first requests of a client share one lease', async () => {
    const cache = counted(new MemoryCache(100));
    const limit = rateLimiter(cache, { limit: 10_000, ...windowed }); // leases of 100
    const req = client();
    const statuses = await Promise.all(Array.from({ length: 50 }, () => status(limit, req)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(cache.incrCalls).toBe(1);
  });

  it('counts each client on its own', async () => {
    const cache = new MemoryCache(100);
    const limit = rateLimiter(cache, { limit: 2, ...windowed });
    const [first, second] = [client(), client()];
    expect([await status(limit, first), await status(limit, first), await status(limit, first)]).toEqual([200, 200, 429]);
    expect([await status(limit, second), await status(limit, second)]).toEqual([200, 200]);
  });

  it('never refuses because the cache is unreachable', async () => {
    const cache = createCache({ redisUrl: 'redis://127.0.0.1:1', commandTimeoutMs: 100 });
    try {
      const limit = rateLimiter(cache, { limit: 1, ...windowed });
      const req = client();
      for (let i = 0; i < 3; i++) expect(await status(limit, req)).toBe(200);
    } finally {
      await cache.close();
    }
  });
});

describe('rate limit keyed on the verified identity', () => {
  const identify = requestIdentity({ jwtSecret: DEV_JWT_SECRET, identitySecret: DEV_IDENTITY_SECRET, identityMaxSkewMs: 60_000 });
  const forged = (n: number) => `Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.forged-signature-${n}`;

  it("counts forged tokens in their address's bucket: minting tokens buys no fresh one", async () => {
    const limit = rateLimiter(new MemoryCache(100), { limit: 2, ...windowed }, verifiedClient(identify));
    const address = `10.1.0.${++token}`;
    expect(await status(limit, requestOf(address, forged(1)))).toBe(200);
    expect(await status(limit, requestOf(address, forged(2)))).toBe(200);
    expect(await status(limit, requestOf(address, forged(3)))).toBe(429);
    expect(await status(limit, requestOf(address))).toBe(429); // anonymous from there: the same bucket
    expect(await status(limit, requestOf(`10.1.1.${token}`, forged(4)))).toBe(200); // another address: its own
  });

  it('counts a verified caller on its subject, whichever token or address it uses', async () => {
    const limit = rateLimiter(new MemoryCache(100), { limit: 2, ...windowed }, verifiedClient(identify));
    const sub = `user:rate-${++token}`;
    const first = await mintDevToken(DEV_JWT_SECRET, { sub, role: 'STAFF' }, 600);
    const second = await mintDevToken(DEV_JWT_SECRET, { sub, role: 'STAFF' }, 700);
    expect(first).not.toBe(second);
    expect(await status(limit, requestOf('10.2.0.1', `Bearer ${first}`))).toBe(200);
    expect(await status(limit, requestOf('10.2.0.2', `Bearer ${second}`))).toBe(200);
    expect(await status(limit, requestOf('10.2.0.3', `Bearer ${first}`))).toBe(429);
    // Another subject, and the anonymous callers of those addresses, count on their own.
    const other = await mintDevToken(DEV_JWT_SECRET, { sub: `${sub}-other`, role: 'STAFF' }, 600);
    expect(await status(limit, requestOf('10.2.0.1', `Bearer ${other}`))).toBe(200);
    expect(await status(limit, requestOf('10.2.0.1'))).toBe(200);
  });

  it("verifies a request's token once: authentication reuses the verdict", async () => {
    const req = requestOf('10.3.0.1', forged(9));
    expect(identify(req)).toBe(identify(req));
    await expect(identify(req)).rejects.toMatchObject({ status: 401 });
  });
});

const redisUrl = process.env.REDIS_URL;
const describeRedis = redisUrl ? describe : describe.skip; // needs a Redis (REDIS_URL): CI's second pass

describeRedis('rate limit on Redis', () => {
  it('two processes leasing from one Redis count together: exactly the limit is served', async () => {
    const caches = [createCache({ redisUrl }), createCache({ redisUrl })];
    try {
      for (const cache of caches) expect(await cache.ready(5_000)).toBe(true);
      const processes = caches.map((cache) => rateLimiter(cache, { limit: 250, ...windowed })); // leases of 2
      const req = client();
      const statuses = await Promise.all(Array.from({ length: 300 }, (_, i) => status(processes[i % 2], req)));
      expect(statuses.filter((s) => s === 200)).toHaveLength(250);
    } finally {
      await Promise.all(caches.map((cache) => cache.close()));
    }
  });
});
