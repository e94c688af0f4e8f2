/**
 * What the simulators' own small HTTP servers (the requirement vendors, the producer database)
 * share: reading a body with a limit, writing an answer, reading a control request's JSON object.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** An answer, buffered: status, content type, body, any other headers. */
export interface SimAnswer {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

/** A body over the limit: answered 413 by the server that read it. */
export class BodyTooLarge extends Error {}

/** The whole body as text, refused once it passes `limit` bytes (the rest is not read). */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge(`the body exceeds ${limit} bytes`));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Writes the answer, unless the client has gone. */
export function sendAnswer(res: ServerResponse, answer: SimAnswer): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(answer.status, {
    'content-type': answer.contentType,
    'content-length': String(Buffer.byteLength(answer.body)),
    ...answer.headers,
  });
  res.end(answer.body);
}

/** A control request's body: a JSON object (empty text is {}), else a RangeError the control API answers 400. */
export function parseJsonObject(text: string): Record<string, unknown> {
  const parsed: unknown = text ? JSON.parse(text) : {};
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new RangeError('the body must be a JSON object');
  return parsed as Record<string, unknown>;
}
