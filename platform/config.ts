/**
 * Reading configuration from the environment: each process declares what it needs once, at start-up,
 * through these readers. A bad value throws a ConfigError that names the variable, and the process
 * stops with that message instead of failing later in some request.
 */
export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Configuration error: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

function raw(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export function str(env: Env, name: string, fallback: string): string;
export function str(env: Env, name: string, fallback?: undefined): string | undefined;
export function str(env: Env, name: string, fallback?: string): string | undefined {
  return raw(env, name) ?? fallback;
}

export function required(env: Env, name: string, hint: string): string {
  const value = raw(env, name);
  if (value === undefined) throw new ConfigError(name, `is required: ${hint}`);
  return value;
}

export function int(env: Env, name: string, fallback: number, range: { min?: number; max?: number } = {}): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!/^-?\d+$/.test(value)) throw new ConfigError(name, `must be a whole number, got "${value}"`);
  const n = Number(value);
  if (range.min !== undefined && n < range.min) throw new ConfigError(name, `must be at least ${range.min}, got ${n}`);
  if (range.max !== undefined && n > range.max) throw new ConfigError(name, `must be at most ${range.max}, got ${n}`);
  return n;
}

export function bool(env: Env, name: string, fallback: boolean): boolean {
  const value = raw(env, name)?.toLowerCase();
  if (value === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new ConfigError(name, `must be true or false, got "${value}"`);
}

export function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return value as T;
}

export function url(env: Env, name: string, fallback?: string): string | undefined {
  const value = raw(env, name) ?? fallback;
  if (value === undefined) return undefined;
  try {
    new URL(value);
  } catch {
    throw new ConfigError(name, `must be a URL, got "${value}"`);
  }
  return value;
}

/** Freezes a configuration object and every object inside it. */
export function deepFreeze<T>(value: T): Readonly<T> {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value as object)) deepFreeze(inner);
  }
  return value;
}

/** The development secrets: documented in README, refused when NODE_ENV=production. */
export const DEV_JWT_SECRET = 'bga-graph-development-jwt-secret-do-not-use-in-production';
export const DEV_IDENTITY_SECRET = 'bga-graph-development-identity-secret-do-not-use-in-production';
/** The e-signature provider's development API key and webhook secret: the simulator accepts and signs with these, the cases subgraph defaults to them. */
export const DEV_ESIGN_API_KEY = 'bga-dev-esign-api-key';
export const DEV_ESIGN_WEBHOOK_SECRET = 'bga-graph-development-esign-webhook-secret-do-not-use-in-production';
/** The requirement vendors' development API keys and webhook secrets: the simulators accept and sign with these, the cases subgraph defaults to them. */
export const DEV_VENDOR_PULSE_API_KEY = 'bga-dev-vendor-pulse-api-key';
export const DEV_VENDOR_PULSE_WEBHOOK_SECRET = 'bga-graph-development-pulse-webhook-secret-do-not-use-in-production';
export const DEV_VENDOR_CHARTWELL_API_KEY = 'bga-dev-vendor-chartwell-api-key';
export const DEV_VENDOR_CHARTWELL_WEBHOOK_SECRET = 'bga-graph-development-chartwell-webhook-secret-do-not-use-in-production';
/** The producer database's development customer id and password (HTTP Basic): the simulator accepts these, the agents subgraph will default to them. */
export const DEV_PDB_USER = 'bga-dev-pdb-customer';
export const DEV_PDB_PASSWORD = 'bga-graph-development-pdb-password-do-not-use-in-production';
/** The secret carriers sign their status pushes with (CARRIER_PUSH_SECRET): the simulators sign with it, the cases subgraph defaults to it. */
export const DEV_CARRIER_PUSH_SECRET = 'bga-graph-development-carrier-push-secret-do-not-use-in-production';

/** Settings every service shares: database, cache, identity signing, logging, debug stats. */
export interface CommonConfig {
  /** DATABASE_URL: PostgreSQL connection string. `npm start` sets it to the embedded PGlite server. */
  databaseUrl: string;
  /** DATABASE_POOL_SIZE: connections per process (default 10). */
  databasePoolSize: number;
  /** REDIS_URL: Redis for shared caches; unset means an in-process cache (said in the log). */
  redisUrl: string | undefined;
  /** REDIS_CLUSTER: treat REDIS_URL as a comma-separated list of Redis Cluster seed nodes (default false). */
  redisCluster: boolean;
  /** REDIS_KEY_PREFIX: put before every Redis key (default `bga:`), so deployments (or test runs) sharing one Redis keep apart. */
  redisKeyPrefix: string;
  /**
   * CACHE_MEMORY_MAX_MB: without REDIS_URL, what the process's in-process cache holds at most, in
   * MiB of key and value characters (default 32). Its expired entries are dropped as they expire,
   * so under steady load it holds what is live, up to this; it must fit well under the heap cap
   * (the gateway runs with --max-old-space-size=192). Unused with Redis.
   */
  cacheMemoryMaxMb: number;
  /** IDENTITY_SECRET: HMAC secret shared by the gateway and the subgraphs to sign the caller's identity. */
  identitySecret: string;
  /** IDENTITY_MAX_SKEW_MS: how old a signed identity header may be (default 60000). */
  identityMaxSkewMs: number;
  /**
   * SUBGRAPH_MAX_BODY_BYTES: largest request body a subgraph takes (default 8 MiB). Larger than the
   * gateway's MAX_BODY_BYTES: subgraph to subgraph calls carry an application with its signed PDF.
   */
  subgraphMaxBodyBytes: number;
  /** DEBUG_STATS: answer `x-debug-stats: 1` with per-request counts in extensions.stats (default false; on under npm start). */
  debugStats: boolean;
  /** LOG_LEVEL: pino level (default info). */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** NODE_ENV: `production` refuses the development secrets and masks errors. */
  production: boolean;
}

/** A secret with a documented development default: fine on a laptop, refused when NODE_ENV=production. */
export function devSecret(env: Env, name: string, fallback: string): string {
  const value = str(env, name, fallback);
  if (env.NODE_ENV === 'production' && value === fallback)
    throw new ConfigError(name, 'must be set to a real secret when NODE_ENV=production');
  return value;
}

/** What every Redis key starts with unless REDIS_KEY_PREFIX says otherwise. */
export const DEFAULT_REDIS_KEY_PREFIX = 'bga:';

export function readCommonConfig(env: Env = process.env): CommonConfig {
  const production = env.NODE_ENV === 'production';
  const identitySecret = devSecret(env, 'IDENTITY_SECRET', DEV_IDENTITY_SECRET);
  return {
    databaseUrl: required(env, 'DATABASE_URL', 'a postgres:// URL (npm start sets it for the embedded database)'),
    databasePoolSize: int(env, 'DATABASE_POOL_SIZE', 10, { min: 1, max: 200 }),
    redisUrl: str(env, 'REDIS_URL'),
    redisCluster: bool(env, 'REDIS_CLUSTER', false),
    redisKeyPrefix: str(env, 'REDIS_KEY_PREFIX', DEFAULT_REDIS_KEY_PREFIX),
    cacheMemoryMaxMb: int(env, 'CACHE_MEMORY_MAX_MB', 32, { min: 1, max: 1024 }),
    identitySecret,
    identityMaxSkewMs: int(env, 'IDENTITY_MAX_SKEW_MS', 60_000, { min: 1_000 }),
    subgraphMaxBodyBytes: int(env, 'SUBGRAPH_MAX_BODY_BYTES', 8 * 1024 * 1024, { min: 1024 }),
    debugStats: bool(env, 'DEBUG_STATS', false),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    production,
  };
}
