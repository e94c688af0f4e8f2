import { deepFreeze } from '../../platform/config';
import type { CarrierRow } from './carrier.type';
import type { ProductRow } from './product.type';

/** The whole catalog, as compareQuotes needs it: every carrier and every product. */
export interface Catalog {
  carriers: readonly CarrierRow[];
  products: readonly ProductRow[];
  /** Products by carrier id. */
  productsOf: ReadonlyMap<string, readonly ProductRow[]>;
}

/**
 * This process's copy of the catalog for compareQuotes, so a warm comparison touches neither the
 * database nor the carriers. Stale-while-revalidate: past `maxAgeMs` the old copy still answers
 * while one reload runs; only the very first comparison waits for the database. Catalog writes in
 * this process (the refresher) invalidate it; other replicas' writes show within `maxAgeMs`.
 * The rows are frozen: every request shares them.
 */
export class CatalogSnapshot {
  private current?: { catalog: Catalog; loadedAt: number };
  private loading?: Promise<Catalog>;
  private generation = 0;

  constructor(private readonly maxAgeMs: number) {}

  async get(load: () => Promise<{ carriers: CarrierRow[]; products: ProductRow[] }>): Promise<Catalog> {
    const current = this.current;
    if (current && Date.now() - current.loadedAt < this.maxAgeMs) return current.catalog;
    const reload = this.reload(load);
    if (current) {
      reload.catch(() => undefined); // the stale copy answers; a failed reload is retried next time
      return current.catalog;
    }
    return reload;
  }

  /** Forget the copy: the next comparison reads the catalog again. */
  invalidate(): void {
    this.generation++;
    this.current = undefined;
  }

  private reload(load: () => Promise<{ carriers: CarrierRow[]; products: ProductRow[] }>): Promise<Catalog> {
    if (this.loading) return this.loading;
    const generation = this.generation;
    const loading = (async () => {
      try {
        const { carriers, products } = await load();
        const productsOf = new Map<string, ProductRow[]>(carriers.map((c) => [c.id, []]));
        for (const product of products) productsOf.get(product.carrierId)?.push(product);
        // A Map's entries are not its properties: freeze each list, then the rows and the catalog.
        for (const list of productsOf.values()) Object.freeze(list);
        const catalog: Catalog = deepFreeze({ carriers, products, productsOf });
        // A write during the load may not be in it: keep it for this caller only.
        if (generation === this.generation && this.maxAgeMs > 0) this.current = { catalog, loadedAt: Date.now() };
        return catalog;
      } finally {
        this.loading = undefined;
      }
    })();
    this.loading = loading;
    return loading;
  }
}
