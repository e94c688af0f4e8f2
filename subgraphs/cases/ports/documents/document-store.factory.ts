import { Db, type Pool } from '../../../shared/db';
import type { DocumentsConfig } from '../../cases.config';
import type { DocumentStore } from '../document-store.port';
import { PostgresDocumentStore } from './postgres.document-store';
import { S3DocumentStore } from './s3.document-store';

/** The document store DOCUMENT_STORE names, made once at start. */
export function createDocumentStore(config: DocumentsConfig, pool: Pool): DocumentStore & { destroy?(): void } {
  if (config.store === 's3') return new S3DocumentStore(config.s3!);
  return new PostgresDocumentStore(new Db(pool));
}
