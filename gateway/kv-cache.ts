import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import type { Cache } from '../platform/cache';
import { withSpan } from '../platform/tracing';

/**
 * Apollo Server's KeyValueCache over the project's one cache port: APQ and the response cache live
 * in the same Redis (or, without REDIS_URL, the same in-process LRU) as everything else, through the
 * one ioredis client. Keys get a namespace; a failing Redis reads as a miss (the port never throws).
 * Entries without a ttl get `defaultTtlSeconds`: nothing is kept forever.
 */
export class CacheKeyValueStore implements KeyValueCache<string> {
  constructor(
    private readonly cache: Cache,
    private readonly namespace: string,
    private readonly defaultTtlSeconds: number,
    /** Told of every lookup, for the hit ratio in /metrics. */
    private readonly onLookup: (namespace: string, hit: boolean) => void = () => undefined,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return withSpan('cache.get', { 'bga.cache': this.namespace }, async (span) => {
      const value = await this.cache.get(`${this.namespace}:${key}`);
      this.onLookup(this.namespace, value !== null);
      span?.setAttribute('bga.cache.hit', value !== null);
      return value ?? undefined;
    });
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    const ttl = options?.ttl ?? this.defaultTtlSeconds;
    if (ttl === null || ttl <= 0) return;
    await this.cache.set(`${this.namespace}:${key}`, value, Math.ceil(ttl));
  }

  async delete(key: string): Promise<boolean> {
    await this.cache.del(`${this.namespace}:${key}`);
    return true;
  }
}
