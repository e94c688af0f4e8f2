import { ConfigError, deepFreeze, int, str, url } from '../../platform/config';
import type { CarrierPolicySettings } from './carrier-policy';

/**
 * The carriers subgraph's configuration, read once from the environment at start-up, validated
 * (a bad value throws ConfigError naming the variable) and frozen. Which carriers exist and the
 * protocol each speaks come from the catalog (carriers.carrier); where each one lives and how we
 * authenticate come from the environment, so adding a carrier of a known protocol is one catalog
 * row (with its products) and its CARRIER_<CODE>_URL: no source change.
 *
 * Per carrier, with <CODE> the carrier's code upper-cased (non-alphanumerics become _):
 *   CARRIER_<CODE>_URL            base URL of the carrier's system (the launcher and the tests point
 *                                 these at the simulators); a carrier without one is reported and
 *                                 answers compareQuotes with an ERROR outcome, never a crash
 *   CARRIER_<CODE>_CLIENT_ID      OAuth2 client id (REST carriers; default devCredentials(code))
 *   CARRIER_<CODE>_CLIENT_SECRET  OAuth2 client secret (REST carriers; the dev default is refused
 *                                 when NODE_ENV=production)
 *   CARRIER_<CODE>_TIMEOUT_MS     this carrier's deadline (default CARRIER_TIMEOUT_MS)
 * For all carriers:
 *   CARRIER_TIMEOUT_MS            deadline of one carrier call, retries included (default 2500)
 *   COMPARE_TIMEOUT_MS            deadline of a whole compareQuotes (default 4000)
 *   CARRIER_RETRIES               extra attempts for a failed read (default 2; writes never retry)
 *   CARRIER_RETRY_DELAY_MS        first backoff delay, doubled per retry (default 50)
 *   CARRIER_RETRY_MAX_DELAY_MS    longest backoff delay (default 400)
 *   CARRIER_BREAKER_THRESHOLD     consecutive failed attempts that open a circuit (default 5)
 *   CARRIER_BREAKER_COOLDOWN_MS   how long an open circuit refuses calls (default 10000)
 *   CARRIER_MAX_CONCURRENCY       calls in flight per carrier (default 32)
 *   CARRIER_MAX_QUEUE             calls waiting for a slot per carrier (default 256)
 *   CARRIER_HEALTH_WINDOW         attempts remembered for Carrier.health (default 50)
 *   QUOTE_CACHE_TTL_S             quote cache lifetime (default 900)
 *   STATUS_CACHE_TTL_S            case status cache lifetime (default 60)
 *   CATALOG_CACHE_TTL_S           catalog cache lifetime (default 3600)
 *   CATALOG_REFRESH_MS            how often catalogs are refreshed from the carriers (default 900000; 0 = only at start)
 *   CATALOG_SNAPSHOT_MS           how long compareQuotes reuses this process's copy of the catalog before
 *                                 re-reading it (stale-while-revalidate; default 30000; 0 = read per comparison)
 */

/** Where one carrier lives and how to authenticate: what an adapter factory gets besides the catalog row. */
export interface CarrierEndpointConfig {
  carrierId: string;
  code: string;
  protocol: string;
  /** CARRIER_<CODE>_URL, without a trailing slash. */
  url: string;
  /** CARRIER_<CODE>_CLIENT_ID / _CLIENT_SECRET: OAuth2 client credentials (REST carriers use them). */
  clientId: string;
  clientSecret: string;
  /** CARRIER_<CODE>_TIMEOUT_MS, else CARRIER_TIMEOUT_MS. */
  timeoutMs: number;
}

export interface CarriersConfig {
  /** Carriers with an endpoint, in catalog order. */
  endpoints: readonly CarrierEndpointConfig[];
  /** The CARRIER_<CODE>_URL variables missing: those carriers answer with an ERROR outcome. */
  unconfigured: readonly string[];
  compareTimeoutMs: number;
  /** Policy defaults; timeoutMs is overridden per carrier by its endpoint's timeoutMs. */
  policy: CarrierPolicySettings;
  ttlSeconds: { quote: number; status: number; catalog: number };
  catalogRefreshMs: number;
  /** CATALOG_SNAPSHOT_MS: age after which the in-process catalog copy is re-read in the background. */
  catalogSnapshotMs: number;
  /** Things worth a line in the log: unknown carrier codes in the environment, unconfigured carriers. */
  warnings: readonly string[];
}

type Env = Record<string, string | undefined>;

/** The environment-variable spelling of a carrier code. */
export const envCode = (code: string) => code.toUpperCase().replace(/[^A-Z0-9]/g, '_');

/** Development client credentials: what the simulators accept when nothing else is configured. */
export function devCredentials(code: string): { clientId: string; clientSecret: string } {
  const lower = code.toLowerCase();
  return { clientId: `bga-dev-${lower}`, clientSecret: `bga-dev-secret-${lower}` };
}

const PER_CARRIER = /^CARRIER_([A-Z0-9_]+?)_(URL|CLIENT_ID|CLIENT_SECRET|TIMEOUT_MS)$/;

export function readCarriersConfig(
  carriers: readonly { id: string; code: string; protocol: string }[],
  env: Env = process.env,
): Readonly<CarriersConfig> {
  const production = env.NODE_ENV === 'production';
  const timeoutMs = int(env, 'CARRIER_TIMEOUT_MS', 2_500, { min: 50, max: 120_000 });
  const compareTimeoutMs = int(env, 'COMPARE_TIMEOUT_MS', 4_000, { min: 50, max: 120_000 });
  const warnings: string[] = [];
  const endpoints: CarrierEndpointConfig[] = [];
  const unconfigured: string[] = [];
  const known = new Set<string>();
  for (const carrier of carriers) {
    const code = envCode(carrier.code);
    known.add(code);
    const endpoint = url(env, `CARRIER_${code}_URL`);
    if (!endpoint) {
      unconfigured.push(`CARRIER_${code}_URL`);
      continue;
    }
    const dev = devCredentials(carrier.code);
    const clientSecret = str(env, `CARRIER_${code}_CLIENT_SECRET`, dev.clientSecret);
    if (production && carrier.protocol === 'REST' && clientSecret === dev.clientSecret) {
      throw new ConfigError(`CARRIER_${code}_CLIENT_SECRET`, "must be set to the carrier's real client secret when NODE_ENV=production");
    }
    endpoints.push({
      carrierId: carrier.id,
      code: carrier.code,
      protocol: carrier.protocol,
      url: endpoint.replace(/\/+$/, ''),
      clientId: str(env, `CARRIER_${code}_CLIENT_ID`, dev.clientId),
      clientSecret,
      timeoutMs: int(env, `CARRIER_${code}_TIMEOUT_MS`, timeoutMs, { min: 50, max: 120_000 }),
    });
  }
  if (unconfigured.length)
    warnings.push(
      `${unconfigured.length} of ${carriers.length} carriers unconfigured (their quotes answer ERROR): set ${unconfigured.join(', ')}`,
    );
  for (const name of Object.keys(env).sort()) {
    const match = PER_CARRIER.exec(name);
    if (match && !known.has(match[1])) warnings.push(`${name} names an unknown carrier code ${match[1]}: ignored`);
  }
  const retryInitialDelayMs = int(env, 'CARRIER_RETRY_DELAY_MS', 50, { min: 0, max: 10_000 });
  return deepFreeze({
    endpoints,
    unconfigured,
    compareTimeoutMs,
    policy: {
      timeoutMs,
      retries: int(env, 'CARRIER_RETRIES', 2, { min: 0, max: 5 }),
      retryInitialDelayMs,
      retryMaxDelayMs: int(env, 'CARRIER_RETRY_MAX_DELAY_MS', 400, { min: retryInitialDelayMs, max: 60_000 }),
      breakerThreshold: int(env, 'CARRIER_BREAKER_THRESHOLD', 5, { min: 1, max: 1_000 }),
      breakerCooldownMs: int(env, 'CARRIER_BREAKER_COOLDOWN_MS', 10_000, { min: 10, max: 3_600_000 }),
      bulkheadLimit: int(env, 'CARRIER_MAX_CONCURRENCY', 32, { min: 1, max: 10_000 }),
      bulkheadQueue: int(env, 'CARRIER_MAX_QUEUE', 256, { min: 0, max: 100_000 }),
      healthWindow: int(env, 'CARRIER_HEALTH_WINDOW', 50, { min: 1, max: 10_000 }),
    },
    ttlSeconds: {
      quote: int(env, 'QUOTE_CACHE_TTL_S', 900, { min: 1, max: 86_400 }),
      status: int(env, 'STATUS_CACHE_TTL_S', 60, { min: 1, max: 3_600 }),
      catalog: int(env, 'CATALOG_CACHE_TTL_S', 3_600, { min: 1, max: 7 * 86_400 }),
    },
    catalogRefreshMs: int(env, 'CATALOG_REFRESH_MS', 900_000, { min: 0, max: 7 * 86_400_000 }),
    catalogSnapshotMs: int(env, 'CATALOG_SNAPSHOT_MS', 30_000, { min: 0, max: 86_400_000 }),
    warnings,
  });
}
