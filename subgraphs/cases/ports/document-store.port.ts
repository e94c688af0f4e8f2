import type { Db } from '../../shared/db';

/**
 * Where the bytes of documents live, by storage key (`documents/<document id>`: never a name or any
 * personal data). The metadata (cases.document) is the cases subgraph's own table whatever the store.
 * One implementation per backend under ./documents/: PostgreSQL (default) and S3.
 */
export interface DocumentStore {
  /** Which backend this is, recorded on each document row. */
  readonly kind: 'postgres' | 's3';
  /** Writes (or overwrites) the content under the key. */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The content under the key, or null when there is none. */
  get(key: string): Promise<Uint8Array | null>;
  /** Removes the content under the key; nothing happens when there is none. */
  delete(key: string): Promise<void>;
  /**
   * The store as seen from this transaction: a store in the same database (PostgreSQL) writes
   * through it, so content and metadata commit or roll back together; any other returns itself.
   */
  within(tx: Db): DocumentStore;
}
