import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { createCache } from '../platform/cache';
import { closeServer, createHttpServer, listen } from '../platform/http';
import { ANONYMOUS } from '../platform/identity';
import { createLogger, type Logger } from '../platform/logger';
import { DEBUG_STATS_HEADER } from '../platform/stats';
import { EntityCache } from './fetch/entity-cache';
import { createHttpTransport } from './fetch/http-transport';
import { FETCH_DOCUMENTS } from './fetch/operation-kind';
import { SubgraphDataSource } from './fetch/subgraph-datasource';
import type { GatewayConfig } from './gateway.config';
import type { GatewayContext } from './gateway.context';
import { combinePlugins } from './plugins/gateway-plugin';
import { GatewayMetrics } from './plugins/metrics';
import { fetchPath, requestPlugins } from './pipeline';

/** The caller's x-request-id when it is a sane token (a load balancer's), else a new one. */
function requestIdOf(header: string | string[] | undefined): string {
  return typeof header === 'string' && /^[A-Za-z0-9._:-]{8,64}$/.test(header) ? header : randomUUID();
}

export interface RunningGateway {
  url: string;
  port: number;
  server: Server;
  stop(): Promise<void>;
}

/**
 * Starts the gateway: what the pipeline (pipeline.ts) needs, built once, then Apollo Server over
 * gateway-js with the request plugins, and the HTTP server. `supergraphSdl` overrides the file at
 * config.supergraphPath (tests compose in memory).
 */
export async function startGateway(
  config: Readonly<GatewayConfig>,
  logger: Logger = createLogger('gateway', config.logLevel),
  supergraphSdl: string = readFileSync(config.supergraphPath, 'utf8'),
): Promise<RunningGateway> {
  // Redis when configured (shared by every replica), else this process's memory (said in the log).
  const cache = createCache({
    redisUrl: config.redisUrl,
    cluster: config.redisCluster,
    keyPrefix: config.redisKeyPrefix,
    memoryMaxChars: config.cacheMemoryMaxMb * 2 ** 20,
    logger,
  });
  if (!config.redisUrl) logger.info('no REDIS_URL: rate limits, persisted queries and the response cache are per gateway process');
  // Commands fail fast while Redis is not connected (no offline queue): give it a moment at start.
  else if (!(await cache.ready(2_000))) logger.warn('Redis is not reachable yet: rate limits are not enforced and caches miss until it is');
  const metrics = new GatewayMetrics();
  const entityLookups = {
    hit: metrics.cacheLookups.labels({ cache: 'entity', result: 'hit' }),
    miss: metrics.cacheLookups.labels({ cache: 'entity', result: 'miss' }),
  };
  const entities =
    config.entityCacheEntries > 0
      ? new EntityCache(config.entityCacheEntries, (hit) => (hit ? entityLookups.hit : entityLookups.miss).inc())
      : undefined;
  const transport = createHttpTransport({ maxSockets: config.subgraphMaxSockets });
  const subgraphFetch = fetchPath({ config, metrics, entities, transport });
  // Filled as the gateway builds a data source per subgraph of the supergraph; /ready checks each.
  const subgraphUrls = new Map<string, string>();
  const plugins = combinePlugins(requestPlugins({ config, logger, cache, metrics, subgraphUrls }));

  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => {
      const target = config.subgraphUrls[name] ?? url!;
      subgraphUrls.set(name, target);
      return new SubgraphDataSource(name, target, subgraphFetch);
    },
    // Each fetch of a plan carries its own parsed operation: the data source reads the fetch's kind from it.
    ...FETCH_DOCUMENTS,
    logger,
  });
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => plugins.onSchema(apiSchema));
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    ...plugins.server,
    // Batched operations (an array of requests in one body) are refused: one request, one operation.
    allowBatchedHttpRequests: false,
    // Shutdown is ours (drain, then stop): Apollo's own signal handlers would stop it mid-request.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    introspection: config.introspection,
    formatError: plugins.formatError,
    plugins: plugins.apollo,
  });
  await apollo.start();
  const server = createHttpServer<GatewayContext>({
    apollo,
    maxBodyBytes: config.maxBodyBytes,
    beforeGraphql: plugins.onRequest,
    around: plugins.around,
    context: async (req) => {
      const context: GatewayContext = {
        identity: ANONYMOUS,
        requestId: requestIdOf(req.headers['x-request-id']),
        debugStats: config.debugStats && req.headers[DEBUG_STATS_HEADER] === '1',
        stats: {},
        operation: { type: null, name: null },
      };
      await plugins.onContext(req, context);
      return context;
    },
    routes: plugins.routes,
  });
  server.keepAliveTimeout = 65_000;
  const port = await listen(server, config.port, config.host);
  logger.info({ port }, 'gateway listening');
  return {
    url: `http://${config.host}:${port}/graphql`,
    port,
    server,
    async stop() {
      await closeServer(server, config.shutdownGraceMs);
      await apollo.stop();
      await transport.close();
      await cache.close();
    },
  };
}
