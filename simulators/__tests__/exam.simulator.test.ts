/**
 * PULSE, the paramedical exam vendor simulator, on the raw wire: API-key auth, order validation,
 * idempotent orders, status polls, cancel, every stage by advance and by auto progress, signed
 * webhooks checked against the HMAC by a real receiver, retries while it fails, webhook faults
 * (drop, duplicate, reorder), API faults and latency, the HTTP control API, and the results POSTed
 * to a carrier's `/_vendors/results` (retried when the carrier fails).
 */
import { createHmac } from 'node:crypto';
import {
  parsePulseSignature,
  pulseSignatureHeader,
  type PulseOrderView,
  type PulseWebhookEvent,
  type RunningPulseSimulator,
  startPulseSimulator,
} from '../exam/pulse.simulator';
import { startSimulators } from '../simulators';
import { CARRIERS } from '../../subgraphs/carriers/fixtures/carriers.fixture';
import { DEV_VENDOR_PULSE_API_KEY } from '../../platform/config';
import { eventually, HttpReceiver, type ReceivedRequest } from './http-receiver';

const API_KEY = 'test-pulse-key';
const SECRET = 'test-pulse-webhook-secret';
const HOOK = '/webhooks/vendors/pulse';
const RESULTS = '/carrier-summit/_vendors/results';

let pulse: RunningPulseSimulator;
let receiver: HttpReceiver;
let counter = 0;

beforeAll(async () => {
  receiver = await new HttpReceiver().start();
  pulse = await startPulseSimulator({
    apiKey: API_KEY,
    webhookSecret: SECRET,
    webhookRetry: { initialDelayMs: 20, maxDelayMs: 100, maxAttempts: 5, timeoutMs: 2_000 },
    carrierUrl: (code) => (code === 'SUMMIT' ? `${receiver.url}/carrier-summit` : undefined),
  });
});
afterAll(async () => {
  await pulse.stop();
  await receiver.stop();
});
beforeEach(async () => {
  // Nothing of an earlier test may still be on its way (it would take a failure meant for this one).
  pulse.control.setAutoProgress(0);
  await pulse.control.idle();
  pulse.control.reset();
  receiver.clear();
});

const api = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(`${pulse.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });

const orderBody = (reference = `req_${++counter}`, overrides: Record<string, unknown> = {}) => ({
  reference,
  services: ['PARAMED', 'BLOOD_URINE'],
  applicant: {
    firstName: 'Pat',
    lastName: 'Applicant',
    birthDate: '1980-04-02',
    gender: 'FEMALE',
    phone: '+1 (555) 010-2030',
    email: 'pat@example.test',
    address: { line1: '1 Elm Street', city: 'Springfield', state: 'IL', postalCode: '62701' },
  },
  carrier: { code: 'SUMMIT', policyReference: 'SUM-APP-1', requirementId: 'RQ-SUM-APP-1-3', kit: 'KIT-PX-77' },
  callbackUrl: `${receiver.url}${HOOK}`,
  ...overrides,
});

async function order(reference?: string): Promise<PulseOrderView> {
  const body = orderBody(reference);
  const response = await api('POST', '/v1/orders', body, { 'idempotency-key': body.reference });
  expect(response.status).toBe(201);
  return (await response.json()) as PulseOrderView;
}

const poll = async (orderId: string) => (await (await api('GET', `/v1/orders/${orderId}`)).json()) as PulseOrderView;

interface Hook {
  event: PulseWebhookEvent;
  validSignature: boolean;
  t: string;
}

/** The webhooks the receiver accepted for one order, with the signature checked as a receiver must. */
function hooksFor(orderId: string): Hook[] {
  return receiver
    .at(HOOK)
    .map((r: ReceivedRequest) => {
      const parsed = parsePulseSignature(String(r.headers['pulse-signature']));
      const expected = parsed ? createHmac('sha256', SECRET).update(`${parsed.t}.${r.raw}`).digest('hex') : '';
      return {
        event: JSON.parse(r.raw) as PulseWebhookEvent,
        validSignature: !!parsed && parsed.v1.includes(expected),
        t: parsed?.t ?? '',
      };
    })
    .filter((h) => h.event.orderId === orderId);
}

describe('orders', () => {
  test('refuses calls without the API key, and does not count them', async () => {
    expect((await fetch(`${pulse.url}/v1/orders/PX-1`)).status).toBe(401);
    const wrong = await api('GET', '/v1/orders/PX-1', undefined, { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: 'unauthorized' });
    expect(pulse.control.counts).toEqual({ create: 0, get: 0, cancel: 0 });
  });

  test('an order starts ORDERED at sequence 1; the same Idempotency-Key answers the same order, with no second one', async () => {
    const reference = `req_idem_${++counter}`;
    const first = await order(reference);
    expect(first).toMatchObject({ reference, status: 'ORDERED', sequence: 1, appointment: null });
    expect(first.orderId).toMatch(/^PX-[A-Z0-9]{8}$/);
    const again = await api('POST', '/v1/orders', orderBody(reference), { 'idempotency-key': reference });
    expect(again.status).toBe(200);
    expect(((await again.json()) as PulseOrderView).orderId).toBe(first.orderId);
    expect(pulse.control.counts.create).toBe(2);
    expect(pulse.control.all().filter((o) => o.reference === reference)).toHaveLength(1);
    // The key names one order: another reference under it is refused.
    const reused = await api('POST', '/v1/orders', orderBody(`req_other_${++counter}`), { 'idempotency-key': reference });
    expect(reused.status).toBe(409);
    // The vendor kept nothing of the applicant.
    expect(JSON.stringify(pulse.control.all())).not.toMatch(
      /Pat|Applicant|1980-04-02|\(555\) 010-2030|example\.test|Elm|Springfield|"62701"/,
    );
    const stored = pulse.control.order(first.orderId)!;
    expect(stored.carrier).toEqual({ code: 'SUMMIT', policyReference: 'SUM-APP-1', requirementId: 'RQ-SUM-APP-1-3' });
    expect(stored.resultsCode).toBe('PARAMED_EXAM');
  });

  test('an invalid order is 422 with every problem by field, never repeating the values sent', async () => {
    const body = orderBody(undefined, {
      services: ['PARAMED', 'XRAY'],
      applicant: {
        firstName: '',
        lastName: 'Applicant',
        birthDate: '1980-02-30',
        gender: 'X',
        phone: '12',
        email: 'not-an-email',
        address: { line1: '1 Elm Street', city: 'Springfield', state: 'Illinois', postalCode: '627' },
      },
      carrier: { code: 'NOBODY', policyReference: 'P', kit: '' },
      callbackUrl: 'ftp://example.test/hook',
    });
    const response = await api('POST', '/v1/orders', body, { 'idempotency-key': body.reference });
    expect(response.status).toBe(422);
    const answer = (await response.json()) as { error: string; problems: { field: string; message: string }[] };
    expect(answer.error).toBe('invalid');
    expect(answer.problems.map((p) => p.field).sort()).toEqual(
      [
        'services[1]',
        'applicant.firstName',
        'applicant.birthDate',
        'applicant.gender',
        'applicant.phone',
        'applicant.email',
        'applicant.address.state',
        'applicant.address.postalCode',
        'carrier.code',
        'carrier.kit',
        'callbackUrl',
      ].sort(),
    );
    expect(JSON.stringify(answer)).not.toMatch(/1980-02-30|not-an-email|NOBODY|Illinois|ftp:/);
    expect((await api('POST', '/v1/orders', {})).status).toBe(422);
    expect((await api('POST', '/v1/orders', 'not json')).status).toBe(400);
    expect(pulse.control.all().filter((o) => o.reference === body.reference)).toHaveLength(0);
  });

  test('a poll answers the current stage, sequence and appointment; an unknown order is 404', async () => {
    const placed = await order();
    pulse.control.advance(placed.orderId, 'SCHEDULED', {
      appointmentAt: '2030-05-06T14:00:00Z',
      appointmentPlace: 'Pulse Center, Springfield',
    });
    expect(await poll(placed.orderId)).toMatchObject({
      orderId: placed.orderId,
      status: 'SCHEDULED',
      sequence: 2,
      appointment: { at: '2030-05-06T14:00:00.000Z', place: 'Pulse Center, Springfield' },
    });
    const missing = await api('GET', '/v1/orders/PX-NOTHING');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'order_not_found' });
    expect(pulse.control.counts.get).toBe(2);
  });

  test('cancel: the order is CANCELLED with its webhook; cancelling a final order is 409 naming its status', async () => {
    const placed = await order();
    const cancelled = await api('POST', `/v1/orders/${placed.orderId}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toMatchObject({ status: 'CANCELLED', sequence: 2 });
    const again = await api('POST', `/v1/orders/${placed.orderId}/cancel`);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: 'order_final', status: 'CANCELLED' });
    expect(() => pulse.control.advance(placed.orderId)).toThrow(/CANCELLED/);
    await pulse.control.idle();
    expect(hooksFor(placed.orderId).map((h) => [h.event.status, h.event.sequence])).toEqual([['CANCELLED', 2]]);
    expect(receiver.at(RESULTS)).toHaveLength(0);
  });
});

describe('stages and webhooks', () => {
  test('advance walks the happy path; each change is one signed webhook; the results go to the carrier at the end', async () => {
    const placed = await order();
    const before = Date.now();
    expect(pulse.control.advance(placed.orderId).stage).toBe('SCHEDULED');
    expect(pulse.control.advance(placed.orderId).stage).toBe('COMPLETED');
    expect(pulse.control.advance(placed.orderId).stage).toBe('RESULTS_SENT_TO_CARRIER');
    expect(() => pulse.control.advance(placed.orderId)).toThrow(/moves no more/);
    await pulse.control.idle();
    const hooks = hooksFor(placed.orderId);
    expect(hooks.map((h) => [h.event.status, h.event.sequence])).toEqual([
      ['SCHEDULED', 2],
      ['COMPLETED', 3],
      ['RESULTS_SENT_TO_CARRIER', 4],
    ]);
    expect(hooks.every((h) => h.validSignature)).toBe(true);
    expect(Math.abs(Number(hooks[0].t) - before / 1000)).toBeLessThan(5);
    expect(new Set(hooks.map((h) => h.event.eventId)).size).toBe(3);
    expect(hooks[0].event).toMatchObject({ type: 'order.status_changed', reference: placed.reference });
    expect(hooks[0].event.appointment).toEqual({ at: expect.any(String), place: expect.stringMatching(/Pulse Health Center/) });
    expect(Date.parse(hooks[0].event.appointment!.at)).toBeGreaterThan(before);
    // A signature made with another secret does not match.
    const raw = receiver.at(HOOK)[0].raw;
    expect(pulseSignatureHeader('other', hooks[0].t, raw)).not.toBe(receiver.at(HOOK)[0].headers['pulse-signature']);
    expect(receiver.at(HOOK)[0].headers['pulse-signature']).toBe(pulseSignatureHeader(SECRET, hooks[0].t, raw));
    // The carrier received the results, once.
    const results = receiver.at(RESULTS);
    expect(results).toHaveLength(1);
    expect(results[0].headers['content-type']).toBe('application/json');
    expect(JSON.parse(results[0].raw)).toEqual({
      policyReference: 'SUM-APP-1',
      requirementId: 'RQ-SUM-APP-1-3',
      reference: placed.reference,
      code: 'PARAMED_EXAM',
      vendor: 'PULSE',
      orderId: placed.orderId,
      completedOn: new Date().toISOString().slice(0, 10),
    });
    expect(await poll(placed.orderId)).toMatchObject({ status: 'RESULTS_SENT_TO_CARRIER', sequence: 4 });
    // No personal data in any webhook.
    expect(JSON.stringify(receiver.received)).not.toMatch(/Pat|Applicant|1980-04-02|\(555\) 010-2030|example\.test|Elm/);
  });

  test('a missed appointment: NO_SHOW, then advance reschedules it; a SCHEDULED order can be rescheduled with a new appointment', async () => {
    const placed = await order();
    pulse.control.advance(placed.orderId, 'SCHEDULED', { appointmentAt: '2030-01-02T09:00:00Z', appointmentPlace: 'Center A' });
    pulse.control.advance(placed.orderId, 'NO_SHOW');
    expect(() => pulse.control.advance(placed.orderId, 'COMPLETED')).toThrow(/cannot move from NO_SHOW to COMPLETED/);
    expect(pulse.control.advance(placed.orderId).stage).toBe('SCHEDULED');
    pulse.control.advance(placed.orderId, 'SCHEDULED', { appointmentAt: '2030-01-09T09:00:00Z', appointmentPlace: 'Center B' });
    await pulse.control.idle();
    const hooks = hooksFor(placed.orderId).map((h) => [h.event.status, h.event.sequence, h.event.appointment?.place]);
    expect(hooks).toEqual([
      ['SCHEDULED', 2, 'Center A'],
      ['NO_SHOW', 3, 'Center A'],
      ['SCHEDULED', 4, expect.stringMatching(/Pulse Health Center/)],
      ['SCHEDULED', 5, 'Center B'],
    ]);
    // No move back, and none to a stage the vendor does not have.
    expect(() => pulse.control.advance(placed.orderId, 'ORDERED')).toThrow(/cannot move/);
    expect(() => pulse.control.advance(placed.orderId, 'LOST' as never)).toThrow(RangeError);
  });

  test('auto progress moves every order along the happy path on unref timers; 0 stops it', async () => {
    const placed = await order();
    pulse.control.setAutoProgress(25);
    await eventually(() => pulse.control.order(placed.orderId)!.stage === 'RESULTS_SENT_TO_CARRIER', 'auto progress to the carrier');
    pulse.control.setAutoProgress(0);
    await pulse.control.idle();
    expect(hooksFor(placed.orderId).map((h) => h.event.status)).toEqual(['SCHEDULED', 'COMPLETED', 'RESULTS_SENT_TO_CARRIER']);
    expect(receiver.at(RESULTS).filter((r) => JSON.parse(r.raw).orderId === placed.orderId)).toHaveLength(1);
    // Switched off, an order stays where it is.
    const still = await order();
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(pulse.control.order(still.orderId)!.stage).toBe('ORDERED');
    // A stopped vendor's timers are cleared: nothing moves after stop.
    const other = await startPulseSimulator({ apiKey: API_KEY, webhookSecret: SECRET, autoProgressMs: 20 });
    const { order: early } = other.control.create(
      {
        reference: 'req_stop',
        callbackUrl: `${receiver.url}${HOOK}`,
        carrier: { code: 'SUMMIT', policyReference: 'P', requirementId: null },
        resultsCode: 'EKG',
        idempotencyKey: 'req_stop',
      },
      () => 'PX-STOPPED',
    );
    await other.stop();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(early.stage).toBe('ORDERED');
  });

  test('a receiver that fails gets the same event again, with backoff, until it answers 2xx; the order of stages holds', async () => {
    const placed = await order();
    receiver.failNext = 2;
    pulse.control.advance(placed.orderId);
    pulse.control.advance(placed.orderId);
    await pulse.control.idle();
    expect(hooksFor(placed.orderId).map((h) => h.event.sequence)).toEqual([2, 3]);
    const log = pulse.control.deliveries().filter((d) => d.orderId === placed.orderId);
    expect(log.map((d) => [d.sequence, d.attempt, d.status])).toEqual([
      [2, 1, 503],
      [2, 2, 503],
      [2, 3, 200],
      [3, 1, 200],
    ]);
    expect(Date.parse(log[2].at) - Date.parse(log[1].at)).toBeGreaterThanOrEqual(35);
  });

  test('results the carrier fails to take are delivered again, once taken never again', async () => {
    const placed = await order();
    pulse.control.advance(placed.orderId, 'COMPLETED');
    await pulse.control.idle();
    // Only the results go out (the stage's webhook is dropped), and the carrier fails the first try.
    pulse.control.setWebhookFault('drop', { times: 1 });
    receiver.failNext = 1;
    pulse.control.advance(placed.orderId);
    await pulse.control.idle();
    expect(pulse.control.resultsDeliveries().map((d) => [d.orderId, d.carrierCode, d.attempt, d.status])).toEqual([
      [placed.orderId, 'SUMMIT', 1, 503],
      [placed.orderId, 'SUMMIT', 2, 200],
    ]);
    expect(receiver.at(RESULTS).map((r) => JSON.parse(r.raw).orderId)).toEqual([placed.orderId]);
  });

  test('webhook faults: a dropped stage never arrives, a duplicated one arrives twice with one eventId, a reordered one after the next', async () => {
    const dropped = await order();
    pulse.control.setWebhookFault('drop', { times: 1 });
    pulse.control.advance(dropped.orderId);
    pulse.control.advance(dropped.orderId);
    await pulse.control.idle();
    expect(hooksFor(dropped.orderId).map((h) => h.event.sequence)).toEqual([3]);
    expect(pulse.control.dropped).toHaveLength(1);
    // The poll still tells the truth.
    expect(await poll(dropped.orderId)).toMatchObject({ status: 'COMPLETED', sequence: 3 });

    const duplicated = await order();
    pulse.control.setWebhookFault('duplicate', { times: 1 });
    pulse.control.advance(duplicated.orderId);
    await pulse.control.idle();
    const twice = hooksFor(duplicated.orderId);
    expect(twice.map((h) => [h.event.sequence, h.event.eventId])).toEqual([
      [2, twice[0].event.eventId],
      [2, twice[0].event.eventId],
    ]);

    const reordered = await order();
    pulse.control.setWebhookFault('reorder', { times: 1 });
    pulse.control.advance(reordered.orderId);
    await pulse.control.idle();
    expect(hooksFor(reordered.orderId)).toHaveLength(0);
    pulse.control.advance(reordered.orderId);
    await pulse.control.idle();
    expect(hooksFor(reordered.orderId).map((h) => [h.event.status, h.event.sequence])).toEqual([
      ['COMPLETED', 3],
      ['SCHEDULED', 2],
    ]);
    // A held webhook with nothing after it goes out on release.
    pulse.control.setWebhookFault('reorder', { times: 1 });
    pulse.control.advance(reordered.orderId);
    pulse.control.releaseHeld();
    await pulse.control.idle();
    expect(hooksFor(reordered.orderId).map((h) => h.event.sequence)).toEqual([3, 2, 4]);
  });
});

describe('API faults, latency and the HTTP control API', () => {
  test('5xx, malformed and hang for the next calls of a kind, then healthy; latency delays answers', async () => {
    const placed = await order();
    pulse.control.setFault('5xx', { times: 1, kinds: ['get'] });
    expect((await api('GET', `/v1/orders/${placed.orderId}`)).status).toBe(503);
    pulse.control.setFault('malformed', { times: 1 });
    const malformed = await api('GET', `/v1/orders/${placed.orderId}`);
    expect(malformed.status).toBe(200);
    await expect(malformed.json()).rejects.toThrow();
    pulse.control.setFault('hang', { times: 1 });
    await expect(
      fetch(`${pulse.url}/v1/orders/${placed.orderId}`, {
        headers: { authorization: `Bearer ${API_KEY}` },
        signal: AbortSignal.timeout(150),
      }),
    ).rejects.toThrow();
    expect((await api('GET', `/v1/orders/${placed.orderId}`)).status).toBe(200);
    expect(pulse.control.counts.get).toBe(4);
    pulse.control.setLatency({ fixedMs: 120 });
    const started = Date.now();
    expect((await api('GET', `/v1/orders/${placed.orderId}`)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    expect(() => pulse.control.setFault('slow' as never)).toThrow(RangeError);
  });

  test('over HTTP: orders by reference, advance with details, auto progress, faults, counts, the webhook log, reset', async () => {
    const placed = await order();
    const control = (method: string, path: string, body?: unknown) =>
      fetch(`${pulse.url}/_control${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    const found = (await (await control('GET', `/orders?reference=${placed.reference}`)).json()) as { orderId: string }[];
    expect(found.map((o) => o.orderId)).toEqual([placed.orderId]);
    const advanced = await control('POST', `/orders/${placed.orderId}/advance`, {
      stage: 'SCHEDULED',
      details: { appointmentAt: '2031-03-04T10:00:00Z', appointmentPlace: 'Home visit' },
    });
    expect(advanced.status).toBe(200);
    expect(await poll(placed.orderId)).toMatchObject({
      status: 'SCHEDULED',
      appointment: { at: '2031-03-04T10:00:00.000Z', place: 'Home visit' },
    });
    expect((await control('POST', `/orders/${placed.orderId}/advance`, { stage: 'ORDERED' })).status).toBe(409);
    expect((await control('POST', `/orders/${placed.orderId}/advance`, { details: { appointmentAt: 'soon' } })).status).toBe(400);
    expect((await control('POST', '/orders/PX-NONE/advance', {})).status).toBe(404);
    expect((await control('POST', `/orders/${placed.orderId}/advance`, {})).status).toBe(200);
    expect((await control('PUT', '/fault', { fault: '5xx', times: 1 })).status).toBe(200);
    expect((await api('GET', `/v1/orders/${placed.orderId}`)).status).toBe(503);
    expect((await control('PUT', '/webhook-fault', { fault: 'teleport' })).status).toBe(400);
    expect((await control('PUT', '/auto-progress', { ms: 0 })).status).toBe(200);
    await pulse.control.idle();
    const log = (await (await control('GET', '/webhooks')).json()) as { orderId: string; sequence: number; status: number }[];
    expect(log.filter((d) => d.orderId === placed.orderId).map((d) => [d.sequence, d.status])).toEqual([
      [2, 200],
      [3, 200],
    ]);
    expect(await (await control('GET', '/counts')).json()).toEqual({ create: 1, get: 2, cancel: 0 });
    expect((await control('POST', '/reset', {})).status).toBe(200);
    expect(await (await control('GET', '/counts')).json()).toEqual({ create: 0, get: 0, cancel: 0 });
    expect(await (await control('GET', '/webhooks')).json()).toEqual([]);
  });
});

describe('startSimulators', () => {
  test('starts PULSE beside the carriers with its env, delivering results to the carrier simulators', async () => {
    const carrier = CARRIERS[0];
    const sims = await startSimulators({ carriers: [carrier], vendors: { webhookRetry: { initialDelayMs: 10, maxAttempts: 1 } } });
    try {
      expect(sims.env.VENDOR_PULSE_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(sims.env.VENDOR_PULSE_API_KEY).toBe(DEV_VENDOR_PULSE_API_KEY);
      expect(sims.env.VENDOR_PULSE_WEBHOOK_SECRET).toBeTruthy();
      const body = orderBody(undefined, { carrier: { code: carrier.code, policyReference: 'REF-1', requirementId: null, kit: 'K1' } });
      const response = await fetch(`${sims.env.VENDOR_PULSE_URL}/v1/orders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sims.env.VENDOR_PULSE_API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ...body, carrier: { ...body.carrier, code: 'NOT-SIMULATED' } }),
      });
      expect(response.status).toBe(422);
      const placed = (await (
        await fetch(`${sims.env.VENDOR_PULSE_URL}/v1/orders`, {
          method: 'POST',
          headers: { authorization: `Bearer ${sims.env.VENDOR_PULSE_API_KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).json()) as PulseOrderView;
      sims.vendors.pulse.advance(placed.orderId, 'RESULTS_SENT_TO_CARRIER');
      await sims.vendors.pulse.idle();
      // The carrier simulator was called at its own base URL (what it answers is the carrier's business).
      expect(sims.vendors.pulse.resultsDeliveries().map((d) => [d.orderId, d.carrierCode])).toEqual([[placed.orderId, carrier.code]]);
      expect(sims.vendors.pulse.undeliverable).toEqual([]);
    } finally {
      await sims.stop();
    }
  });
});
