import responseCachePlugin from '@apollo/server-plugin-response-cache';
import type { Cache } from '../../platform/cache';
import type { GatewayContext } from '../gateway.context';
import { CacheKeyValueStore } from '../kv-cache';
import type { GatewayPlugin } from './gateway-plugin';

/**
 * The response cache's shared level (the front keeps the first in each process): Apollo's
 * response-cache plugin over the shared cache. It stores what the subgraphs' Cache-Control allows
 * (the catalog, PUBLIC) and nothing else: a response with any uncacheable field (cases, quotes,
 * metrics) is never stored. Keys: the operation, variables and the caller's role; PRIVATE answers
 * also the caller's subject.
 */
export function responseCache(cache: Cache, enabled: boolean, countLookup: (namespace: string, hit: boolean) => void): GatewayPlugin {
  if (!enabled) return {};
  return {
    apollo: [
      responseCachePlugin<GatewayContext>({
        cache: new CacheKeyValueStore(cache, 'response', 3_600, countLookup),
        sessionId: async ({ contextValue }) => (contextValue.identity.role === 'ANONYMOUS' ? null : contextValue.identity.sub),
        extraCacheKeyData: async ({ contextValue }) => contextValue.identity.role,
      }),
    ],
  };
}
