import type { ApolloServerOptionsWithGateway, ApolloServerPlugin, BaseContext } from '@apollo/server';
import { buildSchema, execute, extendSchema, GraphQLError, type GraphQLSchema, Kind, parse, printSchema } from 'graphql';

type GatewayInterface = ApolloServerOptionsWithGateway<BaseContext>['gateway'];

/**
 * The Subscription root, declared at the gateway (not in a subgraph): @apollo/gateway plans no
 * subscriptions, so the gateway serves these fields itself (subscriptions/hub.ts) and resolves each
 * event's selection as a query through the federated path. `npm run compose` adds them to
 * schema/api.graphql with the same function, so the public schema shows what the gateway serves.
 */
export const SUBSCRIPTION_SDL = /* GraphQL */ `
extend schema {
  subscription: Subscription
}

"""
Live updates, over graphql-ws (WebSocket) or graphql-sse (Server-Sent Events) on /graphql. Each event's selection is resolved as a query with the subscriber's identity at the time of the event: a subscriber receives only what the same query would show them (an agent never sees another branch's case). Every event carries extensions.eventId; a client that reconnects with the last one (SSE Last-Event-ID header, or extensions.lastEventId in the subscribe request) receives every event after it.
"""
type Subscription {
  """
  The case as it stands after each of its events (a status change, a requirement, a note, a carrier update): of one case, or of every case the caller may see when caseId is omitted.
  """
  caseUpdated(
    """Only this case."""
    caseId: ID
  ): Case!

  """Each event of the cases the caller may see that match the filter, with the case as it stands after it."""
  caseEvents(
    """Only cases matching it, as cases(filter) matches them (the case as it stands after the event)."""
    filter: CaseFilter
  ): CaseEventNotice!

  """
  A requirement as it stands after each event about it (ordered, sent to its vendor, a vendor stage, a follow-up, received, waived): of one case, or of every case the caller may see.
  """
  requirementUpdated(
    """Only this case's requirements."""
    caseId: ID
  ): Requirement!
}

"""One case event as a subscription delivers it."""
type CaseEventNotice {
  """The event's position, <transaction>-<case event id>: increasing in delivery order; resume after a reconnect from the last one seen."""
  eventId: ID!

  """The case the event is about."""
  caseId: ID!

  """What happened."""
  event: CaseEvent!

  """The case as it stands after the event."""
  case: Case!
}
`;

/** The API schema with the Subscription root (what compose prints into schema/api.graphql). */
export function withSubscriptions(api: GraphQLSchema): GraphQLSchema {
  return extendSchema(api, parse(SUBSCRIPTION_SDL));
}

/**
 * The schema subscriptions are validated and executed against: the API schema with the Subscription
 * root, rebuilt from its text so that every scalar passes values through as the subgraphs already
 * serialized them (each event's data is resolved by the federated path, then only shaped here).
 */
export function subscriptionSchema(api: GraphQLSchema): GraphQLSchema {
  return buildSchema(printSchema(api.getSubscriptionType() ? api : withSubscriptions(api)));
}

/**
 * The gateway as Apollo Server sees it: the same gateway, whose API schema has the Subscription root,
 * so that introspection, the explorer and validation show what /graphql serves (exactly
 * schema/api.graphql). Subscriptions themselves never reach its executor: see `refuseOverHttp`.
 */
export function servedWithSubscriptions(gateway: GatewayInterface): GatewayInterface {
  return {
    async load(options) {
      const { executor } = await gateway.load(options);
      return {
        // gateway-js answers introspection from its own API schema: here it is answered from the served one.
        executor: (request) =>
          request.operation.selectionSet.selections.every((s) => s.kind === Kind.FIELD && s.name.value.startsWith('__'))
            ? (execute({
                schema: request.schema,
                document: request.document,
                operationName: request.operationName,
                variableValues: request.request.variables,
              }) as never)
            : executor!(request),
      };
    },
    stop: () => gateway.stop(),
    onSchemaLoadOrUpdate: (callback) =>
      gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) =>
        callback({ apiSchema: withSubscriptions(apiSchema), coreSupergraphSdl }),
      ),
  };
}

/** A subscription sent as a plain HTTP request (not text/event-stream): refused, naming the two transports. */
export const refuseOverHttp: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation }) {
        if (operation?.operation === 'subscription') {
          throw new GraphQLError(
            'subscriptions are served over graphql-ws (WebSocket) or graphql-sse (Accept: text/event-stream) on /graphql',
            {
              extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
            },
          );
        }
      },
    };
  },
};
