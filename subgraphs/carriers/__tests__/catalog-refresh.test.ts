/**
 * The refresh loop's decisions (fresh cache, carrier call, stale fallback, validation) over a fake
 * adapter and a recording Db; the SQL itself is tested against Postgres in catalog.db.test.ts.
 */
import type { Db } from '../../shared/db';
import { CatalogRefresher, catalogCacheKey, catalogProblem } from '../catalog.refresh';
import { CARRIERS, type ProductFixture } from '../fixtures/carriers.fixture';
import { fakeWorld, type FakeWorld } from './fake-carriers';

const CARRIER = CARRIERS[0];

/** Records the catalog writes instead of sending them. */
function recordingDb() {
  const writes: { sql: string; rows: { id: string }[] }[] = [];
  const db = {
    query: async (sql: string, params: unknown[]) => {
      const rows = JSON.parse(params[0] as string) as { id: string }[];
      writes.push({ sql, rows });
      return rows.map((r) => ({ id: r.id }));
    },
  } as unknown as Db;
  return { db, writes };
}

let world: FakeWorld;
beforeEach(() => {
  world = fakeWorld({ CATALOG_REFRESH_MS: '60000' });
});

const refresher = (db: Db) => new CatalogRefresher(db, world.runtime, world.runtime.logger);

describe('CatalogRefresher', () => {
  it('asks the carrier, keeps its answer in the cache and upserts its products, never the carrier row', async () => {
    const { db, writes } = recordingDb();
    const result = await refresher(db).refresh(CARRIER.id);
    expect(result).toEqual({
      carrierId: CARRIER.id,
      source: 'carrier',
      products: CARRIER.products.length,
      written: CARRIER.products.length,
    });
    expect(world.adapters.get(CARRIER.id)!.calls.products).toBe(1);
    expect(writes.map((w) => w.rows.map((r) => r.id))).toEqual([CARRIER.products.map((p) => p.id)]);
    expect(writes.every((w) => !/carriers\.carrier\b/.test(w.sql))).toBe(true);
    expect(writes.every((w) => !/DELETE/i.test(w.sql))).toBe(true);
    expect(await world.runtime.cache.get(catalogCacheKey(CARRIER.id))).not.toBeNull();
  });

  it('does not call the carrier again while the cached catalog is fresh (another replica refreshed it)', async () => {
    await refresher(recordingDb().db).refresh(CARRIER.id);
    const result = await refresher(recordingDb().db).refresh(CARRIER.id);
    expect(result).toMatchObject({ source: 'cache' });
    expect(world.adapters.get(CARRIER.id)!.calls.products).toBe(1);
  });

  it('keeps serving the last answer when the carrier fails after it went stale', async () => {
    const key = catalogCacheKey(CARRIER.id);
    await world.runtime.cache.set(key, JSON.stringify({ fetchedAt: Date.now() - 3_600_000, products: CARRIER.products }), 3600);
    world.adapters.get(CARRIER.id)!.mode = 'http-error';
    const { db, writes } = recordingDb();
    const result = await refresher(db).refresh(CARRIER.id);
    expect(result).toMatchObject({ source: 'stale-cache', products: CARRIER.products.length });
    // The held products are written (one statement); the carrier row is never rewritten.
    expect(writes.map((w) => w.rows.map((r) => r.id))).toEqual([CARRIER.products.map((p) => p.id)]);
  });

  it('writes nothing when the carrier fails and nothing is held: the catalog keeps its rows', async () => {
    world.adapters.get(CARRIER.id)!.mode = 'malformed';
    const { db, writes } = recordingDb();
    expect(await refresher(db).refresh(CARRIER.id)).toEqual({
      carrierId: CARRIER.id,
      source: 'failed',
      error: 'CARRIER.MALFORMED: unreadable TXLife response',
    });
    expect(writes).toEqual([]);
  });

  it('joins a refresh already running for the same carrier (single-flight)', async () => {
    world.adapters.get(CARRIER.id)!.latencyMs = 30;
    const r = refresher(recordingDb().db);
    await Promise.all([r.refresh(CARRIER.id), r.refresh(CARRIER.id), r.refresh(CARRIER.id)]);
    expect(world.adapters.get(CARRIER.id)!.calls.products).toBe(1);
  });

  it('refreshes every carrier with an adapter in one pass', async () => {
    const results = await refresher(recordingDb().db).refreshAll();
    expect(results.map((r) => r.carrierId).sort()).toEqual(CARRIERS.map((c) => c.id).sort());
    expect(results.every((r) => r.source === 'carrier')).toBe(true);
  });
});

describe('catalogProblem', () => {
  const product = CARRIER.products[0];
  it('accepts the fixture products', () => {
    for (const carrier of CARRIERS) for (const p of carrier.products) expect(catalogProblem(p, carrier.id)).toBeNull();
  });

  it.each([
    [{ id: 'x1' }, 'id x1 is not a product id'],
    [{ carrierId: 'car_other' }, `${product.id} belongs to car_other`],
    [{ type: 'ANNUITY' }, `${product.id} has unknown type ANNUITY`],
    [{ minIssueAge: 80, maxIssueAge: 20 }, `${product.id} has inverted limits`],
    [{ maxFaceAmount: -1 }, `${product.id} has bad limits`],
    [{ terms: [{ years: 'ten' }] }, `${product.id} has bad terms`],
    [{ healthClasses: ['SUPER'] }, `${product.id} has unknown health classes`],
    [{ availableStates: ['XX'] }, `${product.id} has unknown states`],
  ])('refuses %j', (change, problem) => {
    expect(catalogProblem({ ...product, ...change } as unknown as ProductFixture, CARRIER.id)).toBe(problem);
  });
});
