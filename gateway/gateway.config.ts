import { bool, ConfigError, DEV_IDENTITY_SECRET, DEV_JWT_SECRET, deepFreeze, int, oneOf, str, url } from '../subgraphs/shared/config';

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
  /** JWT_ISSUER / JWT_AUDIENCE: checked when set. */
  jwtIssuer: string | undefined;
  jwtAudience: string | undefined;
  /** IDENTITY_SECRET: signs the identity passed to subgraphs (shared with them). */
  identitySecret: string;
  identityMaxSkewMs: number;
  /** SUBGRAPH_TIMEOUT_MS: deadline for one subgraph fetch (default 10000). */
  subgraphTimeoutMs: number;
  /** REDIS_URL / REDIS_CLUSTER: the shared cache (APQ, response cache, rate limits). */
  redisUrl: string | undefined;
  redisCluster: boolean;
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
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  production: boolean;
}

export function readGatewayConfig(env: Record<string, string | undefined> = process.env): Readonly<GatewayConfig> {
  const production = env.NODE_ENV === 'production';
  const jwtSecret = str(env, 'JWT_SECRET', DEV_JWT_SECRET);
  const identitySecret = str(env, 'IDENTITY_SECRET', DEV_IDENTITY_SECRET);
  if (production && jwtSecret === DEV_JWT_SECRET) throw new ConfigError('JWT_SECRET', 'must be set to a real secret when NODE_ENV=production');
  if (production && identitySecret === DEV_IDENTITY_SECRET) throw new ConfigError('IDENTITY_SECRET', 'must be set to a real secret when NODE_ENV=production');
  return deepFreeze({
    port: int(env, 'PORT', 4000, { min: 0, max: 65535 }),
    host: str(env, 'HOST', '127.0.0.1'),
    supergraphPath: str(env, 'SUPERGRAPH_PATH', 'schema/supergraph.graphql'),
    subgraphUrls: { agents: url(env, 'AGENTS_URL'), cases: url(env, 'CASES_URL'), carriers: url(env, 'CARRIERS_URL') },
    jwtSecret,
    jwtIssuer: str(env, 'JWT_ISSUER'),
    jwtAudience: str(env, 'JWT_AUDIENCE'),
    identitySecret,
    identityMaxSkewMs: int(env, 'IDENTITY_MAX_SKEW_MS', 60_000, { min: 1_000 }),
    subgraphTimeoutMs: int(env, 'SUBGRAPH_TIMEOUT_MS', 10_000, { min: 100 }),
    redisUrl: str(env, 'REDIS_URL'),
    redisCluster: bool(env, 'REDIS_CLUSTER', false),
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
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    production,
  });
}
