import { hash } from 'node:crypto';
import { Lru } from './front';

/**
 * Entities a subgraph fetched by reference and said may be kept: an `_entities` fetch whose answer
 * came with `Cache-Control: public, max-age=N` (the carriers subgraph says so for carriers and
 * products: the catalog) and without errors. Each entity is kept on its own, for N seconds, so the
 * next fetch of the same selection asks the subgraph only for the entities it has not seen; a fetch
 * whose entities are all kept is not sent at all. A case list names the same dozen carriers and a
 * few dozen products over and over: once they are kept, its plan's catalog fetch disappears.
 *
 * In this process only (bounded, least recently used first), like the front's first level of the
 * response cache. The key is the subgraph, the caller's role (as the response cache's: a field may
 * answer one role differently), the selection (the fetch's query) and the representation, hashed:
 * representations can carry any key fields, and no key keeps them.
 */
interface KeptEntity {
  /**
   * The entity as JSON text, parsed anew for every use: the gateway merges later fetches into the
   * objects it is given (a product's carrier gets the agents subgraph's fields), so a kept object
   * handed out twice would carry one request's merges into another's.
   */
  json: string;
  expiresAt: number;
}

/** How long a selection whose answer was not cacheable is not looked up again. */
const UNCACHEABLE_MS = 60_000;

export class EntityCache {
  private readonly entries: Lru<KeptEntity>;
  /** Selections (subgraph and query) answered uncacheable lately: most fetches are, and are not looked up. */
  private readonly uncacheable = new Lru<number>(1_000);

  constructor(
    maxEntries: number,
    /** Told of every entity looked up (hit or miss), for /metrics. */
    private readonly count: (hit: boolean) => void = () => undefined,
  ) {
    this.entries = new Lru(maxEntries);
  }

  /** Whether entities of this selection may be kept, as far as its last answer said. */
  mayKeep(subgraph: string, query: string): boolean {
    const until = this.uncacheable.get(`${subgraph}\n${query}`);
    return until === undefined || until < Date.now();
  }

  /** The selection's last answer was not cacheable. */
  notCacheable(subgraph: string, query: string): void {
    this.uncacheable.set(`${subgraph}\n${query}`, Date.now() + UNCACHEABLE_MS);
  }

  keys(subgraph: string, role: string, query: string, representations: readonly unknown[]): string[] {
    const prefix = `${subgraph}\n${role}\n${query}\n`;
    return representations.map((representation) => hash('sha256', prefix + JSON.stringify(representation), 'base64url'));
  }

  /**
   * The entity kept under each key, a new object each time, or undefined; one with a second or less
   * left counts as gone.
   */
  lookup(keys: readonly string[]): ({ value: unknown; expiresAt: number } | undefined)[] {
    const soon = Date.now() + 1_000;
    return keys.map((key) => {
      const kept = this.entries.get(key);
      if (kept && kept.expiresAt <= soon) this.entries.delete(key);
      const found = kept !== undefined && kept.expiresAt > soon;
      this.count(found);
      return found ? { value: JSON.parse(kept.json), expiresAt: kept.expiresAt } : undefined;
    });
  }

  store(keys: readonly string[], values: readonly unknown[], maxAgeSeconds: number): void {
    const expiresAt = Date.now() + maxAgeSeconds * 1000;
    keys.forEach((key, i) => this.entries.set(key, { json: JSON.stringify(values[i]), expiresAt }));
  }
}
