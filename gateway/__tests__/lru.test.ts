import { Lru } from '../lru';

describe("the approximate LRU (the front's and the entity cache's)", () => {
  it('keeps at most its bound, evicting the oldest first', () => {
    const lru = new Lru<number>(10);
    for (let i = 0; i < 25; i++) lru.set(`k${i}`, i);
    const kept = Array.from({ length: 25 }, (_, i) => lru.get(`k${i}`)).filter((v) => v !== undefined);
    expect(kept).toEqual([15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
  });

  it('never lets an entry that is read again and again be evicted, however many others come', () => {
    const lru = new Lru<string>(10);
    lru.set('hot', 'h');
    for (let i = 0; i < 1_000; i++) {
      lru.set(`cold${i}`, 'c');
      expect(lru.get('hot')).toBe('h');
    }
    expect(lru.get('cold0')).toBeUndefined();
  });

  it('replaces a value and forgets a deleted key', () => {
    const lru = new Lru<number>(3);
    lru.set('a', 1);
    lru.set('a', 2);
    expect(lru.get('a')).toBe(2);
    lru.delete('a');
    expect(lru.get('a')).toBeUndefined();
  });

  it('keeps the sum of its weights within its weight bound, and sweeps what it is told is stale', () => {
    const lru = new Lru<string>(1_000, 100, (value) => value.length);
    for (let i = 0; i < 500; i++) {
      lru.set(`k${i}`, 'x'.repeat(1 + (i % 30)));
      expect(lru.weight).toBeLessThanOrEqual(100);
    }
    lru.set('heavy', 'x'.repeat(101)); // heavier than the whole bound: not kept, nothing evicted for it
    expect(lru.get('heavy')).toBeUndefined();
    expect(lru.get('k499')).toBeDefined();
    lru.sweep((value) => value.length > 10);
    const left = Array.from({ length: 500 }, (_, i) => lru.get(`k${i}`) ?? '');
    expect(left.every((value) => value.length <= 10)).toBe(true);
    expect(lru.weight).toBe(left.reduce((sum, value) => sum + value.length, 0));
    expect(lru.size).toBe(left.filter(Boolean).length);
  });
});
