import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import responseCachePlugin from '@apollo/server-plugin-response-cache';
import { isScalarType, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { createCache } from '../platform/cache';
import { closeServer, createHttpServer, listen, sendJson } from '../platform/http';
import { createLogger, type Logger } from '../platform/logger';
import { DateScalar, DateTimeScalar, MoneyScalar } from '../platform/scalars';
import { maskError } from '../platform/errors';
import { DEBUG_STATS_HEADER, statsPlugin } from '../platform/stats';
import { accessLogPlugin } from './access-log';
import { createAuthenticator } from './auth';
import { BoundedDocumentStore } from './document-store';
import { EntityCache } from './entity-cache';
import { GatewayFront } from './front';
import { CacheKeyValueStore } from './kv-cache';
import { armor, limitCode } from './limits';
import { GatewayMetrics } from './metrics';
import { rateLimiter } from './rate-limit';
import { readiness } from './readiness';
import type { GatewayConfig } from './gateway.config';
import type { GatewayContext } from './gateway.context';
import { SubgraphDataSource } from './subgraph-datasource';
import { createSubgraphFetcher } from './subgraph-fetcher';

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

/** Apollo answers an APQ hash that does not match its query (or a version it does not know) without a code: it is the client's input. */
function persistedQueryCode(formatted: GraphQLFormattedError): GraphQLFormattedError {
  // Apollo has already called it INTERNAL_SERVER_ERROR by the time formatError sees it.
  if (formatted.message !== 'provided sha does not match query' && formatted.message !== 'Unsupported persisted query version')
    return formatted;
  return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } };
}

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

/** Starts the gateway; `supergraphSdl` overrides the file at config.supergraphPath (tests compose in memory). */
export async function startGateway(
  config: Readonly<GatewayConfig>,
  logger: Logger = createLogger('gateway', config.logLevel),
  supergraphSdl: string = readFileSync(config.supergraphPath, 'utf8'),
): Promise<RunningGateway> {
  const fetcher = createSubgraphFetcher({
    timeoutMs: config.subgraphTimeoutMs,
    maxSockets: config.subgraphMaxSockets,
    dedupe: config.subgraphDedupe,
  });
  // Filled as the gateway builds a data source per subgraph of the supergraph; /ready checks each.
  const subgraphUrls = new Map<string, string>();
  // Redis when configured (shared by every replica), else this process's memory (said in the log).
  const cache = createCache({ redisUrl: config.redisUrl, cluster: config.redisCluster, logger });
  if (!config.redisUrl) logger.info('no REDIS_URL: rate limits, persisted queries and the response cache are per gateway process');
  // Commands fail fast while Redis is not connected (no offline queue): give it a moment at start.
  else if (!(await cache.ready(2_000))) logger.warn('Redis is not reachable yet: rate limits are not enforced and caches miss until it is');
  let supergraphLoaded = false;
  const metrics = new GatewayMetrics();
  const entityLookups = {
    hit: metrics.cacheLookups.labels({ cache: 'entity', result: 'hit' }),
    miss: metrics.cacheLookups.labels({ cache: 'entity', result: 'miss' }),
  };
  const entities =
    config.entityCacheEntries > 0
      ? new EntityCache(config.entityCacheEntries, (hit) => (hit ? entityLookups.hit : entityLookups.miss).inc())
      : undefined;
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => {
      const target = config.subgraphUrls[name] ?? url!;
      subgraphUrls.set(name, target);
      return new SubgraphDataSource(
        name,
        target,
        config.identitySecret,
        fetcher.fetch,
        (subgraph, seconds, failed) => metrics.subgraphFetches.observe({ subgraph, outcome: failed ? 'error' : 'ok' }, seconds),
        entities,
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
  const countLookup = (namespace: string, hit: boolean) => metrics.cacheLookups.inc({ cache: namespace, result: hit ? 'hit' : 'miss' });
  // The response cache stores what the subgraphs' Cache-Control allows (the catalog, PUBLIC) and
  // nothing else: a response with any uncacheable field (cases, quotes, metrics) is never stored.
  // Keys: the operation, variables and the caller's role; PRIVATE answers also the caller's subject.
  const responseCache = config.responseCache
    ? [
        responseCachePlugin<GatewayContext>({
          cache: new CacheKeyValueStore(cache, 'response', 3_600, countLookup),
          sessionId: async ({ contextValue }) => (contextValue.identity.role === 'ANONYMOUS' ? null : contextValue.identity.sub),
          extraCacheKeyData: async ({ contextValue }) => contextValue.identity.role,
        }),
      ]
    : [];
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    validationRules: limits.validationRules,
    // The token limit: graphql-js stops parsing past it (limits.ts).
    parseOptions: limits.parseOptions,
    // Parsed documents, bounded by their source text too (Apollo's default store leaves it out).
    documentStore: new BoundedDocumentStore(),
    // Batched operations (an array of requests in one body) are refused: one request, one operation.
    allowBatchedHttpRequests: false,
    // Shutdown is ours (drain, then stop): Apollo's own signal handlers would stop it mid-request.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    introspection: config.introspection,
    // Automatic persisted queries, kept in the shared cache: a hash registered through one gateway
    // replica is known to every other.
    persistedQueries:
      config.apqTtlSeconds > 0
        ? { cache: new CacheKeyValueStore(cache, 'apq', config.apqTtlSeconds, countLookup), ttl: config.apqTtlSeconds }
        : false,
    // Unreachable subgraphs arrive here already as SERVICE_UNAVAILABLE (subgraph-datasource.ts).
    formatError: (formatted, error) => mask(persistedQueryCode(limitCode(formatted)), error),
    plugins: [
      statsPlugin<GatewayContext>(),
      metrics.plugin(),
      accessLogPlugin(logger),
      ...limits.plugins,
      ...responseCache,
      ...(config.production ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
  });
  await apollo.start();
  const frontHits = metrics.frontAnswers.labels({ outcome: 'hit' });
  const frontCoalesced = metrics.frontAnswers.labels({ outcome: 'coalesced' });
  const front = new GatewayFront(
    { responseCache: config.responseCache, coalesce: config.coalesce, maxEntries: 500, maxAnswerBytes: 64 * 1024 },
    (outcome, name, context, started) => {
      const durationMs = performance.now() - started;
      metrics.recordRequest(name, 'ok', durationMs / 1000);
      (outcome === 'hit' ? frontHits : frontCoalesced).inc();
      if (logger.isLevelEnabled('info')) {
        logger.info(
          {
            requestId: context.requestId,
            operation: name,
            type: 'query',
            outcome: 'ok',
            role: context.identity.role,
            durationMs: Math.round(durationMs * 10) / 10,
            front: outcome,
          },
          'graphql request',
        );
      }
    },
  );
  const authenticate = createAuthenticator(config);
  const server = createHttpServer<GatewayContext>({
    apollo,
    maxBodyBytes: config.maxBodyBytes,
    beforeGraphql: rateLimiter(cache, config.rateLimit),
    around: front.around,
    context: async (req) => ({
      identity: await authenticate(req),
      requestId: requestIdOf(req.headers['x-request-id']),
      debugStats: config.debugStats && req.headers[DEBUG_STATS_HEADER] === '1',
      stats: {},
      operation: { type: null, name: null },
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
      await closeServer(server, config.shutdownGraceMs);
      await apollo.stop();
      await fetcher.close();
      await cache.close();
    },
  };
}
