import Redis, { Cluster, type RedisOptions } from 'ioredis';
import { DEFAULT_REDIS_KEY_PREFIX } from './config';
import type { Logger } from './logger';
import { cacheFamily, cacheLookups } from './metrics';
import type { RequestStats } from './stats';

/**
 * The one cache port. Two implementations, chosen by configuration: Redis (REDIS_URL, optionally a
 * Cluster) shared by every replica, or an in-process LRU when no Redis is configured. A cache is an
 * optimisation: when Redis fails, reads become misses and writes are dropped, never request errors.
 * Keys are built by the callers and never contain personal data.
 */
export interface Cache {
  readonly kind: 'redis' | 'memory';
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  del(key: string): Promise<void>;
  /**
   * Atomically adds `by` (default one) and returns the new value; null when the cache is unreachable.
   * With ttlSeconds, a key the call creates expires then (a fixed window); an existing key keeps its expiry.
   */
  incr(key: string, ttlSeconds?: number, by?: number): Promise<number | null>;
  /** True when the backing store answers. */
  ping(): Promise<boolean>;
  /** Waits (at most timeoutMs) until the store is connected; false when it is not by then. */
  ready(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
  /** The ioredis client, for the few users that need Redis itself (APQ, rate limits); absent in memory mode. */
  readonly redis?: Redis | Cluster;
}

const INCR_WITH_TTL = `local n = redis.call('INCRBY', KEYS[1], ARGV[2]) if n == tonumber(ARGV[2]) then redis.call('EXPIRE', KEYS[1], ARGV[1]) end return n`;

export interface CacheOptions {
  redisUrl?: string;
  /** The URL lists Cluster seed nodes, comma-separated (redis://h1:p1,redis://h2:p2 or h1:p1,h2:p2). */
  cluster?: boolean;
  /** Put before every key (REDIS_KEY_PREFIX, default `bga:`): deployments sharing one Redis keep apart. */
  keyPrefix?: string;
  /** Per-command timeout: a slow Redis costs at most this much before it counts as a miss. */
  commandTimeoutMs?: number;
  /** Entries the in-process cache keeps before evicting the least recently used. */
  memoryMaxEntries?: number;
  /** Characters (keys and values) the in-process cache holds at most (CACHE_MEMORY_MAX_MB; default 32 Mi). */
  memoryMaxChars?: number;
  logger?: Logger;
}

export function createCache(options: CacheOptions): Cache {
  return options.redisUrl ? new RedisCache(options) : new MemoryCache(options.memoryMaxEntries ?? 10_000, options.memoryMaxChars);
}

export class RedisCache implements Cache {
  readonly kind = 'redis' as const;
  readonly redis: Redis | Cluster;
  private lastWarning = 0;

  constructor(private readonly options: CacheOptions) {
    const common: RedisOptions = {
      keyPrefix: options.keyPrefix ?? DEFAULT_REDIS_KEY_PREFIX,
      // Fail fast while disconnected: a queued command would hold a request hostage.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: options.commandTimeoutMs ?? 250,
      retryStrategy: (times) => Math.min(100 * times, 2_000),
      lazyConnect: false,
    };
    const url = options.redisUrl!;
    if (options.cluster) {
      const nodes = url.split(',').map((node) => {
        const parsed = new URL(node.includes('://') ? node : `redis://${node}`);
        return { host: parsed.hostname, port: Number(parsed.port || 6379) };
      });
      this.redis = new Cluster(nodes, { keyPrefix: common.keyPrefix, enableOfflineQueue: false, redisOptions: common });
    } else {
      this.redis = new Redis(url, common);
    }
    this.redis.on('error', (error) => this.warn('redis error', error));
  }

  private warn(message: string, error: unknown): void {
    // One line per 10 s at most: a dead Redis under load must not flood the log.
    const now = Date.now();
    if (now - this.lastWarning < 10_000) return;
    this.lastWarning = now;
    this.options.logger?.warn({ err: error }, `${message}; serving without the shared cache`);
  }

  async get(key: string): Promise<string | null> {
    try {
      return await this.redis.get(key);
    } catch (error) {
      this.warn('redis get failed', error);
      return null;
    }
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    try {
      await this.redis.set(key, value, 'EX', Math.max(1, Math.round(ttlSeconds)));
    } catch (error) {
      this.warn('redis set failed', error);
    }
  }

  async del(key: string): Promise<void> {
    try {
      await this.redis.del(key);
    } catch (error) {
      this.warn('redis del failed', error);
    }
  }

  async incr(key: string, ttlSeconds?: number, by = 1): Promise<number | null> {
    try {
      if (ttlSeconds === undefined) return await this.redis.incrby(key, by);
      // One key, one script: atomic, and safe on a Cluster.
      return (await this.redis.eval(INCR_WITH_TTL, 1, key, Math.max(1, Math.round(ttlSeconds)), by)) as number;
    } catch (error) {
      this.warn('redis incr failed', error);
      return null;
    }
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async ready(timeoutMs: number): Promise<boolean> {
    if (this.redis.status === 'ready') return true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.redis.off('ready', onReady);
        resolve(false);
      }, timeoutMs);
      const onReady = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.redis.once('ready', onReady);
    });
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

/** How often the in-process cache drops its expired entries (on a write). */
const SWEEP_MS = 10_000;

export class MemoryCache implements Cache {
  readonly kind = 'memory' as const;
  // A Map iterates in insertion order: re-inserting on read makes the first key the least recent.
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();
  /** Characters held in keys and values. */
  private chars = 0;
  /** When expired entries are next looked for (see sweep). */
  private nextSweep = 0;

  /**
   * maxChars bounds what the entries hold, not only how many there are: callers cache what clients
   * send (APQ stores whole queries, up to the body limit each), and 10,000 of those would fill the
   * process. A value larger than the whole budget is not kept.
   */
  constructor(
    private readonly maxEntries: number,
    private readonly maxChars = 32 * 2 ** 20,
  ) {}

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.chars -= key.length + entry.value.length;
    this.entries.delete(key);
  }

  // Synchronous inside, so that incr is atomic like Redis's: no await between read and write.
  private read(key: string): string | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= Date.now()) {
      this.drop(key);
      return null;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /**
   * Drops every expired entry, at most once per SWEEP_MS, from write. Entries are in recency order,
   * not expiry order, so an expired one that is never read again would otherwise stay until the LRU
   * pushes it out, as Redis never keeps it: the cases subgraph's metrics answers of past generations
   * (every write starts a new one) and one-off quotes filled the budget that way, growing the heap
   * under steady load for as long as the budget allowed (bench:soak without Redis). Swept, what is
   * held is what is live: the rate of new keys times their TTL, within the budget. No timer: an idle
   * cache holds no handle, and a scan of at most maxEntries now and then costs microseconds.
   */
  private sweep(now: number): void {
    if (now < this.nextSweep) return;
    this.nextSweep = now + SWEEP_MS;
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.drop(key);
  }

  /** What the cache holds now: entries and characters of keys and values. */
  held(): { entries: number; chars: number } {
    return { entries: this.entries.size, chars: this.chars };
  }

  private write(key: string, value: string, ttlSeconds: number): void {
    this.sweep(Date.now());
    this.drop(key);
    if (key.length + value.length > this.maxChars) return;
    this.entries.set(key, { value, expiresAt: Date.now() + ttlSeconds * 1000 });
    this.chars += key.length + value.length;
    while (this.entries.size > 0 && (this.entries.size > this.maxEntries || this.chars > this.maxChars))
      this.drop(this.entries.keys().next().value!);
  }

  async get(key: string): Promise<string | null> {
    return this.read(key);
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.write(key, value, ttlSeconds);
  }

  async del(key: string): Promise<void> {
    this.drop(key);
  }

  async incr(key: string, ttlSeconds?: number, by = 1): Promise<number> {
    const existing = this.entries.get(key);
    const live = existing && existing.expiresAt > Date.now() ? existing : undefined;
    const current = Number(live?.value ?? 0) + by;
    // A new key gets the window's expiry; an existing one keeps its own.
    const ttl = live ? (live.expiresAt - Date.now()) / 1000 : (ttlSeconds ?? 365 * 24 * 3600);
    this.write(key, String(current), ttl);
    return current;
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async ready(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.entries.clear();
    this.chars = 0;
  }
}

/**
 * Read-through JSON caching with single-flight: concurrent misses for one key in this process share
 * one load. `load` returning undefined is not cached. Hits and misses are counted into stats.
 */
export class CachedLoader {
  private readonly inflight = new Map<string, Promise<unknown>>();

  constructor(private readonly cache: Cache) {}

  async get<T>(key: string, ttlSeconds: number, load: () => Promise<T>, stats?: RequestStats): Promise<{ value: T; cached: boolean }> {
    const hit = await this.cache.get(key);
    if (hit !== null) {
      if (stats) stats.cacheHits++;
      cacheLookups.inc({ cache: cacheFamily(key), result: 'hit' });
      return { value: JSON.parse(hit) as T, cached: true };
    }
    if (stats) stats.cacheMisses++;
    cacheLookups.inc({ cache: cacheFamily(key), result: 'miss' });
    let pending = this.inflight.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = (async () => {
        try {
          const value = await load();
          if (value !== undefined) await this.cache.set(key, JSON.stringify(value), ttlSeconds);
          return value;
        } finally {
          this.inflight.delete(key);
        }
      })();
      this.inflight.set(key, pending);
    }
    return { value: await pending, cached: false };
  }
}
