/**
 * upsertCatalog against Postgres. Each test runs in a transaction that is rolled back, so the
 * shared test catalog (12 fixture carriers) is never changed for the other suites.
 */
import { createPool, Db, type Pool } from '../../shared/db';
import { newStats } from '../../../platform/stats';
import { upsertCatalog } from '../carrier.repository';
import { CARRIERS, PRODUCTS } from '../fixtures/carriers.fixture';

const RUN = `t${Date.now().toString(36)}`;
const carrier = {
  id: `car_${RUN}`,
  code: `TEST_${RUN}`,
  name: 'Test Mutual',
  naicCode: '00001',
  amBestRating: 'A' as const,
  ageBasis: 'LAST' as const,
  protocol: 'REST' as const,
};
const product = (n: number) => ({
  ...PRODUCTS[0],
  id: `prd_${RUN}_${n}`,
  carrierId: carrier.id,
  code: `T-${n}`,
  name: `Test Term ${n}`,
  terms: [
    { years: 20, minIssueAge: 18, maxIssueAge: 60 },
    { years: 10, minIssueAge: 18, maxIssueAge: 70 },
  ],
});

class Rollback extends Error {}

let pool: Pool;
beforeAll(() => {
  pool = createPool(process.env.DATABASE_URL!, 2);
});
afterAll(async () => {
  await pool.end();
});

/** Runs fn in a transaction that never commits. */
async function inRolledBackTransaction(fn: (db: Db, stats: ReturnType<typeof newStats>) => Promise<void>): Promise<void> {
  const stats = newStats();
  await new Db(pool, stats)
    .transaction(async (tx) => {
      await fn(tx, stats);
      throw new Rollback();
    })
    .catch((error) => {
      if (!(error instanceof Rollback)) throw error;
    });
}

describe('upsertCatalog', () => {
  it('inserts carriers and products in one statement per table, terms ordered by years', async () => {
    await inRolledBackTransaction(async (db, stats) => {
      expect(await upsertCatalog(db, [carrier], [product(1), product(2)])).toEqual({ carriers: 1, products: 2 });
      expect(stats.sql - 1).toBe(2); // minus BEGIN
      const rows = await db.query<{ id: string; terms: { years: number }[]; health_classes: string[]; available_states: string[] }>(
        'SELECT id, terms, health_classes, available_states FROM carriers.product WHERE carrier_id = $1 ORDER BY id',
        [carrier.id],
      );
      expect(rows.map((r) => r.id)).toEqual([product(1).id, product(2).id]);
      expect(rows[0].terms.map((t) => t.years)).toEqual([10, 20]);
      expect(rows[0].health_classes).toEqual(PRODUCTS[0].healthClasses);
      expect(rows[0].available_states).toEqual(PRODUCTS[0].availableStates);
    });
  });

  it('updates changed rows only, and never deletes a product the carrier stopped sending', async () => {
    await inRolledBackTransaction(async (db) => {
      await upsertCatalog(db, [carrier], [product(1), product(2)]);
      const before = await db.one<{ updated_at: string }>('SELECT updated_at FROM carriers.product WHERE id = $1', [product(2).id]);
      // The carrier renames product 1 and no longer lists product 2.
      expect(await upsertCatalog(db, [carrier], [{ ...product(1), name: 'Renamed Term', maxFaceAmount: 2_000_000 }])).toEqual({
        carriers: 0,
        products: 1,
      });
      const rows = await db.query<{ id: string; name: string; max_face_amount: number }>(
        'SELECT id, name, max_face_amount FROM carriers.product WHERE carrier_id = $1 ORDER BY id',
        [carrier.id],
      );
      expect(rows).toEqual([
        { id: product(1).id, name: 'Renamed Term', max_face_amount: 2_000_000 },
        { id: product(2).id, name: 'Test Term 2', max_face_amount: PRODUCTS[0].maxFaceAmount },
      ]);
      const after = await db.one<{ updated_at: string }>('SELECT updated_at FROM carriers.product WHERE id = $1', [product(2).id]);
      expect(after).toEqual(before);
      expect(await upsertCatalog(db, [{ ...carrier, amBestRating: 'A_MINUS' }], [])).toEqual({ carriers: 1, products: 0 });
    });
  });

  it('finds nothing to write when the fixture catalog is upserted again over the seeded one', async () => {
    await inRolledBackTransaction(async (db) => {
      expect(await upsertCatalog(db, CARRIERS, PRODUCTS)).toEqual({ carriers: 0, products: 0 });
    });
  });
});
