import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import { CachedLoader, createCache, type Cache } from '../../platform/cache';
import type { CommonConfig } from '../../platform/config';
import type { BaseSubgraphContext } from './context';
import { createPool, Db, type Pool } from './db';
import { closeServer, createHttpServer, HttpError, listen, type Route, sendJson } from '../../platform/http';
import { type Identity, IdentityError, identityVerifier } from '../../platform/identity';
import { createLogger, type Logger } from '../../platform/logger';
import { subgraphRegistry } from '../../platform/metrics';
import { migrate, type Migration } from './migrate';
import { maskError } from '../../platform/errors';
import { DEBUG_STATS_HEADER, newStats, statsPlugin } from '../../platform/stats';

/** What a subgraph is given once, at start: everything it may hold for the life of the process. */
export interface SubgraphDeps {
  config: Readonly<CommonConfig>;
  /** The process environment, for the subgraph's own typed configuration (read once, here). */
  env: Readonly<Record<string, string | undefined>>;
  pool: Pool;
  cache: Cache;
  logger: Logger;
}

/** Work that lives as long as the server (workers, refreshes): started once it listens, stopped before the pool closes. */
export interface Background {
  start(): void;
  stop(): void | Promise<void>;
}

/** One started subgraph: its schema, its per-request context, its background work. */
export interface SubgraphInstance {
  schema: GraphQLSchema;
  /** Adds the subgraph's own per-request state (loaders, ports) to the base context. */
  context(base: BaseSubgraphContext): BaseSubgraphContext;
  background?: Background;
  /**
   * Plain HTTP routes the subgraph serves beside /graphql (the cases subgraph's document downloads and the e-signature provider's webhook).
   * A path ending in '/' is a prefix (platform/http.ts). They get no signed identity: each route
   * authorizes its own requests (a signed URL, a signed webhook). /health, /ready and /metrics cannot be replaced.
   */
  routes?: Readonly<Record<string, Route>>;
  /** The largest request body the subgraph accepts (default 1 MiB): more for a subgraph that takes uploads. */
  maxBodyBytes?: number;
}

/**
 * A subgraph as a module: a name, its migrations and hints, a pure schema builder (the compose
 * script needs only that), and one factory called once at start with what the process holds.
 */
export interface SubgraphModule {
  name: string;
  migrations: readonly Migration[];
  /** The federated schema alone: no configuration, no I/O. */
  buildSchema(): Promise<GraphQLSchema>;
  create(deps: SubgraphDeps): SubgraphInstance | Promise<SubgraphInstance>;
  /**
   * Cache hints by field coordinate ("Query.carriers"): the subgraph answers Cache-Control from them
   * and the gateway's response cache honours it. Every field not listed is uncacheable (max-age 0)
   * and so is any response that contains one.
   */
  cacheHints?: Readonly<Record<string, CacheHint>>;
  /**
   * Cache hints of entities by type, for `_entities`: a fetch whose representations are all of hinted
   * types gets the smallest of their hints (each field it selects then restricts that as above), so
   * the gateway may keep the entities it fetched (its entity cache). Any other type makes the
   * fetch uncacheable.
   */
  entityCacheHints?: Readonly<Record<string, CacheHint>>;
}

/** The hint of an `_entities` fetch: the smallest of its types' hints, or none when any type has none. */
export function entitiesHint(typenames: Iterable<unknown>, hints: Readonly<Record<string, CacheHint>>): CacheHint | undefined {
  let hint: CacheHint | undefined;
  for (const typename of typenames) {
    const own = typeof typename === 'string' ? hints[typename] : undefined;
    if (!own) return undefined;
    hint = !hint
      ? own
      : { maxAge: Math.min(hint.maxAge, own.maxAge), scope: hint.scope === 'PRIVATE' || own.scope === 'PRIVATE' ? 'PRIVATE' : 'PUBLIC' };
  }
  return hint;
}

/** A cache hint as Apollo's cache-control plugin takes it. */
export interface CacheHint {
  maxAge: number;
  scope?: 'PUBLIC' | 'PRIVATE';
}

/** Sets the subgraph's static cache hints on the fields they name (after Apollo's cache-control plugin set up info.cacheControl). */
function cacheHintsPlugin(
  hints: Readonly<Record<string, CacheHint>>,
  entityHints: Readonly<Record<string, CacheHint>>,
): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async executionDidStart() {
          return {
            willResolveField({ info, args }) {
              const hint =
                info.parentType.name === 'Query' && info.fieldName === '_entities'
                  ? entitiesHint(
                      ((args as { representations?: { __typename?: unknown }[] }).representations ?? []).map((r) => r?.__typename),
                      entityHints,
                    )
                  : hints[`${info.parentType.name}.${info.fieldName}`];
              // info.cacheControl is Apollo's augmentation of GraphQLResolveInfo (@apollo/cache-control-types).
              if (hint) (info as unknown as { cacheControl: { setCacheHint(hint: CacheHint): void } }).cacheControl.setCacheHint(hint);
            },
          };
        },
      };
    },
  };
}

export interface RunningSubgraph {
  name: string;
  url: string;
  port: number;
  pool: Pool;
  cache: Cache;
  stop(): Promise<void>;
}

/**
 * Starts one subgraph: migrations, pool, cache, Apollo Server behind node:http. Every GraphQL
 * request must carry an identity signed by the gateway; unsigned calls get 401 UNAUTHENTICATED.
 */
export async function startSubgraph(
  definition: SubgraphModule,
  config: CommonConfig,
  port: number,
  host = '127.0.0.1',
  extra: { cache?: Cache; logger?: Logger; env?: Readonly<Record<string, string | undefined>> } = {},
): Promise<RunningSubgraph> {
  const logger = extra.logger ?? createLogger(`subgraph-${definition.name}`, config.logLevel);
  const pool = createPool(config.databaseUrl, config.databasePoolSize);
  await migrate(pool, definition.name, definition.migrations);
  const ownsCache = !extra.cache;
  const cache =
    extra.cache ??
    createCache({
      redisUrl: config.redisUrl,
      cluster: config.redisCluster,
      keyPrefix: config.redisKeyPrefix,
      memoryMaxChars: config.cacheMemoryMaxMb * 2 ** 20,
      logger,
    });
  // Commands fail fast while Redis is not connected (no offline queue): give it a moment at start.
  if (!(await cache.ready(2_000))) logger.warn('Redis is not reachable yet: serving without the shared cache until it is');
  const cached = new CachedLoader(cache);
  const instance = await definition.create({ config, env: extra.env ?? process.env, pool, cache, logger });
  const apollo = new ApolloServer<BaseSubgraphContext>({
    schema: instance.schema,
    includeStacktraceInErrorResponses: false,
    // Shutdown is ours (drain, then stop): Apollo's own signal handlers would stop it mid-request.
    stopOnTerminationSignals: false,
    formatError: maskError(logger),
    // No federated tracing: nothing reads it here, and it costs every request.
    plugins: [
      statsPlugin<BaseSubgraphContext>(),
      ApolloServerPluginInlineTraceDisabled(),
      ...(definition.cacheHints || definition.entityCacheHints
        ? [cacheHintsPlugin(definition.cacheHints ?? {}, definition.entityCacheHints ?? {}) as ApolloServerPlugin<BaseSubgraphContext>]
        : []),
    ],
    // CSRF prevention stays on: the gateway always sends application/json.
  });
  await apollo.start();
  const verify = identityVerifier(config.identitySecret, config.identityMaxSkewMs);
  const context = async (req: IncomingMessage): Promise<BaseSubgraphContext> => {
    let identity: Identity;
    try {
      identity = verify(req.headers);
    } catch (error) {
      if (error instanceof IdentityError) throw new HttpError(401, 'UNAUTHENTICATED', `unsigned or badly signed call: ${error.message}`);
      throw error;
    }
    const stats = newStats();
    const requestId = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) ?? randomUUID();
    return instance.context({
      identity,
      requestId,
      stats,
      debugStats: config.debugStats && req.headers[DEBUG_STATS_HEADER] === '1',
      db: new Db(pool, stats),
      cache,
      cached,
      logger: logger.child({ requestId }),
    });
  };
  const server = createHttpServer({
    apollo,
    context,
    // The larger of the subgraph's own need (documents) and the configured limit.
    maxBodyBytes: Math.max(instance.maxBodyBytes ?? 0, config.subgraphMaxBodyBytes),
    routes: {
      ...instance.routes,
      '/health': (_req, res) => sendJson(res, 200, { status: 'ok', service: definition.name }),
      '/metrics': async (_req, res) => {
        res.writeHead(200, { 'content-type': subgraphRegistry.contentType });
        res.end(await subgraphRegistry.metrics());
      },
      '/ready': async (_req, res) => {
        const db = await pool.query('SELECT 1').then(
          () => true,
          () => false,
        );
        const redis = await cache.ping();
        sendJson(res, db ? 200 : 503, {
          status: db ? (redis ? 'ready' : 'degraded') : 'unavailable',
          database: db,
          cache: { kind: cache.kind, ok: redis },
        });
      },
    },
  });
  server.keepAliveTimeout = 65_000;
  const actualPort = await listen(server, port, host);
  const background = instance.background;
  background?.start();
  logger.info({ port: actualPort, cache: cache.kind }, `subgraph ${definition.name} listening`);
  return {
    name: definition.name,
    url: `http://${host}:${actualPort}/graphql`,
    port: actualPort,
    pool,
    cache,
    async stop() {
      await closeServer(server);
      await background?.stop();
      await apollo.stop();
      await pool.end();
      if (ownsCache) await cache.close();
    },
  };
}
