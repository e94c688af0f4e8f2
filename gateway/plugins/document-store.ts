import type { DocumentStore } from '@apollo/server';
import type { DocumentNode } from 'graphql';
import type { GatewayPlugin } from './gateway-plugin';

/**
 * Apollo Server's cache of parsed and validated documents, bounded by what it really holds. A parsed
 * document keeps its whole source text (every node's location points into it), comments and all,
 * while Apollo's default store sizes a document by its JSON, which leaves the source out: distinct
 * documents of a few tokens and a 1 MB comment each were kept by the thousand until the process ran
 * out of memory (found by the gateway fuzz suite). Least recently used first, by characters of
 * source and JSON.
 */
export class BoundedDocumentStore implements DocumentStore {
  // A Map iterates in insertion order: re-inserting on read makes the first key the least recent.
  private readonly entries = new Map<string, { document: DocumentNode; size: number }>();
  private size = 0;

  constructor(private readonly maxChars = 32 * 2 ** 20) {}

  async get(key: string): Promise<DocumentNode | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.document;
  }

  async set(key: string, document: DocumentNode): Promise<void> {
    this.drop(key);
    // JSON.stringify leaves locations out (Location has toJSON): the source is counted on its own.
    const size = key.length + JSON.stringify(document).length + (document.loc?.source.body.length ?? 0);
    if (size > this.maxChars) return;
    this.entries.set(key, { document, size });
    this.size += size;
    while (this.entries.size > 0 && this.size > this.maxChars) this.drop(this.entries.keys().next().value!);
  }

  async delete(key: string): Promise<boolean> {
    return this.drop(key);
  }

  private drop(key: string): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.size -= entry.size;
    return this.entries.delete(key);
  }
}

/** The document-store plugin: Apollo Server keeps its parsed documents in a BoundedDocumentStore. */
export function documentStore(): GatewayPlugin {
  return { server: { documentStore: new BoundedDocumentStore() } };
}
