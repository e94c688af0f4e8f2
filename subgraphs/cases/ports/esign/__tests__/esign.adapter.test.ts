/**
 * The e-signature adapter against the running provider simulator: our roles and statuses on both
 * sides, names and emails never past the port, creation idempotent on our reference, the signed
 * PDF only once completed, transient failures retried (counted on both sides), our own mistakes
 * not retried, a provider that hangs cut at the deadline.
 */
import { PDFDocument } from 'pdf-lib';
import { startEsignSimulator, type RunningEsignSimulator } from '../../../../../simulators/esign/esign.simulator';
import type { EnvelopeRequest } from '../../signature-provider.port';
import { SignatureProviderError } from '../../signature-provider.port';
import { EsignAdapter } from '../esign.adapter';

const KEY = 'adapter-test-key';
let esign: RunningEsignSimulator;
let pdf: Uint8Array;
let counter = 0;

beforeAll(async () => {
  // No receiver listens at the callback: webhooks are not this test's subject.
  esign = await startEsignSimulator({ apiKey: KEY, webhookSecret: 's', webhookRetry: { maxAttempts: 1, timeoutMs: 200 } });
  const doc = await PDFDocument.create();
  doc.addPage();
  pdf = await doc.save();
});
afterAll(() => esign.stop());
beforeEach(() => esign.control.reset());

const adapter = (overrides: Partial<ConstructorParameters<typeof EsignAdapter>[0]> = {}) =>
  new EsignAdapter({ baseUrl: esign.url, apiKey: KEY, retryInitialDelayMs: 5, ...overrides });

const request = (reference = `app_adapter_${++counter}:1`): EnvelopeRequest => ({
  reference,
  document: { fileName: 'application.pdf', pdf },
  signers: [
    { role: 'INSURED', name: 'Pat Insured', email: 'pat@example.test' },
    { role: 'OWNER', name: 'Olive Owner', email: 'olive@example.test' },
    { role: 'AGENT', name: 'Alex Agent', email: 'alex@example.test' },
  ],
  callbackUrl: 'http://127.0.0.1:9/webhooks/esign',
  expiresInDays: 30,
});

async function failure(promise: Promise<unknown>): Promise<SignatureProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SignatureProviderError);
  return error as SignatureProviderError;
}

test('creates an envelope in our terms; the same reference gives back the same envelope', async () => {
  const esignPort = adapter();
  const req = request();
  const created = await esignPort.createEnvelope(req);
  expect(created.envelopeId).toMatch(/^env_/);
  expect(created.signers.map((s) => s.role)).toEqual(['INSURED', 'OWNER', 'AGENT']);
  for (const signer of created.signers) expect(signer.signingUrl.startsWith(`${esign.url}/sign/`)).toBe(true);
  expect((await esignPort.createEnvelope(req)).envelopeId).toBe(created.envelopeId);
  expect(esignPort.calls.create).toBe(2);
  // The provider got our roles in its own convention.
  expect(esign.control.envelope(created.envelopeId)!.signers.map((s) => s.role)).toEqual(['insured', 'owner', 'agent']);
});

test("reads an envelope's progress with no names or emails, and the signed PDF once completed", async () => {
  const esignPort = adapter();
  const { envelopeId } = await esignPort.createEnvelope(request());
  esign.control.sign(envelopeId, 'insured', '203.0.113.4');
  const state = await esignPort.envelope(envelopeId);
  expect(state).toEqual({
    envelopeId,
    reference: expect.stringMatching(/^app_adapter_/),
    status: 'SENT',
    signers: [
      { role: 'INSURED', status: 'SIGNED', signedAt: expect.any(String), ip: '203.0.113.4' },
      { role: 'OWNER', status: 'PENDING', signedAt: null, ip: null },
      { role: 'AGENT', status: 'PENDING', signedAt: null, ip: null },
    ],
  });
  expect(JSON.stringify(state)).not.toMatch(/Pat|Olive|Alex|example\.test/);
  expect((await failure(esignPort.signedDocument(envelopeId))).code).toBe('ESIGN.NOT_READY');
  esign.control.sign(envelopeId, 'owner');
  esign.control.sign(envelopeId, 'agent');
  expect((await esignPort.envelope(envelopeId)).status).toBe('COMPLETED');
  const signed = await PDFDocument.load(await esignPort.signedDocument(envelopeId));
  expect(signed.getPageCount()).toBe(2);
});

test('a 5xx and a 429 are retried: two failures then the answer, three calls on both sides', async () => {
  const esignPort = adapter();
  const { envelopeId } = await esignPort.createEnvelope(request());
  esign.control.setFault('5xx', { times: 1, kinds: ['get'] });
  await esignPort.envelope(envelopeId);
  expect(esignPort.calls.get).toBe(2);
  esign.control.setFault('429', { times: 2, kinds: ['get'] });
  await esignPort.envelope(envelopeId);
  expect(esignPort.calls.get).toBe(2 + 3);
  expect(esign.control.counts.get).toBe(5);
});

test('a creation whose answer was lost is retried into the same envelope, never a second one', async () => {
  const esignPort = adapter();
  const req = request();
  esign.control.setFault('5xx', { times: 1, kinds: ['create'] });
  const created = await esignPort.createEnvelope(req);
  expect(esignPort.calls.create).toBe(2);
  expect(
    esign.control.store
      .all()
      .filter((e) => e.clientReference === req.reference)
      .map((e) => e.id),
  ).toEqual([created.envelopeId]);
});

test('our own mistakes are not retried: a wrong key is REJECTED, an unknown envelope NOT_FOUND, one call each', async () => {
  const wrongKey = adapter({ apiKey: 'not-our-key' });
  const rejected = await failure(wrongKey.createEnvelope(request()));
  expect(rejected.code).toBe('ESIGN.REJECTED');
  expect(rejected.retryable).toBe(false);
  expect(wrongKey.calls.create).toBe(1);
  const esignPort = adapter();
  expect((await failure(esignPort.envelope('env_nope'))).code).toBe('ESIGN.NOT_FOUND');
  expect(esignPort.calls.get).toBe(1);
});

test('a provider that hangs: each attempt is cut at its timeout, the whole at the deadline, and the error says TIMEOUT', async () => {
  const esignPort = adapter({ attemptTimeoutMs: 100, deadlineMs: 1_000, retries: 2 });
  esign.control.setFault('hang', { kinds: ['get'] });
  const started = Date.now();
  const error = await failure(esignPort.envelope('env_whatever'));
  expect(error.code).toBe('ESIGN.TIMEOUT');
  expect(esignPort.calls.get).toBe(3);
  expect(Date.now() - started).toBeLessThan(1_000);
  esign.control.setFault(null);
});
