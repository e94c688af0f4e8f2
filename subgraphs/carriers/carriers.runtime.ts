import type { Cache } from '../../platform/cache';
import type { Logger } from '../../platform/logger';
import { buildAdapters, defaultAdapterFactories, type AdapterFactories } from './adapters/adapter.registry';
import type { CallOptions, CarrierAdapter, NetworkCallKind } from './adapters/carrier-adapter.port';
import { CarrierPolicy, type CarrierHealthSnapshot, type CarrierOperation } from './carrier-policy';
import { readCarriersConfig, type CarriersConfig } from './carriers.config';
import { CatalogSnapshot } from './catalog.snapshot';
import type { CarrierProfile } from './domain/carrier';

/** What an adapter maps by: the carrier's product ids and codes. */
const productKeys = (carrier: CarrierProfile) =>
  carrier.products
    .map((p) => `${p.id}=${p.code}`)
    .sort()
    .join(',');

/** How the runtime makes an adapter for a carrier the catalog gains while the process runs. */
export interface AdapterMaker {
  env: Readonly<Record<string, string | undefined>>;
  factories: AdapterFactories;
}

/**
 * What the carriers subgraph keeps for the life of the process: its configuration, the registry
 * (the catalog's carriers, each reached through its CARRIER_<CODE>_* settings), one adapter and one
 * policy per configured carrier. The registry is read at start and again before each catalog
 * refresh pass (`admit`): a carrier whose rows appear later (a seed that ran after this process
 * started, an operator's INSERT), or a product added to a known carrier, is served from that pass on. Breaker state and health are per
 * process (each replica judges the carriers it calls); cached carrier answers are shared through
 * the Cache (Redis).
 */
export class CarriersRuntime {
  private readonly policies = new Map<string, CarrierPolicy>();
  private readonly registry = new Map<string, CarrierProfile>();
  private readonly built = new Map<string, CarrierAdapter>();
  /** compareQuotes' copy of the catalog (CATALOG_SNAPSHOT_MS). */
  readonly catalog: CatalogSnapshot;

  constructor(
    readonly config: Readonly<CarriersConfig>,
    carriers: readonly CarrierProfile[],
    adapters: ReadonlyMap<string, CarrierAdapter>,
    readonly cache: Cache,
    readonly logger: Logger,
    /** Without one (tests with fixed adapters), carriers the catalog gains later get no adapter. */
    private readonly maker?: AdapterMaker,
  ) {
    this.catalog = new CatalogSnapshot(config.catalogSnapshotMs);
    for (const carrier of carriers) this.registry.set(carrier.id, carrier);
    for (const [carrierId, adapter] of adapters) this.built.set(carrierId, adapter);
    for (const endpoint of config.endpoints) {
      if (!adapters.has(endpoint.carrierId)) continue;
      this.policies.set(endpoint.carrierId, new CarrierPolicy(endpoint.carrierId, { ...config.policy, timeoutMs: endpoint.timeoutMs }));
    }
  }

  /** The registry: every carrier of the catalog this process knows, configured or not. */
  get carriers(): readonly CarrierProfile[] {
    return [...this.registry.values()];
  }

  /** One adapter per configured carrier, by carrier id. */
  get adapters(): ReadonlyMap<string, CarrierAdapter> {
    return this.built;
  }

  /**
   * Brings the registry up to the catalog: a carrier this process does not know yet gets its
   * endpoint from the same environment and an adapter from its protocol's factory; a known carrier
   * whose products changed (one added, a code changed) gets a new adapter with the new list, its
   * policy (breaker, health) kept. Nothing else changes. Returns lines for the log: carriers left
   * without an adapter.
   */
  admit(carriers: readonly CarrierProfile[]): string[] {
    const changed = carriers.filter((carrier) => {
      const known = this.registry.get(carrier.id);
      return !known || productKeys(known) !== productKeys(carrier);
    });
    if (!changed.length) return [];
    const added = changed.filter((carrier) => !this.registry.has(carrier.id));
    for (const carrier of changed) this.registry.set(carrier.id, carrier);
    // compareQuotes' copy of the catalog may predate these rows: read it again.
    this.catalog.invalidate();
    if (!this.maker)
      return added.map((carrier) => `carrier ${carrier.id} (${carrier.code}) joined the catalog: no adapter (fixed adapters)`);
    const config = readCarriersConfig(changed, this.maker.env);
    const { adapters, warnings } = buildAdapters(
      changed,
      config.endpoints,
      { cache: this.cache, logger: this.logger },
      this.maker.factories,
    );
    for (const endpoint of config.endpoints) {
      const adapter = adapters.get(endpoint.carrierId);
      if (!adapter) continue;
      this.built.set(endpoint.carrierId, adapter);
      if (!this.policies.has(endpoint.carrierId))
        this.policies.set(
          endpoint.carrierId,
          new CarrierPolicy(endpoint.carrierId, { ...this.config.policy, timeoutMs: endpoint.timeoutMs }),
        );
    }
    if (adapters.size)
      this.logger.info({ carriers: changed.map((c) => c.code), adapters: adapters.size }, 'carrier adapters (re)built from the catalog');
    // config.warnings would name every other carrier's variables as unknown: only these carriers' gaps matter here.
    return [...config.unconfigured.map((name) => `${name} is not set: that carrier's quotes answer ERROR`), ...warnings];
  }

  adapter(carrierId: string): CarrierAdapter | undefined {
    return this.built.get(carrierId);
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
    const adapter = this.built.get(carrierId);
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
  const factories = options.factories ?? defaultAdapterFactories();
  if (!adapters) {
    const built = buildAdapters(carriers, config.endpoints, { cache: options.cache, logger: options.logger }, factories);
    warnings.push(...built.warnings);
    adapters = built.adapters;
  }
  for (const warning of warnings) options.logger.warn(warning);
  options.logger.info({ adapters: adapters.size, carriers: carriers.length }, 'carrier adapters ready');
  // Pre-built adapters (tests) are a fixed set: nothing is made for carriers that join later.
  const maker = options.adapters ? undefined : { env: options.env ?? process.env, factories };
  return new CarriersRuntime(config, carriers, adapters, options.cache, options.logger, maker);
}
