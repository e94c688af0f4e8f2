import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { createCache } from '../platform/cache';
import { closeServer, createHttpServer, type HttpError, listen } from '../platform/http';
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
import { GatewayMetrics, metricsRoute } from './plugins/metrics';
import { fetchPath, requestPlugins } from './pipeline';
import { createAuthenticator } from './plugins/authentication';
import { refuseOverHttp, servedWithSubscriptions } from './subscriptions/schema';
import { documentTrust, readManifest } from './plugins/trusted-documents';
import { createSubscriptions } from './subscriptions/subscriptions';

/**
 * Requests refused before or instead of GraphQL (401, 413, 429, 400, 403, 503, 500): one log line each
 * (warn; error with the cause's stack for a 500) and bga_gateway_http_refusals_total by status and
 * reason. The client's answer never carries the stack (platform/http.ts answers a fixed message).
 */
function refusals(metrics: GatewayMetrics, logger: Logger) {
  return (req: IncomingMessage, refusal: HttpError, cause?: unknown) => {
    metrics.refusals.inc({ status: String(refusal.status), reason: refusal.code });
    const line = {
      requestId: requestIdOf(req.headers['x-request-id']),
      status: refusal.status,
      reason: refusal.code,
      method: req.method,
      path: req.url?.split('?')[0].slice(0, 128),
      remoteAddress: req.socket.remoteAddress,
    };
    if (refusal.status >= 500) logger.error({ ...line, err: cause ?? refusal }, 'request refused');
    else logger.warn({ ...line, message: refusal.message }, 'request refused');
  };
}

/** The caller's x-request-id when it is a sane token (a load balancer's), else a new one. */
function requestIdOf(header: string | string[] | undefined): string {
  return typeof header === 'string' && /^[A-Za-z0-9._:-]{8,64}$/.test(header) ? header : randomUUID();
}

export interface RunningGateway {
  url: string;
  port: number;
  server: Server;
  /** With METRICS_PORT: where /metrics is served (else beside /graphql). */
  metricsUrl?: string;
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
  // Apollo Server serves the API schema with the gateway's own Subscription root (subscriptions/schema.ts).
  // Both get the plugins' schema hooks: gateway-js coerces variables against its own API schema, Apollo
  // Server validates against the served one (the scalar checks belong on each).
  const served = servedWithSubscriptions(gateway);
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => plugins.onSchema(apiSchema));
  served.onSchemaLoadOrUpdate(({ apiSchema }) => plugins.onSchema(apiSchema));
  const apollo = new ApolloServer<GatewayContext>({
    gateway: served,
    ...plugins.server,
    // Batched operations (an array of requests in one body) are refused: one request, one operation.
    allowBatchedHttpRequests: false,
    // Shutdown is ours (drain, then stop): Apollo's own signal handlers would stop it mid-request.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    introspection: config.introspection,
    formatError: plugins.formatError,
    plugins: [...plugins.apollo, refuseOverHttp],
  });
  // Subscriptions (graphql-ws, graphql-sse): each event's selection runs as a query through this Apollo Server.
  const subscriptions = createSubscriptions({
    apollo,
    cache,
    metrics,
    authenticate: createAuthenticator(config),
    config: config.subscriptions,
    logger,
    // The subscription's own document is checked against the manifest when it is subscribed.
    trusted: config.trustedDocuments === 'required' ? documentTrust(readManifest(config.trustedDocumentsManifest)) : undefined,
  });
  served.onSchemaLoadOrUpdate(({ apiSchema }) => subscriptions.onSchema(apiSchema));
  await apollo.start();
  let eventStream: ReturnType<typeof subscriptions.attach> | undefined;
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
    corsOrigins: config.corsOrigins,
    browserPage: plugins.browserPage,
    onRefusal: refusals(metrics, logger),
    eventStream: (req, res) => eventStream!(req, res),
  });
  eventStream = subscriptions.attach(server);
  server.keepAliveTimeout = 65_000;
  // METRICS_PORT: /metrics on a port of its own (scraped inside the cluster, never exposed with /graphql).
  let metricsServer: Server | undefined;
  let metricsUrl: string | undefined;
  if (config.metricsPort !== undefined) {
    const route = metricsRoute(metrics);
    metricsServer = createServer((req, res) => {
      if (req.method === 'GET' && req.url?.split('?')[0] === '/metrics') return void route(req, res);
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    });
    const metricsPort = await listen(metricsServer, config.metricsPort, config.host);
    metricsUrl = `http://${config.host}:${metricsPort}/metrics`;
    logger.info({ port: metricsPort }, 'gateway metrics listening');
  }
  const port = await listen(server, config.port, config.host);
  logger.info({ port }, 'gateway listening');
  return {
    url: `http://${config.host}:${port}/graphql`,
    port,
    server,
    metricsUrl,
    async stop() {
      await subscriptions.drain();
      if (metricsServer) await closeServer(metricsServer, 1_000);
      await closeServer(server, config.shutdownGraceMs);
      await apollo.stop();
      await transport.close();
      await cache.close();
    },
  };
}
