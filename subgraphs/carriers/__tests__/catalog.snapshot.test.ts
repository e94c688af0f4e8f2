import type { CarrierRow } from '../carrier.type';
import type { ProductRow } from '../product.type';
import { CatalogSnapshot } from '../catalog.snapshot';
import { CARRIER_ROWS, PRODUCT_ROWS } from './fake-carriers';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A loader that counts its calls and can be made slow or failing. */
function loader(options: { delayMs?: number; fail?: boolean } = {}) {
  const load = async () => {
    load.calls++;
    if (options.delayMs) await sleep(options.delayMs);
    if (options.fail) throw new Error('database down');
    return { carriers: CARRIER_ROWS.map((c) => ({ ...c })) as CarrierRow[], products: PRODUCT_ROWS.map((p) => ({ ...p })) as ProductRow[] };
  };
  load.calls = 0;
  return load;
}

describe('CatalogSnapshot', () => {
  it('loads once, then answers from memory while fresh, grouping products by carrier', async () => {
    const snapshot = new CatalogSnapshot(1_000);
    const load = loader();
    const [a, b] = await Promise.all([snapshot.get(load), snapshot.get(load)]);
    expect(load.calls).toBe(1);
    expect(a).toBe(b);
    expect(await snapshot.get(load)).toBe(a);
    expect(load.calls).toBe(1);
    expect(a.productsOf.get('car_summit')!.map((p) => p.id)).toEqual(
      PRODUCT_ROWS.filter((p) => p.carrierId === 'car_summit').map((p) => p.id),
    );
    expect(Object.isFrozen(a.carriers[0])).toBe(true);
  });

  it('serves the stale copy at once while one reload runs (stale-while-revalidate)', async () => {
    const snapshot = new CatalogSnapshot(20);
    const first = await snapshot.get(loader());
    await sleep(30);
    const slow = loader({ delayMs: 50 });
    const started = performance.now();
    expect(await snapshot.get(slow)).toBe(first);
    expect(await snapshot.get(slow)).toBe(first);
    expect(performance.now() - started).toBeLessThan(20);
    expect(slow.calls).toBe(1);
    await sleep(60);
    expect(await snapshot.get(slow)).not.toBe(first);
  });

  it('keeps the stale copy when a reload fails', async () => {
    const snapshot = new CatalogSnapshot(10);
    const first = await snapshot.get(loader());
    await sleep(20);
    expect(await snapshot.get(loader({ fail: true }))).toBe(first);
  });

  it('reads again after invalidate(), and on every call when the age limit is 0', async () => {
    const snapshot = new CatalogSnapshot(60_000);
    const load = loader();
    await snapshot.get(load);
    snapshot.invalidate();
    await snapshot.get(load);
    expect(load.calls).toBe(2);
    const uncached = new CatalogSnapshot(0);
    const again = loader();
    await uncached.get(again);
    await uncached.get(again);
    expect(again.calls).toBe(2);
  });

  it('fails the first caller when nothing is held and the load fails', async () => {
    await expect(new CatalogSnapshot(1_000).get(loader({ fail: true }))).rejects.toThrow('database down');
  });
});
