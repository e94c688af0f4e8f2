/**
 * A Map used as an (approximate) LRU: writes evict from the front; a read moves an entry to the back
 * only once it is in the older half (moving on every read, a delete and a set, cost more than the
 * rest of a cached answer's lookup), so a hot entry is never the next to go.
 */
export class Lru<V> {
  private readonly entries = new Map<string, { value: V; tick: number }>();
  private tick = 0;
  constructor(private readonly max: number) {}
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
    this.entries.delete(key);
    this.entries.set(key, { value, tick: ++this.tick });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }
  delete(key: string): void {
    this.entries.delete(key);
  }
}
