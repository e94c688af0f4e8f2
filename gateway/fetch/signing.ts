import { identitySigner } from '../../platform/identity';
import { DEBUG_STATS_HEADER } from '../../platform/stats';
import type { FetchStep } from './subgraph-fetch';

/**
 * The one place headers are passed on to a subgraph: the caller's identity, signed (the subgraphs
 * trust nothing else; platform/identity.ts reuses a signature for a second), the request id, and the
 * debug-stats flag when the caller asked for it. gateway-js's own fetches (no caller) speak for no one and carry none of them.
 */
export function signing(identitySecret: string): FetchStep {
  const sign = identitySigner(identitySecret);
  return (fetch, next) => {
    const headers: Record<string, string> = {};
    // gateway-js's own headers for the fetch (a trace request), when it sets any.
    const given = fetch.request.http?.headers;
    if (given) for (const [name, value] of given) headers[name] = value;
    headers['content-type'] = 'application/json';
    const context = fetch.caller?.context;
    if (context?.identity) {
      Object.assign(headers, sign(context.identity));
      headers['x-request-id'] = context.requestId;
      if (context.debugStats) headers[DEBUG_STATS_HEADER] = '1';
    }
    return next({ ...fetch, headers });
  };
}
