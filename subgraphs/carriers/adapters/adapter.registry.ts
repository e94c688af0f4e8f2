import type { CarrierEndpointConfig } from '../carriers.config';
import type { CarrierFixture } from '../fixtures/carriers.fixture';
import type { CarrierAdapter, CarrierAdapterDeps, CarrierAdapterFactory } from './carrier-adapter.port';

/**
 * One adapter per configured carrier, made by its protocol's factory. Adding a carrier of a known
 * protocol is configuration (fixture + CARRIER_<CODE>_URL); adding a protocol is one new folder and
 * one line in PROTOCOL_MODULES. A carrier whose protocol has no factory is reported, never a crash.
 */
export type AdapterFactories = Readonly<Record<string, CarrierAdapterFactory>>;

/** Where each protocol's factory lives, and its exported name. */
const PROTOCOL_MODULES: Readonly<Record<string, { module: string; factory: string }>> = {
  ACORD: { module: './acord/acord.adapter', factory: 'createAcordAdapter' },
  REST: { module: './rest/rest.adapter', factory: 'createRestAdapter' },
  RATEBOOK: { module: './ratebook/ratebook.adapter', factory: 'createRatebookAdapter' },
};

/**
 * The protocol → factory map. Each protocol module is loaded on first use, so a protocol whose
 * folder is missing from a build (or still being written) disables that protocol's carriers with
 * a warning instead of stopping the subgraph.
 */
export function defaultAdapterFactories(warn: (message: string) => void = () => undefined): AdapterFactories {
  const factories: Record<string, CarrierAdapterFactory> = {};
  for (const [protocol, { module, factory }] of Object.entries(PROTOCOL_MODULES)) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const loaded = require(module) as Record<string, unknown>;
      if (typeof loaded[factory] !== 'function') throw new Error(`${module} exports no ${factory}`);
      factories[protocol] = loaded[factory] as CarrierAdapterFactory;
    } catch (error) {
      warn(`protocol ${protocol} unavailable (${(error as Error).message.split('\n')[0]}): its carriers answer with an ERROR outcome`);
    }
  }
  return factories;
}

export interface BuiltAdapters {
  adapters: Map<string, CarrierAdapter>;
  /** One line per carrier that got no adapter, for the log. */
  warnings: string[];
}

export function buildAdapters(
  carriers: readonly CarrierFixture[],
  endpoints: readonly CarrierEndpointConfig[],
  deps: CarrierAdapterDeps,
  factories: AdapterFactories,
): BuiltAdapters {
  const adapters = new Map<string, CarrierAdapter>();
  const warnings: string[] = [];
  const byId = new Map(carriers.map((c) => [c.id, c]));
  for (const endpoint of endpoints) {
    const carrier = byId.get(endpoint.carrierId);
    if (!carrier) {
      warnings.push(`endpoint configured for unknown carrier ${endpoint.carrierId}: ignored`);
      continue;
    }
    const factory = factories[carrier.protocol];
    if (!factory) {
      warnings.push(`carrier ${carrier.id} (${carrier.code}) speaks unknown protocol ${carrier.protocol}: no adapter`);
      continue;
    }
    try {
      adapters.set(carrier.id, factory(carrier, endpoint, deps));
    } catch (error) {
      warnings.push(`carrier ${carrier.id} (${carrier.code}): adapter could not be built: ${(error as Error).message}`);
    }
  }
  return { adapters, warnings };
}
