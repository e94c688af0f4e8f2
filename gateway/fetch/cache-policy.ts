import { parseCacheControl } from './cache-control';
import type { FetchStep } from './subgraph-fetch';

/**
 * A subgraph's Cache-Control restricts the client response's cache policy (the response cache's
 * hints): its max-age bounds the response's, none makes the response uncacheable, and its scope is
 * public or private when it says so (public wins when a header says both, as in gateway-js).
 */
export const cachePolicy: FetchStep = async (fetch, next) => {
  const response = await next(fetch);
  const policy = fetch.caller?.incoming.overallCachePolicy;
  if (policy && 'restrict' in policy) {
    const cacheControl = parseCacheControl(response.http?.headers.get('cache-control'));
    policy.restrict({
      maxAge: cacheControl.maxAge ?? 0,
      ...(cacheControl.public ? { scope: 'PUBLIC' as const } : cacheControl.private ? { scope: 'PRIVATE' as const } : {}),
    });
  }
  return response;
};
