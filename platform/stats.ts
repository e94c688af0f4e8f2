import type { ApolloServerPlugin, BaseContext } from '@apollo/server';

/**
 * What one request cost a service: SQL statements, carrier calls, cache hits. Reported in the
 * response's extensions.stats when the caller sends `x-debug-stats: 1` and DEBUG_STATS is on, so
 * tests and benchmarks can count work instead of timing it.
 */
export interface RequestStats {
  sql: number;
  carrierCalls: number;
  cacheHits: number;
  cacheMisses: number;
}

export function newStats(): RequestStats {
  return { sql: 0, carrierCalls: 0, cacheHits: 0, cacheMisses: 0 };
}

export const DEBUG_STATS_HEADER = 'x-debug-stats';

/**
 * Puts the request's counts into extensions.stats when the caller asked and configuration allows:
 * a subgraph's own counts, or the gateway's per-subgraph merge of them.
 */
export function statsPlugin<TContext extends BaseContext & { debugStats: boolean; stats: object }>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (!contextValue.debugStats || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, stats: { ...contextValue.stats } };
        },
      };
    },
  };
}
