import { createHash } from 'node:crypto';
import { badInput, coded, conflict, notFound } from '../../platform/errors';
import { newId } from '../../platform/ids';
import type { Logger } from '../../platform/logger';
import type { Db } from '../shared/db';
import { documentByIdempotencyKey, documentOwner, insertDocument } from './document.repository';
import type { DocumentOwnerKind, DocumentRow, DocumentType } from './document.type';
import { checkDocument, exceedsLimit } from './domain/documents';
import type { DocumentStore } from './ports/document-store.port';

export interface StoreDocumentInput {
  ownerKind: DocumentOwnerKind;
  ownerId: string;
  type: DocumentType;
  fileName: string;
  /** As declared; when absent, read from the content's first bytes. */
  contentType?: string | null;
  bytes: Uint8Array;
  /** Who uploads it (an identity's sub, or the service that generated it). */
  uploadedBy: string;
  /** A retry with the same key (per uploader) and the same upload returns the same document. */
  idempotencyKey?: string | null;
  /** The case it belongs to, when the caller already knows it (null: none yet); looked up from the owner when undefined. */
  caseId?: string | null;
  /** The size limit (DOCUMENT_MAX_BYTES): beyond it, LIMIT_EXCEEDED. */
  maxBytes?: number;
}

const sha256Hex = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

/** The refusal of a document over the limit: the limit named, the content never read further. */
export const tooLarge = (maxBytes: number) =>
  coded('LIMIT_EXCEEDED', `the document exceeds the limit of ${maxBytes} bytes (DOCUMENT_MAX_BYTES)`, { maxBytes });

/**
 * Stores a document: checks it (size, name, format by its first bytes), computes its sha256, writes
 * its content to the store and its metadata to cases.document. With the PostgreSQL store, content and
 * metadata are written in one transaction (the caller's, when `db` is one: the submission's, the
 * signatures'). With S3 the object is written first and removed again when the metadata is not
 * (a failed or repeated upload leaves no object behind, short of a crash between the two).
 * Idempotent per (uploader, idempotency key): the same upload again returns the same row; another
 * upload under a used key is CONFLICT. Authorization is the caller's (uploadDocument checks the owner's scope).
 */
export async function storeDocument(
  { db, store, logger }: { db: Db; store: DocumentStore; logger?: Logger },
  input: StoreDocumentInput,
): Promise<DocumentRow> {
  if (input.maxBytes !== undefined && exceedsLimit(input.bytes.length, input.maxBytes)) throw tooLarge(input.maxBytes);
  const verdict = checkDocument(input);
  if (verdict.reasons.length > 0) throw badInput('the document cannot be taken', verdict.reasons);
  const contentType = verdict.contentType!;
  const sha256 = sha256Hex(input.bytes);
  const key = input.idempotencyKey ?? null;
  const requestHash = key
    ? sha256Hex(JSON.stringify([input.ownerKind, input.ownerId, input.type, verdict.fileName, contentType, sha256]))
    : null;
  const sameUpload = (existing: DocumentRow & { requestHash: string | null }): DocumentRow => {
    if (existing.requestHash !== requestHash) throw conflict('this idempotencyKey was already used for a different upload');
    const { requestHash: _hash, ...row } = existing;
    return row;
  };
  if (key) {
    const existing = await documentByIdempotencyKey(db, input.uploadedBy, key);
    if (existing) return sameUpload(existing);
  }
  const id = newId('document');
  const storageKey = `documents/${id}`;
  const inTransaction = store.kind === 'postgres';
  if (!inTransaction) {
    try {
      await store.put(storageKey, input.bytes, contentType);
    } catch (error) {
      // The store down or refusing: logged here (its error names the bucket, the key, never content);
      // the caller gets a code it may retry on.
      logger?.error({ err: error, documentId: id, store: store.kind }, 'document store write failed');
      throw coded('SERVICE_UNAVAILABLE', 'the document store is unavailable; try again shortly');
    }
  }
  let stored: DocumentRow | undefined;
  try {
    stored = await db.transaction(async (tx) => {
      let caseId = input.caseId;
      if (caseId === undefined) {
        const owner = await documentOwner(tx, input.ownerKind, input.ownerId);
        if (!owner) throw notFound(input.ownerKind.toLowerCase());
        caseId = owner.caseId;
      }
      const row = await insertDocument(tx, {
        id,
        ownerKind: input.ownerKind,
        ownerId: input.ownerId,
        caseId,
        type: input.type,
        fileName: verdict.fileName,
        contentType,
        sizeBytes: input.bytes.length,
        sha256,
        storage: store.kind,
        storageKey,
        uploadedBy: input.uploadedBy,
        idempotencyKey: key,
        requestHash,
      });
      if (!row) return undefined;
      if (inTransaction) await store.within(tx).put(storageKey, input.bytes, contentType);
      return row;
    });
  } catch (error) {
    if (!inTransaction) await store.delete(storageKey).catch(() => undefined);
    throw error;
  }
  if (stored) return stored;
  // A concurrent twin took the key between our look and our insert: its document is the answer.
  if (!inTransaction) await store.delete(storageKey).catch(() => undefined);
  const twin = await documentByIdempotencyKey(db, input.uploadedBy, key!);
  if (!twin) throw conflict('this idempotencyKey is being used by another upload; retry');
  return sameUpload(twin);
}
