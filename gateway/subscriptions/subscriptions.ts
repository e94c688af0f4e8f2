import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import type { ExecutionResult, GraphQLSchema } from 'graphql';
import type { Cache } from '../../platform/cache';
import { createCaseEventBus } from '../../platform/case-event-bus';
import type { Identity } from '../../platform/identity';
import type { Logger } from '../../platform/logger';
import type { GatewayContext } from '../gateway.context';
import type { GatewayMetrics } from '../plugins/metrics';
import type { SubscriptionConfig } from './config';
import { SubscriptionHub, SubscriptionMetrics } from './hub';
import { subscriptionSchema } from './schema';
import { type Authenticate, attachSubscriptions, type SubscriptionTransports } from './transports';

export interface Subscriptions {
  /** Each supergraph the gateway loads: the schema subscriptions validate against follows it. */
  onSchema(apiSchema: GraphQLSchema): void;
  /** Attaches graphql-ws to the server's upgrades; returns the graphql-sse route for text/event-stream requests. */
  attach(server: Server): SubscriptionTransports['eventStream'];
  /** Graceful drain at shutdown: every subscription ends, every socket closes (1001). */
  drain(): Promise<void>;
}

/**
 * Subscriptions at the gateway (docs/architecture.md, "Subscriptions"): the case event bus (Redis
 * Stream, or this process's memory), the hub, and the two transports. Each event's selection runs as
 * a query through Apollo Server's executeOperation with the subscriber's identity in the context: the
 * same plan, fetch path, subgraph scoping and query limits as a query sent by POST.
 */
export function createSubscriptions(parts: {
  apollo: ApolloServer<GatewayContext>;
  cache: Cache;
  metrics: GatewayMetrics;
  authenticate: Authenticate;
  config: SubscriptionConfig;
  logger: Logger;
  /** With TRUSTED_DOCUMENTS=required: whether a subscription's document is in the manifest (transports.ts). */
  trusted?: (hash: string, print: () => string) => boolean;
}): Subscriptions {
  const { apollo, cache, metrics, authenticate, config, logger, trusted } = parts;
  const bus = createCaseEventBus({ redis: cache.redis, keep: config.streamMax, logger });
  if (bus.kind === 'memory') {
    logger.info('no REDIS_URL: subscriptions receive only the case events of a cases subgraph in this process (in-process bus)');
  }
  const run = async (query: string, variables: Record<string, unknown>, identity: Identity): Promise<ExecutionResult> => {
    const context: GatewayContext = {
      identity,
      requestId: randomUUID(),
      debugStats: false,
      stats: {},
      operation: { type: null, name: null },
      derived: true,
    };
    const response = await apollo.executeOperation({ query, variables }, { contextValue: context });
    if (response.body.kind !== 'single') return { errors: [{ message: 'unexpected incremental answer' }] } as never;
    return response.body.singleResult as ExecutionResult;
  };
  const hub = new SubscriptionHub({ bus, run, config, metrics: new SubscriptionMetrics(metrics.registry), logger });
  let schema: GraphQLSchema | undefined;
  let transports: SubscriptionTransports | undefined;
  return {
    onSchema(apiSchema) {
      schema = subscriptionSchema(apiSchema);
    },
    attach(server) {
      transports = attachSubscriptions({ server, hub, schema: () => schema, authenticate, config, logger, trusted });
      return transports.eventStream;
    },
    async drain() {
      await (transports ? transports.drain() : hub.drain());
      await bus.close();
    },
  };
}
