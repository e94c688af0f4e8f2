import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { Kind, OperationTypeNode, print, type SelectionNode } from 'graphql';
import type { GatewayContext } from '../gateway.context';
import { entitySelections } from './entity-fetch';
import type { FetchStep } from './subgraph-fetch';

/**
 * Merges the `_entities` fetches that one client request sends to one subgraph at the same moment
 * into a single fetch. The query planner fetches Case.carrier and Case.product from the carriers
 * subgraph as two parallel `_entities` calls; merged, a dashboard list costs one fetch (and, with
 * the subgraph's DataLoaders, one statement per table). Only fetches of the same request, with the
 * same identity, are merged; anything that is not a plain `_entities(representations:)` fetch passes
 * through untouched.
 */
interface Pending {
  request: GatewayGraphQLRequest;
  selections: readonly SelectionNode[];
  representations: unknown[];
  resolve: (response: GatewayGraphQLResponse) => void;
  reject: (error: unknown) => void;
}

/** Merged queries printed so far, by the queries merged: a plan sends the same few combinations again and again. */
const mergedQueries = new Map<string, string>();

function mergedQuery(batch: readonly Pending[]): string {
  const key = batch.map((p) => p.request.query).join('\n\u0000');
  let query = mergedQueries.get(key);
  if (query === undefined) {
    query = printMerged(batch);
    if (mergedQueries.size > 1_000) mergedQueries.clear(); // bounded, like the selections memo
    mergedQueries.set(key, query);
  }
  return query;
}

function printMerged(batch: readonly Pending[]): string {
  return print({
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: 'query' as never,
        variableDefinitions: [
          {
            kind: Kind.VARIABLE_DEFINITION,
            variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: 'representations' } },
            type: {
              kind: Kind.NON_NULL_TYPE,
              type: {
                kind: Kind.LIST_TYPE,
                type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: '_Any' } } },
              },
            },
          },
        ],
        selectionSet: {
          kind: Kind.SELECTION_SET,
          selections: [
            {
              kind: Kind.FIELD,
              name: { kind: Kind.NAME, value: '_entities' },
              arguments: [
                {
                  kind: Kind.ARGUMENT,
                  name: { kind: Kind.NAME, value: 'representations' },
                  value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: 'representations' } },
                },
              ],
              selectionSet: { kind: Kind.SELECTION_SET, selections: batch.flatMap((p) => p.selections) },
            },
          ],
        },
      },
    ],
  });
}

/** Splits a merged answer back: each fetch gets its slice of `_entities` and the errors on its slice. */
function split(batch: readonly Pending[], response: GatewayGraphQLResponse): GatewayGraphQLResponse[] {
  const entities = (response.data as { _entities?: unknown[] } | null | undefined)?._entities;
  let offset = 0;
  return batch.map((pending) => {
    const start = offset;
    const end = (offset += pending.representations.length);
    const errors = (response.errors ?? []).flatMap((error) => {
      const path = error.path;
      if (path?.[0] !== '_entities' || typeof path[1] !== 'number') return [error];
      if (path[1] < start || path[1] >= end) return [];
      return [{ ...error, path: ['_entities', path[1] - start, ...path.slice(2)] }];
    });
    return {
      ...response,
      data: entities ? { _entities: entities.slice(start, end) } : response.data,
      ...(errors.length ? { errors } : { errors: undefined }),
    } as GatewayGraphQLResponse;
  });
}

export class EntityBatcher {
  private pending: Pending[] = [];
  private scheduled = false;

  /** `send` performs one real fetch for a (possibly merged) request. */
  constructor(private readonly send: (request: GatewayGraphQLRequest) => Promise<GatewayGraphQLResponse>) {}

  /** Queues a fetch; all fetches queued in the same turn of the event loop go out together. */
  enqueue(request: GatewayGraphQLRequest, selections: readonly SelectionNode[]): Promise<GatewayGraphQLResponse> {
    return new Promise((resolve, reject) => {
      this.pending.push({ request, selections, representations: request.variables!.representations as unknown[], resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate: the planner starts parallel fetches in one turn, after a few awaits.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.scheduled = false;
    if (batch.length === 1) {
      const [only] = batch;
      return this.send(only.request).then(only.resolve, only.reject);
    }
    const merged: GatewayGraphQLRequest = {
      ...batch[0].request,
      query: mergedQuery(batch),
      operationName: undefined,
      variables: { representations: batch.flatMap((p) => p.representations) },
    };
    try {
      const responses = split(batch, await this.send(merged));
      for (const [i, pending] of batch.entries()) pending.resolve(responses[i]);
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    }
  }
}

/**
 * The fetch path's batching step: the entity fetches of one client request to one subgraph, queued
 * in the same turn of the event loop, go on down the path as one. A mutation's own fetch is never
 * merged; the entities a mutation returns are fetched by queries, and those may be.
 */
export function entityBatching(): FetchStep {
  // One batcher per client request and subgraph: fetches of different callers are never merged.
  const batchers = new WeakMap<GatewayContext, Map<string, EntityBatcher>>();
  return (fetch, next) => {
    const context = fetch.caller?.context;
    if (!context || fetch.kind !== OperationTypeNode.QUERY) return next(fetch);
    const selections = entitySelections(fetch.request.query ?? '', fetch.request.variables);
    if (!selections) return next(fetch);
    let bySubgraph = batchers.get(context);
    if (!bySubgraph) batchers.set(context, (bySubgraph = new Map()));
    let batcher = bySubgraph.get(fetch.subgraph);
    if (!batcher) {
      batcher = new EntityBatcher((request) => next({ ...fetch, request }));
      bySubgraph.set(fetch.subgraph, batcher);
    }
    return batcher.enqueue(fetch.request, selections);
  };
}
