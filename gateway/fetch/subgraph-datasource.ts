import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GatewayContext } from '../gateway.context';
import { operationKindOf } from './operation-kind';
import type { FetchNext } from './subgraph-fetch';

/**
 * One data source per subgraph (gateway-js's buildService): it turns what gateway-js hands `process`
 * into a SubgraphFetch — the subgraph, the fetch's operation kind, the request and the client
 * request it belongs to — and sends it down the fetch path (gateway/pipeline.ts), which does the rest.
 */
export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  constructor(
    readonly name: string,
    readonly url: string,
    private readonly fetchPath: FetchNext,
  ) {}

  process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const caller =
      'incomingRequestContext' in options && options.context
        ? { context: options.context, incoming: options.incomingRequestContext, path: options.pathInIncomingRequest }
        : undefined;
    return this.fetchPath({ subgraph: this.name, url: this.url, kind: operationKindOf(options), request: options.request, caller });
  }
}
