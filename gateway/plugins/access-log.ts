import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '../../platform/logger';
import type { GatewayContext } from '../gateway.context';
import type { GatewayPlugin } from './gateway-plugin';

/**
 * One JSON log line per GraphQL request: request id (also sent to every subgraph and back to the
 * client as x-request-id), operation name and type, outcome (ok or the error codes), duration, the
 * caller's role, and whether a cache answered. Never the query text, variables or response: they
 * can hold personal data. It also records the resolved operation in the context, for the front
 * (front.ts), which logs the requests it answers itself the same way.
 */
export function accessLogPlugin(logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async didResolveOperation({ operation, operationName }) {
          if (!operation) return;
          contextValue.operation.type = operation.operation;
          contextValue.operation.name = operationName?.slice(0, 64) ?? null;
        },
        async willSendResponse({ operationName, operation, errors, metrics, response }) {
          response.http.headers.set('x-request-id', contextValue.requestId);
          if (!logger.isLevelEnabled('info')) return;
          const codes = errors?.length
            ? [...new Set(errors.map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))]
            : undefined;
          logger.info(
            {
              requestId: contextValue.requestId,
              operation: operationName?.slice(0, 64) ?? null,
              type: operation?.operation ?? null,
              outcome: codes ? 'error' : 'ok',
              codes,
              role: contextValue.identity.role,
              durationMs: Math.round((performance.now() - started) * 10) / 10,
              responseCache: metrics.responseCacheHit || undefined,
              persistedQuery: metrics.persistedQueryHit ? 'hit' : metrics.persistedQueryRegister ? 'register' : undefined,
            },
            'graphql request',
          );
        },
      };
    },
  };
}

/** The access-log plugin (accessLogPlugin). */
export function accessLog(logger: Logger): GatewayPlugin {
  return { apollo: [accessLogPlugin(logger)] };
}
