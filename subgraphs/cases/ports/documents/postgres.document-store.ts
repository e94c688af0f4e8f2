import type { Db } from '../../../shared/db';
import type { DocumentStore } from '../document-store.port';

/**
 * Document content as bytea rows of cases.document_content, keyed by storage key. Chosen over large
 * objects: a bytea row is written in the upload's own transaction with the metadata, is removed with
 * a plain DELETE (a large object outlives its reference until someone calls lo_unlink), is dumped,
 * replicated and restored like any row, and needs no lo_* privileges; documents are bounded by
 * DOCUMENT_MAX_BYTES (10 MiB by default), far from bytea's 1 GB limit. A table of its own keeps the
 * metadata's scans off the content's pages.
 */
export class PostgresDocumentStore implements DocumentStore {
  readonly kind = 'postgres' as const;

  constructor(private readonly db: Db) {}

  async put(key: string, bytes: Uint8Array, _contentType: string): Promise<void> {
    await this.db.query(
      `INSERT INTO cases.document_content (storage_key, content) VALUES ($1, $2)
       ON CONFLICT (storage_key) DO UPDATE SET content = EXCLUDED.content`,
      [key, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)],
    );
  }

  async get(key: string): Promise<Uint8Array | null> {
    const row = await this.db.one<{ content: Buffer }>('SELECT content FROM cases.document_content WHERE storage_key = $1', [key]);
    return row ? new Uint8Array(row.content.buffer, row.content.byteOffset, row.content.byteLength) : null;
  }

  async delete(key: string): Promise<void> {
    await this.db.query('DELETE FROM cases.document_content WHERE storage_key = $1', [key]);
  }

  within(tx: Db): DocumentStore {
    return new PostgresDocumentStore(tx);
  }
}
