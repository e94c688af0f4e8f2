import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { isScalarType, type GraphQLSchema } from 'graphql';
import { createCache } from '../subgraphs/shared/cache';
import { closeServer, createHttpServer, listen, sendJson } from '../subgraphs/shared/http';
import { createLogger, type Logger } from '../subgraphs/shared/logger';
import { DateScalar, DateTimeScalar, MoneyScalar } from '../subgraphs/shared/scalars';
import { maskError } from '../subgraphs/shared/subgraph-server';
import { DEBUG_STATS_HEADER } from '../subgraphs/shared/stats';
import { createAuthenticator } from './auth';
import { armor, limitCode } from './limits';
import { GatewayMetrics } from './metrics';
import { rateLimiter } from './rate-limit';
import { readiness } from './readiness';
import type { GatewayConfig } from './gateway.config';
import type { GatewayContext } from './gateway.context';
import { SubgraphDataSource, timeoutFetcher } from './subgraph-datasource';

/** Merges each subgraph's counts into the client's extensions.stats when asked and allowed. */
const statsPlugin: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        if (!contextValue.debugStats || response.body.kind !== 'single') return;
        const result = response.body.singleResult;
        result.extensions = { ...result.extensions, stats: contextValue.stats };
      },
    };
  },
};

/**
 * The supergraph knows our scalars by name only, so the gateway would pass "2025-02-30" on to a
 * subgraph. Giving the API schema the same parse functions as the subgraphs makes a malformed Date
 * in variables BAD_USER_INPUT (and in a literal GRAPHQL_VALIDATION_FAILED) before any fetch.
 */
function validateCustomScalars(schema: GraphQLSchema): void {
  for (const scalar of [DateScalar, DateTimeScalar, MoneyScalar]) {
    const type = schema.getType(scalar.name);
    if (isScalarType(type)) Object.assign(type, { parseValue: scalar.parseValue, parseLiteral: scalar.parseLiteral });
  }
}

export interface RunningGateway {
  url: string;
  port: number;
  server: Server;
  stop(): Promise<void>;
}

/** Starts the gateway; `supergraphSdl` overrides the file at config.supergraphPath (tests compose in memory). */
export async function startGateway(
  config: Readonly<GatewayConfig>,
  logger: Logger = createLogger('gateway', config.logLevel),
  supergraphSdl: string = readFileSync(config.supergraphPath, 'utf8'),
): Promise<RunningGateway> {
  const fetcher = timeoutFetcher(config.subgraphTimeoutMs);
  // Filled as the gateway builds a data source per subgraph of the supergraph; /ready checks each.
  const subgraphUrls = new Map<string, string>();
  // Redis when configured (shared by every replica), else this process's memory (said in the log).
  const cache = createCache({ redisUrl: config.redisUrl, cluster: config.redisCluster, logger });
  if (!config.redisUrl) logger.info('no REDIS_URL: rate limits are counted per gateway process');
  // Commands fail fast while Redis is not connected (no offline queue): give it a moment at start.
  else if (!(await cache.ready(2_000))) logger.warn('Redis is not reachable yet: rate limits are not enforced until it is');
  let supergraphLoaded = false;
  const metrics = new GatewayMetrics();
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => {
      const target = config.subgraphUrls[name] ?? url!;
      subgraphUrls.set(name, target);
      return new SubgraphDataSource(name, target, config.identitySecret, fetcher, (subgraph, seconds, failed) =>
        metrics.subgraphFetches.observe({ subgraph, outcome: failed ? 'error' : 'ok' }, seconds),
      );
    },
    logger,
  });
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => {
    validateCustomScalars(apiSchema);
    supergraphLoaded = true;
  });
  const limits = armor(config);
  const mask = maskError(logger);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    validationRules: limits.validationRules,
    // Batched operations (an array of requests in one body) are refused: one request, one operation.
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    introspection: config.introspection,
    // Unreachable subgraphs arrive here already as SERVICE_UNAVAILABLE (subgraph-datasource.ts).
    formatError: (formatted, error) => mask(limitCode(formatted), error),
    plugins: [statsPlugin, metrics.plugin(), ...limits.plugins, ...(config.production ? [ApolloServerPluginLandingPageDisabled()] : [])],
  });
  await apollo.start();
  const authenticate = createAuthenticator(config);
  const server = createHttpServer<GatewayContext>({
    apollo,
    maxBodyBytes: config.maxBodyBytes,
    beforeGraphql: rateLimiter(cache, config.rateLimit),
    context: async (req) => ({
      identity: await authenticate(req),
      requestId: randomUUID(),
      debugStats: config.debugStats && req.headers[DEBUG_STATS_HEADER] === '1',
      stats: {},
    }),
    routes: {
      '/health': (_req, res) => sendJson(res, 200, { status: 'ok' }),
      '/metrics': async (_req, res) => {
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(await metrics.registry.metrics());
      },
      '/ready': async (_req, res) => {
        const state = await readiness({ supergraphLoaded, subgraphs: subgraphUrls, cache: config.redisUrl ? cache : undefined });
        sendJson(res, state.status === 'unavailable' ? 503 : 200, state);
      },
    },
  });
  server.keepAliveTimeout = 65_000;
  const port = await listen(server, config.port, config.host);
  logger.info({ port }, 'gateway listening');
  return {
    url: `http://${config.host}:${port}/graphql`,
    port,
    server,
    async stop() {
      await closeServer(server);
      await apollo.stop();
      await cache.close();
    },
  };
}
