import { hash } from 'node:crypto';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { OperationTypeNode } from 'graphql';
import { annotate } from '../../platform/tracing';
import { Lru } from '../lru';
import { publicMaxAge } from './cache-control';
import { entitySelections } from './entity-fetch';
import type { FetchStep } from './subgraph-fetch';

/**
 * Entities a subgraph fetched by reference and said may be kept: an `_entities` fetch whose answer
 * came with `Cache-Control: public, max-age=N` (the carriers subgraph says so for carriers and
 * products: the catalog) and without errors. Each entity is kept on its own, for N seconds, so the
 * next fetch of the same selection asks the subgraph only for the entities it has not seen; a fetch
 * whose entities are all kept is not sent at all. A case list names the same dozen carriers and a
 * few dozen products over and over: once they are kept, its plan's catalog fetch disappears.
 *
 * In this process only (bounded, least recently used first), like the front's first level of the
 * response cache. The key is the subgraph, the caller's role (as the response cache's: a field may
 * answer one role differently), the selection (the fetch's query) and the representation, hashed:
 * representations can carry any key fields, and no key keeps them.
 */
interface KeptEntity {
  /**
   * The entity as JSON text, parsed anew for every use: the gateway merges later fetches into the
   * objects it is given (a product's carrier gets the agents subgraph's fields), so a kept object
   * handed out twice would carry one request's merges into another's.
   */
  json: string;
  expiresAt: number;
}

/** How long a selection whose answer was not cacheable is not looked up again. */
const UNCACHEABLE_MS = 60_000;

export class EntityCache {
  private readonly entries: Lru<KeptEntity>;
  /** Selections answered uncacheable lately, by subgraph: most entity fetches are, and are not looked up. */
  private readonly uncacheable = new Map<string, Lru<number>>();
  /** A short id per selection (the planner's queries are few and come back as the same strings). */
  private readonly selections = new Map<string, number>();
  /** Never reused, even after the ids are forgotten: an old id's entities must not answer a new selection. */
  private nextSelection = 0;

  constructor(
    maxEntries: number,
    /** Told of every entity looked up (hit or miss), for /metrics. */
    private readonly count: (hit: boolean) => void = () => undefined,
  ) {
    this.entries = new Lru(maxEntries);
  }

  /** Whether entities of this selection may be kept, as far as its last answer said. */
  mayKeep(subgraph: string, query: string): boolean {
    const until = this.uncacheable.get(subgraph)?.get(query);
    return until === undefined || until < Date.now();
  }

  /** The selection's last answer was not cacheable. */
  notCacheable(subgraph: string, query: string): void {
    let memo = this.uncacheable.get(subgraph);
    if (!memo) this.uncacheable.set(subgraph, (memo = new Lru(1_000)));
    memo.set(query, Date.now() + UNCACHEABLE_MS);
  }

  /**
   * One fetch's representations: each one's key, and the entity kept under it (a new object each
   * time) or undefined; one with a second or less left counts as gone. Each distinct representation
   * is hashed and looked up once (a list of cases names the same carriers many times).
   */
  lookup(
    subgraph: string,
    role: string,
    query: string,
    representations: readonly unknown[],
  ): { keys: string[]; kept: ({ value: unknown; expiresAt: number } | undefined)[] } {
    let selection = this.selections.get(query);
    if (selection === undefined) {
      if (this.selections.size > 5_000) this.selections.clear(); // planner queries are few; bounded anyway
      this.selections.set(query, (selection = this.nextSelection++));
    }
    const scope = `${subgraph}\n${role}\n${selection}\n`;
    const soon = Date.now() + 1_000;
    const seen = new Map<string, { key: string; entity?: KeptEntity }>();
    const keys: string[] = [];
    const kept: ({ value: unknown; expiresAt: number } | undefined)[] = [];
    for (const representation of representations) {
      const json = JSON.stringify(representation);
      let found = seen.get(json);
      if (!found) {
        const key = hash('sha256', scope + json, 'base64url');
        let entity = this.entries.get(key);
        if (entity && entity.expiresAt <= soon) {
          this.entries.delete(key);
          entity = undefined;
        }
        seen.set(json, (found = { key, entity }));
      }
      this.count(found.entity !== undefined);
      keys.push(found.key);
      kept.push(found.entity ? { value: JSON.parse(found.entity.json), expiresAt: found.entity.expiresAt } : undefined);
    }
    return { keys, kept };
  }

  store(keys: readonly string[], values: readonly unknown[], maxAgeSeconds: number): void {
    const expiresAt = Date.now() + maxAgeSeconds * 1000;
    for (const [i, key] of keys.entries()) this.entries.set(key, { json: JSON.stringify(values[i]), expiresAt });
  }
}

/**
 * The fetch path's entity cache step, for entity fetches of a client query: the entities kept from
 * earlier ones are taken from the cache, only the others are asked for down the path, and nothing is
 * sent when none is left. The answer is in the order of the representations asked, with the errors'
 * paths pointing there. Only a query's entities are kept or served: a mutation's fetch always goes
 * to its subgraph.
 */
export function entityCache(cache: EntityCache | undefined): FetchStep {
  if (!cache) return (fetch, next) => next(fetch);
  return async (fetch, next) => {
    const { request, caller, subgraph } = fetch;
    const role = caller?.context.identity?.role;
    const query = request.query ?? '';
    // A selection found uncacheable is looked up again once its memo runs out (EntityCache.mayKeep).
    if (!role || fetch.kind !== OperationTypeNode.QUERY || !entitySelections(query, request.variables) || !cache.mayKeep(subgraph, query))
      return next(fetch);
    const representations = request.variables!.representations as unknown[];
    const { keys, kept } = cache.lookup(subgraph, role, query, representations);
    const missing = kept.flatMap((entity, i) => (entity ? [] : [i]));
    annotate({ 'bga.entity_cache.kept': kept.length - missing.length, 'bga.entity_cache.asked': missing.length });
    // What is served from the cache bounds the whole response's cache policy, as a fetch's Cache-Control would.
    const soonest = Math.min(...kept.map((entity) => entity?.expiresAt ?? Infinity));
    if (Number.isFinite(soonest)) {
      const policy = caller!.incoming.overallCachePolicy;
      if (policy && 'restrict' in policy) policy.restrict({ maxAge: Math.floor((soonest - Date.now()) / 1000), scope: 'PUBLIC' });
    }
    if (missing.length === 0) return { data: { _entities: kept.map((entity) => entity!.value) } };
    const partial = missing.length < representations.length;
    const asked = partial
      ? { ...fetch, request: { ...request, variables: { representations: missing.map((i) => representations[i]) } } }
      : fetch;
    const response = await next(asked);
    const fetched = (response.data as { _entities?: unknown[] } | null | undefined)?._entities;
    const maxAge = response.errors?.length ? 0 : publicMaxAge(response.http?.headers.get('cache-control'));
    if (maxAge && Array.isArray(fetched) && fetched.length === missing.length)
      cache.store(
        missing.map((i) => keys[i]),
        fetched,
        maxAge,
      );
    else if (!response.errors?.length) cache.notCacheable(subgraph, query);
    if (!partial) return response;
    const merged = kept.map((entity) => entity?.value ?? null);
    for (const [j, i] of missing.entries()) merged[i] = fetched?.[j] ?? null;
    const errors = response.errors?.map((error) =>
      error.path?.[0] === '_entities' && typeof error.path[1] === 'number'
        ? { ...error, path: ['_entities', missing[error.path[1]] ?? error.path[1], ...error.path.slice(2)] }
        : error,
    );
    return { ...response, data: { _entities: merged }, ...(errors ? { errors } : {}) } as GatewayGraphQLResponse;
  };
}
