import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { parseCacheControlHeader } from '@apollo/gateway/dist/datasources/parseCacheControlHeader';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import { GraphQLError } from 'graphql';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { Fetcher } from '@apollo/utils.fetcher';
import { identitySigner } from '../subgraphs/shared/identity';
import type { RequestStats } from '../subgraphs/shared/stats';
import { DEBUG_STATS_HEADER } from '../subgraphs/shared/stats';
import { EntityBatcher, entitySelections } from './entity-batcher';
import type { GatewayContext } from './gateway.context';

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
            batcher = new EntityBatcher((request) => this.timed(() => this.send({ ...options, request })));
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
   * A subgraph that cannot be reached (refused, reset, timed out) is SERVICE_UNAVAILABLE naming it,
   * with the path of the fields it would have filled: the rest of the response still arrives.
   */
  private unavailable(error: unknown, options: GraphQLDataSourceProcessOptions<GatewayContext>): unknown {
    if (error instanceof GraphQLError) return error;
    const at = options.kind === GraphQLDataSourceRequestKind.INCOMING_OPERATION ? options.pathInIncomingRequest : undefined;
    // The planner writes list positions as '@': point at the first item, which stands for all.
    const path = at?.length ? at.map((key: string | number) => (key === '@' ? 0 : key)) : undefined;
    return new GraphQLError(`the ${this.name} service is unavailable`, { path, extensions: { code: 'SERVICE_UNAVAILABLE', serviceName: this.name } });
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
    const response = await this.fetcher(this.url!, { method: 'POST', headers, body: JSON.stringify({ query, variables, operationName, extensions }) });
    if (!response.ok) throw await this.errorFromResponse(response);
    const body = await this.parseBody(response);
    if (typeof body !== 'object' || body === null) throw new Error(`Expected JSON response body, but received: ${String(body).slice(0, 100)}`);
    const answer = this.didReceiveResponse({ response: { ...body, http: response } as GatewayGraphQLResponse, context: context as GatewayContext });
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

  override didReceiveResponse({ response, context }: { response: GatewayGraphQLResponse; context: GatewayContext }): GatewayGraphQLResponse {
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
