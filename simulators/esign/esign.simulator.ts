/**
 * A simulated e-signature provider (in the style of DocuSign or Dropbox Sign) as a real HTTP server
 * with its own API. The sender authenticates with `Authorization: Bearer <api key>`; signers act
 * through their own links, which need no key (the link's token is the credential).
 *
 *   POST /v1/envelopes                 {"clientReference", "document": {"name", "contentBase64"},
 *                                       "signers": [{"role", "name", "email"}], "callbackUrl", "expiresInDays"}
 *                                      → 201 envelope (200 with the same envelope when the clientReference
 *                                        was seen before: it is the idempotency key)
 *   GET  /v1/envelopes/:id             → envelope: {"envelopeId", "clientReference", "status": SENT|COMPLETED|
 *                                        DECLINED|EXPIRED|VOIDED, "createdAt", "expiresAt", "completedAt",
 *                                        "signers": [{"role", "name", "email", "status": PENDING|SIGNED|DECLINED,
 *                                        "signedAt", "ip", "signingUrl"}]}
 *   GET  /v1/envelopes/:id/document    → application/pdf: the document with an audit page appended (409 until COMPLETED)
 *   POST /v1/envelopes/:id/void        → the envelope, VOIDED (409 unless SENT)
 *   GET  /sign/:token                  the signer's page (tiny HTML with two buttons)
 *   POST /sign/:token/sign             the signer signs (their IP and the time are recorded)
 *   POST /sign/:token/decline          the signer declines: the envelope is DECLINED
 *   GET  /health
 * Errors are {"error": code, "message"} with 400, 401, 404, 409, 413, 429 or 500.
 *
 * Webhooks (webhook-sender.ts): signer.signed, signer.declined, envelope.completed,
 * envelope.declined, envelope.expired, POSTed to the envelope's callbackUrl, signed with the webhook
 * secret, retried with backoff until the receiver answers 2xx.
 *
 * Control API (tests, or over HTTP under /_control/ for a simulator started elsewhere):
 *   POST   /_control/envelopes/:id/sign      {"role", "ip"?}    as if the signer signed
 *   POST   /_control/envelopes/:id/decline   {"role", "ip"?}
 *   POST   /_control/envelopes/:id/expire    expiry now, whatever the date
 *   POST   /_control/clock                   {"advanceMs"}   move the provider's clock (expiry by date)
 *   GET    /_control/counts | DELETE         API calls received by kind
 *   PUT    /_control/latency                 {"fixedMs", "jitterMs"?}
 *   PUT    /_control/fault                   {"fault": "hang"|"5xx"|"429", "times"?, "kinds"?: ["create","get","document","void"]}
 *   DELETE /_control/fault
 *   GET    /_control/webhooks                the delivery log (event id, type, attempt, receiver's status)
 *   POST   /_control/webhooks/retry          retry waiting deliveries now
 *   POST   /_control/reset                   latency, fault, counts and clock back to their start values
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { EnvelopeError, EnvelopeStore, type StoredEnvelope } from './envelope-store';
import {
  type DeliveryAttempt,
  type EsignWebhookSender,
  esignWebhookSender,
  type WebhookEvent,
  type WebhookRetrySettings,
} from './webhook-sender';

export const ESIGN_CALL_KINDS = ['create', 'get', 'document', 'void'] as const;
export type EsignCallKind = (typeof ESIGN_CALL_KINDS)[number];
export const ESIGN_FAULTS = ['hang', '5xx', '429'] as const;
export type EsignFault = (typeof ESIGN_FAULTS)[number];

export interface EsignSimulatorOptions {
  host?: string;
  port?: number;
  apiKey: string;
  webhookSecret: string;
  latency?: { fixedMs: number; jitterMs?: number };
  webhookRetry?: Partial<WebhookRetrySettings>;
  /** How often the clock's expiry sweep runs (default 60000). */
  expirySweepMs?: number;
}

export interface RunningEsignSimulator {
  url: string;
  apiKey: string;
  webhookSecret: string;
  control: EsignControl;
  stop(): Promise<void>;
}

/** Largest request: a base64 PDF of up to about 15 MB. */
const MAX_BODY_BYTES = 20 * 1024 * 1024;
const DEFAULT_RETRY: WebhookRetrySettings = { initialDelayMs: 1_000, maxDelayMs: 60_000, maxAttempts: 12, timeoutMs: 10_000 };

type Counts = Record<EsignCallKind, number>;
const zeroCounts = (): Counts => ({ create: 0, get: 0, document: 0, void: 0 });

/** The provider's state and the control API over it (the HTTP form under /_control/ acts on the same). */
export class EsignControl {
  readonly store: EnvelopeStore;
  readonly webhooks: EsignWebhookSender;
  counts: Counts = zeroCounts();
  latency: { fixedMs: number; jitterMs: number };
  private fault: { fault: EsignFault; remaining: number | null; kinds: readonly EsignCallKind[] | null } | null = null;
  private clockOffsetMs = 0;
  private readonly signedDocuments = new Map<string, Promise<Uint8Array>>();

  constructor(
    webhookSecret: string,
    retry: WebhookRetrySettings,
    private readonly defaultLatency: { fixedMs: number; jitterMs: number },
  ) {
    const now = () => Date.now() + this.clockOffsetMs;
    this.store = new EnvelopeStore(now);
    // Deliveries are signed with the real time: the moved clock simulates days passing for expiry,
    // and a receiver checks the timestamp against its own clock.
    this.webhooks = esignWebhookSender(webhookSecret, retry);
    this.latency = { ...defaultLatency };
  }

  /** As if the signer with this role signed through their link. */
  sign(envelopeId: string, role: string, ip: string | null = '198.51.100.23'): void {
    this.emit(this.store.sign(envelopeId, role, ip));
  }

  decline(envelopeId: string, role: string, ip: string | null = '198.51.100.23'): void {
    this.emit(this.store.decline(envelopeId, role, ip));
  }

  expire(envelopeId: string): void {
    this.emit(this.store.expire(envelopeId));
  }

  /** Moves the provider's clock on and expires what is then past its date. */
  advanceClock(ms: number): void {
    this.clockOffsetMs += ms;
    this.sweep();
  }

  sweep(): void {
    this.emit(this.store.expireDue());
  }

  envelope(envelopeId: string): StoredEnvelope | undefined {
    return this.store.find(envelopeId);
  }

  envelopeByReference(reference: string): StoredEnvelope | undefined {
    return this.store.all().find((e) => e.clientReference === reference);
  }

  setLatency(latency: { fixedMs: number; jitterMs?: number }): void {
    if (!(latency.fixedMs >= 0) || !((latency.jitterMs ?? 0) >= 0)) throw new RangeError('latency must be non-negative milliseconds');
    this.latency = { fixedMs: latency.fixedMs, jitterMs: latency.jitterMs ?? 0 };
  }

  /** A fault on API calls (the signing pages and the control API never fail); null heals. */
  setFault(fault: EsignFault | null, options: { times?: number; kinds?: EsignCallKind[] } = {}): void {
    if (fault === null) {
      this.fault = null;
      return;
    }
    if (!ESIGN_FAULTS.includes(fault)) throw new RangeError(`unknown fault ${String(fault)}: expected one of ${ESIGN_FAULTS.join(', ')}`);
    this.fault = { fault, remaining: options.times ?? null, kinds: options.kinds ?? null };
  }

  takeFault(kind: EsignCallKind): EsignFault | null {
    const active = this.fault;
    if (!active || (active.kinds && !active.kinds.includes(kind))) return null;
    if (active.remaining !== null && --active.remaining <= 0) this.fault = null;
    return active.fault;
  }

  /** Every webhook attempt so far. */
  deliveries(): DeliveryAttempt[] {
    return [...this.webhooks.log];
  }

  /** Resolves when every webhook is delivered or given up. */
  webhooksIdle(): Promise<void> {
    return this.webhooks.idle();
  }

  /** Latency, fault, counts and the clock back to their start values; envelopes stay. */
  reset(): void {
    this.clockOffsetMs = 0;
    this.latency = { ...this.defaultLatency };
    this.fault = null;
    this.counts = zeroCounts();
  }

  /** The signed PDF: the original with an audit page, made once per envelope. */
  signedDocument(envelope: StoredEnvelope): Promise<Uint8Array> {
    let made = this.signedDocuments.get(envelope.id);
    if (!made) {
      made = withAuditPage(envelope);
      this.signedDocuments.set(envelope.id, made);
    }
    return made;
  }

  private emit(events: WebhookEvent[]): void {
    for (const event of events) {
      const envelope = this.store.find(event.envelopeId);
      if (envelope) this.webhooks.send(envelope.callbackUrl, event);
    }
  }
}

async function withAuditPage(envelope: StoredEnvelope): Promise<Uint8Array> {
  const pdf = await PDFDocument.load(envelope.document, { updateMetadata: false });
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const page = pdf.addPage([612, 792]);
  const lines = [
    'Certificate of completion',
    `Envelope ${envelope.id}`,
    `Reference ${envelope.clientReference}`,
    `Completed ${envelope.completedAt ?? ''}`,
    ...envelope.signers.map((s) => `${s.role}: signed ${s.signedAt ?? '-'} from ${s.ip ?? '-'}`),
  ];
  lines.forEach((line, i) => {
    page.drawText(line, { x: 50, y: 740 - i * 18, size: i === 0 ? 14 : 10, font });
  });
  const completed = envelope.completedAt ? new Date(envelope.completedAt) : new Date(0);
  pdf.setModificationDate(completed);
  return pdf.save({ useObjectStreams: false });
}

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpProblem(413, 'payload_too_large', `the body exceeds ${MAX_BODY_BYTES} bytes`));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(
  res: ServerResponse,
  status: number,
  body: string | Uint8Array,
  contentType: string,
  headers: Record<string, string> = {},
): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, { 'content-type': contentType, 'content-length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  send(res, status, JSON.stringify(body), 'application/json; charset=utf-8', headers);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function parseObject(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    throw new HttpProblem(400, 'invalid_json', 'the body is not JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new HttpProblem(400, 'invalid_request', 'the body must be a JSON object');
  return parsed as Record<string, unknown>;
}

const nonEmpty = (value: unknown, field: string, max = 500): string => {
  if (typeof value !== 'string' || value.trim() === '' || value.length > max)
    throw new HttpProblem(400, 'invalid_request', `${field} must be a non-empty string of at most ${max} characters`);
  return value;
};

/** The create request, validated field by field as a real provider would. */
function newEnvelope(body: Record<string, unknown>) {
  const clientReference = nonEmpty(body.clientReference, 'clientReference', 200);
  const document = (body.document ?? {}) as Record<string, unknown>;
  const documentName = nonEmpty(document.name, 'document.name', 200);
  const base64 = nonEmpty(document.contentBase64, 'document.contentBase64', MAX_BODY_BYTES);
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-')
    throw new HttpProblem(400, 'invalid_document', 'document.contentBase64 is not a PDF');
  const callbackUrl = nonEmpty(body.callbackUrl, 'callbackUrl', 2000);
  try {
    const parsed = new URL(callbackUrl);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error();
  } catch {
    throw new HttpProblem(400, 'invalid_request', 'callbackUrl must be an http(s) URL');
  }
  const expiresInDays = body.expiresInDays ?? 30;
  if (!Number.isInteger(expiresInDays) || (expiresInDays as number) < 1 || (expiresInDays as number) > 120)
    throw new HttpProblem(400, 'invalid_request', 'expiresInDays must be a whole number from 1 to 120');
  if (!Array.isArray(body.signers) || body.signers.length === 0 || body.signers.length > 10)
    throw new HttpProblem(400, 'invalid_request', 'signers must list 1 to 10 signers');
  const signers = body.signers.map((raw: unknown, i: number) => {
    const s = (raw ?? {}) as Record<string, unknown>;
    const email = nonEmpty(s.email, `signers[${i}].email`, 254);
    if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new HttpProblem(400, 'invalid_request', `signers[${i}].email is not an email address`);
    return { role: nonEmpty(s.role, `signers[${i}].role`, 40), name: nonEmpty(s.name, `signers[${i}].name`, 200), email };
  });
  if (new Set(signers.map((s) => s.role)).size !== signers.length)
    throw new HttpProblem(400, 'invalid_request', 'each signer needs its own role');
  return { clientReference, documentName, document: new Uint8Array(bytes), callbackUrl, expiresInDays: expiresInDays as number, signers };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function clientIp(req: IncomingMessage): string | null {
  const forwarded = req.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  const ip = first || req.socket.remoteAddress || null;
  return ip?.startsWith('::ffff:') ? ip.slice(7) : ip;
}

export async function startEsignSimulator(options: EsignSimulatorOptions): Promise<RunningEsignSimulator> {
  const host = options.host ?? '127.0.0.1';
  const control = new EsignControl(
    options.webhookSecret,
    { ...DEFAULT_RETRY, ...options.webhookRetry },
    { fixedMs: options.latency?.fixedMs ?? 0, jitterMs: options.latency?.jitterMs ?? 0 },
  );
  const expectedKey = Buffer.from(`Bearer ${options.apiKey}`);
  let baseUrl = '';
  const signingUrl = (token: string) => `${baseUrl}/sign/${token}`;
  const view = (e: StoredEnvelope) => ({
    envelopeId: e.id,
    clientReference: e.clientReference,
    status: e.status,
    createdAt: e.createdAt,
    expiresAt: e.expiresAt,
    completedAt: e.completedAt,
    documentName: e.documentName,
    signers: e.signers.map((s) => ({
      role: s.role,
      name: s.name,
      email: s.email,
      status: s.status,
      signedAt: s.signedAt,
      declinedAt: s.declinedAt,
      ip: s.ip,
      signingUrl: signingUrl(s.token),
    })),
  });
  const found = (id: string) => {
    const envelope = control.store.find(id);
    if (!envelope) throw new HttpProblem(404, 'envelope_not_found', `no envelope ${id}`);
    return envelope;
  };

  const api = async (req: IncomingMessage, res: ServerResponse, path: string, body: string): Promise<void> => {
    const route = `${req.method} ${path}`;
    const kind: EsignCallKind | null =
      route === 'POST /v1/envelopes'
        ? 'create'
        : /^GET \/v1\/envelopes\/[^/]+$/.test(route)
          ? 'get'
          : /^GET \/v1\/envelopes\/[^/]+\/document$/.test(route)
            ? 'document'
            : /^POST \/v1\/envelopes\/[^/]+\/void$/.test(route)
              ? 'void'
              : null;
    if (!kind) throw new HttpProblem(404, 'not_found', `${route} is not an endpoint`);
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== expectedKey.length || !timingSafeEqual(given, expectedKey))
      return sendJson(res, 401, { error: 'unauthorized', message: 'a valid API key is required' }, { 'www-authenticate': 'Bearer' });
    control.counts[kind]++;
    const delay = control.latency.fixedMs + (control.latency.jitterMs > 0 ? Math.random() * control.latency.jitterMs : 0);
    if (delay > 0) await sleep(delay);
    const fault = control.takeFault(kind);
    if (fault === 'hang') return;
    if (fault === '5xx') return sendJson(res, 503, { error: 'unavailable', message: 'simulated provider failure' });
    if (fault === '429') return sendJson(res, 429, { error: 'rate_limited', message: 'too many requests' }, { 'retry-after': '1' });
    control.sweep();
    const id = decodeURIComponent(path.split('/')[3] ?? '');
    switch (kind) {
      case 'create': {
        const { envelope, created } = control.store.create(newEnvelope(parseObject(body)));
        return sendJson(res, created ? 201 : 200, view(envelope));
      }
      case 'get':
        return sendJson(res, 200, view(found(id)));
      case 'document': {
        const envelope = found(id);
        if (envelope.status !== 'COMPLETED') throw new HttpProblem(409, 'envelope_not_completed', `the envelope is ${envelope.status}`);
        return send(res, 200, await control.signedDocument(envelope), 'application/pdf');
      }
      case 'void':
        return sendJson(res, 200, view(control.store.void(id)));
    }
  };

  const signingPage = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const [, , token, action] = path.split('/');
    const link = control.store.byLink(token ?? '');
    if (!link) throw new HttpProblem(404, 'link_not_found', 'this signing link is not valid');
    control.sweep();
    const { envelope, signer } = link;
    if (req.method === 'GET' && action === undefined) {
      const actions =
        envelope.status === 'SENT' && signer.status === 'PENDING'
          ? `<form method="post" action="/sign/${token}/sign"><button>Sign</button></form>
<form method="post" action="/sign/${token}/decline"><button>Decline</button></form>`
          : `<p>This envelope is ${envelope.status.toLowerCase()}; your signature is ${signer.status.toLowerCase()}.</p>`;
      const html = `<!doctype html><html><head><meta charset="utf-8"><title>Sign ${escapeHtml(envelope.documentName)}</title></head>
<body><h1>${escapeHtml(envelope.documentName)}</h1><p>Signing as ${escapeHtml(signer.role)}: ${escapeHtml(signer.name)}</p>
<p><a href="/sign/${token}/document">Review the document</a></p>${actions}</body></html>`;
      return send(res, 200, html, 'text/html; charset=utf-8');
    }
    if (req.method === 'GET' && action === 'document') return send(res, 200, envelope.document, 'application/pdf');
    if (req.method === 'POST' && (action === 'sign' || action === 'decline')) {
      if (action === 'sign') control.sign(envelope.id, signer.role, clientIp(req));
      else control.decline(envelope.id, signer.role, clientIp(req));
      return sendJson(res, 200, { envelopeId: envelope.id, role: signer.role, status: signer.status, envelopeStatus: envelope.status });
    }
    throw new HttpProblem(404, 'not_found', `${req.method} ${path} is not an endpoint`);
  };

  const controlApi = (req: IncomingMessage, res: ServerResponse, path: string, body: string) => {
    const route = `${req.method} ${path.replace(/\/+$/, '')}`;
    const input = req.method === 'GET' || req.method === 'DELETE' ? {} : parseObject(body);
    const act = /^POST \/_control\/envelopes\/([^/]+)\/(sign|decline|expire)$/.exec(route);
    if (act) {
      const id = decodeURIComponent(act[1]);
      found(id);
      const ip = typeof input.ip === 'string' ? input.ip : undefined;
      if (act[2] === 'expire') control.expire(id);
      else if (act[2] === 'sign') control.sign(id, nonEmpty(input.role, 'role'), ip);
      else control.decline(id, nonEmpty(input.role, 'role'), ip);
      return sendJson(res, 200, view(found(id)));
    }
    switch (route) {
      case 'POST /_control/clock':
        control.advanceClock(Number(input.advanceMs ?? 0));
        return sendJson(res, 200, { ok: true });
      case 'GET /_control/counts':
        return sendJson(res, 200, control.counts);
      case 'DELETE /_control/counts':
        control.counts = zeroCounts();
        return sendJson(res, 200, { ok: true });
      case 'PUT /_control/latency':
        control.setLatency({ fixedMs: Number(input.fixedMs ?? 0), jitterMs: Number(input.jitterMs ?? 0) });
        return sendJson(res, 200, control.latency);
      case 'PUT /_control/fault':
        control.setFault((input.fault ?? null) as EsignFault | null, input as { times?: number; kinds?: EsignCallKind[] });
        return sendJson(res, 200, { ok: true });
      case 'DELETE /_control/fault':
        control.setFault(null);
        return sendJson(res, 200, { ok: true });
      case 'GET /_control/webhooks':
        return sendJson(res, 200, control.deliveries());
      case 'POST /_control/webhooks/retry':
        control.webhooks.retryNow();
        return sendJson(res, 200, { ok: true });
      case 'POST /_control/reset':
        control.reset();
        return sendJson(res, 200, { ok: true });
      default:
        throw new HttpProblem(404, 'not_found', `${route} is not a control endpoint`);
    }
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://esign').pathname;
      const body = req.method === 'GET' ? '' : await readBody(req);
      if (path === '/health') return sendJson(res, 200, { status: 'ok', service: 'esign' });
      if (path.startsWith('/_control/')) return controlApi(req, res, path, body);
      if (path.startsWith('/sign/')) return await signingPage(req, res, path);
      return await api(req, res, path, body);
    })().catch((error: unknown) => {
      if (error instanceof HttpProblem || error instanceof EnvelopeError)
        return sendJson(res, error.status, { error: error.code, message: error.message });
      if (error instanceof RangeError) return sendJson(res, 400, { error: 'invalid_request', message: error.message });
      // A bug in the simulator must show as a 500 the adapter can see, never as a hung socket.
      sendJson(res, 500, { error: 'simulator_bug', message: (error as Error).message });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  const sweep = setInterval(() => control.sweep(), options.expirySweepMs ?? 60_000);
  sweep.unref();
  return {
    url: baseUrl,
    apiKey: options.apiKey,
    webhookSecret: options.webhookSecret,
    control,
    async stop() {
      clearInterval(sweep);
      control.webhooks.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
