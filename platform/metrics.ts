import { Counter, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics of one subgraph process (prom-client), served at its /metrics: the process
 * defaults and cache lookups by cache and result (the hit ratio is hits / (hits + misses)). A
 * subgraph may register counters of its own on subgraphRegistry. Labels are ids and enum values only.
 */
export const subgraphRegistry = new Registry();
// Process metrics under their standard names (process_resident_memory_bytes, nodejs_eventloop_lag_seconds, ...).
collectDefaultMetrics({ register: subgraphRegistry });

export const cacheLookups = new Counter({
  name: 'bga_cache_lookups_total',
  help: 'Read-through cache lookups by cache (the key family) and result (hit or miss).',
  labelNames: ['cache', 'result'],
  registers: [subgraphRegistry],
});

/** The key family of a cache key ("quote" of "quote:v1:…"), a bounded label. */
export function cacheFamily(key: string): string {
  return key.slice(0, Math.max(0, key.indexOf(':'))) || 'other';
}
