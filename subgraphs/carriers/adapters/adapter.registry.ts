import type { CarrierEndpointConfig } from '../carriers.config';
import type { CarrierProfile } from '../domain/carrier';
import { createAcordAdapter } from './acord/acord.adapter';
import type { CarrierAdapter, CarrierAdapterDeps, CarrierAdapterFactory } from './carrier-adapter.port';
import { createRatebookAdapter } from './ratebook/ratebook.adapter';
import { createRestAdapter } from './rest/rest.adapter';

/**
 * One adapter per configured carrier, made by its protocol's factory. Adding a carrier of a known
 * protocol is catalog data and configuration (its carriers.carrier and carriers.product rows +
 * CARRIER_<CODE>_URL); adding a protocol is one new folder and
 * one line in PROTOCOL_FACTORIES. A carrier whose protocol has no factory is reported, never a crash.
 */
export type AdapterFactories = Readonly<Record<string, CarrierAdapterFactory>>;

/** The protocols we speak: adding one is one folder and one line here. */
const PROTOCOL_FACTORIES: AdapterFactories = {
  ACORD: createAcordAdapter,
  REST: createRestAdapter,
  RATEBOOK: createRatebookAdapter,
};

/** The protocol -> factory map every runtime uses unless a test passes its own. */
export function defaultAdapterFactories(): AdapterFactories {
  return PROTOCOL_FACTORIES;
}

export interface BuiltAdapters {
  adapters: Map<string, CarrierAdapter>;
  /** One line per carrier that got no adapter, for the log. */
  warnings: string[];
}

export function buildAdapters(
  carriers: readonly CarrierProfile[],
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
