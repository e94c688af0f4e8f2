import { EntityCache } from '../entity-cache';

describe('the entity cache', () => {
  const carrier = { __typename: 'Carrier', id: 'car_summit' };

  it('keeps each entity under its subgraph, role, selection and representation', () => {
    const cache = new EntityCache(100);
    const [key] = cache.keys('carriers', 'STAFF', 'query A', [carrier]);
    cache.store([key], [{ id: 'car_summit', name: 'Summit' }], 300);
    expect(cache.lookup([key])[0]?.value).toEqual({ id: 'car_summit', name: 'Summit' });
    const others = [
      cache.keys('agents', 'STAFF', 'query A', [carrier]),
      cache.keys('carriers', 'AGENT', 'query A', [carrier]),
      cache.keys('carriers', 'STAFF', 'query B', [carrier]),
      cache.keys('carriers', 'STAFF', 'query A', [{ __typename: 'Carrier', id: 'car_harbor' }]),
    ].map(([other]) => other);
    expect(new Set([key, ...others]).size).toBe(5);
    expect(cache.lookup(others)).toEqual([undefined, undefined, undefined, undefined]);
    // Hashed: the representation's fields are not in the key.
    expect(key).not.toContain('car_summit');
  });

  it('hands out a new object every time: what one request merges into it never reaches the next', () => {
    const cache = new EntityCache(100);
    const keys = cache.keys('carriers', 'STAFF', 'q', [carrier]);
    cache.store(keys, [{ id: 'car_summit', carrier: { id: 'c' } }], 300);
    const first = cache.lookup(keys)[0]!.value as { carrier: Record<string, unknown> };
    first.carrier.preAppointmentStates = ['TX'];
    expect(cache.lookup(keys)[0]!.value).toEqual({ id: 'car_summit', carrier: { id: 'c' } });
  });

  it('drops an entity with a second or less left, and counts every lookup', () => {
    const counted: boolean[] = [];
    const cache = new EntityCache(100, (hit) => counted.push(hit));
    const keys = cache.keys('carriers', 'STAFF', 'q', [carrier, { __typename: 'Product', id: 'p1' }]);
    cache.store([keys[0]], [{ id: 'car_summit' }], 300);
    cache.store([keys[1]], [{ id: 'p1' }], 1);
    expect(cache.lookup(keys).map((found) => found !== undefined)).toEqual([true, false]);
    expect(counted).toEqual([true, false]);
  });

  it('is bounded: the least recently used entities go first', () => {
    const cache = new EntityCache(10);
    const keys = cache.keys('carriers', 'STAFF', 'q', Array.from({ length: 25 }, (_, i) => ({ __typename: 'Product', id: `p${i}` })));
    cache.store(keys, keys.map((_, i) => ({ id: `p${i}` })), 300);
    expect(cache.lookup(keys).filter(Boolean)).toHaveLength(10);
    expect(cache.lookup(keys.slice(15)).every(Boolean)).toBe(true);
  });

  it('remembers for a while a selection whose answer could not be kept', () => {
    const cache = new EntityCache(10);
    expect(cache.mayKeep('agents', 'q')).toBe(true);
    cache.notCacheable('agents', 'q');
    expect(cache.mayKeep('agents', 'q')).toBe(false);
    expect(cache.mayKeep('carriers', 'q')).toBe(true);
  });
});
