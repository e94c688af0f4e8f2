import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import { GraphQLError } from 'graphql';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { Fetcher } from '@apollo/utils.fetcher';
import { signIdentity } from '../subgraphs/shared/identity';
import type { RequestStats } from '../subgraphs/shared/stats';
import { DEBUG_STATS_HEADER } from '../subgraphs/shared/stats';
import { EntityBatcher, entitySelections } from './entity-batcher';
import type { GatewayContext } from './gateway.context';

/** What the gateway reports per subgraph in extensions.stats: fetches plus the subgraph's own counts. */
export type SubgraphStats = RequestStats & { fetches: number };

/**
 * One data source per subgraph (gateway-js's buildService). willSendRequest is the one place where
 * headers are passed on: the signed identity, the request id and the debug-stats flag.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    readonly name: string,
    url: string,
    private readonly identitySecret: string,
    fetcher: Fetcher,
    /** Called once per real fetch with its duration and whether it failed (for /metrics). */
    private readonly observe: (subgraph: string, seconds: number, failed: boolean) => void = () => undefined,
  ) {
    super({ url, fetcher });
  }

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
            batcher = new EntityBatcher((request) => this.timed(() => super.process({ ...options, request })));
            this.batchers.set(context, batcher);
          }
          return await batcher.enqueue(options.request, selections);
        }
      }
      return await this.timed(() => super.process(options));
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

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = request.http!.headers;
    const identity = context?.identity;
    if (!identity) return; // schema loading or health checks: no caller to speak for
    for (const [name, value] of Object.entries(signIdentity(identity, this.identitySecret))) headers.set(name, value);
    headers.set('x-request-id', context.requestId);
    if (context.debugStats) headers.set(DEBUG_STATS_HEADER, '1');
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
