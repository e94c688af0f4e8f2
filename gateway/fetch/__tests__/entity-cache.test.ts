import { EntityCache } from '../entity-cache';

describe('the entity cache', () => {
  const carrier = { __typename: 'Carrier', id: 'car_summit' };
  const values = (found: ({ value: unknown } | undefined)[]) => found.map((f) => f?.value);

  it('keeps each entity under its subgraph, role, selection and representation', () => {
    const cache = new EntityCache(100);
    const { keys } = cache.lookup('carriers', 'STAFF', 'query A', [carrier]);
    cache.store(keys, [{ id: 'car_summit', name: 'Summit' }], 300);
    expect(values(cache.lookup('carriers', 'STAFF', 'query A', [carrier]).kept)).toEqual([{ id: 'car_summit', name: 'Summit' }]);
    expect(values(cache.lookup('agents', 'STAFF', 'query A', [carrier]).kept)).toEqual([undefined]);
    expect(values(cache.lookup('carriers', 'AGENT', 'query A', [carrier]).kept)).toEqual([undefined]);
    expect(values(cache.lookup('carriers', 'STAFF', 'query B', [carrier]).kept)).toEqual([undefined]);
    expect(values(cache.lookup('carriers', 'STAFF', 'query A', [{ __typename: 'Carrier', id: 'car_harbor' }]).kept)).toEqual([undefined]);
    // Hashed: the representation's fields are not in the key.
    expect(keys[0]).not.toContain('car_summit');
  });

  it('looks each distinct representation up once, and gives every position its own object', () => {
    const counted: boolean[] = [];
    const cache = new EntityCache(100, (hit) => counted.push(hit));
    const { keys } = cache.lookup('carriers', 'STAFF', 'q', [carrier]);
    cache.store(keys, [{ id: 'car_summit', carrier: { id: 'c' } }], 300);
    const { keys: three, kept } = cache.lookup('carriers', 'STAFF', 'q', [carrier, { __typename: 'Product', id: 'p1' }, carrier]);
    expect(three[0]).toBe(three[2]);
    expect(values(kept)).toEqual([{ id: 'car_summit', carrier: { id: 'c' } }, undefined, { id: 'car_summit', carrier: { id: 'c' } }]);
    expect(kept[0]!.value).not.toBe(kept[2]!.value);
    // What one request merges into its object never reaches the next.
    (kept[0]!.value as { carrier: Record<string, unknown> }).carrier.preAppointmentStates = ['TX'];
    expect(values(cache.lookup('carriers', 'STAFF', 'q', [carrier]).kept)).toEqual([{ id: 'car_summit', carrier: { id: 'c' } }]);
    expect(counted).toEqual([false, true, false, true, true]);
  });

  it('drops an entity with a second or less left', () => {
    const cache = new EntityCache(100);
    const { keys } = cache.lookup('carriers', 'STAFF', 'q', [carrier, { __typename: 'Product', id: 'p1' }]);
    cache.store([keys[0]], [{ id: 'car_summit' }], 300);
    cache.store([keys[1]], [{ id: 'p1' }], 1);
    expect(cache.lookup('carriers', 'STAFF', 'q', [carrier, { __typename: 'Product', id: 'p1' }]).kept.map(Boolean)).toEqual([true, false]);
  });

  it('is bounded: the least recently used entities go first', () => {
    const cache = new EntityCache(10);
    const products = Array.from({ length: 25 }, (_, i) => ({ __typename: 'Product', id: `p${i}` }));
    const { keys } = cache.lookup('carriers', 'STAFF', 'q', products);
    cache.store(
      keys,
      products.map(({ id }) => ({ id })),
      300,
    );
    expect(cache.lookup('carriers', 'STAFF', 'q', products).kept.filter(Boolean)).toHaveLength(10);
    expect(cache.lookup('carriers', 'STAFF', 'q', products.slice(15)).kept.every(Boolean)).toBe(true);
  });

  it('never answers a selection with the entities of another, however many selections came between', () => {
    const cache = new EntityCache(100);
    const { keys } = cache.lookup('carriers', 'STAFF', 'query 0', [carrier]);
    cache.store(keys, [{ id: 'car_summit', from: 'query 0' }], 300);
    for (let i = 1; i <= 6_000; i++) {
      expect(cache.lookup('carriers', 'STAFF', `query ${i}`, [carrier]).kept[0]).toBeUndefined();
    }
  });

  it('remembers for a while a selection whose answer could not be kept', () => {
    const cache = new EntityCache(10);
    expect(cache.mayKeep('agents', 'q')).toBe(true);
    cache.notCacheable('agents', 'q');
    expect(cache.mayKeep('agents', 'q')).toBe(false);
    expect(cache.mayKeep('carriers', 'q')).toBe(true);
  });
});
