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

  """
  compareQuotes as the carriers answer: one event per carrier asked, as soon as that carrier answers (its outcome and its quotes), then a last event with done true, then the subscription completes. The first quotes arrive at the fastest carrier's latency, not the slowest's. The carriers asked, the deadline (a carrier still out when it passes is its TIMEOUT outcome) and the errors for bad input (BAD_USER_INPUT naming the field) are compareQuotes's; each carrier is called at most once.
  """
  quoteComparison(
    """Who to quote and how, as compareQuotes takes it."""
    input: QuoteInput!
  ): QuoteComparisonEvent!
}

"""
One event of quoteComparison: one carrier's answer as it arrives, or the last event (done true, no carrier).
"""
type QuoteComparisonEvent {
  """The carrier that answered (outcome.carrier); null on the last event."""
  carrier: Carrier

  """How this carrier answered, as compareQuotes's outcomes say it; null on the last event."""
  outcome: CarrierOutcome

  """
  This carrier's quotes, cheapest first as compareQuotes ranks them; empty when it did not quote, and on the last event (rank every event's quotes together for compareQuotes's order).
  """
  quotes: [Quote!]!

  """True on the last event only: every carrier asked has an outcome; the subscription completes after it."""
  done: Boolean!

  """Carriers answered so far, this event's included (carriersAsked on the last event)."""
  carriersAnswered: Int!

  """How many carriers the comparison asks: those compareQuotes asks for the same input."""
  carriersAsked: Int!
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
