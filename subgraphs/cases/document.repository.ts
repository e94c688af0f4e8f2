/** The SQL of documents' metadata (cases.document) and of who owns what they are attached to. */
import type { Db } from '../shared/db';
import type { DocumentOwnerKind, DocumentRow } from './document.type';

const DOCUMENT_COLUMNS = `id, owner_kind AS "ownerKind", owner_id AS "ownerId", case_id AS "caseId", type, file_name AS "fileName",
  content_type AS "contentType", size_bytes AS "sizeBytes", sha256, storage, storage_key AS "storageKey", uploaded_by AS "uploadedBy",
  uploaded_at AS "uploadedAt"`;

export interface NewDocument extends Omit<DocumentRow, 'uploadedAt'> {
  idempotencyKey: string | null;
  requestHash: string | null;
}

/** Inserts the row; undefined when the uploader's idempotency key is already taken (a retry, or a concurrent twin). */
export const insertDocument = (tx: Db, doc: NewDocument): Promise<DocumentRow | undefined> =>
  tx.one<DocumentRow>(
    `INSERT INTO cases.document (id, owner_kind, owner_id, case_id, type, file_name, content_type, size_bytes, sha256, storage, storage_key,
       uploaded_by, idempotency_key, request_hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT (uploaded_by, idempotency_key) DO NOTHING
     RETURNING ${DOCUMENT_COLUMNS}`,
    [
      doc.id,
      doc.ownerKind,
      doc.ownerId,
      doc.caseId,
      doc.type,
      doc.fileName,
      doc.contentType,
      doc.sizeBytes,
      doc.sha256,
      doc.storage,
      doc.storageKey,
      doc.uploadedBy,
      doc.idempotencyKey,
      doc.requestHash,
    ],
  );

/** The document an uploader already stored under an idempotency key, with the hash of that upload. */
export const documentByIdempotencyKey = (db: Db, uploadedBy: string, key: string) =>
  db.one<DocumentRow & { requestHash: string | null }>(
    `SELECT ${DOCUMENT_COLUMNS}, request_hash AS "requestHash" FROM cases.document WHERE uploaded_by = $1 AND idempotency_key = $2`,
    [uploadedBy, key],
  );

export const documentById = (db: Db, id: string): Promise<DocumentRow | undefined> =>
  db.one<DocumentRow>(`SELECT ${DOCUMENT_COLUMNS} FROM cases.document WHERE id = $1`, [id]);

/** The documents of many cases in one statement (Case.documents' loader), oldest first. */
export const documentsByCaseIds = (db: Db, caseIds: readonly string[]): Promise<DocumentRow[]> =>
  db.query<DocumentRow>(`SELECT ${DOCUMENT_COLUMNS} FROM cases.document WHERE case_id = ANY($1) ORDER BY uploaded_at, id`, [caseIds]);

/** Once an application is submitted as a case, its documents belong to that case too (Case.documents lists them). */
export const attachApplicationDocumentsToCase = async (tx: Db, applicationId: string, caseId: string): Promise<void> => {
  await tx.query(`UPDATE cases.document SET case_id = $2 WHERE owner_kind = 'APPLICATION' AND owner_id = $1 AND case_id IS NULL`, [
    applicationId,
    caseId,
  ]);
};

/** Who owns what a document is attached to: the agent whose scope decides who may see it, and the case it belongs to. */
export interface DocumentOwner {
  agentId: string;
  caseId: string | null;
}

const OWNER_SQL: Record<DocumentOwnerKind, string> = {
  CASE: `SELECT agent_id AS "agentId", id AS "caseId" FROM cases."case" WHERE id = $1`,
  REQUIREMENT: `SELECT c.agent_id AS "agentId", c.id AS "caseId" FROM cases.requirement r JOIN cases."case" c ON c.id = r.case_id WHERE r.id = $1`,
  // The application table is the new-business work (cases migration 5): id, agent_id, case_id once submitted.
  APPLICATION: `SELECT agent_id AS "agentId", case_id AS "caseId" FROM cases.application WHERE id = $1`,
};

export const documentOwner = (db: Db, kind: DocumentOwnerKind, id: string): Promise<DocumentOwner | undefined> =>
  db.one<DocumentOwner>(OWNER_SQL[kind], [id]);

/** The signed application of an application: the e-signed PDF, or a staff member's signed scan; the newest when there are several. */
export const signedApplicationDocument = (db: Db, applicationId: string): Promise<DocumentRow | undefined> =>
  db.one<DocumentRow>(
    `SELECT ${DOCUMENT_COLUMNS} FROM cases.document
      WHERE owner_kind = 'APPLICATION' AND owner_id = $1 AND type IN ('SIGNED_APPLICATION', 'APPLICATION_SCAN')
      ORDER BY uploaded_at DESC, id DESC LIMIT 1`,
    [applicationId],
  );
