/**
 * Sending an application for signature against the provider simulator and the test database:
 * exactly the signers the application needs, one envelope per attempt however often it is asked,
 * recorded once with the caller's own write in the same transaction; nothing sent or kept when the
 * signers are wrong; the provider down is SERVICE_UNAVAILABLE and nothing is recorded.
 */
import 'reflect-metadata';
import type pg from 'pg';
import { PDFDocument } from 'pdf-lib';
import { startEsignSimulator, type RunningEsignSimulator } from '../../simulators/esign/esign.simulator';
import { completeApplication } from '../../subgraphs/cases/domain/__tests__/application.builders';
import { EsignAdapter } from '../../subgraphs/cases/ports/esign/esign.adapter';
import { envelopesOfApplication } from '../../subgraphs/cases/signature-envelope.repository';
import { sendForSignature, type SignatureRequest } from '../../subgraphs/cases/signature-request.service';
import { Db } from '../../subgraphs/shared/db';
import { testPool } from '../support/test-pool';

const RUN = Date.now().toString(36);
let counter = 0;
let pool: pg.Pool;
let esign: RunningEsignSimulator;
let adapter: EsignAdapter;

beforeAll(async () => {
  pool = testPool(2);
  esign = await startEsignSimulator({ apiKey: 'k', webhookSecret: 's', webhookRetry: { maxAttempts: 1, timeoutMs: 200 } });
  adapter = new EsignAdapter({ baseUrl: esign.url, apiKey: 'k', retryInitialDelayMs: 5, retries: 1 });
});
afterAll(async () => {
  await esign.stop();
  await pool.end();
});
beforeEach(() => esign.control.reset());

/** The error the call failed with (a test failure when it did not fail). */
const failure = <T>(promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error as T,
  );

const deps = () => ({ db: new Db(pool), signatures: adapter, callbackUrl: 'http://127.0.0.1:9/webhooks/esign' });
const request = (overrides: Partial<SignatureRequest> = {}): SignatureRequest => ({
  applicationId: `app_sr${RUN}_${++counter}`,
  attempt: 1,
  carrierName: 'Typical Life',
  productName: 'Typical Term 20',
  application: completeApplication(), // owner and payor the insured: the insured and the agent sign
  signers: [
    { role: 'AGENT', name: 'Alex Agent', email: 'alex@example.test' },
    { role: 'INSURED', name: 'Avery Example', email: 'avery@example.com' },
  ],
  ...overrides,
});

test('sends the application PDF to the signers it needs, in order, and records the envelope with the caller’s write', async () => {
  const req = request();
  const written: string[] = [];
  const sent = await sendForSignature(deps(), req, async (tx, envelope) => {
    await tx.query('SELECT 1');
    written.push(envelope.envelopeId);
  });
  expect(sent.envelope).toMatchObject({ applicationId: req.applicationId, reference: `${req.applicationId}:1`, status: 'SENT' });
  expect(sent.envelope.signers.map((s) => [s.role, s.status])).toEqual([
    ['INSURED', 'PENDING'],
    ['AGENT', 'PENDING'],
  ]);
  expect(sent.signingLinks.map((l) => l.role)).toEqual(['INSURED', 'AGENT']);
  expect(written).toEqual([sent.envelope.envelopeId]);
  const atProvider = esign.control.envelope(sent.envelope.envelopeId)!;
  expect((await PDFDocument.load(atProvider.document)).getPageCount()).toBe((await PDFDocument.load(sent.pdf)).getPageCount());
  expect(atProvider.documentName).toBe(`application-${req.applicationId}.pdf`);
});

test('asked again (a client retry), the same attempt reaches the same envelope and records it once; the next attempt is a new one', async () => {
  const req = request();
  const first = await sendForSignature(deps(), req);
  const again = await sendForSignature(deps(), req);
  expect(again.envelope.envelopeId).toBe(first.envelope.envelopeId);
  expect(await envelopesOfApplication(new Db(pool), req.applicationId)).toHaveLength(1);
  const next = await sendForSignature(deps(), { ...req, attempt: 2 });
  expect(next.envelope.envelopeId).not.toBe(first.envelope.envelopeId);
  expect((await envelopesOfApplication(new Db(pool), req.applicationId)).map((e) => e.reference)).toEqual(
    expect.arrayContaining([`${req.applicationId}:1`, `${req.applicationId}:2`]),
  );
});

test('signers that do not match the application: BAD_USER_INPUT naming each, and nothing sent', async () => {
  const owned = { ...completeApplication(), owner: { kind: 'TRUST' as const, name: 'T', tin: '12-3456789' } };
  const error = await failure<{ extensions: { code: string; reasons: string[] } }>(
    sendForSignature(
      deps(),
      request({
        application: owned,
        signers: [
          { role: 'INSURED', name: 'A', email: 'a@example.test' },
          { role: 'PAYOR', name: 'P', email: 'p@example.test' },
          { role: 'INSURED', name: 'A', email: 'a@example.test' },
        ],
      }),
    ),
  );
  expect(error.extensions.code).toBe('BAD_USER_INPUT');
  expect(error.extensions.reasons).toEqual([
    'signers: the owner must sign',
    'signers: the agent must sign',
    'signers: the payor does not sign this application',
    'signers: the insured is named twice',
  ]);
  expect(esign.control.counts.create).toBe(0);
});

test('the provider down: SERVICE_UNAVAILABLE after the retries, nothing recorded', async () => {
  esign.control.setFault('5xx', { kinds: ['create'] });
  const req = request();
  const error = await failure<{ extensions: { code: string } }>(sendForSignature(deps(), req));
  expect(error.extensions.code).toBe('SERVICE_UNAVAILABLE');
  expect(esign.control.counts.create).toBe(2);
  expect(await envelopesOfApplication(new Db(pool), req.applicationId)).toEqual([]);
});
