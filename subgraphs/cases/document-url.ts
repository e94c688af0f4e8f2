import { createHmac, timingSafeEqual } from 'node:crypto';

/** The path under which documents are downloaded, on the cases subgraph and (forwarded) on the gateway. */
export const DOCUMENTS_PATH = '/documents/';

export type UrlCheck = 'valid' | 'bad-signature' | 'expired';

/**
 * Signed, expiring download URLs: `<PUBLIC_URL>/documents/<id>?expires=<unix seconds>&signature=<hmac>`,
 * the HMAC-SHA256 (DOCUMENT_URL_SECRET) of the document id and the expiry, base64url. Whoever holds
 * the URL may download the document until it expires, so it carries nothing else: no name, no owner,
 * no personal data. A URL is made each time a Document is read, as that caller was allowed to.
 */
export class DocumentUrls {
  constructor(
    private readonly secret: string,
    private readonly ttlSeconds: number,
    private readonly publicUrl: string,
  ) {}

  private signature(id: string, expires: number): Buffer {
    return createHmac('sha256', this.secret).update(`document-download:v1:${id}:${expires}`).digest();
  }

  /** The download URL of a document, valid for DOCUMENT_URL_TTL_S from now. */
  url(id: string, nowMs = Date.now()): string {
    const expires = Math.floor(nowMs / 1000) + this.ttlSeconds;
    return `${this.publicUrl}${DOCUMENTS_PATH}${encodeURIComponent(id)}?expires=${expires}&signature=${this.signature(id, expires).toString('base64url')}`;
  }

  /** Whether the URL's expiry and signature are this server's for this id, and still good. The signature is checked first. */
  check(id: string, expires: string | null, signature: string | null, nowMs = Date.now()): UrlCheck {
    if (!expires || !/^\d{1,12}$/.test(expires) || !signature || !/^[A-Za-z0-9_-]{43}$/.test(signature)) return 'bad-signature';
    const given = Buffer.from(signature, 'base64url');
    const expected = this.signature(id, Number(expires));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad-signature';
    return Number(expires) * 1000 <= nowMs ? 'expired' : 'valid';
  }
}
