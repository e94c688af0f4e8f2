import { deepFreeze } from '../../platform/config';
import type { CarrierLoaders } from './carrier.loader';
import type { CarrierUnderwritingRow } from './carrier.repository';
import type { CarrierRow } from './carrier.type';
import type { CarrierUnderwriting } from './domain/requirements-grid';
import type { ProductRow } from './product.type';
import { readUnderwritingGuidelines } from './domain/underwriting-guidelines';
import type { UnderwritingGuidelines } from './domain/underwriting';

function readGuidelines(stored: unknown): UnderwritingGuidelines | { unreadable: string } {
  try {
    return deepFreeze(readUnderwritingGuidelines(stored));
  } catch (error) {
    return { unreadable: error instanceof Error ? error.message : String(error) };
  }
}

/** The whole catalog, as compareQuotes needs it: every carrier and every product. */
export interface Catalog {
  carriers: readonly CarrierRow[];
  products: readonly ProductRow[];
  /** Products by carrier id. */
  productsOf: ReadonlyMap<string, readonly ProductRow[]>;
  /** Requirements grid and accelerated program by carrier id; a carrier without a row is absent. */
  underwritingOf: ReadonlyMap<string, Readonly<CarrierUnderwriting>>;
  /**
   * Field-underwriting guidelines by carrier id, or why they cannot be used (unreadable as stored:
   * the quote says so rather than the whole catalog failing); a carrier without guidelines is absent.
   */
  guidelinesOf: ReadonlyMap<string, Readonly<UnderwritingGuidelines> | { unreadable: string }>;
}

/** What a load of the catalog returns: the rows of its tables. */
export interface CatalogRows {
  carriers: CarrierRow[];
  products: ProductRow[];
  /** Absent: no carrier has underwriting data (a loader that does not read it). */
  underwriting?: CarrierUnderwritingRow[];
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

  async get(load: () => Promise<CatalogRows>): Promise<Catalog> {
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

  private reload(load: () => Promise<CatalogRows>): Promise<Catalog> {
    if (this.loading) return this.loading;
    const generation = this.generation;
    const loading = (async () => {
      try {
        const { carriers, products, underwriting = [] } = await load();
        const productsOf = new Map<string, ProductRow[]>(carriers.map((c) => [c.id, []]));
        for (const product of products) productsOf.get(product.carrierId)?.push(product);
        const underwritingOf = new Map(
          underwriting.map(({ carrierId, requirementGrid, acceleratedRules }) => [
            carrierId,
            deepFreeze({ requirementGrid, acceleratedRules }),
          ]),
        );
        const guidelinesOf = new Map(
          underwriting.flatMap(({ carrierId, guidelines }) =>
            guidelines === null || guidelines === undefined ? [] : [[carrierId, readGuidelines(guidelines)] as const],
          ),
        );
        // A Map's entries are not its properties: freeze each list, then the rows and the catalog.
        for (const list of productsOf.values()) Object.freeze(list);
        const catalog: Catalog = deepFreeze({ carriers, products, productsOf, underwritingOf, guidelinesOf });
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

/**
 * The process's copy of the catalog; when it must be read (the first call, or past its age), this
 * request's loaders read it: carriers, their products, their underwriting data (three statements).
 */
export function catalogOf(ctx: { runtime: { catalog: CatalogSnapshot }; loaders: CarrierLoaders }): Promise<Catalog> {
  return ctx.runtime.catalog.get(async () => {
    const carriers = await ctx.loaders.allCarriers();
    const lists = await ctx.loaders.productsByCarrier.loadMany(carriers.map((c) => c.id));
    const failed = lists.find((list): list is Error => list instanceof Error);
    if (failed) throw failed;
    return { carriers, products: (lists as ProductRow[][]).flat(), underwriting: await ctx.loaders.allUnderwriting() };
  });
}
