/**
 * Requirements ordered from vendors, on a started cases subgraph against the PULSE and CHARTWELL
 * simulators (real HTTP both ways) and the test database. The vendor order worker is driven pass by
 * pass here (the subgraph's own is off), so every call to a vendor is counted: an exam and two APSs
 * (two physicians) on one case reach their vendors once each; a repeat with the same idempotency key
 * and a lost answer never make a second order; a vendor that is down is retried and nothing is
 * lost. Then the signed webhooks: stages move, a duplicate is applied once, an older stage delivered
 * late never overwrites a newer one, a bad or stale signature is 401 and changes nothing, an order
 * we do not know is 404. Requirement.history costs one statement however many requirements. And
 * every bad input with its code.
 */
import 'reflect-metadata';
import type pg from 'pg';
import pino from 'pino';
import { DEV_IDENTITY_SECRET, readCommonConfig } from '../../platform/config';
import { signIdentity, type Identity } from '../../platform/identity';
import { PersonalDataVault } from '../../platform/personal-data';
import { signWebhook } from '../../platform/webhook-signature';
import { freePort } from '../../scripts/embedded/redis-server';
import { type RunningChartwellSimulator, startChartwellSimulator } from '../../simulators/aps/chartwell.simulator';
import { type RunningPulseSimulator, startPulseSimulator } from '../../simulators/exam/pulse.simulator';
import { PERSONAL_FIELD } from '../../subgraphs/cases/application.service';
import { casesSubgraph } from '../../subgraphs/cases/cases.subgraph';
import { ChartwellAdapter } from '../../subgraphs/cases/ports/vendors/chartwell.adapter';
import { PulseAdapter } from '../../subgraphs/cases/ports/vendors/pulse.adapter';
import { refreshFromVendor } from '../../subgraphs/cases/vendor-event.service';
import { VendorOrderWorker } from '../../subgraphs/cases/vendor-order.worker';
import { vendorWebhookPath } from '../../subgraphs/cases/vendor-webhook.route';
import { Db } from '../../subgraphs/shared/db';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/shared/subgraph-server';
import { codes, graphql } from '../support/graphql';
import { testPool } from '../support/test-pool';

const STAFF: Identity = { sub: 'user:test-staff', role: 'STAFF' };
const RUN = Date.now().toString(36);
const PULSE = { apiKey: 'test-pulse-key', webhookSecret: 'test-pulse-secret' };
const CHARTWELL = { apiKey: 'test-chartwell-key', webhookSecret: 'test-chartwell-secret' };
const RETRY = { initialDelayMs: 20, maxDelayMs: 200, maxAttempts: 50, timeoutMs: 5_000 };

let subgraph: RunningSubgraph;
let pool: pg.Pool;
let pulse: RunningPulseSimulator;
let chartwell: RunningChartwellSimulator;
let worker: VendorOrderWorker;
let base: string;
let caseCounter = 0;
const vault = PersonalDataVault.fromEnv(process.env);

const ask = (query: string, variables: Record<string, unknown> = {}, identity: Identity = STAFF) =>
  graphql(subgraph.url, query, variables, { headers: signIdentity(identity, DEV_IDENTITY_SECRET) });

beforeAll(async () => {
  pool = testPool(4);
  pulse = await startPulseSimulator({ ...PULSE, webhookRetry: RETRY });
  chartwell = await startChartwellSimulator({ ...CHARTWELL, webhookRetry: RETRY });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    DEBUG_STATS: 'true',
    LOG_LEVEL: 'silent',
    // The subgraph's own workers are off: the test drives the vendor order worker pass by pass.
    OUTBOX_POLL_MS: '0',
    SYNC_INTERVAL_MS: '0',
    VENDOR_PULSE_URL: pulse.url,
    VENDOR_PULSE_API_KEY: PULSE.apiKey,
    VENDOR_PULSE_WEBHOOK_SECRET: PULSE.webhookSecret,
    VENDOR_CHARTWELL_URL: chartwell.url,
    VENDOR_CHARTWELL_API_KEY: CHARTWELL.apiKey,
    VENDOR_CHARTWELL_WEBHOOK_SECRET: CHARTWELL.webhookSecret,
    VENDOR_CALLBACK_BASE_URL: base,
  };
  subgraph = await startSubgraph(casesSubgraph, readCommonConfig(env), port, '127.0.0.1', { env });
  const settings = { webhookToleranceSeconds: 300, timeoutMs: 2_000 };
  worker = new VendorOrderWorker({
    pool: pool as never,
    logger: pino({ level: 'silent' }),
    vendors: {
      PULSE: new PulseAdapter({ ...settings, baseUrl: pulse.url, ...PULSE }),
      CHARTWELL: new ChartwellAdapter({ ...settings, baseUrl: chartwell.url, ...CHARTWELL }),
    },
    vault,
    callbackUrl: (vendor) => `${base}${vendorWebhookPath(vendor)}`,
    pollMs: 60_000,
  });
});

afterAll(async () => {
  await worker?.stop();
  await subgraph?.stop();
  await pulse?.stop();
  await chartwell?.stop();
  await pool?.end();
});

/** A case the carrier has accepted (it has a carrier reference), with an application holding the insured's contact data. */
async function acceptedCase(options: { status?: string; application?: boolean; carrierReference?: string | null } = {}): Promise<string> {
  const n = ++caseCounter;
  const id = `case_v${RUN}_${n}`;
  await pool.query(
    `INSERT INTO cases."case" (id, case_number, agent_id, carrier_id, product_id, product_type, insured_first_name, insured_last_name, insured_birth_date,
       insured_gender, insured_state, insured_tobacco, face_amount, term_years, applied_health_class, payment_mode, annual_premium_cents, modal_premium_cents,
       status, submitted_at, created_by, carrier_reference)
     VALUES ($1, $2, 'agt_vendor_test', 'car_summit', 'prd_summit_term', 'TERM', 'Dana', 'Insured', '1980-05-06', 'FEMALE', 'TX', false, 500000, 20,
       'PREFERRED', 'ANNUAL', 100000, 100000, $3, '2024-01-02T10:00:00Z', 'user:test', $4)`,
    [
      id,
      `VND-${(Date.now() % 1e9) * 10 + n}`,
      options.status ?? 'IN_UNDERWRITING',
      options.carrierReference === undefined ? `SUM-${RUN}-${n}` : options.carrierReference,
    ],
  );
  // Every case has a history (other suites reading the newest cases count on it), submitted in the past so as not to crowd them.
  await pool.query(
    `INSERT INTO cases.case_event (case_id, at, type, to_status, actor) VALUES ($1, '2024-01-02T10:00:00Z', 'STATUS_CHANGED', 'SUBMITTED', 'user:test')`,
    [id],
  );
  if (options.application !== false) {
    const personal = {
      insured: {
        kind: 'PERSON',
        firstName: 'Dana',
        lastName: 'Insured',
        birthDate: '1980-05-06',
        gender: 'FEMALE',
        phone: '512-555-0147',
        email: 'dana@example.test',
        address: { line1: '1 Elm St', city: 'Austin', state: 'TX', zip: '78701' },
      },
    };
    await pool.query(
      `INSERT INTO cases.application (id, agent_id, carrier_id, product_id, state, status, draft, personal, case_id, created_by, created_at, updated_at)
       VALUES ($1, 'agt_vendor_test', 'car_summit', 'prd_summit_term', 'TX', 'SUBMITTED', '{}', $2, $3, 'user:test', now(), now())`,
      [`app_v${RUN}_${n}`, vault.seal(PERSONAL_FIELD, JSON.stringify(personal)), id],
    );
  }
  return id;
}

const ORDER = `mutation($caseId: ID!, $code: RequirementCode!, $vendor: RequirementVendorCode, $physician: PhysicianInput, $key: String, $note: String) {
  orderRequirement(caseId: $caseId, code: $code, vendor: $vendor, physician: $physician, idempotencyKey: $key, note: $note) {
    id code status vendorStatus { vendor vendorName orderId stage since } } }`;
const REQUIREMENT_FIELDS = `id code status
  vendorStatus { vendor vendorName orderId stage since appointmentAt appointmentPlace providerExpectedOn }
  history { type requirementId actor note }`;
const CASE = `query($id: ID!) { case(id: $id) { requirements { ${REQUIREMENT_FIELDS} } } }`;

const DR_ONE = {
  name: 'Alex Morgan',
  phone: '(512) 555-0101',
  practice: 'Austin Family Medicine',
  treatedFrom: '2019-01-01',
  treatedTo: '2024-06-30',
};
const DR_TWO = {
  name: 'Sam Rivera',
  phone: '512-555-0199',
  practice: 'Hill Country Cardiology',
  addressLine1: '200 Congress Ave',
  city: 'Austin',
  state: 'TX',
  postalCode: '78701',
};

async function order(variables: Record<string, unknown>) {
  const response = await ask(ORDER, variables);
  expect(response.errors).toBeUndefined();
  return response.data!.orderRequirement as { id: string; vendorStatus: { stage: string; orderId: string | null } | null };
}

async function requirementsOf(caseId: string) {
  const response = await ask(CASE, { id: caseId });
  expect(response.errors).toBeUndefined();
  return response.data!.case.requirements as {
    id: string;
    code: string;
    status: string;
    vendorStatus: Record<string, string | null>;
    history: { type: string; requirementId: string; actor: string; note: string | null }[];
  }[];
}

const byId = async (caseId: string, id: string) => (await requirementsOf(caseId)).find((r) => r.id === id)!;
const vendorRow = async (id: string) =>
  (
    await pool.query(
      `SELECT vendor_order_id AS "orderId", vendor_stage AS stage, vendor_sequence AS sequence, vendor_due_at AS "dueAt", vendor_last_error AS "lastError", physician
         FROM cases.requirement WHERE id = $1`,
      [id],
    )
  ).rows[0];
const makeDue = (id: string) => pool.query(`UPDATE cases.requirement SET vendor_due_at = now() WHERE id = $1`, [id]);
const vendorEvents = async (id: string) =>
  Number(
    (await pool.query(`SELECT count(*) AS n FROM cases.case_event WHERE requirement_id = $1 AND type = 'REQUIREMENT_VENDOR_STATUS'`, [id]))
      .rows[0].n,
  );
const receivedEvents = async (vendor: string) =>
  Number((await pool.query(`SELECT count(*) AS n FROM cases.vendor_event WHERE vendor = $1`, [vendor])).rows[0].n);

describe('ordering from vendors', () => {
  test('an exam and two APSs (two physicians) on one case: each order reaches its vendor once, and a repeat key answers the same requirement', async () => {
    const caseId = await acceptedCase();
    pulse.control.reset();
    chartwell.control.reset();
    const exam = await order({ caseId, code: 'PARAMED_EXAM', key: `exam-${RUN}` });
    const apsOne = await order({ caseId, code: 'APS', physician: DR_ONE, note: 'cardiology follow-up' });
    const apsTwo = await order({ caseId, code: 'APS', vendor: 'CHARTWELL', physician: DR_TWO });
    expect(exam.vendorStatus).toMatchObject({ stage: 'QUEUED', orderId: null });
    expect(apsOne.vendorStatus).toMatchObject({ stage: 'QUEUED', orderId: null });
    // The same key again: the same requirement, no second row.
    expect((await order({ caseId, code: 'PARAMED_EXAM', key: `exam-${RUN}` })).id).toBe(exam.id);
    // The physician is sealed at rest: nothing of it in clear.
    const sealed = (await vendorRow(apsOne.id)).physician as string;
    expect(sealed).not.toContain('Morgan');
    expect(JSON.parse(vault.open('requirement.physician', sealed).plaintext)).toMatchObject({
      name: 'Alex Morgan',
      phone: '(512) 555-0101',
    });

    expect(await worker.runOnce()).toBeGreaterThanOrEqual(3);
    expect(pulse.control.counts.create).toBe(1);
    expect(chartwell.control.counts.order).toBe(2);
    expect(pulse.control.all().filter((o) => o.reference === exam.id)).toHaveLength(1);
    expect(chartwell.control.all().filter((o) => [apsOne.id, apsTwo.id].includes(o.reference))).toHaveLength(2);
    // Nothing is due any more: another pass sends nothing.
    expect(await worker.runOnce()).toBe(0);
    expect(pulse.control.counts.create + chartwell.control.counts.order).toBe(3);

    const requirements = await requirementsOf(caseId);
    expect(requirements.map((r) => [r.code, r.vendorStatus.vendor, r.vendorStatus.stage])).toEqual([
      ['PARAMED_EXAM', 'PULSE', 'ORDERED'],
      ['APS', 'CHARTWELL', 'ORDERED'],
      ['APS', 'CHARTWELL', 'ORDERED'],
    ]);
    const examRow = requirements[0];
    expect(examRow.vendorStatus.orderId).toBe(pulse.control.orderByReference(exam.id)!.orderId);
    expect(examRow.vendorStatus.vendorName).toBe('Pulse Paramedical');
    expect(examRow.history.map((e) => e.type)).toEqual(['REQUIREMENT_ORDERED', 'REQUIREMENT_SENT_TO_VENDOR']);
    expect(examRow.history.every((e) => e.requirementId === exam.id)).toBe(true);
    expect(requirements[1].history[0]).toMatchObject({ type: 'REQUIREMENT_ORDERED', note: 'cardiology follow-up', actor: STAFF.sub });
    // The insured's contact data was read from the application for the vendors, and logged as read.
    const reads = await pool.query(`SELECT count(*) AS n FROM cases.personal_data_access WHERE request_id = ANY($1)`, [
      [exam.id, apsOne.id, apsTwo.id].map((id) => `vendor-order:${id}`),
    ]);
    expect(Number(reads.rows[0].n)).toBe(5);
  });

  test('a lost answer never makes a second order: the vendor answers the same order for the same requirement id', async () => {
    const caseId = await acceptedCase();
    const exam = await order({ caseId, code: 'BLOOD_URINE' });
    await worker.runOnce();
    const first = await vendorRow(exam.id);
    expect(first.orderId).toMatch(/^PX-/);
    // As if the answer had been lost: the row forgets the order id and is due again.
    await pool.query(`UPDATE cases.requirement SET vendor_order_id = NULL, vendor_due_at = now() WHERE id = $1`, [exam.id]);
    await worker.runOnce();
    expect((await vendorRow(exam.id)).orderId).toBe(first.orderId);
    expect(pulse.control.all().filter((o) => o.reference === exam.id)).toHaveLength(1);
  });

  test('a vendor that is down: the order is retried with backoff, never lost, never duplicated', async () => {
    const caseId = await acceptedCase();
    const aps = await order({ caseId, code: 'APS', physician: DR_ONE });
    chartwell.control.reset();
    chartwell.control.setFault('5xx', { times: 2 });
    await worker.runOnce();
    let row = await vendorRow(aps.id);
    expect(row).toMatchObject({ orderId: null, stage: 'QUEUED' });
    expect(row.lastError).toMatch(/VENDOR.UNAVAILABLE/);
    // Backed off: not due before its time.
    expect(new Date(row.dueAt).getTime()).toBeGreaterThan(Date.now());
    expect(await worker.runOnce()).toBe(0);
    await makeDue(aps.id);
    await worker.runOnce();
    expect((await vendorRow(aps.id)).orderId).toBeNull();
    await makeDue(aps.id);
    await worker.runOnce();
    row = await vendorRow(aps.id);
    expect(row).toMatchObject({ stage: 'ORDERED', lastError: null, dueAt: null });
    expect(row.orderId).toMatch(/^CW-/);
    expect(chartwell.control.counts.order).toBe(3);
    expect(chartwell.control.all().filter((o) => o.reference === aps.id)).toHaveLength(1);
  });

  test('a vendor that never answers: the call times out, the row is retried, and the order is placed once', async () => {
    const caseId = await acceptedCase();
    const ekg = await order({ caseId, code: 'EKG' });
    pulse.control.reset();
    pulse.control.setFault('hang', { times: 1 });
    const started = Date.now();
    await worker.runOnce();
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(await vendorRow(ekg.id)).toMatchObject({ orderId: null, stage: 'QUEUED', lastError: expect.stringMatching(/UNAVAILABLE/) });
    await makeDue(ekg.id);
    await worker.runOnce();
    expect((await vendorRow(ekg.id)).stage).toBe('ORDERED');
    expect(pulse.control.all().filter((o) => o.reference === ekg.id)).toHaveLength(1);
  });

  test('an order waits for the carrier reference; a case without an application sends the basics (which PULSE refuses for good: no phone)', async () => {
    const waiting = await acceptedCase({ carrierReference: null });
    const exam = await order({ caseId: waiting, code: 'EKG' });
    pulse.control.reset();
    await worker.runOnce();
    expect(pulse.control.counts.create).toBe(0);
    expect(await vendorRow(exam.id)).toMatchObject({ stage: 'QUEUED', lastError: expect.stringMatching(/carrier reference/) });

    const bare = await acceptedCase({ application: false });
    const refused = await order({ caseId: bare, code: 'EKG' });
    await worker.runOnce();
    expect(pulse.control.counts.create).toBe(1);
    expect((await byId(bare, refused.id)).history.at(-1)).toMatchObject({
      type: 'REQUIREMENT_VENDOR_STATUS',
      note: expect.stringMatching(/^Pulse Paramedical refused the order: VENDOR.REJECTED/),
    });
    expect(await vendorRow(refused.id)).toMatchObject({
      stage: 'QUEUED',
      dueAt: null,
      lastError: expect.stringMatching(/REJECTED.*applicant.phone/),
    });
  });

  test('cancelRequirement cancels at the vendor too, and a never-sent order is simply not sent', async () => {
    const caseId = await acceptedCase();
    const sent = await order({ caseId, code: 'PARAMED_EXAM' });
    await worker.runOnce();
    const queued = await order({ caseId, code: 'EKG' });
    const CANCEL = `mutation($id: ID!, $reason: String!) { cancelRequirement(requirementId: $id, reason: $reason) { id status vendorStatus { stage } history { type note } } }`;
    const cancelled = await ask(CANCEL, { id: sent.id, reason: 'carrier waived the exam' });
    expect(cancelled.errors).toBeUndefined();
    expect(cancelled.data!.cancelRequirement.status).toBe('CANCELLED');
    expect(cancelled.data!.cancelRequirement.history.at(-1)).toEqual({ type: 'REQUIREMENT_CANCELLED', note: 'carrier waived the exam' });
    const never = await ask(CANCEL, { id: queued.id, reason: 'ordered by mistake' });
    expect(never.data!.cancelRequirement.vendorStatus.stage).toBe('CANCELLED');
    pulse.control.reset();
    // Its CANCELLED webhook is lost: the cancel's own answer moves the stage.
    pulse.control.setWebhookFault('drop', { times: 1 });
    await worker.runOnce();
    expect(pulse.control.counts).toMatchObject({ create: 0, cancel: 1 });
    expect(pulse.control.orderByReference(sent.id)!.stage).toBe('CANCELLED');
    expect(pulse.control.orderByReference(queued.id)).toBeUndefined();
    expect(pulse.control.dropped).toHaveLength(1);
    expect((await byId(caseId, sent.id)).vendorStatus.stage).toBe('CANCELLED');
    expect(await vendorEvents(sent.id)).toBe(1);
    expect(await vendorRow(sent.id)).toMatchObject({ dueAt: null });
    expect(codes(await ask(CANCEL, { id: sent.id, reason: 'again' }))).toEqual(['CONFLICT']);
  });
});

describe('cancelling at CHARTWELL', () => {
  test('the 12102 cancel moves the order and the stage; cancelling again at the vendor is an order already final, and done', async () => {
    const caseId = await acceptedCase();
    const aps = (await order({ caseId, code: 'APS', physician: DR_TWO })).id;
    await worker.runOnce();
    const cancelled = await ask(`mutation($id: ID!) { cancelRequirement(requirementId: $id, reason: "records on file") { status } }`, {
      id: aps,
    });
    expect(cancelled.data!.cancelRequirement.status).toBe('CANCELLED');
    chartwell.control.reset();
    await worker.runOnce();
    expect(chartwell.control.counts.cancel).toBe(1);
    expect(chartwell.control.orderByReference(aps)!.stage).toBe('CANCELLED');
    expect((await vendorRow(aps)).stage).toBe('CANCELLED');
    // As if the worker had lost its lease before recording it: the vendor says the order is final, and the row is done.
    await makeDue(aps);
    await worker.runOnce();
    expect(chartwell.control.counts.cancel).toBe(2);
    expect(await vendorRow(aps)).toMatchObject({ stage: 'CANCELLED', dueAt: null, lastError: null });
    await chartwell.control.idle();
    expect(await vendorEvents(aps)).toBe(1);
  });
});

describe('vendor webhooks', () => {
  let caseId: string;
  let exam: string;
  let aps: string;
  beforeAll(async () => {
    caseId = await acceptedCase();
    exam = (await order({ caseId, code: 'PARAMED_EXAM' })).id;
    aps = (await order({ caseId, code: 'APS', physician: DR_TWO })).id;
    await worker.runOnce();
  });
  const orderOf = (id: string, vendor: 'pulse' | 'chartwell') =>
    (vendor === 'pulse' ? pulse : chartwell).control.orderByReference(id)!.orderId;

  test('stages move by webhook, with their details, each in the history', async () => {
    pulse.control.advance(orderOf(exam, 'pulse'), 'SCHEDULED', {
      appointmentAt: '2030-01-15T14:30:00.000Z',
      appointmentPlace: 'Pulse Center Austin',
    });
    chartwell.control.advance(orderOf(aps, 'chartwell'), 'REQUESTED_FROM_PROVIDER', { providerExpectedOn: '2030-02-01' });
    await Promise.all([pulse.control.idle(), chartwell.control.idle()]);
    const examNow = await byId(caseId, exam);
    expect(examNow.vendorStatus).toMatchObject({
      stage: 'SCHEDULED',
      appointmentAt: '2030-01-15T14:30:00.000Z',
      appointmentPlace: 'Pulse Center Austin',
    });
    expect(examNow.history.at(-1)).toMatchObject({
      type: 'REQUIREMENT_VENDOR_STATUS',
      actor: 'vendor:PULSE',
      note: 'Pulse Paramedical: SCHEDULED',
    });
    const apsNow = await byId(caseId, aps);
    expect(apsNow.vendorStatus).toMatchObject({ stage: 'REQUESTED_FROM_PROVIDER', providerExpectedOn: '2030-02-01' });
    expect(chartwell.control.deliveries().every((d) => d.status === 200)).toBe(true);
  });

  test('a duplicated webhook is applied once; an older stage delivered after a newer one never overwrites it', async () => {
    const before = await vendorEvents(exam);
    const received = await receivedEvents('PULSE');
    pulse.control.reset();
    pulse.control.setWebhookFault('duplicate', { times: 1 });
    pulse.control.advance(orderOf(exam, 'pulse'), 'NO_SHOW');
    await pulse.control.idle();
    expect(pulse.control.deliveries().map((d) => d.status)).toEqual([200, 200]);
    expect(await vendorEvents(exam)).toBe(before + 1);
    expect(await receivedEvents('PULSE')).toBe(received + 1);

    // SCHEDULED (sequence n) is held back and delivered after COMPLETED (n + 1).
    pulse.control.setWebhookFault('reorder', { times: 1 });
    pulse.control.advance(orderOf(exam, 'pulse'), 'SCHEDULED', {
      appointmentAt: '2030-01-20T09:00:00.000Z',
      appointmentPlace: 'Pulse Center North',
    });
    pulse.control.advance(orderOf(exam, 'pulse'), 'COMPLETED');
    await pulse.control.idle();
    const delivered = pulse.control
      .deliveries()
      .filter((d) => d.status === 200)
      .map((d) => d.stage);
    expect(delivered.slice(-2)).toEqual(['COMPLETED', 'SCHEDULED']);
    const row = await vendorRow(exam);
    expect(row.stage).toBe('COMPLETED');
    expect(row.sequence).toBe(pulse.control.orderByReference(exam)!.sequence);
    // Both recorded as received; only COMPLETED applied.
    expect(await receivedEvents('PULSE')).toBe(received + 3);
    expect(await vendorEvents(exam)).toBe(before + 2);
    expect((await byId(caseId, exam)).vendorStatus.stage).toBe('COMPLETED');
  });

  test('a bad, missing or stale signature is 401 and changes nothing; an order we do not know is 404', async () => {
    const url = `${base}${vendorWebhookPath('PULSE')}`;
    const row = await vendorRow(exam);
    const received = await receivedEvents('PULSE');
    const body = JSON.stringify({
      eventId: `evt_forged_${RUN}`,
      type: 'order.status_changed',
      orderId: row.orderId,
      reference: exam,
      status: 'RESULTS_SENT_TO_CARRIER',
      sequence: 99,
      occurredAt: new Date().toISOString(),
      appointment: null,
    });
    const post = (signature: string | null) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'pulse-signature': signature }) },
        body,
      });
    const now = Math.floor(Date.now() / 1000);
    expect((await post(`t=${now},v1=${signWebhook('not-the-secret', String(now), body)}`)).status).toBe(401);
    expect((await post(null)).status).toBe(401);
    expect((await post(`t=${now - 3600},v1=${signWebhook(PULSE.webhookSecret, String(now - 3600), body)}`)).status).toBe(401);
    expect((await post(`t=${now + 3600},v1=${signWebhook(PULSE.webhookSecret, String(now + 3600), body)}`)).status).toBe(401);
    expect(await vendorRow(exam)).toEqual(row);
    expect(await receivedEvents('PULSE')).toBe(received);

    // Well signed, for an order nobody here placed: 404, and nothing kept, so a redelivery is applied once the order is known.
    const unknown = body.replace(row.orderId, 'PX-NOBODY00');
    const signed = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'pulse-signature': `t=${now},v1=${signWebhook(PULSE.webhookSecret, String(now), unknown)}`,
      },
      body: unknown,
    });
    expect(signed.status).toBe(404);
    expect(await receivedEvents('PULSE')).toBe(received);

    // The same well-signed event twice at once: one applies it, the other is told it is a duplicate.
    const next = JSON.stringify({ ...JSON.parse(body), eventId: `evt_twice_${RUN}`, sequence: row.sequence + 1 });
    const twice = () =>
      fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'pulse-signature': `t=${now},v1=${signWebhook(PULSE.webhookSecret, String(now), next)}`,
        },
        body: next,
      }).then(async (r) => ({ status: r.status, ...((await r.json()) as { duplicate: boolean; applied: boolean }) }));
    const answers = await Promise.all([twice(), twice()]);
    expect(answers.map((a) => [a.status, a.applied, a.duplicate]).sort()).toEqual([
      [200, false, true],
      [200, true, false],
    ]);
    expect(await vendorRow(exam)).toMatchObject({ stage: 'RESULTS_SENT_TO_CARRIER', sequence: row.sequence + 1 });
    expect(await receivedEvents('PULSE')).toBe(received + 1);

    // CHARTWELL signs with its own headers: a PULSE-style signature there is 401 too.
    const cw = await fetch(`${base}${vendorWebhookPath('CHARTWELL')}`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml', 'x-chartwell-timestamp': String(now), 'x-chartwell-signature': 'ab'.repeat(32) },
      body: '<TXLife/>',
    });
    expect(cw.status).toBe(401);
  });

  test('Requirement.history is one statement for all the requirements of a request', async () => {
    const many = await acceptedCase();
    await order({ caseId: many, code: 'MIB' });
    await order({ caseId: many, code: 'RX_CHECK' });
    await order({ caseId: many, code: 'APS', physician: DR_ONE });
    await order({ caseId: many, code: 'EKG' });
    const one = await acceptedCase();
    await order({ caseId: one, code: 'MIB' });
    const count = async (id: string, fields: string) =>
      (await ask(`query($id: ID!) { case(id: $id) { requirements { ${fields} } } }`, { id })).extensions!.stats.sql as number;
    const withHistory = await count(many, 'id history { type } vendorStatus { stage }');
    const without = await count(many, 'id vendorStatus { stage }');
    expect(withHistory).toBe(without + 1);
    expect(await count(one, 'id history { type } vendorStatus { stage }')).toBe(withHistory);
  });
});

describe('polling a vendor (refreshFromVendor, for the follow-up job)', () => {
  test('a stage whose webhook was dropped is applied by a poll, once; a requirement without an order asks nobody', async () => {
    const caseId = await acceptedCase();
    const aps = (await order({ caseId, code: 'APS', physician: DR_ONE })).id;
    const never = (await order({ caseId, code: 'MIB' })).id;
    await worker.runOnce();
    const orderId = chartwell.control.orderByReference(aps)!.orderId;
    chartwell.control.reset();
    chartwell.control.setWebhookFault('drop', { times: 1 });
    chartwell.control.advance(orderId, 'AUTHORIZATION_SENT');
    await chartwell.control.idle();
    expect(chartwell.control.dropped).toHaveLength(1);
    expect((await vendorRow(aps)).stage).toBe('ORDERED');
    const deps = {
      db: new Db(pool as never),
      vendors: {
        PULSE: new PulseAdapter({ webhookToleranceSeconds: 300, baseUrl: pulse.url, ...PULSE }),
        CHARTWELL: new ChartwellAdapter({ webhookToleranceSeconds: 300, baseUrl: chartwell.url, ...CHARTWELL }),
      },
    };
    expect(await refreshFromVendor(deps, aps)).toEqual({ applied: true, stage: 'AUTHORIZATION_SENT', sequence: 2 });
    expect(await refreshFromVendor(deps, aps)).toEqual({ applied: false, stage: 'AUTHORIZATION_SENT', sequence: 2 });
    expect(chartwell.control.counts.status).toBe(2);
    expect(await vendorEvents(aps)).toBe(1);
    expect((await byId(caseId, aps)).history.at(-1)).toMatchObject({ type: 'REQUIREMENT_VENDOR_STATUS', actor: 'system:vendor-poll' });
    expect(await refreshFromVendor(deps, never)).toBeNull();
    expect(chartwell.control.counts.status + pulse.control.counts.get).toBe(2);
  });
});

describe("the subgraph's own worker", () => {
  test('an order is sent when the mutation nudges the worker, and its webhooks come back to the subgraph', async () => {
    const port = await freePort();
    const env = {
      ...process.env,
      LOG_LEVEL: 'silent',
      // A poll so rare that only the nudge after the mutation can send the order in time.
      OUTBOX_POLL_MS: '600000',
      SYNC_INTERVAL_MS: '0',
      VENDOR_PULSE_URL: pulse.url,
      VENDOR_PULSE_API_KEY: PULSE.apiKey,
      VENDOR_PULSE_WEBHOOK_SECRET: PULSE.webhookSecret,
      VENDOR_CHARTWELL_URL: chartwell.url,
      VENDOR_CHARTWELL_API_KEY: CHARTWELL.apiKey,
      VENDOR_CHARTWELL_WEBHOOK_SECRET: CHARTWELL.webhookSecret,
      VENDOR_CALLBACK_BASE_URL: `http://127.0.0.1:${port}`,
    };
    const own = await startSubgraph(casesSubgraph, readCommonConfig(env), port, '127.0.0.1', { env });
    try {
      const caseId = await acceptedCase();
      const response = await graphql(
        own.url,
        ORDER,
        { caseId, code: 'PARAMED_EXAM' },
        { headers: signIdentity(STAFF, DEV_IDENTITY_SECRET) },
      );
      expect(response.errors).toBeUndefined();
      const id = response.data!.orderRequirement.id as string;
      const deadline = Date.now() + 10_000;
      while (!(await vendorRow(id)).orderId && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      const orderId = (await vendorRow(id)).orderId as string;
      expect(orderId).toBe(pulse.control.orderByReference(id)!.orderId);
      pulse.control.advance(orderId, 'SCHEDULED');
      await pulse.control.idle();
      expect((await vendorRow(id)).stage).toBe('SCHEDULED');
    } finally {
      await own.stop();
    }
  });
});

describe('bad input', () => {
  test('each refusal with its code, and nothing ordered', async () => {
    const caseId = await acceptedCase();
    const rows = async () =>
      Number((await pool.query(`SELECT count(*) AS n FROM cases.requirement WHERE case_id = $1`, [caseId])).rows[0].n);
    const refused = async (variables: Record<string, unknown>, identity: Identity = STAFF) => {
      const response = await ask(ORDER, { caseId, ...variables }, identity);
      return { codes: codes(response), reasons: (response.errors?.[0]?.extensions?.reasons ?? []) as string[] };
    };
    const noPhysician = await refused({ code: 'APS' });
    expect(noPhysician.codes).toEqual(['BAD_USER_INPUT']);
    expect(noPhysician.reasons.map((r) => r.split(':')[0])).toEqual(['physician.name', 'physician.phone']);
    expect((await refused({ code: 'APS', physician: { name: 'Dr. Who' } })).reasons.map((r) => r.split(':')[0])).toEqual([
      'physician.phone',
    ]);
    expect((await refused({ code: 'APS', physician: { name: 'Dr. Who', phone: 'call me' } })).reasons.map((r) => r.split(':')[0])).toEqual([
      'physician.phone',
    ]);
    expect((await refused({ code: 'PARAMED_EXAM', vendor: 'CHARTWELL' })).codes).toEqual(['BAD_USER_INPUT']);
    expect((await refused({ code: 'APS', vendor: 'PULSE', physician: DR_ONE })).codes).toEqual(['BAD_USER_INPUT']);
    expect((await refused({ code: 'MIB', vendor: 'PULSE' })).codes).toEqual(['BAD_USER_INPUT']);
    expect((await refused({ code: 'APS', vendor: 'NOBODY', physician: DR_ONE })).codes).toEqual(['BAD_USER_INPUT']);
    expect((await refused({ code: 'PARAMED_EXAM', physician: DR_ONE })).codes).toEqual(['BAD_USER_INPUT']);
    expect((await refused({ code: 'APS', physician: { ...DR_ONE, treatedFrom: '2024-01-01', treatedTo: '2023-01-01' } })).codes).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect((await refused({ code: 'EKG' }, { sub: 'user:agent', role: 'AGENT', agentId: 'agt_vendor_test' })).codes).toEqual(['FORBIDDEN']);
    expect(await rows()).toBe(0);

    // A key used for another order is a conflict; a closed case takes no orders.
    await order({ caseId, code: 'EKG', key: `key-${RUN}` });
    expect((await refused({ code: 'BLOOD_URINE', key: `key-${RUN}` })).codes).toEqual(['CONFLICT']);
    const closed = await acceptedCase({ status: 'DECLINED' });
    expect(codes(await ask(ORDER, { caseId: closed, code: 'EKG' }))).toEqual(['CONFLICT']);
    expect(codes(await ask(ORDER, { caseId: `case_nope${RUN}`, code: 'EKG' }))).toEqual(['NOT_FOUND']);
  });
});
