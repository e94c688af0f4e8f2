import type { IncomingMessage, ServerResponse } from 'node:http';
import { isId } from '../../platform/ids';
import type { Logger } from '../../platform/logger';
import { sendJson } from '../../platform/http';
import { Db, type Pool } from '../shared/db';
import { documentById } from './document.repository';
import { DOCUMENTS_PATH, type DocumentUrls } from './document-url';
import type { DocumentStore } from './ports/document-store.port';

const refuse = (res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  sendJson(res, status, { errors: [{ message, extensions: { code } }] }, { 'cache-control': 'no-store', ...headers });

/** A file name as a quoted-string (ASCII, quotes and backslashes replaced) and as RFC 5987 UTF-8 for the rest. */
function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/**
 * GET /documents/<id>?expires=&signature= on the cases subgraph (and through the gateway, which
 * forwards the path as it is): the document's bytes, for whoever holds a URL this subgraph signed
 * and that has not expired. No identity header: the signature is the authorization. A bad signature
 * is 403, a good one that expired 410, either with a JSON error; nothing of the URL is logged.
 */
export function documentDownloadRoute(deps: { pool: Pool; store: DocumentStore; urls: DocumentUrls; logger: Logger }) {
  const db = new Db(deps.pool);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return refuse(res, 405, 'METHOD_NOT_ALLOWED', 'documents are read with GET', { allow: 'GET, HEAD' });
    const url = new URL(req.url ?? '/', 'http://localhost');
    const id = decodeURIComponent(url.pathname.slice(DOCUMENTS_PATH.length));
    if (!isId('document', id)) return refuse(res, 404, 'NOT_FOUND', 'document not found');
    const check = deps.urls.check(id, url.searchParams.get('expires'), url.searchParams.get('signature'));
    if (check === 'bad-signature') return refuse(res, 403, 'FORBIDDEN', 'the download link is not valid');
    if (check === 'expired') return refuse(res, 410, 'EXPIRED', 'the download link has expired: read the document again for a fresh one');
    const row = await documentById(db, id);
    let bytes: Uint8Array | null = null;
    try {
      bytes = row ? await deps.store.get(row.storageKey) : null;
    } catch (error) {
      deps.logger.error({ err: error, documentId: id, storage: row!.storage }, 'document store read failed');
      return refuse(res, 503, 'SERVICE_UNAVAILABLE', 'the document store is unavailable; try again shortly', { 'retry-after': '5' });
    }
    if (!row || !bytes) {
      // Metadata without content is ours to fix, not the caller's: logged by id alone.
      if (row) deps.logger.error({ documentId: id, storage: row.storage }, 'document content missing from the store');
      return refuse(res, 404, 'NOT_FOUND', 'document not found');
    }
    res.writeHead(200, {
      'content-type': row.contentType,
      'content-length': String(bytes.byteLength),
      'content-disposition': contentDisposition(row.fileName),
      // The URL is a credential for a few minutes: no shared cache keeps the answer.
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    });
    res.end(req.method === 'HEAD' ? undefined : bytes);
  };
}
