import {
  bool,
  ConfigError,
  DEFAULT_REDIS_KEY_PREFIX,
  DEV_IDENTITY_SECRET,
  DEV_JWT_SECRET,
  deepFreeze,
  devSecret,
  int,
  oneOf,
  str,
  url,
} from '../platform/config';
import { readSubscriptionConfig, type SubscriptionConfig } from './subscriptions/config';

/** The gateway's configuration: read once at start, validated, frozen. README lists every variable. */
export interface GatewayConfig {
  /** PORT (default 4000) and HOST (default 127.0.0.1). */
  port: number;
  host: string;
  /** SUPERGRAPH_PATH: the composed supergraph the gateway serves (default schema/supergraph.graphql). */
  supergraphPath: string;
  /** AGENTS_URL, CASES_URL, CARRIERS_URL: override the subgraph URLs written in the supergraph. */
  subgraphUrls: Record<string, string | undefined>;
  /** JWT_SECRET: HS256 secret for development tokens (npm run token). */
  jwtSecret: string;
  /** JWT_ISSUER / JWT_AUDIENCE: checked when set; both required in production with a JWKS. */
  jwtIssuer: string | undefined;
  jwtAudience: string | undefined;
  /** JWT_JWKS_URL: RS256/ES256 tokens are verified with the keys published here (https or loopback in production). */
  jwtJwksUrl: string | undefined;
  /** HS256 (JWT_SECRET) tokens are accepted unless NODE_ENV=production and JWT_JWKS_URL is set. */
  jwtAcceptHs256: boolean;
  /** JWT_CLOCK_SKEW_S: seconds of clock difference tolerated on exp/nbf (default 30). */
  jwtClockSkewSeconds: number;
  /** IDENTITY_SECRET: signs the identity passed to subgraphs (shared with them). */
  identitySecret: string;
  identityMaxSkewMs: number;
  /** SUBGRAPH_TIMEOUT_MS: deadline for one subgraph fetch (default 10000). */
  subgraphTimeoutMs: number;
  /** REDIS_URL / REDIS_CLUSTER / REDIS_KEY_PREFIX: the shared cache (APQ, response cache, rate limits). */
  redisUrl: string | undefined;
  redisCluster: boolean;
  redisKeyPrefix: string;
  /** CACHE_MEMORY_MAX_MB: without REDIS_URL, MiB of characters the in-process cache holds at most (default 32; platform/config.ts). */
  cacheMemoryMaxMb: number;
  /** DEBUG_STATS: honour x-debug-stats: 1 (default false; npm start turns it on). */
  debugStats: boolean;
  /** MAX_BODY_BYTES: largest request body (default 1 MiB). */
  maxBodyBytes: number;
  /** INTROSPECTION: allow schema introspection (default: on outside production). */
  introspection: boolean;
  /** RATE_LIMIT (requests per client per window, default 6000; 0 = off) and RATE_LIMIT_WINDOW_S (60). */
  rateLimit: { limit: number; windowSeconds: number };
  /** MAX_DEPTH (12), MAX_ALIASES (20), MAX_TOKENS (3000), MAX_COST (20000), MAX_DIRECTIVES (50), BLOCK_SUGGESTIONS (on in production). */
  limits: { depth: number; aliases: number; tokens: number; cost: number; directives: number; blockSuggestions: boolean };
  /** APQ_TTL_S: how long an automatic persisted query is kept in the shared cache (default 86400; 0 = APQ off). */
  apqTtlSeconds: number;
  /** TRUSTED_DOCUMENTS: `required` executes only the manifest's operations (default `off`); TRUSTED_DOCUMENTS_MANIFEST: its path (default schema/trusted-documents.json). */
  trustedDocuments: 'off' | 'required';
  trustedDocumentsManifest: string;
  /** RESPONSE_CACHE: whole-response cache for queries the subgraphs hint cacheable (default on). */
  responseCache: boolean;
  /** FRONT_CACHE_MAX_MB: MiB the front's in-process answers (the response cache's first level) hold at most (default 8). */
  frontCacheMaxMb: number;
  /** ENTITY_CACHE_ENTRIES: entities kept per gateway process from `_entities` fetches a subgraph hints public (default 10000; 0 = off). */
  entityCacheEntries: number;
  /** SUBGRAPH_MAX_SOCKETS: keep-alive connections per subgraph (default 64). */
  subgraphMaxSockets: number;
  /** REQUEST_COALESCING: identical in-flight queries of one caller share one execution (default on). */
  coalesce: boolean;
  /** SUBGRAPH_DEDUPE: merge identical in-flight subgraph queries of one caller identity (default on). */
  subgraphDedupe: boolean;
  /** SHUTDOWN_GRACE_MS: how long a stopping gateway waits for requests in flight (default 10000). */
  shutdownGraceMs: number;
  /** Subscriptions' limits (subscriptions/config.ts). */
  subscriptions: SubscriptionConfig;
  /** CORS_ORIGINS: browser origins allowed to call /graphql cross-origin, comma-separated (default none). */
  corsOrigins: readonly string[];
  /** METRICS_PORT: serve /metrics on this port (on HOST) instead of the GraphQL port (default unset: beside /graphql). */
  metricsPort: number | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  production: boolean;
}

export function readGatewayConfig(env: Record<string, string | undefined> = process.env): Readonly<GatewayConfig> {
  const production = env.NODE_ENV === 'production';
  const jwtSecret = str(env, 'JWT_SECRET', DEV_JWT_SECRET);
  const jwt = readJwtConfig(env, production);
  // With a JWKS in production HS256 tokens are refused, so JWT_SECRET is not used there.
  if (production && jwt.jwtAcceptHs256 && jwtSecret === DEV_JWT_SECRET)
    throw new ConfigError('JWT_SECRET', 'must be set to a real secret when NODE_ENV=production');
  // Named after JWT_SECRET: an operator fixing one at a time meets them in this order.
  const identitySecret = devSecret(env, 'IDENTITY_SECRET', DEV_IDENTITY_SECRET);
  return deepFreeze({
    port: int(env, 'PORT', 4000, { min: 0, max: 65535 }),
    host: str(env, 'HOST', '127.0.0.1'),
    supergraphPath: str(env, 'SUPERGRAPH_PATH', 'schema/supergraph.graphql'),
    subgraphUrls: { agents: url(env, 'AGENTS_URL'), cases: url(env, 'CASES_URL'), carriers: url(env, 'CARRIERS_URL') },
    jwtSecret,
    ...jwt,
    identitySecret,
    identityMaxSkewMs: int(env, 'IDENTITY_MAX_SKEW_MS', 60_000, { min: 1_000 }),
    subgraphTimeoutMs: int(env, 'SUBGRAPH_TIMEOUT_MS', 10_000, { min: 100 }),
    redisUrl: str(env, 'REDIS_URL'),
    redisCluster: bool(env, 'REDIS_CLUSTER', false),
    redisKeyPrefix: str(env, 'REDIS_KEY_PREFIX', DEFAULT_REDIS_KEY_PREFIX),
    cacheMemoryMaxMb: int(env, 'CACHE_MEMORY_MAX_MB', 32, { min: 1, max: 1024 }),
    debugStats: bool(env, 'DEBUG_STATS', false),
    maxBodyBytes: int(env, 'MAX_BODY_BYTES', 1024 * 1024, { min: 1024 }),
    introspection: bool(env, 'INTROSPECTION', !production),
    rateLimit: { limit: int(env, 'RATE_LIMIT', 6_000, { min: 0 }), windowSeconds: int(env, 'RATE_LIMIT_WINDOW_S', 60, { min: 1 }) },
    limits: {
      depth: int(env, 'MAX_DEPTH', 12, { min: 1 }),
      aliases: int(env, 'MAX_ALIASES', 20, { min: 0 }),
      tokens: int(env, 'MAX_TOKENS', 3_000, { min: 10 }),
      cost: int(env, 'MAX_COST', 20_000, { min: 1 }),
      directives: int(env, 'MAX_DIRECTIVES', 50, { min: 0 }),
      blockSuggestions: bool(env, 'BLOCK_SUGGESTIONS', production),
    },
    apqTtlSeconds: int(env, 'APQ_TTL_S', 86_400, { min: 0 }),
    trustedDocuments: oneOf(env, 'TRUSTED_DOCUMENTS', ['off', 'required'] as const, 'off'),
    trustedDocumentsManifest: str(env, 'TRUSTED_DOCUMENTS_MANIFEST', 'schema/trusted-documents.json'),
    responseCache: bool(env, 'RESPONSE_CACHE', true),
    frontCacheMaxMb: int(env, 'FRONT_CACHE_MAX_MB', 8, { min: 1, max: 1024 }),
    entityCacheEntries: int(env, 'ENTITY_CACHE_ENTRIES', 10_000, { min: 0, max: 1_000_000 }),
    subgraphMaxSockets: int(env, 'SUBGRAPH_MAX_SOCKETS', 64, { min: 1, max: 10_000 }),
    subgraphDedupe: bool(env, 'SUBGRAPH_DEDUPE', true),
    coalesce: bool(env, 'REQUEST_COALESCING', true),
    shutdownGraceMs: int(env, 'SHUTDOWN_GRACE_MS', 10_000, { min: 0 }),
    subscriptions: readSubscriptionConfig(env),
    corsOrigins: readCorsOrigins(env),
    metricsPort: env.METRICS_PORT ? int(env, 'METRICS_PORT', 0, { min: 0, max: 65535 }) : undefined,
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    production,
  });
}

/**
 * The JWT settings besides the HS256 secret. In production with a JWKS the identity provider signs
 * tokens for every application of the tenant (and, on multi-tenant endpoints, for other tenants) with
 * the same keys, so the issuer and the audience must be pinned, and the keys fetched over https
 * (or from loopback).
 */
function readJwtConfig(env: Record<string, string | undefined>, production: boolean) {
  const jwtJwksUrl = url(env, 'JWT_JWKS_URL');
  const jwtIssuer = str(env, 'JWT_ISSUER');
  const jwtAudience = str(env, 'JWT_AUDIENCE');
  if (jwtJwksUrl) {
    const { protocol, hostname } = new URL(jwtJwksUrl);
    if (protocol !== 'https:' && protocol !== 'http:') throw new ConfigError('JWT_JWKS_URL', `must be an http(s) URL, got "${jwtJwksUrl}"`);
    // Keys fetched in clear text could be swapped on the way: that is forging tokens. Loopback (a sidecar) is fine.
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(hostname);
    if (production && protocol !== 'https:' && !loopback)
      throw new ConfigError('JWT_JWKS_URL', 'must be an https URL (or loopback) when NODE_ENV=production');
    if (production && !jwtIssuer) throw new ConfigError('JWT_ISSUER', 'is required with JWT_JWKS_URL when NODE_ENV=production');
    if (production && !jwtAudience) throw new ConfigError('JWT_AUDIENCE', 'is required with JWT_JWKS_URL when NODE_ENV=production');
  }
  return {
    jwtIssuer,
    jwtAudience,
    jwtJwksUrl,
    jwtAcceptHs256: !(production && jwtJwksUrl),
    jwtClockSkewSeconds: int(env, 'JWT_CLOCK_SKEW_S', 30, { min: 0, max: 300 }),
  };
}

/**
 * CORS_ORIGINS: exact origins (scheme, host and port, as a browser sends them in Origin), comma-separated.
 * `*` is refused: the gateway takes bearer tokens, and any page on the web calling it with a user's token is
 * what CORS is there to stop.
 */
function readCorsOrigins(env: Record<string, string | undefined>): string[] {
  const origins = (env.CORS_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of origins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      // reported below
    }
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.origin !== origin)
      throw new ConfigError('CORS_ORIGINS', `"${origin}" is not an origin (scheme://host[:port], no path or trailing slash)`);
  }
  return origins;
}
