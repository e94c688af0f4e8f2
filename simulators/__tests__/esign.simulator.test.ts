/**
 * The e-signature provider simulator on the raw wire: API-key auth, idempotent envelope creation,
 * signing links acting as the signer, decline, expiry by control call and by clock, the signed
 * document, faults, and signed webhooks delivered to a real local receiver that checks the HMAC,
 * retried while the receiver fails, in order per envelope.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PDFDocument } from 'pdf-lib';
import { startEsignSimulator, type RunningEsignSimulator } from '../esign/esign.simulator';
import type { WebhookEvent } from '../esign/webhook-sender';

const API_KEY = 'test-esign-key';
const SECRET = 'test-esign-webhook-secret';

interface Received {
  event: WebhookEvent;
  timestamp: string;
  validSignature: boolean;
}

/** A webhook receiver as a subgraph would be: checks the signature, can be told to fail the next N deliveries. */
class Receiver {
  received: Received[] = [];
  failNext = 0;
  attempts = 0;
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.attempts++;
      if (this.failNext > 0) {
        this.failNext--;
        res.writeHead(503).end();
        return;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      const timestamp = String(req.headers['x-esign-timestamp']);
      const expected = createHmac('sha256', SECRET).update(`${timestamp}.${raw}`).digest('hex');
      this.received.push({
        event: JSON.parse(raw) as WebhookEvent,
        timestamp,
        validSignature: expected === req.headers['x-esign-signature'],
      });
      res.writeHead(200).end('{}');
    });
  });
  url = '';
  async start() {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhooks/esign`;
  }
  stop() {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let esign: RunningEsignSimulator;
let receiver: Receiver;
let pdf: Uint8Array;
let counter = 0;

beforeAll(async () => {
  esign = await startEsignSimulator({
    apiKey: API_KEY,
    webhookSecret: SECRET,
    webhookRetry: { initialDelayMs: 20, maxDelayMs: 100, maxAttempts: 6, timeoutMs: 2_000 },
  });
  receiver = new Receiver();
  await receiver.start();
  const doc = await PDFDocument.create();
  doc.addPage([612, 792]);
  doc.addPage([612, 792]);
  pdf = await doc.save();
});
afterAll(async () => {
  await esign.stop();
  await receiver.stop();
});
beforeEach(() => {
  esign.control.reset();
  receiver.received = [];
  receiver.failNext = 0;
  receiver.attempts = 0;
});

const api = (method: string, path: string, body?: unknown, key = API_KEY) =>
  fetch(`${esign.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const envelopeBody = (reference = `app_test_${++counter}`, overrides: Record<string, unknown> = {}) => ({
  clientReference: reference,
  document: { name: 'application.pdf', contentBase64: Buffer.from(pdf).toString('base64') },
  signers: [
    { role: 'insured', name: 'Pat Insured', email: 'pat@example.test' },
    { role: 'agent', name: 'Alex Agent', email: 'alex@example.test' },
  ],
  callbackUrl: receiver.url,
  expiresInDays: 30,
  ...overrides,
});

interface EnvelopeView {
  envelopeId: string;
  status: string;
  clientReference: string;
  expiresAt: string;
  signers: { role: string; status: string; signedAt: string | null; ip: string | null; signingUrl: string }[];
}
async function create(reference?: string): Promise<EnvelopeView> {
  const response = await api('POST', '/v1/envelopes', envelopeBody(reference));
  expect(response.status).toBe(201);
  return (await response.json()) as EnvelopeView;
}
const get = async (id: string) => (await (await api('GET', `/v1/envelopes/${id}`)).json()) as EnvelopeView;

describe('the API', () => {
  test('refuses calls without the API key, and does not count them', async () => {
    expect((await fetch(`${esign.url}/v1/envelopes/env_x`)).status).toBe(401);
    expect((await api('GET', '/v1/envelopes/env_x', undefined, 'wrong-key')).status).toBe(401);
    expect(esign.control.counts.get).toBe(0);
  });

  test('creates an envelope with one signing link per signer; the same client reference gives the same envelope', async () => {
    const reference = `app_idem_${++counter}`;
    const first = await create(reference);
    expect(first).toMatchObject({ status: 'SENT', clientReference: reference });
    expect(first.signers.map((s) => [s.role, s.status])).toEqual([
      ['insured', 'PENDING'],
      ['agent', 'PENDING'],
    ]);
    expect(new Set(first.signers.map((s) => s.signingUrl)).size).toBe(2);
    for (const signer of first.signers) expect(signer.signingUrl).toMatch(new RegExp(`^${esign.url}/sign/[A-Za-z0-9_-]{20,}$`));
    const again = await api('POST', '/v1/envelopes', envelopeBody(reference));
    expect(again.status).toBe(200);
    expect(((await again.json()) as EnvelopeView).envelopeId).toBe(first.envelopeId);
    expect(esign.control.counts.create).toBe(2);
    expect(esign.control.store.all().filter((e) => e.clientReference === reference)).toHaveLength(1);
  });

  test('refuses a document that is not a PDF, a bad callback URL and duplicate roles', async () => {
    const notPdf = await api('POST', '/v1/envelopes', envelopeBody(undefined, { document: { name: 'a.pdf', contentBase64: 'aGVsbG8=' } }));
    expect(notPdf.status).toBe(400);
    expect(((await notPdf.json()) as { error: string }).error).toBe('invalid_document');
    expect((await api('POST', '/v1/envelopes', envelopeBody(undefined, { callbackUrl: 'ftp://x' }))).status).toBe(400);
    const twice = [
      { role: 'agent', name: 'A', email: 'a@example.test' },
      { role: 'agent', name: 'B', email: 'b@example.test' },
    ];
    expect((await api('POST', '/v1/envelopes', envelopeBody(undefined, { signers: twice }))).status).toBe(400);
    expect((await api('GET', '/v1/envelopes/env_missing')).status).toBe(404);
  });

  test('a 5xx fault for the next call only, then healthy', async () => {
    esign.control.setFault('5xx', { times: 1, kinds: ['get'] });
    const envelope = await create();
    expect((await api('GET', `/v1/envelopes/${envelope.envelopeId}`)).status).toBe(503);
    expect((await api('GET', `/v1/envelopes/${envelope.envelopeId}`)).status).toBe(200);
  });
});

describe('signing', () => {
  test('the signing link shows a page; signing through it records time and IP; the last signature completes the envelope', async () => {
    const envelope = await create();
    const [insured, agent] = envelope.signers;
    const page = await fetch(insured.signingUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('/sign');
    const before = Date.now();
    const signed = await fetch(`${insured.signingUrl}/sign`, { method: 'POST' });
    expect(signed.status).toBe(200);
    let now = await get(envelope.envelopeId);
    expect(now.status).toBe('SENT');
    expect(now.signers[0]).toMatchObject({ role: 'insured', status: 'SIGNED', ip: '127.0.0.1' });
    expect(Date.parse(now.signers[0].signedAt!)).toBeGreaterThanOrEqual(before - 1000);
    // Signing twice is refused: the link has been used.
    expect((await fetch(`${insured.signingUrl}/sign`, { method: 'POST' })).status).toBe(409);
    // The document is not signed until everyone has signed.
    expect((await api('GET', `/v1/envelopes/${envelope.envelopeId}/document`)).status).toBe(409);
    await fetch(`${agent.signingUrl}/sign`, { method: 'POST' });
    now = await get(envelope.envelopeId);
    expect(now.status).toBe('COMPLETED');
    const document = await api('GET', `/v1/envelopes/${envelope.envelopeId}/document`);
    expect(document.status).toBe(200);
    expect(document.headers.get('content-type')).toBe('application/pdf');
    const signedPdf = await PDFDocument.load(new Uint8Array(await document.arrayBuffer()));
    expect(signedPdf.getPageCount()).toBe(3); // the two pages sent, and the certificate of completion
  });

  test('a signer who declines ends the envelope for everyone', async () => {
    const envelope = await create();
    expect((await fetch(`${envelope.signers[1].signingUrl}/decline`, { method: 'POST' })).status).toBe(200);
    const now = await get(envelope.envelopeId);
    expect(now.status).toBe('DECLINED');
    expect(now.signers.map((s) => s.status)).toEqual(['PENDING', 'DECLINED']);
    expect((await fetch(`${envelope.signers[0].signingUrl}/sign`, { method: 'POST' })).status).toBe(409);
    await esign.control.webhooksIdle();
    expect(receiver.received.filter((r) => r.event.envelopeId === envelope.envelopeId).map((r) => [r.event.type, r.event.role])).toEqual([
      ['signer.declined', 'agent'],
      ['envelope.declined', 'agent'],
    ]);
  });

  test('expiry: by the control API, and by the clock once expiresInDays have passed', async () => {
    const byControl = await create();
    const control = await fetch(`${esign.url}/_control/envelopes/${byControl.envelopeId}/expire`, { method: 'POST', body: '{}' });
    expect(control.status).toBe(200);
    expect((await get(byControl.envelopeId)).status).toBe('EXPIRED');
    const byClock = await create();
    esign.control.advanceClock(29 * 86_400_000);
    expect((await get(byClock.envelopeId)).status).toBe('SENT');
    esign.control.advanceClock(1 * 86_400_000 + 1_000);
    expect((await get(byClock.envelopeId)).status).toBe('EXPIRED');
    expect((await fetch(`${byClock.signers[0].signingUrl}/sign`, { method: 'POST' })).status).toBe(409);
    await esign.control.webhooksIdle();
    const types = receiver.received.filter((r) => [byControl.envelopeId, byClock.envelopeId].includes(r.event.envelopeId));
    expect(types.map((r) => r.event.type)).toEqual(['envelope.expired', 'envelope.expired']);
  });
});

describe('webhooks', () => {
  test('every signer event and the completion are POSTed, signed with the shared secret, each with its own event id', async () => {
    const envelope = await create();
    esign.control.sign(envelope.envelopeId, 'insured', '203.0.113.9');
    esign.control.sign(envelope.envelopeId, 'agent');
    await esign.control.webhooksIdle();
    const mine = receiver.received.filter((r) => r.event.envelopeId === envelope.envelopeId);
    expect(mine.map((r) => r.event.type)).toEqual(['signer.signed', 'signer.signed', 'envelope.completed']);
    expect(mine.every((r) => r.validSignature)).toBe(true);
    expect(new Set(mine.map((r) => r.event.eventId)).size).toBe(3);
    expect(mine[0].event).toMatchObject({ role: 'insured', ip: '203.0.113.9', clientReference: envelope.clientReference });
    expect(Math.abs(Number(mine[0].timestamp) - Date.now() / 1000)).toBeLessThan(5);
    // No names or emails in any event.
    expect(JSON.stringify(mine)).not.toMatch(/Pat|Alex|example\.test/);
  });

  test('a receiver that fails gets the same event again, with backoff, in order, until it answers 2xx', async () => {
    const envelope = await create();
    receiver.failNext = 3;
    esign.control.sign(envelope.envelopeId, 'insured');
    esign.control.sign(envelope.envelopeId, 'agent');
    await esign.control.webhooksIdle();
    const mine = receiver.received.filter((r) => r.event.envelopeId === envelope.envelopeId);
    // Nothing lost, nothing out of order: the completion waited for the signer events before it.
    expect(mine.map((r) => r.event.type)).toEqual(['signer.signed', 'signer.signed', 'envelope.completed']);
    expect(receiver.attempts).toBe(3 + 3);
    const log = esign.control.deliveries().filter((d) => d.envelopeId === envelope.envelopeId);
    const first = log.filter((d) => d.eventId === mine[0].event.eventId);
    expect(first.map((d) => [d.attempt, d.status])).toEqual([
      [1, 503],
      [2, 503],
      [3, 503],
      [4, 200],
    ]);
    // Backoff: attempts are spaced by at least 20, 40 and 80 ms.
    const gaps = first.slice(1).map((d, i) => Date.parse(d.at) - Date.parse(first[i].at));
    expect(gaps[0]).toBeGreaterThanOrEqual(15);
    expect(gaps[2]).toBeGreaterThanOrEqual(60);
  });

  test('an unreachable receiver is retried up to maxAttempts, then the event is given up and logged as such', async () => {
    const response = await api('POST', '/v1/envelopes', envelopeBody(undefined, { callbackUrl: 'http://127.0.0.1:9/nothing-listens' }));
    const envelope = (await response.json()) as EnvelopeView;
    esign.control.expire(envelope.envelopeId);
    await esign.control.webhooksIdle();
    const log = esign.control.deliveries().filter((d) => d.envelopeId === envelope.envelopeId);
    expect(log.map((d) => d.status)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(esign.control.webhooks.abandoned.map((e) => e.envelopeId)).toContain(envelope.envelopeId);
  });
});
