import type { GraphQLFormattedError } from 'graphql';
import type { Cache } from '../../platform/cache';
import { CacheKeyValueStore } from '../kv-cache';
import type { GatewayPlugin } from './gateway-plugin';

/** Apollo answers an APQ hash that does not match its query (or a version it does not know) without a code: it is the client's input. */
export function persistedQueryCode(formatted: GraphQLFormattedError): GraphQLFormattedError {
  // Apollo has already called it INTERNAL_SERVER_ERROR by the time formatError sees it.
  if (formatted.message !== 'provided sha does not match query' && formatted.message !== 'Unsupported persisted query version')
    return formatted;
  return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } };
}

/**
 * Automatic persisted queries, kept in the shared cache: a hash registered through one gateway
 * replica is known to every other. A ttl of 0 turns them off.
 */
export function persistedQueries(cache: Cache, ttlSeconds: number, countLookup: (namespace: string, hit: boolean) => void): GatewayPlugin {
  return {
    server: {
      persistedQueries: ttlSeconds > 0 ? { cache: new CacheKeyValueStore(cache, 'apq', ttlSeconds, countLookup), ttl: ttlSeconds } : false,
    },
    formatError: persistedQueryCode,
  };
}
