/**
 * A Map used as an (approximate) LRU: writes evict from the front; a read moves an entry to the back
 * only once it is in the older half (moving on every read, a delete and a set, cost more than the
 * rest of a cached answer's lookup), so a hot entry is never the next to go.
 *
 * Bounded by the number of entries and, when given `weigh`, by the sum of their weights (bytes, for
 * the front's answers): an entry heavier than the whole budget is not kept.
 */
export class Lru<V> {
  private readonly entries = new Map<string, { value: V; tick: number; weight: number }>();
  private tick = 0;
  private held = 0;
  constructor(
    private readonly max: number,
    private readonly maxWeight = Number.POSITIVE_INFINITY,
    private readonly weigh: (value: V) => number = () => 0,
  ) {}
  /** Entries kept now. */
  get size(): number {
    return this.entries.size;
  }
  /** The sum of the kept entries' weights. */
  get weight(): number {
    return this.held;
  }
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (this.tick - entry.tick > this.max / 2) {
      this.entries.delete(key);
      entry.tick = ++this.tick;
      this.entries.set(key, entry);
    }
    return entry.value;
  }
  set(key: string, value: V): void {
    this.delete(key);
    const weight = this.weigh(value);
    if (weight > this.maxWeight) return;
    this.entries.set(key, { value, tick: ++this.tick, weight });
    this.held += weight;
    while (this.entries.size > this.max || this.held > this.maxWeight) this.delete(this.entries.keys().next().value!);
  }
  delete(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.held -= entry.weight;
    this.entries.delete(key);
  }
  /** Drops every entry `stale` says is (expired ones, say, that nobody reads again). */
  sweep(stale: (value: V) => boolean): void {
    for (const [key, entry] of this.entries) if (stale(entry.value)) this.delete(key);
  }
}
