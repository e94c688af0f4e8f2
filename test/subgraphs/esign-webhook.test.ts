/**
 * The e-signature webhook on the cases subgraph, against the test database: end to end from the
 * provider simulator through a started cases subgraph, then the route itself with statements
 * counted. Wrong, missing, old and future signatures are 401 and change nothing; a body over the
 * limit is 413; a redelivered event is applied once, even when both deliveries race; 50 envelopes'
 * events delivered concurrently (each twice) are each applied exactly once.
 */
import 'reflect-metadata';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { PDFDocument } from 'pdf-lib';
import { readCommonConfig } from '../../platform/config';
import { createLogger } from '../../platform/logger';
import { newStats } from '../../platform/stats';
import { startEsignSimulator, type RunningEsignSimulator } from '../../simulators/esign/esign.simulator';
import { webhookSignature } from '../../simulators/esign/webhook-sender';
import { casesSubgraph } from '../../subgraphs/cases/cases.subgraph';
import { ESIGN_WEBHOOK_PATH, esignWebhookRoute } from '../../subgraphs/cases/esign-webhook.route';
import { EsignAdapter } from '../../subgraphs/cases/ports/esign/esign.adapter';
import type { SignatureEvent } from '../../subgraphs/cases/ports/signature-provider.port';
import { findEnvelope, recordEnvelope } from '../../subgraphs/cases/signature-envelope.repository';
import { Db } from '../../subgraphs/shared/db';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/shared/subgraph-server';
import { testPool } from '../support/test-pool';

const SECRET = 'test-webhook-secret-for-the-cases-subgraph';
const RUN = Date.now().toString(36);
let counter = 0;
let pool: pg.Pool;
let subgraph: RunningSubgraph;
let esign: RunningEsignSimulator;
let webhookUrl: string;

beforeAll(async () => {
  pool = testPool(4);
  esign = await startEsignSimulator({
    apiKey: 'test-key',
    webhookSecret: SECRET,
    webhookRetry: { initialDelayMs: 20, maxDelayMs: 200, maxAttempts: 20, timeoutMs: 5_000 },
  });
  const env = { ...process.env, LOG_LEVEL: 'silent', ESIGN_URL: esign.url, ESIGN_API_KEY: 'test-key', ESIGN_WEBHOOK_SECRET: SECRET };
  subgraph = await startSubgraph(casesSubgraph, readCommonConfig(env), 0, '127.0.0.1', { env });
  webhookUrl = `http://127.0.0.1:${subgraph.port}${ESIGN_WEBHOOK_PATH}`;
});
afterAll(async () => {
  await esign.stop();
  await subgraph.stop();
  await pool.end();
});

const db = () => new Db(pool);
const countEvents = async (envelopeId: string) =>
  Number((await pool.query(`SELECT count(*) AS n FROM cases.signature_event WHERE envelope_id = $1`, [envelopeId])).rows[0].n);

async function newEnvelope(roles: ('INSURED' | 'AGENT')[] = ['INSURED', 'AGENT']) {
  const n = ++counter;
  const envelopeId = `env_t${RUN}_${n}`;
  const record = await recordEnvelope(db(), { envelopeId, applicationId: `app_t${RUN}_${n}`, reference: `app_t${RUN}_${n}:1`, roles });
  return record;
}

function wireEvent(envelope: { envelopeId: string; reference: string }, overrides: Record<string, unknown> = {}) {
  return {
    eventId: `evt_t${RUN}_${++counter}`,
    type: 'signer.signed',
    envelopeId: envelope.envelopeId,
    clientReference: envelope.reference,
    role: 'insured',
    occurredAt: '2026-12-01T10:00:00.000Z',
    ip: '203.0.113.7',
    envelopeStatus: 'SENT',
    ...overrides,
  };
}

/** POSTs a body as the provider would, signed with `secret` at `timestamp` (unix seconds). */
function deliver(url: string, body: string, options: { secret?: string; timestamp?: number; signature?: string | null } = {}) {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-esign-timestamp': timestamp };
  const signature = options.signature === undefined ? webhookSignature(options.secret ?? SECRET, timestamp, body) : options.signature;
  if (signature !== null) headers['x-esign-signature'] = signature;
  return fetch(url, { method: 'POST', headers, body });
}

describe('through a started cases subgraph', () => {
  test('end to end: an envelope created through the adapter, signed at the provider, lands on its row through the signed webhook', async () => {
    const doc = await PDFDocument.create();
    doc.addPage();
    const adapter = new EsignAdapter({ baseUrl: esign.url, apiKey: 'test-key' });
    const reference = `app_e2e_${RUN}:1`;
    const created = await adapter.createEnvelope({
      reference,
      document: { fileName: 'application.pdf', pdf: await doc.save() },
      signers: [
        { role: 'INSURED', name: 'Pat Insured', email: 'pat@example.test' },
        { role: 'AGENT', name: 'Alex Agent', email: 'alex@example.test' },
      ],
      callbackUrl: webhookUrl,
      expiresInDays: 10,
    });
    await recordEnvelope(db(), { envelopeId: created.envelopeId, applicationId: `app_e2e_${RUN}`, reference, roles: ['INSURED', 'AGENT'] });
    esign.control.sign(created.envelopeId, 'insured', '203.0.113.50');
    esign.control.sign(created.envelopeId, 'agent', '198.51.100.60');
    await esign.control.webhooksIdle();
    const row = await findEnvelope(db(), created.envelopeId);
    expect(row).toMatchObject({ status: 'COMPLETED', reference });
    expect(row!.signers).toEqual([
      { role: 'INSURED', status: 'SIGNED', signedAt: expect.any(String), ip: '203.0.113.50' },
      { role: 'AGENT', status: 'SIGNED', signedAt: expect.any(String), ip: '198.51.100.60' },
    ]);
    expect(await countEvents(created.envelopeId)).toBe(3);
    // Every delivery was accepted the first time: nothing was refused or retried.
    expect(
      esign.control
        .deliveries()
        .filter((d) => d.envelopeId === created.envelopeId)
        .map((d) => d.status),
    ).toEqual([200, 200, 200]);
  });

  test('a receiver outage loses nothing: the provider retries until the subgraph has recorded the envelope', async () => {
    const reference = `app_late_${RUN}:1`;
    const doc = await PDFDocument.create();
    doc.addPage();
    const adapter = new EsignAdapter({ baseUrl: esign.url, apiKey: 'test-key' });
    const created = await adapter.createEnvelope({
      reference,
      document: { fileName: 'application.pdf', pdf: await doc.save() },
      signers: [{ role: 'INSURED', name: 'Pat Insured', email: 'pat@example.test' }],
      callbackUrl: webhookUrl,
      expiresInDays: 10,
    });
    // Signed before we recorded the envelope: the subgraph answers 404 and keeps nothing, the provider tries again.
    esign.control.sign(created.envelopeId, 'insured');
    const attempted = () => esign.control.deliveries().some((d) => d.envelopeId === created.envelopeId);
    for (let waited = 0; !attempted() && waited < 5_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await countEvents(created.envelopeId)).toBe(0);
    await recordEnvelope(db(), { envelopeId: created.envelopeId, applicationId: `app_late_${RUN}`, reference, roles: ['INSURED'] });
    await esign.control.webhooksIdle();
    expect((await findEnvelope(db(), created.envelopeId))!.status).toBe('COMPLETED');
    const statuses = esign.control
      .deliveries()
      .filter((d) => d.envelopeId === created.envelopeId)
      .map((d) => d.status);
    expect(statuses[0]).toBe(404);
    expect(statuses.filter((s) => s === 200)).toHaveLength(2);
  });

  test('wrong, missing, old and future signatures are 401 and change nothing', async () => {
    const envelope = await newEnvelope();
    const body = JSON.stringify(wireEvent(envelope));
    const now = Math.floor(Date.now() / 1000);
    const refused = [
      await deliver(webhookUrl, body, { secret: 'not-the-secret' }),
      await deliver(webhookUrl, body, { signature: null }),
      await deliver(webhookUrl, body, { signature: 'zz' }),
      await deliver(webhookUrl, body, { timestamp: now - 301 }),
      await deliver(webhookUrl, body, { timestamp: now + 301 }),
      // The body changed after signing.
      await deliver(webhookUrl, body.replace('203.0.113.7', '203.0.113.8'), { signature: webhookSignature(SECRET, String(now), body) }),
    ];
    for (const response of refused) {
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: string }).error).toBe('UNAUTHENTICATED');
    }
    expect(await countEvents(envelope.envelopeId)).toBe(0);
    expect((await findEnvelope(db(), envelope.envelopeId))!.signers[0].status).toBe('PENDING');
    // Within the tolerance it is accepted.
    expect((await deliver(webhookUrl, body, { timestamp: now - 250 })).status).toBe(200);
  });

  test('a signed event of a type we do not use is acknowledged and ignored; a signed body that is no event is 400', async () => {
    const envelope = await newEnvelope();
    const unknown = await deliver(webhookUrl, JSON.stringify(wireEvent(envelope, { type: 'envelope.viewed' })));
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toEqual({ received: true, ignored: true });
    expect((await deliver(webhookUrl, 'not json')).status).toBe(400);
    expect((await deliver(webhookUrl, JSON.stringify(wireEvent(envelope, { eventId: '' })))).status).toBe(400);
    expect(await countEvents(envelope.envelopeId)).toBe(0);
  });

  test('a body over the limit is 413; GET is 405', async () => {
    const huge = JSON.stringify({ padding: 'x'.repeat(70 * 1024) });
    expect((await deliver(webhookUrl, huge)).status).toBe(413);
    expect((await fetch(webhookUrl)).status).toBe(405);
  });

  test('a replay of the same event is answered 200 and applied once', async () => {
    const envelope = await newEnvelope();
    const body = JSON.stringify(wireEvent(envelope));
    const first = await deliver(webhookUrl, body);
    expect(await first.json()).toEqual({ received: true, duplicate: false });
    const signedAt = (await findEnvelope(db(), envelope.envelopeId))!.signers[0].signedAt;
    // The same event later, re-signed with a new timestamp as the provider does on every attempt.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const again = await deliver(webhookUrl, body);
    expect(await again.json()).toEqual({ received: true, duplicate: true });
    expect(await countEvents(envelope.envelopeId)).toBe(1);
    expect((await findEnvelope(db(), envelope.envelopeId))!.signers[0].signedAt).toBe(signedAt);
  });
});

describe('the route on its own, with a handler and statements counted', () => {
  let server: http.Server;
  let url: string;
  const stats = newStats();
  const handled: SignatureEvent[] = [];
  beforeAll(async () => {
    const route = esignWebhookRoute({
      db: new Db(pool, stats),
      secret: SECRET,
      toleranceSeconds: 300,
      logger: createLogger('test', 'silent'),
      onSignatureEvent: async (tx, event, envelope) => {
        // The lead's handler runs in the event's transaction, after the envelope has been updated.
        expect(envelope.envelopeId).toBe(event.envelopeId);
        await tx.query('SELECT 1');
        handled.push(event);
      },
    });
    server = http.createServer((req, res) => void route(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${ESIGN_WEBHOOK_PATH}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    stats.sql = 0;
    handled.length = 0;
  });

  test('a first delivery costs 6 statements (claim, lock, update, handler, in one transaction); a replay 3 and no handler call', async () => {
    const envelope = await newEnvelope(['INSURED']);
    const body = JSON.stringify(wireEvent(envelope, { type: 'envelope.completed', role: null, ip: null }));
    expect((await deliver(url, body)).status).toBe(200);
    expect(stats.sql).toBe(6); // BEGIN, INSERT event, SELECT … FOR UPDATE, UPDATE envelope, the handler's one, COMMIT
    expect((await deliver(url, body)).status).toBe(200);
    expect(stats.sql).toBe(6 + 3); // BEGIN, INSERT … ON CONFLICT DO NOTHING, COMMIT
    expect(handled).toHaveLength(1);
    expect(handled[0]).toMatchObject({
      type: 'ENVELOPE_COMPLETED',
      role: null,
      envelopeId: envelope.envelopeId,
      reference: envelope.reference,
    });
    expect((await findEnvelope(db(), envelope.envelopeId))!.status).toBe('COMPLETED');
  });

  test('a handler that fails rolls everything back and answers 500, so the provider delivers again', async () => {
    const envelope = await newEnvelope(['INSURED']);
    const failing = esignWebhookRoute({
      db: new Db(pool),
      secret: SECRET,
      toleranceSeconds: 300,
      logger: createLogger('test', 'silent'),
      onSignatureEvent: async () => {
        throw new Error('the application update failed');
      },
    });
    const failingServer = http.createServer((req, res) => void failing(req, res));
    await new Promise<void>((resolve) => failingServer.listen(0, '127.0.0.1', () => resolve()));
    try {
      const body = JSON.stringify(wireEvent(envelope));
      const response = await deliver(`http://127.0.0.1:${(failingServer.address() as AddressInfo).port}${ESIGN_WEBHOOK_PATH}`, body);
      expect(response.status).toBe(500);
      expect(await countEvents(envelope.envelopeId)).toBe(0);
      expect((await findEnvelope(db(), envelope.envelopeId))!.signers[0].status).toBe('PENDING');
      // The redelivery to a healthy receiver applies it.
      expect((await deliver(url, body)).status).toBe(200);
      expect(handled.map((e) => e.envelopeId)).toEqual([envelope.envelopeId]);
    } finally {
      await new Promise<void>((resolve) => failingServer.close(() => resolve()));
    }
  });

  test('50 envelopes, each event delivered twice at once: 100 concurrent webhooks, each event applied exactly once', async () => {
    const envelopes = await Promise.all(Array.from({ length: 50 }, () => newEnvelope(['INSURED'])));
    const events = envelopes.map((envelope) => wireEvent(envelope));
    const bodies = events.map((event) => JSON.stringify(event));
    const responses = await Promise.all([...bodies, ...bodies].map((body) => deliver(url, body)));
    expect(responses.map((r) => r.status)).toEqual(Array(100).fill(200));
    const answers = (await Promise.all(responses.map((r) => r.json()))) as { duplicate: boolean }[];
    expect(answers.filter((a) => !a.duplicate)).toHaveLength(50);
    expect(handled.map((e) => e.eventId).sort()).toEqual(events.map((e) => e.eventId).sort());
    const rows = await pool.query(
      `SELECT e.status, e.signers->0->>'status' AS signer, (SELECT count(*) FROM cases.signature_event v WHERE v.envelope_id = e.envelope_id) AS events
         FROM cases.signature_envelope e WHERE e.envelope_id = ANY($1)`,
      [envelopes.map((e) => e.envelopeId)],
    );
    expect(rows.rows).toHaveLength(50);
    for (const row of rows.rows) expect(row).toEqual({ status: 'SENT', signer: 'SIGNED', events: 1 });
  });
});
