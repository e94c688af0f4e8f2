import type { GatewayConfig, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { Kind, OperationTypeNode } from 'graphql';

/**
 * The operation kind of one subgraph fetch, from what gateway-js hands a data source's `process`:
 *
 * - a fetch of a client request carries `document`, the query plan's own parsed operation for that
 *   fetch (the gateway is built with `exposeDocumentNodeInFetchNode`): its kind is the truth. A
 *   mutation's plan sends its root fields as mutations and the entities it returns as queries;
 * - without the document, a client query's fetches are all queries (a query plan never writes), and
 *   anything else is taken for a mutation: never shared, cached or retried;
 * - gateway-js's own fetches (health checks, schema loading) are queries.
 *
 * Never from the operation's text: the kind decides whether two callers may share one fetch.
 */
export function operationKindOf(options: GraphQLDataSourceProcessOptions): OperationTypeNode {
  if (!('incomingRequestContext' in options)) return OperationTypeNode.QUERY;
  const definitions = options.document?.definitions;
  if (definitions) {
    for (const definition of definitions) if (definition.kind === Kind.OPERATION_DEFINITION) return definition.operation;
  }
  return options.incomingRequestContext.operation?.operation === OperationTypeNode.QUERY
    ? OperationTypeNode.QUERY
    : OperationTypeNode.MUTATION;
}

/**
 * What the gateway's ApolloGateway is built with so that every fetch carries its document: the
 * planner's `exposeDocumentNodeInFetchNode`, and the plan store at gateway-js's usual bound (it
 * would grow to 50 MiB instead of 30 with the documents in it).
 */
export const FETCH_DOCUMENTS = {
  queryPlannerConfig: { exposeDocumentNodeInFetchNode: true },
  experimental_approximateQueryPlanStoreMiB: 30,
} as const satisfies Partial<GatewayConfig>;
