import type { Cache } from '../../platform/cache';
import { Db } from '../shared/db';
import { buildFederatedSchema } from '../shared/federation';
import type { Logger } from '../../platform/logger';
import type { SubgraphModule } from '../shared/subgraph-server';
import { ApplicationRulesResolver } from './application-rules.resolver';
import { ApplicationResolver } from './application.resolver';
import { CarrierAppointmentResolver } from './carrier-appointment.resolver';
import { createCarrierLoaders } from './carrier.loader';
import type { CarriersContext } from './carriers.context';
import { carrierReference } from './carrier.reference';
import { CarrierResolver } from './carrier.resolver';
import { readCarrierProfiles } from './carrier.repository';
import { carriersMigrations } from './carriers.migrations';
import type { CarrierProfile } from './domain/carrier';
import { type CatalogRefreshHandle, startCatalogRefresh } from './catalog.refresh';
import { createCarriersRuntime, type CarriersRuntime } from './carriers.runtime';
import { createCaseStatusLoader } from './case/case-status.loader';
import { caseReference } from './case/case.reference';
import { CaseStatusResolver } from './case/case-status.resolver';
import { Case } from './case/case.type';
import { ProductResolver } from './product.resolver';
import { productReference } from './product.reference';
import { QuoteResolver } from './quote.resolver';
import { QuoteMatrixResolver } from './quote-matrix.resolver';
import { createQuoteBatcher } from './quote-batch.loader';
import { UnderwritingRequirementsResolver } from './underwriting-requirements.resolver';

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
  /** Makes the runtime (config, adapters, policies) for the process; tests pass fakes here. */
  runtime?: (
    cache: Cache,
    logger: Logger,
    env: Readonly<Record<string, string | undefined>>,
    carriers: readonly CarrierProfile[],
  ) => CarriersRuntime;
}

const buildSchema = () =>
  buildFederatedSchema(
    // Case is reachable only through _entities: name it, or type-graphql leaves it out.
    {
      resolvers: [
        CarrierResolver,
        ProductResolver,
        QuoteResolver,
        QuoteMatrixResolver,
        UnderwritingRequirementsResolver,
        CaseStatusResolver,
        ApplicationResolver,
        ApplicationRulesResolver,
        CarrierAppointmentResolver,
      ],
      orphanedTypes: [Case],
    },
    { Carrier: carrierReference, Product: productReference, Case: caseReference },
  );

/**
 * The carriers subgraph: the catalog (public), compareQuotes, and Case.carrierStatus. The runtime
 * (configuration, adapters and their breakers) is made once, at start, and lives as long as the
 * process; loaders are per request.
 */
export function createCarriersSubgraph(options: CarriersSubgraphOptions = {}): SubgraphModule {
  return {
    name: 'carriers',
    migrations: carriersMigrations,
    cacheHints: CARRIERS_CACHE_HINTS,
    entityCacheHints: CARRIERS_ENTITY_CACHE_HINTS,
    buildSchema,
    async create({ env, pool, cache, logger }) {
      // The registry: the catalog's carriers as they stand now, each reached through its CARRIER_<CODE>_* settings.
      const registry = await readCarrierProfiles(new Db(pool));
      for (const warning of registry.warnings) logger.warn(warning);
      if (registry.carriers.length === 0)
        logger.warn('the catalog has no carriers yet: carriers added to it are served from the next catalog refresh pass');
      // A bad carrier setting stops the process here, naming the variable.
      const carriers = registry.carriers;
      const runtime = options.runtime
        ? options.runtime(cache, logger, env, carriers)
        : createCarriersRuntime({ cache, logger, env, carriers });
      let refresh: CatalogRefreshHandle | undefined;
      return {
        schema: await buildSchema(),
        // The catalog in the carriers schema follows the carriers' own catalogs: refreshed at start and periodically.
        background: {
          start: () => {
            refresh = startCatalogRefresh({ pool, logger, runtime });
          },
          stop: () => refresh?.stop(),
        },
        context: (base): CarriersContext => ({
          ...base,
          loaders: createCarrierLoaders(base.db),
          runtime,
          caseStatus: createCaseStatusLoader(runtime, base.stats),
          quoteBatches: createQuoteBatcher(runtime, base.stats),
        }),
      };
    },
  };
}

export const carriersSubgraph: SubgraphModule = createCarriersSubgraph();
