import { OperationTypeNode } from 'graphql';
import { IDENTITY_HEADER } from '../../platform/identity';
import { DEBUG_STATS_HEADER } from '../../platform/stats';
import type { WireResponse, WireStep } from './subgraph-fetch';

/**
 * Identical queries in flight share one exchange: a query already on its way to the same subgraph
 * with the same body for the same caller identity (the signed identity payload and the debug flag;
 * not the per-request signature timestamp or request id) waits for that exchange's answer instead of
 * sending its own. Each caller still parses its own copy of the text (graphql-exchange.ts).
 * `onShared` is told of every exchange saved.
 */
export function dedupe(enabled: boolean, onShared: () => void = () => undefined): WireStep {
  if (!enabled) return (request, next) => next(request);
  const inFlight = new Map<string, Promise<WireResponse>>();
  return (request, next) => {
    // Only a query is shared. A mutation is sent once per caller, as asked: merged with another
    // caller's, one of the two writes would never happen.
    if (request.kind !== OperationTypeNode.QUERY) return next(request);
    const { headers } = request;
    const key = `${request.url}\n${headers[IDENTITY_HEADER] ?? ''}\n${headers[DEBUG_STATS_HEADER] ?? ''}\n${request.body}`;
    let shared = inFlight.get(key);
    if (shared) onShared();
    else {
      shared = next(request).finally(() => inFlight.delete(key));
      inFlight.set(key, shared);
    }
    return shared;
  };
}
