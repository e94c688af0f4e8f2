/**
 * An S3-compatible object store as a real node:http server, in memory: what the cases subgraph's S3
 * document store is tested against with the real AWS SDK, since S3 itself cannot run here. Path-style
 * only (`/<bucket>/<key>`), the four calls the store makes: PutObject, GetObject, HeadObject and
 * DeleteObject. Every call must be signed with AWS Signature Version 4 by a known access key, and the
 * signature is verified (canonical request, string to sign, signing key) with the simulator's own code,
 * as is the payload's sha256 when the client signs it. Errors are S3's XML (`<Error><Code>`), so the
 * SDK maps them to its own exceptions (NoSuchKey, ...).
 *
 * Control, in process (`control`) or over HTTP (never counted, delayed or faulted):
 *   GET    /_control/counts          calls received by operation
 *   PUT    /_control/latency         {"fixedMs": 150}
 *   PUT    /_control/fault           {"fault": "5xx"|"hang", "times"?: n}
 *   POST   /_control/reset           latency, fault, counts back to zero (objects are kept)
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface S3SimulatorOptions {
  host?: string;
  port?: number;
  /** The buckets that exist (default ['bga-documents']). */
  buckets?: readonly string[];
  /** The one key pair accepted (defaults: development values). */
  accessKeyId?: string;
  secretAccessKey?: string;
  region?: string;
  /** Largest object accepted (default 64 MiB). */
  maxObjectBytes?: number;
}

export type S3Operation = 'PutObject' | 'GetObject' | 'HeadObject' | 'DeleteObject';

export interface StoredObject {
  body: Buffer;
  contentType: string;
  etag: string;
  lastModified: Date;
}

export interface S3Control {
  counts(): Record<S3Operation | 'refused', number>;
  setLatency(fixedMs: number): void;
  /** '5xx' answers InternalError; 'hang' never answers. `times` limits it to the next n calls. */
  setFault(fault: '5xx' | 'hang' | null, times?: number): void;
  /** The stored objects of a bucket, by key (tests read what was written). */
  objects(bucket: string): ReadonlyMap<string, StoredObject>;
  reset(): void;
}

export interface RunningS3Simulator {
  url: string;
  port: number;
  bucket: string;
  /** The configuration the cases subgraph reads to use this simulator (DOCUMENT_STORE=s3, S3_*). */
  env: Record<string, string>;
  control: S3Control;
  stop(): Promise<void>;
}

export const DEV_S3_ACCESS_KEY_ID = 'AKIABGASIMULATOR0001';
export const DEV_S3_SECRET_ACCESS_KEY = 'bga-graph-s3-simulator-secret-key-not-for-aws';

const hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding, as SigV4 wants it in the canonical query string. */
const uriEncode = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function xmlError(res: ServerResponse, status: number, code: string, message: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

function parseAuthorization(header: string | undefined): ParsedAuthorization {
  if (!header) throw new Refusal(403, 'AccessDenied', 'the request is not signed');
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      header.trim(),
    );
  if (!match) throw new Refusal(400, 'AuthorizationHeaderMalformed', 'the Authorization header is not AWS Signature Version 4');
  const [, accessKeyId, date, region, service, signedHeaders, signature] = match;
  return { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(';'), signature };
}

/** Verifies the request's SigV4 signature with the simulator's own arithmetic; throws a Refusal otherwise. */
function verifySignature(req: IncomingMessage, auth: ParsedAuthorization, secretAccessKey: string, region: string, rawUrl: string): void {
  if (auth.region !== region || auth.service !== 's3')
    throw new Refusal(400, 'AuthorizationHeaderMalformed', 'wrong region or service in the credential scope');
  const amzDate = req.headers['x-amz-date'];
  if (typeof amzDate !== 'string' || amzDate.slice(0, 8) !== auth.date)
    throw new Refusal(403, 'AccessDenied', 'x-amz-date is missing or outside the credential scope');
  const at = Date.parse(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  if (!(Math.abs(Date.now() - at) <= 15 * 60_000))
    throw new Refusal(403, 'RequestTimeTooSkewed', 'the request time is too far from the server time');
  if (!auth.signedHeaders.includes('host')) throw new Refusal(403, 'AccessDenied', 'the host header must be signed');
  const question = rawUrl.indexOf('?');
  const path = question < 0 ? rawUrl : rawUrl.slice(0, question);
  const query = question < 0 ? '' : rawUrl.slice(question + 1);
  const canonicalQuery = query
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = decodeURIComponent(equals < 0 ? pair : pair.slice(0, equals));
      const value = equals < 0 ? '' : decodeURIComponent(pair.slice(equals + 1));
      return [uriEncode(name), uriEncode(value)] as const;
    })
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const canonicalHeaders = auth.signedHeaders
    .map((name) => {
      const value = req.headers[name];
      const text = Array.isArray(value) ? value.join(',') : (value ?? '');
      return `${name}:${text.trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
  const payloadHash = (req.headers['x-amz-content-sha256'] as string | undefined) ?? 'UNSIGNED-PAYLOAD';
  const canonicalRequest = [req.method, path, canonicalQuery, canonicalHeaders, auth.signedHeaders.join(';'), payloadHash].join('\n');
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, hex(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, auth.date), auth.region), auth.service), 'aws4_request');
  const expected = Buffer.from(createHmac('sha256', signingKey).update(stringToSign).digest('hex'));
  const given = Buffer.from(auth.signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    throw new Refusal(403, 'SignatureDoesNotMatch', 'the request signature we calculated does not match the signature you provided');
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Refusal(400, 'EntityTooLarge', 'the object exceeds the maximum allowed size'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startS3Simulator(options: S3SimulatorOptions = {}): Promise<RunningS3Simulator> {
  const host = options.host ?? '127.0.0.1';
  const buckets = new Map<string, Map<string, StoredObject>>((options.buckets ?? ['bga-documents']).map((name) => [name, new Map()]));
  const accessKeyId = options.accessKeyId ?? DEV_S3_ACCESS_KEY_ID;
  const secretAccessKey = options.secretAccessKey ?? DEV_S3_SECRET_ACCESS_KEY;
  const region = options.region ?? 'us-east-1';
  const maxObjectBytes = options.maxObjectBytes ?? 64 * 1024 * 1024;
  const zero = () => ({ PutObject: 0, GetObject: 0, HeadObject: 0, DeleteObject: 0, refused: 0 });
  let counts = zero();
  let latencyMs = 0;
  let fault: { kind: '5xx' | 'hang'; remaining: number } | null = null;
  const hanging = new Set<ServerResponse>();

  const control: S3Control = {
    counts: () => ({ ...counts }),
    setLatency(fixedMs) {
      if (!(fixedMs >= 0)) throw new RangeError('latency must be non-negative milliseconds');
      latencyMs = fixedMs;
    },
    setFault(kind, times) {
      fault = kind ? { kind, remaining: times ?? Number.POSITIVE_INFINITY } : null;
    },
    objects(bucket) {
      const objects = buckets.get(bucket);
      if (!objects) throw new RangeError(`no bucket ${bucket}`);
      return objects;
    },
    reset() {
      counts = zero();
      latencyMs = 0;
      fault = null;
    },
  };

  async function handleControl(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
      res.end(text);
    };
    const body = req.method === 'PUT' ? JSON.parse((await readBody(req, 64 * 1024)).toString('utf8') || '{}') : {};
    if (path === '/_control/counts' && req.method === 'GET') return send(200, control.counts());
    if (path === '/_control/latency' && req.method === 'PUT') return send(200, control.setLatency(Number(body.fixedMs)) ?? { ok: true });
    if (path === '/_control/fault' && req.method === 'PUT')
      return send(200, control.setFault(body.fault ?? null, body.times) ?? { ok: true });
    if (path === '/_control/reset' && req.method === 'POST') return send(200, control.reset() ?? { ok: true });
    send(404, { error: 'unknown control request' });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const path = rawUrl.split('?')[0];
    if (path === '/health') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    if (path.startsWith('/_control/')) return handleControl(req, res, path);
    const operation: S3Operation | undefined = (
      { PUT: 'PutObject', GET: 'GetObject', HEAD: 'HeadObject', DELETE: 'DeleteObject' } as const
    )[req.method as 'PUT'];
    const slash = path.indexOf('/', 1);
    if (!operation || slash < 0 || slash === path.length - 1) {
      counts.refused++;
      return xmlError(res, 405, 'MethodNotAllowed', 'only path-style PutObject, GetObject, HeadObject and DeleteObject');
    }
    try {
      const auth = parseAuthorization(req.headers.authorization);
      if (auth.accessKeyId !== accessKeyId) throw new Refusal(403, 'InvalidAccessKeyId', 'the access key id does not exist in our records');
      verifySignature(req, auth, secretAccessKey, region, rawUrl);
    } catch (error) {
      counts.refused++;
      if (error instanceof Refusal) return xmlError(res, error.status, error.code, error.message);
      throw error;
    }
    counts[operation]++;
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    if (fault && fault.remaining > 0) {
      fault.remaining--;
      if (fault.kind === 'hang') {
        hanging.add(res);
        return;
      }
      return xmlError(res, 500, 'InternalError', 'simulated failure');
    }
    const objects = buckets.get(decodeURIComponent(path.slice(1, slash)));
    if (!objects) return xmlError(res, 404, 'NoSuchBucket', 'the specified bucket does not exist');
    const key = decodeURIComponent(path.slice(slash + 1));
    if (operation === 'PutObject') {
      const body = await readBody(req, maxObjectBytes);
      const declared = req.headers['x-amz-content-sha256'];
      if (typeof declared === 'string' && /^[0-9a-f]{64}$/.test(declared) && hex(body) !== declared)
        return xmlError(res, 400, 'XAmzContentSHA256Mismatch', 'the provided x-amz-content-sha256 does not match what was computed');
      const etag = `"${createHash('md5').update(body).digest('hex')}"`;
      objects.set(key, {
        body,
        contentType: (req.headers['content-type'] as string | undefined) ?? 'binary/octet-stream',
        etag,
        lastModified: new Date(),
      });
      res.writeHead(200, { etag, 'content-length': '0' });
      return void res.end();
    }
    if (operation === 'DeleteObject') {
      // S3 answers 204 whether or not the key existed.
      objects.delete(key);
      res.writeHead(204);
      return void res.end();
    }
    const object = objects.get(key);
    if (!object) {
      if (operation === 'HeadObject') return void res.writeHead(404).end();
      return xmlError(res, 404, 'NoSuchKey', 'the specified key does not exist');
    }
    res.writeHead(200, {
      'content-type': object.contentType,
      'content-length': String(object.body.length),
      etag: object.etag,
      'last-modified': object.lastModified.toUTCString(),
    });
    res.end(operation === 'GetObject' ? object.body : undefined);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) xmlError(res, 500, 'InternalError', 'simulator error');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;
  const bucket = [...buckets.keys()][0];
  return {
    url,
    port,
    bucket,
    env: {
      DOCUMENT_STORE: 's3',
      S3_BUCKET: bucket,
      S3_ENDPOINT: url,
      S3_REGION: region,
      S3_ACCESS_KEY_ID: accessKeyId,
      S3_SECRET_ACCESS_KEY: secretAccessKey,
      S3_FORCE_PATH_STYLE: 'true',
    },
    control,
    async stop() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
