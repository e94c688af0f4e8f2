/**
 * Verifying a signed webhook delivery, shared by every provider that signs the Stripe way: the
 * HMAC-SHA256 of `${timestamp}.${rawBody}` with the shared secret, hex, compared in constant time,
 * and a timestamp within the tolerance of our clock either way (an old delivery replayed, or one
 * dated ahead, is refused). The raw body is read with a limit first: the signature covers bytes,
 * not a parsed object. Refusals are values of one class carrying the HTTP status to answer; nothing
 * of the body is ever in a refusal's message.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/** An HTTP refusal of a delivery: 401 for a signature, 413 for a body over the limit, 400 for a body that is not an event. */
export class WebhookRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The body as bytes, refused with 413 once it passes `limit` (by its Content-Length, or as it arrives). */
export function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  if (Number(req.headers['content-length'] ?? 0) > limit)
    return Promise.reject(new WebhookRefusal(413, 'LIMIT_EXCEEDED', `body exceeds ${limit} bytes`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        reject(new WebhookRefusal(413, 'LIMIT_EXCEEDED', `body exceeds ${limit} bytes`));
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** One header's value (the first, when repeated). */
export const headerValue = (req: { headers: IncomingHttpHeaders }, name: string): string | undefined => {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};

/** The hex HMAC-SHA256 of `${timestamp}.${body}`: what a sender puts in its signature header. */
export function signWebhook(secret: string, timestamp: string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

export interface SignedDelivery {
  rawBody: Buffer;
  /** Unix seconds, as sent. */
  timestamp: string | undefined;
  /** Hex HMAC, as sent. */
  signature: string | undefined;
}

/** Throws a 401 WebhookRefusal unless the delivery is signed with `secret` and dated within `toleranceSeconds` of `nowMs`. */
export function verifyWebhookSignature(delivery: SignedDelivery, secret: string, toleranceSeconds: number, nowMs: number): void {
  const { rawBody, timestamp, signature } = delivery;
  if (!timestamp || !signature) throw new WebhookRefusal(401, 'UNAUTHENTICATED', 'missing webhook signature or timestamp');
  if (!/^\d{1,12}$/.test(timestamp)) throw new WebhookRefusal(401, 'UNAUTHENTICATED', 'malformed webhook timestamp');
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > toleranceSeconds)
    throw new WebhookRefusal(401, 'UNAUTHENTICATED', 'webhook timestamp outside the tolerance');
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
  const given = /^[0-9a-f]{64}$/i.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new WebhookRefusal(401, 'UNAUTHENTICATED', 'wrong webhook signature');
}

/** A Stripe-style header `t=<unix seconds>,v1=<hex>` split into its timestamp and signature (undefined parts when absent). */
export function parseStripeSignature(value: string | undefined): { timestamp?: string; signature?: string } {
  if (!value) return {};
  const parts = new Map<string, string>();
  for (const part of value.split(',')) {
    const at = part.indexOf('=');
    if (at > 0 && !parts.has(part.slice(0, at).trim())) parts.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  return { timestamp: parts.get('t'), signature: parts.get('v1') };
}
