/**
 * The gateway as a pipeline, in the order a request meets it. Each entry is one concern in one file:
 * request-level concerns are plugins (plugins/, hooks at the phases of a request: gateway-plugin.ts),
 * the subgraph fetch path is a chain of steps (fetch/, subgraph-fetch.ts). gateway.ts starts them.
 */
import type { Cache } from '../platform/cache';
import type { Logger } from '../platform/logger';
import { cachePolicy } from './fetch/cache-policy';
import { deadline } from './fetch/deadline';
import { dedupe } from './fetch/dedupe';
import { entityBatching } from './fetch/entity-batching';
import { type EntityCache, entityCache } from './fetch/entity-cache';
import { fetchMetrics } from './fetch/fetch-metrics';
import { fetchStats } from './fetch/fetch-stats';
import { graphqlExchange } from './fetch/graphql-exchange';
import type { HttpTransport } from './fetch/http-transport';
import { signing } from './fetch/signing';
import { composeFetch, composeWire, type FetchNext } from './fetch/subgraph-fetch';
import { unavailable } from './fetch/unavailable';
import type { GatewayConfig } from './gateway.config';
import { accessLog } from './plugins/access-log';
import { authentication, requestIdentity } from './plugins/authentication';
import { customScalars } from './plugins/custom-scalars';
import { dashboard } from './plugins/dashboard';
import { debugStats } from './plugins/debug-stats';
import { documentDownloads } from './plugins/document-downloads';
import { documentStore } from './plugins/document-store';
import { errorMasking } from './plugins/error-masking';
import { front } from './plugins/front';
import type { GatewayPlugin } from './plugins/gateway-plugin';
import { exportDownloads } from './plugins/exports';
import { landingPage } from './plugins/landing-page';
import { limits } from './plugins/limits';
import { type GatewayMetrics, metricsPlugin } from './plugins/metrics';
import { persistedQueries } from './plugins/persisted-queries';
import { rateLimit, rateLimiter, verifiedClient } from './plugins/rate-limit';
import { health } from './plugins/readiness';
import { responseCache } from './plugins/response-cache';
import { readManifest, trustedDocuments } from './plugins/trusted-documents';

export interface PipelineParts {
  config: Readonly<GatewayConfig>;
  logger: Logger;
  /** Redis, or this process's memory: rate limits, persisted queries, the response cache's shared level. */
  cache: Cache;
  metrics: GatewayMetrics;
  /** Subgraph name → the URL fetched (filled as the gateway builds its data sources), for /ready. */
  subgraphUrls: ReadonlyMap<string, string>;
}

/** Request-level concerns. At each phase of a request (gateway-plugin.ts) their hooks run in this order. */
export function requestPlugins({ config, logger, cache, metrics, subgraphUrls }: PipelineParts): GatewayPlugin[] {
  const countLookup = (namespace: string, hit: boolean) => metrics.countLookup(namespace, hit);
  // One verification per request, shared by the rate limit (keyed on who the caller is) and authentication.
  const identify = requestIdentity(config);
  return [
    health({ subgraphs: subgraphUrls, cache: config.redisUrl ? cache : undefined }), // /health, /ready
    documentDownloads({ subgraphs: subgraphUrls, timeoutMs: config.subgraphTimeoutMs }), // /documents/ forwarded to the cases subgraph
    exportDownloads({
      subgraphs: subgraphUrls,
      identify,
      identitySecret: config.identitySecret,
      timeoutMs: config.subgraphTimeoutMs,
      permit: rateLimiter(cache, config.rateLimit, verifiedClient(identify)),
    }), // /export/ CSV: rate-limited, token verified, forwarded signed
    metricsPlugin(metrics, config.metricsPort !== undefined), // /metrics (or on METRICS_PORT); every request Apollo Server answers counted and timed
    customScalars(), // each supergraph loaded gets the subgraphs' Date, DateTime and Money checks
    rateLimit(cache, config.rateLimit, identify), // a permit per verified caller (or address) before the body is read, or 429
    authentication(identify), // the caller's identity in the context, or 401
    front(config, metrics, logger), // in-process response cache (first level) and request coalescing
    limits(config), // depth, aliases, tokens, cost, directives, operation and variable checks
    documentStore(), // parsed documents, bounded by their source text
    persistedQueries(cache, config.apqTtlSeconds, countLookup), // automatic persisted queries, shared
    trustedDocuments(config.trustedDocuments === 'required' ? readManifest(config.trustedDocumentsManifest) : undefined), // only the manifest's operations, when required
    responseCache(cache, config.responseCache, countLookup), // the response cache's shared level
    accessLog(logger), // one log line per request; the resolved operation for the front
    debugStats(), // extensions.stats when asked for
    landingPage(config.production), // the offline explorer on a browser's GET /graphql in development; none in production
    dashboard(config.production), // the reference dashboard (examples/dashboard) at /dashboard in development; none in production
    errorMasking(logger), // last of the error rewrites: internal errors masked
  ];
}

export interface FetchParts {
  config: Readonly<GatewayConfig>;
  metrics: GatewayMetrics;
  /** Entities subgraphs said may be kept; none kept without it (ENTITY_CACHE_ENTRIES=0). */
  entities: EntityCache | undefined;
  transport: HttpTransport;
}

/**
 * The subgraph fetch path, shared by every subgraph's data source: a fetch goes through these steps
 * in order, each of which may answer it, change it or pass it on, then over the wire steps to the
 * transport. Only a query's fetch is ever merged, answered from a cache or shared (fetch.kind).
 */
export function fetchPath({ config, metrics, entities, transport }: FetchParts): FetchNext {
  const wire = composeWire(
    [
      dedupe(config.subgraphDedupe), // identical in-flight queries of one caller identity share one exchange
      deadline(config.subgraphTimeoutMs), // one exchange's deadline, socket wait included
    ],
    transport.send, // undici over a bounded keep-alive pool per subgraph
  );
  return composeFetch(
    [
      unavailable, // a subgraph that cannot be reached: SERVICE_UNAVAILABLE at the fields' path
      entityBatching(), // a request's parallel entity fetches to one subgraph sent as one
      entityCache(entities), // entities kept from earlier answers; only the others asked for
      fetchMetrics(metrics.observeFetch), // every fetch sent, timed
      cachePolicy, // the subgraph's Cache-Control bounds the response's
      fetchStats, // fetches and the subgraph's own counts, for extensions.stats
      signing(config.identitySecret), // the signed identity, request id and debug flag: the only headers sent
    ],
    graphqlExchange(wire), // the JSON body out, the answer parsed for this caller
  );
}
