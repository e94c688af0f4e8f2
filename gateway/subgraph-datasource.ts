import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { parseCacheControlHeader } from '@apollo/gateway/dist/datasources/parseCacheControlHeader';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import { GraphQLError } from 'graphql';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { Fetcher } from '@apollo/utils.fetcher';
import { identitySigner } from '../platform/identity';
import type { RequestStats } from '../platform/stats';
import { DEBUG_STATS_HEADER } from '../platform/stats';
import { EntityBatcher, entitySelections } from './entity-batcher';
import type { EntityCache } from './entity-cache';
import type { GatewayContext } from './gateway.context';

/** For how many seconds a subgraph's answer may be kept for anyone (public, max-age, no errors); 0 when not. */
function keepable(response: GatewayGraphQLResponse): number {
  if (response.errors?.length) return 0;
  const cacheControl = parseCacheControlHeader(response.http?.headers.get('cache-control'));
  const maxAge = Number(cacheControl['max-age']);
  return cacheControl.public === true && maxAge > 0 ? maxAge : 0;
}

/** What the gateway reports per subgraph in extensions.stats: fetches plus the subgraph's own counts. */
export type SubgraphStats = RequestStats & { fetches: number };

/**
 * One data source per subgraph (gateway-js's buildService). `send` is the one place where headers are
 * passed on: the signed identity, the request id and the debug-stats flag.
 *
 * It sends the fetch itself rather than through RemoteGraphQLDataSource.process, which builds two
 * node-fetch Headers and a node-fetch Request (copying the body) per fetch that nothing here reads;
 * what process does that matters is kept: the JSON body (query first), errors for non-2xx answers,
 * didReceiveResponse, and the subgraph's Cache-Control restricting the response's cache policy (the
 * response cache's hints). Automatic persisted queries to subgraphs are not used.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    readonly name: string,
    url: string,
    identitySecret: string,
    fetcher: Fetcher,
    /** Called once per real fetch with its duration and whether it failed (for /metrics). */
    private readonly observe: (subgraph: string, seconds: number, failed: boolean) => void = () => undefined,
    /** Entities this subgraph said may be kept (gateway/entity-cache.ts); none kept without it. */
    private readonly entities?: EntityCache,
  ) {
    super({ url, fetcher });
    this.sign = identitySigner(identitySecret);
  }

  private readonly sign: ReturnType<typeof identitySigner>;

  /** One batcher per client request: fetches of different callers are never merged. */
  private readonly batchers = new WeakMap<GatewayContext, EntityBatcher>();

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    try {
      if (options.kind === GraphQLDataSourceRequestKind.INCOMING_OPERATION && options.context) {
        const context = options.context as GatewayContext;
        const selections = entitySelections(options.request.query ?? '', options.request.variables);
        if (selections) {
          let batcher = this.batchers.get(context);
          if (!batcher) {
            batcher = new EntityBatcher((request) => this.fetchEntities({ ...options, request }));
            this.batchers.set(context, batcher);
          }
          return await batcher.enqueue(options.request, selections);
        }
      }
      return await this.timed(() => this.send(options));
    } catch (error) {
      throw this.unavailable(error, options);
    }
  }

  private async timed(fetch: () => Promise<GatewayGraphQLResponse>): Promise<GatewayGraphQLResponse> {
    const started = performance.now();
    let failed = true;
    try {
      const response = await fetch();
      failed = Boolean(response.errors?.length);
      return response;
    } finally {
      this.observe(this.name, (performance.now() - started) / 1000, failed);
    }
  }

  /**
   * An `_entities` fetch (merged by the batcher), with the entities kept from earlier ones taken from
   * the entity cache: only the others are asked for, and nothing is sent when none is left. The
   * answer is in the order of the representations asked, with the errors' paths pointing there.
   */
  private async fetchEntities(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    const representations = request.variables?.representations as unknown[];
    const role = (options.context as GatewayContext).identity?.role;
    // A selection found uncacheable is looked up again once its memo runs out (entity-cache.ts).
    if (
      !this.entities ||
      !role ||
      options.kind !== GraphQLDataSourceRequestKind.INCOMING_OPERATION ||
      !this.entities.mayKeep(this.name, request.query!)
    ) {
      return this.timed(() => this.send(options));
    }
    const { keys, kept } = this.entities.lookup(this.name, role, request.query!, representations);
    const missing = kept.flatMap((entity, i) => (entity ? [] : [i]));
    // What is served from the cache bounds the whole response's cache policy, as a fetch's Cache-Control would.
    const soonest = Math.min(...kept.map((entity) => entity?.expiresAt ?? Infinity));
    if (Number.isFinite(soonest)) {
      const policy = options.incomingRequestContext.overallCachePolicy;
      if (policy && 'restrict' in policy) policy.restrict({ maxAge: Math.floor((soonest - Date.now()) / 1000), scope: 'PUBLIC' });
    }
    if (missing.length === 0) return { data: { _entities: kept.map((entity) => entity!.value) } };
    const partial = missing.length < representations.length;
    const asked = partial
      ? { ...options, request: { ...request, variables: { representations: missing.map((i) => representations[i]) } } }
      : options;
    const response = await this.timed(() => this.send(asked));
    const fetched = (response.data as { _entities?: unknown[] } | null | undefined)?._entities;
    const maxAge = keepable(response);
    if (maxAge && Array.isArray(fetched) && fetched.length === missing.length)
      this.entities.store(
        missing.map((i) => keys[i]),
        fetched,
        maxAge,
      );
    else if (!response.errors?.length) this.entities.notCacheable(this.name, request.query!);
    if (!partial) return response;
    const merged = kept.map((entity) => entity?.value ?? null);
    for (const [j, i] of missing.entries()) merged[i] = fetched?.[j] ?? null;
    const errors = response.errors?.map((error) =>
      error.path?.[0] === '_entities' && typeof error.path[1] === 'number'
        ? { ...error, path: ['_entities', missing[error.path[1]] ?? error.path[1], ...error.path.slice(2)] }
        : error,
    );
    return { ...response, data: { _entities: merged }, ...(errors ? { errors } : {}) } as GatewayGraphQLResponse;
  }

  /**
   * A subgraph that cannot be reached (refused, reset, timed out) is SERVICE_UNAVAILABLE naming it,
   * with the path of the fields it would have filled: the rest of the response still arrives.
   */
  private unavailable(error: unknown, options: GraphQLDataSourceProcessOptions<GatewayContext>): unknown {
    if (error instanceof GraphQLError) return error;
    const at = options.kind === GraphQLDataSourceRequestKind.INCOMING_OPERATION ? options.pathInIncomingRequest : undefined;
    // The planner writes list positions as '@': point at the first item, which stands for all.
    const path = at?.length ? at.map((key: string | number) => (key === '@' ? 0 : key)) : undefined;
    return new GraphQLError(`the ${this.name} service is unavailable`, {
      path,
      extensions: { code: 'SERVICE_UNAVAILABLE', serviceName: this.name },
    });
  }

  private async send(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { request, context } = options;
    const headers: Record<string, string> = {};
    if (request.http?.headers) for (const [name, value] of request.http.headers) headers[name] = value;
    headers['content-type'] = 'application/json';
    const identity = context?.identity;
    // Schema loading or health checks have no caller to speak for.
    if (identity) {
      Object.assign(headers, this.sign(identity));
      headers['x-request-id'] = context.requestId;
      if (context.debugStats) headers[DEBUG_STATS_HEADER] = '1';
    }
    const { query, variables, operationName, extensions } = request;
    if (!query) throw new Error('Missing query');
    const response = await this.fetcher(this.url!, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables, operationName, extensions }),
    });
    if (!response.ok) throw await this.errorFromResponse(response);
    const body = await this.parseBody(response);
    if (typeof body !== 'object' || body === null)
      throw new Error(`Expected JSON response body, but received: ${String(body).slice(0, 100)}`);
    const answer = this.didReceiveResponse({
      response: { ...body, http: response } as GatewayGraphQLResponse,
      context: context as GatewayContext,
    });
    if (options.kind === GraphQLDataSourceRequestKind.INCOMING_OPERATION) {
      const policy = options.incomingRequestContext.overallCachePolicy;
      if (policy && 'restrict' in policy) {
        const parsed = parseCacheControlHeader(response.headers.get('cache-control'));
        const maxAge = parsed['max-age'];
        policy.restrict({
          maxAge: typeof maxAge === 'string' && /^[0-9]+$/.test(maxAge) ? Number(maxAge) : 0,
          // As RemoteGraphQLDataSource: public wins over private when a header says both.
          ...(parsed.public === true ? { scope: 'PUBLIC' as const } : parsed.private === true ? { scope: 'PRIVATE' as const } : {}),
        });
      }
    }
    return answer;
  }

  override didReceiveResponse({
    response,
    context,
  }: {
    response: GatewayGraphQLResponse;
    context: GatewayContext;
  }): GatewayGraphQLResponse {
    if (context?.stats) {
      const stats = (context.stats[this.name] ??= { fetches: 0, sql: 0, carrierCalls: 0, cacheHits: 0, cacheMisses: 0 });
      stats.fetches++;
      const reported = response.extensions?.stats as Partial<RequestStats> | undefined;
      if (reported) {
        for (const key of ['sql', 'carrierCalls', 'cacheHits', 'cacheMisses'] as const) stats[key] += reported[key] ?? 0;
      }
    }
    return response;
  }
}
