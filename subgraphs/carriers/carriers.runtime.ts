import type { Cache } from '../../platform/cache';
import type { Logger } from '../../platform/logger';
import { buildAdapters, defaultAdapterFactories, type AdapterFactories } from './adapters/adapter.registry';
import type { CallOptions, CarrierAdapter, NetworkCallKind } from './adapters/carrier-adapter.port';
import { CarrierPolicy, type CarrierHealthSnapshot, type CarrierOperation } from './carrier-policy';
import { readCarriersConfig, type CarriersConfig } from './carriers.config';
import { CatalogSnapshot } from './catalog.snapshot';
import type { CarrierProfile } from './domain/carrier';

/**
 * What the carriers subgraph keeps for the life of the process: its configuration, the carriers of
 * the catalog as it stood at start (the registry: catalog rows + CARRIER_<CODE>_* settings), one
 * adapter and one policy per configured carrier. Breaker state and health are per process (each replica judges the
 * carriers it calls); cached carrier answers are shared through the Cache (Redis).
 */
export class CarriersRuntime {
  private readonly policies = new Map<string, CarrierPolicy>();
  /** compareQuotes' copy of the catalog (CATALOG_SNAPSHOT_MS). */
  readonly catalog: CatalogSnapshot;

  constructor(
    readonly config: Readonly<CarriersConfig>,
    readonly carriers: readonly CarrierProfile[],
    readonly adapters: ReadonlyMap<string, CarrierAdapter>,
    readonly cache: Cache,
    readonly logger: Logger,
  ) {
    this.catalog = new CatalogSnapshot(config.catalogSnapshotMs);
    for (const endpoint of config.endpoints) {
      if (!adapters.has(endpoint.carrierId)) continue;
      this.policies.set(endpoint.carrierId, new CarrierPolicy(endpoint.carrierId, { ...config.policy, timeoutMs: endpoint.timeoutMs }));
    }
  }

  adapter(carrierId: string): CarrierAdapter | undefined {
    return this.adapters.get(carrierId);
  }

  /** A carrier never called (or without an adapter) looks healthy: nothing has failed. */
  health(carrierId: string): CarrierHealthSnapshot {
    return this.policies.get(carrierId)?.health() ?? { circuit: 'CLOSED', recentErrorRate: 0, p50LatencyMs: null };
  }

  /**
   * One call to a carrier through its adapter under its policy. `onNetworkCall` hears each real
   * request the adapter sends. Throws CarrierFailure for expected failures (see CarrierPolicy).
   */
  async call<T>(
    carrierId: string,
    operation: CarrierOperation,
    fn: (adapter: CarrierAdapter, options: CallOptions) => Promise<T>,
    onNetworkCall?: (kind: NetworkCallKind) => void,
  ): Promise<T> {
    const adapter = this.adapters.get(carrierId);
    const policy = this.policies.get(carrierId);
    if (!adapter || !policy) throw new Error(`carrier ${carrierId} has no adapter`);
    return policy.execute(operation, (signal) => fn(adapter, { signal, onNetworkCall }));
  }
}

export interface RuntimeOptions {
  cache: Cache;
  logger: Logger;
  env?: Readonly<Record<string, string | undefined>>;
  /** The registry: every carrier of the catalog with its products (carrier.repository.ts readCarrierProfiles). */
  carriers: readonly CarrierProfile[];
  factories?: AdapterFactories;
  /** Pre-built adapters by carrier id (tests); otherwise built by the protocol factories. */
  adapters?: ReadonlyMap<string, CarrierAdapter>;
}

export function createCarriersRuntime(options: RuntimeOptions): CarriersRuntime {
  const { carriers } = options;
  const config = readCarriersConfig(carriers, options.env ?? process.env);
  const warnings = [...config.warnings];
  let adapters = options.adapters;
  if (!adapters) {
    const factories = options.factories ?? defaultAdapterFactories();
    const built = buildAdapters(carriers, config.endpoints, { cache: options.cache, logger: options.logger }, factories);
    warnings.push(...built.warnings);
    adapters = built.adapters;
  }
  for (const warning of warnings) options.logger.warn(warning);
  options.logger.info({ adapters: adapters.size, carriers: carriers.length }, 'carrier adapters ready');
  return new CarriersRuntime(config, carriers, adapters, options.cache, options.logger);
}
