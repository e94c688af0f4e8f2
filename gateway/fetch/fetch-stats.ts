import type { RequestStats } from '../../platform/stats';
import type { FetchStep } from './subgraph-fetch';

const COUNTS = ['sql', 'carrierCalls', 'cacheHits', 'cacheMisses'] as const;

/**
 * Per subgraph, the fetches a client request sent and the counts each subgraph reported in its
 * answer's extensions.stats (asked for with x-debug-stats): the gateway's extensions.stats.
 */
export const fetchStats: FetchStep = async (fetch, next) => {
  const response = await next(fetch);
  const all = fetch.caller?.context.stats;
  if (all) {
    const stats = (all[fetch.subgraph] ??= { fetches: 0, sql: 0, carrierCalls: 0, cacheHits: 0, cacheMisses: 0 });
    stats.fetches++;
    const reported = response.extensions?.stats as Partial<RequestStats> | undefined;
    if (reported) for (const key of COUNTS) stats[key] += reported[key] ?? 0;
  }
  return response;
};
