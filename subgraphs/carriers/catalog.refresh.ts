import { Db, type Pool } from '../shared/db';
import { isId } from '../../platform/ids';
import type { Logger } from '../../platform/logger';
import { CarrierFailure } from './adapters/carrier-adapter.port';
import type { CarriersRuntime } from './carriers.runtime';
import { readCarrierProfiles, upsertCatalog, type CatalogProduct } from './carrier.repository';
import { HEALTH_CLASSES, PRODUCT_TYPES, STATE_CODES } from '../shared/vocabulary';
import type { Product } from './domain/carrier';

/**
 * Keeps the `carriers` catalog in step with what the carriers say they sell: at start and then
 * periodically, each adapter's products() is upserted (products only: carrier rows are the registry's) (never deleted: old cases keep their products).
 * Stale-while-revalidate: the catalog in Postgres keeps serving while a refresh runs, and a carrier
 * that fails to answer leaves its rows as they were; its last answer, kept in the cache for
 * CATALOG_CACHE_TTL_S, is still applied. A fresh cached answer (another replica refreshed within
 * CATALOG_REFRESH_MS) saves the carrier call.
 */
interface CachedCatalog {
  fetchedAt: number;
  products: Product[];
}

export type CarrierRefreshResult =
  | { carrierId: string; source: 'carrier' | 'cache' | 'stale-cache'; products: number; written: number }
  | { carrierId: string; source: 'failed'; error: string };

export const catalogCacheKey = (carrierId: string) => `catalog:v1:${carrierId}`;

const TYPES = new Set<string>(PRODUCT_TYPES);
const CLASSES = new Set<string>(HEALTH_CLASSES);
const STATES = new Set<string>(STATE_CODES);
const isCount = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 0;

/** Why a product a carrier sent cannot go into the catalog; null when it can. */
export function catalogProblem(product: Product, carrierId: string): string | null {
  if (!product || typeof product !== 'object') return 'not an object';
  if (!isId('product', product.id)) return `id ${String(product.id)} is not a product id`;
  if (product.carrierId !== carrierId) return `${product.id} belongs to ${String(product.carrierId)}`;
  if (typeof product.code !== 'string' || !product.code || typeof product.name !== 'string' || !product.name)
    return `${product.id} lacks a code or name`;
  if (!TYPES.has(product.type)) return `${product.id} has unknown type ${String(product.type)}`;
  if (![product.minIssueAge, product.maxIssueAge, product.minFaceAmount, product.maxFaceAmount].every(isCount))
    return `${product.id} has bad limits`;
  if (product.minIssueAge > product.maxIssueAge || product.minFaceAmount > product.maxFaceAmount)
    return `${product.id} has inverted limits`;
  if (!Array.isArray(product.terms) || !product.terms.every((t) => isCount(t?.years) && isCount(t.minIssueAge) && isCount(t.maxIssueAge))) {
    return `${product.id} has bad terms`;
  }
  if (!Array.isArray(product.healthClasses) || !product.healthClasses.every((c) => CLASSES.has(c)))
    return `${product.id} has unknown health classes`;
  if (!Array.isArray(product.availableStates) || !product.availableStates.every((s) => STATES.has(s)))
    return `${product.id} has unknown states`;
  return null;
}

export class CatalogRefresher {
  private readonly inflight = new Map<string, Promise<CarrierRefreshResult>>();

  constructor(
    private readonly db: Db,
    private readonly runtime: CarriersRuntime,
    private readonly logger: Logger,
  ) {}

  /** One pass over every carrier with an adapter, in parallel; never throws. */
  async refreshAll(): Promise<CarrierRefreshResult[]> {
    return Promise.all([...this.runtime.adapters.keys()].map((carrierId) => this.refresh(carrierId)));
  }

  /** Single-flight per carrier in this process: a pass already running is joined, not repeated. */
  refresh(carrierId: string): Promise<CarrierRefreshResult> {
    let pending = this.inflight.get(carrierId);
    if (!pending) {
      pending = this.refreshOne(carrierId).finally(() => this.inflight.delete(carrierId));
      this.inflight.set(carrierId, pending);
    }
    return pending;
  }

  private async refreshOne(carrierId: string): Promise<CarrierRefreshResult> {
    const { cache, config } = this.runtime;
    const key = catalogCacheKey(carrierId);
    let held: CachedCatalog | undefined;
    try {
      const raw = await cache.get(key);
      held = raw ? (JSON.parse(raw) as CachedCatalog) : undefined;
    } catch {
      held = undefined; // an unreadable entry is a miss
    }
    const freshFor = config.catalogRefreshMs || config.ttlSeconds.catalog * 1000;
    if (held && Date.now() - held.fetchedAt < freshFor) return this.apply(carrierId, held.products, 'cache');
    try {
      const products = await this.runtime.call(carrierId, 'products', (adapter, options) => adapter.products(options));
      if (!Array.isArray(products)) throw new CarrierFailure('CARRIER.MALFORMED', 'products() did not return a list');
      await cache.set(key, JSON.stringify({ fetchedAt: Date.now(), products } satisfies CachedCatalog), config.ttlSeconds.catalog);
      return await this.apply(carrierId, products, 'carrier');
    } catch (error) {
      const message = error instanceof CarrierFailure ? `${error.code}: ${error.message}` : (error as Error).message;
      this.logger.warn({ carrierId, err: message }, 'catalog refresh failed; the catalog keeps its rows');
      if (held)
        return this.apply(carrierId, held.products, 'stale-cache').catch(() => ({ carrierId, source: 'failed' as const, error: message }));
      return { carrierId, source: 'failed', error: message };
    }
  }

  private async apply(carrierId: string, products: Product[], source: 'carrier' | 'cache' | 'stale-cache'): Promise<CarrierRefreshResult> {
    const valid: CatalogProduct[] = [];
    for (const product of products) {
      const problem = catalogProblem(product, carrierId);
      if (problem) this.logger.warn({ carrierId, problem }, 'catalog refresh skipped a product');
      else valid.push(product);
    }
    // Products only: the carrier's own row is catalog data the refresh never rewrites (an operator's edit stands).
    const written = await upsertCatalog(this.db, [], valid);
    if (written.carriers || written.products) {
      this.runtime.catalog.invalidate();
      this.logger.info({ carrierId, source, ...written }, 'catalog updated');
    }
    return { carrierId, source, products: valid.length, written: written.carriers + written.products };
  }
}

export interface CatalogRefreshHandle {
  /** Settles when the first pass is done (whatever its result). */
  firstPass: Promise<CarrierRefreshResult[]>;
  refresher: CatalogRefresher;
  stop(): void;
}

/**
 * How often the registry (the catalog's carriers and their product lists) is read between refresh
 * passes: two small SELECTs, so a carrier added after start (a seed Job that ran after this pod, an
 * operator's INSERT) is served within this long even when CATALOG_REFRESH_MS is 15 minutes.
 */
export const REGISTRY_CHECK_MS = 30_000;

/**
 * Starts the refresh loop of a running carriers subgraph: call it with the pool and cache that
 * startSubgraph returned (RunningSubgraph.pool / .cache), so it shares the runtime (adapters,
 * breakers) that requests use. A pass at start, then every CATALOG_REFRESH_MS (0: start only); each
 * pass first brings the registry up to the catalog (runtime.admit), then refreshes every carrier.
 * Between passes the registry alone is read every REGISTRY_CHECK_MS (or CATALOG_REFRESH_MS when shorter).
 */
export function startCatalogRefresh(options: { pool: Pool; logger: Logger; runtime: CarriersRuntime }): CatalogRefreshHandle {
  const { runtime } = options;
  const db = new Db(options.pool);
  const refresher = new CatalogRefresher(db, runtime, options.logger);
  // Carriers whose rows appeared since the last look (a seed after our start, an operator's INSERT) join.
  const admitFromCatalog = async () => {
    const { carriers } = await readCarrierProfiles(db);
    for (const warning of runtime.admit(carriers)) options.logger.warn(warning);
  };
  const pass = async () => {
    try {
      await admitFromCatalog();
      return await refresher.refreshAll();
    } catch (error) {
      options.logger.error({ err: error }, 'catalog refresh pass failed');
      return [] as CarrierRefreshResult[];
    }
  };
  const firstPass = pass();
  const timers: NodeJS.Timeout[] = [];
  const { catalogRefreshMs } = runtime.config;
  if (catalogRefreshMs > 0) timers.push(setInterval(() => void pass(), catalogRefreshMs));
  if (catalogRefreshMs === 0 || catalogRefreshMs > REGISTRY_CHECK_MS) {
    timers.push(
      setInterval(
        () => void admitFromCatalog().catch((error) => options.logger.warn({ err: error }, 'reading the carrier registry failed')),
        REGISTRY_CHECK_MS,
      ),
    );
  }
  for (const timer of timers) timer.unref(); // never keeps a stopping process alive
  return { firstPass, refresher, stop: () => timers.forEach(clearInterval) };
}
