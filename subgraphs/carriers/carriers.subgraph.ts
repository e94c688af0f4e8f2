import type { Cache } from '../../platform/cache';
import { buildFederatedSchema } from '../shared/federation';
import { createLogger, type Logger } from '../../platform/logger';
import type { SubgraphDefinition } from '../shared/subgraph-server';
import { ApplicationResolver } from './application.resolver';
import { createCarrierLoaders, type CarriersContext } from './carrier.loader';
import { carrierReferences } from './carrier.reference';
import { CarrierFieldsResolver, CarrierResolver, ProductResolver } from './carrier.resolver';
import { readCarriersConfig } from './carriers.config';
import { carriersMigrations } from './carriers.migrations';
import { startCatalogRefresh } from './catalog.refresh';
import { createCarriersRuntime, runtimeFor, type CarriersRuntime } from './carriers.runtime';
import { createCaseStatusLoader } from './case-status.loader';
import { CaseStatusResolver } from './case-status.resolver';
import { Case } from './case.type';
import { CARRIERS } from './fixtures/carriers.fixture';
import { QuoteResolver } from './quote.resolver';

/**
 * The catalog is the same for every caller and changes only with a catalog refresh: five minutes at
 * the gateway's response cache. Everything else here (quotes, health, a case's carrier status) is
 * per request or per caller and stays uncacheable.
 */
const CATALOG = { maxAge: 300, scope: 'PUBLIC' as const };
export const CARRIERS_CACHE_HINTS = {
  'Query.carriers': CATALOG,
  'Query.carrier': CATALOG,
  'Query.products': CATALOG,
  'Carrier.products': CATALOG,
  'Product.carrier': CATALOG,
  'Product.terms': CATALOG,
};
/** Carriers and products fetched by reference (a case's carrier and product) are the same catalog. */
export const CARRIERS_ENTITY_CACHE_HINTS = { Carrier: CATALOG, Product: CATALOG };

export interface CarriersSubgraphOptions {
  /** Makes the process-wide runtime (config, adapters, policies) for a cache; tests pass fakes here. */
  runtime?: (cache: Cache, logger: Logger) => CarriersRuntime;
}

/**
 * The carriers subgraph: the catalog (public), compareQuotes, and Case.carrierStatus. The runtime
 * (adapters and their breakers) lives as long as the process, one per cache; loaders per request.
 */
export function createCarriersSubgraph(options: CarriersSubgraphOptions = {}): SubgraphDefinition<CarriersContext> {
  const makeRuntime = options.runtime ?? ((cache: Cache, logger: Logger) => createCarriersRuntime({ cache, logger }));
  return {
    name: 'carriers',
    migrations: carriersMigrations,
    cacheHints: CARRIERS_CACHE_HINTS,
    entityCacheHints: CARRIERS_ENTITY_CACHE_HINTS,
    schema: () => {
      // Read the carrier configuration now, at start-up: a bad value stops the process naming the variable.
      if (!options.runtime) readCarriersConfig(CARRIERS);
      return buildFederatedSchema(
        // Case is reachable only through _entities: name it, or type-graphql leaves it out.
        {
          resolvers: [CarrierResolver, CarrierFieldsResolver, ProductResolver, QuoteResolver, CaseStatusResolver, ApplicationResolver],
          orphanedTypes: [Case],
        },
        carrierReferences,
      );
    },
    // The catalog in the carriers schema follows the carriers' own catalogs: refreshed at start and periodically.
    background: ({ pool, cache, logger }) =>
      startCatalogRefresh({ pool, cache, logger, runtime: options.runtime ? runtimeFor(cache, logger, options.runtime) : undefined }),
    context: (base) => {
      // The runtime outlives this request: it gets its own logger (same level), not the request's child.
      const runtime = runtimeFor(base.cache, base.logger, (cache, logger) =>
        makeRuntime(cache, createLogger('subgraph-carriers', logger.level)),
      );
      return { ...base, loaders: createCarrierLoaders(base.db), runtime, caseStatus: createCaseStatusLoader(runtime, base.stats) };
    },
  };
}

export const carriersSubgraph: SubgraphDefinition<CarriersContext> = createCarriersSubgraph();
