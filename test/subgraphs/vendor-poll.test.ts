/**
 * Lost vendor webhooks caught up by polling, on a started cases subgraph against the PULSE and
 * CHARTWELL simulators (real HTTP both ways) and the test database. Orders are placed by a vendor
 * order worker driven pass by pass; the poll workers are driven pass by pass too (the subgraph's
 * own are off), and every status call a vendor receives is counted. A webhook the vendor dropped
 * leaves our stage behind; once the order has gone without news for the stale time, the poll asks
 * the vendor and the stage arrives, once. A fresh order is not asked; two workers at once ask about
 * each stale order once; a vendor that is down leaves the order to its next turn.
 *
 * Orders are made stale by dating their last news back 40 days, past the workers' 30-day stale
 * time: other suites' outstanding orders, in the same database, are never that old, so the counts
 * here are this suite's alone.
 */
import 'reflect-metadata';
import type pg from 'pg';
import pino from 'pino';
import { DEV_IDENTITY_SECRET, readCommonConfig } from '../../platform/config';
import { signIdentity, type Identity } from '../../platform/identity';
import { PersonalDataVault } from '../../platform/personal-data';
import { freePort } from '../../scripts/embedded/redis-server';
import { type RunningSimulators, startSimulators } from '../../simulators/simulators';
import { CARRIERS } from '../../subgraphs/carriers/fixtures/carriers.fixture';
import { PERSONAL_FIELD } from '../../subgraphs/cases/application.service';
import { OUTSTANDING_VENDOR_ORDER_SQL } from '../../subgraphs/cases/cases.migrations';
import { casesSubgraph } from '../../subgraphs/cases/cases.subgraph';
import { FINAL_VENDOR_STAGES } from '../../subgraphs/cases/domain/requirement-vendors';
import type { RequirementVendors } from '../../subgraphs/cases/ports/requirement-vendor.port';
import { ChartwellAdapter } from '../../subgraphs/cases/ports/vendors/chartwell.adapter';
import { PulseAdapter } from '../../subgraphs/cases/ports/vendors/pulse.adapter';
import { VendorOrderWorker } from '../../subgraphs/cases/vendor-order.worker';
import { VendorPollWorker } from '../../subgraphs/cases/vendor-poll.worker';
import { vendorWebhookPath } from '../../subgraphs/cases/vendor-webhook.route';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/shared/subgraph-server';
import { graphql } from '../support/graphql';
import { testPool } from '../support/test-pool';

const STAFF: Identity = { sub: 'user:test-staff', role: 'STAFF' };
const RUN = Date.now().toString(36);
const RETRY = { initialDelayMs: 20, maxDelayMs: 200, maxAttempts: 50, timeoutMs: 5_000 };
const STALE_SECONDS = 30 * 86_400;
const DR = { name: 'Alex Morgan', phone: '(512) 555-0101', practice: 'Austin Family Medicine' };

let simulators: RunningSimulators;
let subgraph: RunningSubgraph;
let pool: pg.Pool;
let orders: VendorOrderWorker;
let vendors: RequirementVendors;
let caseCounter = 0;
const vault = PersonalDataVault.fromEnv(process.env);
const logger = pino({ level: 'silent' });

const ask = (query: string, variables: Record<string, unknown> = {}) =>
  graphql(subgraph.url, query, variables, { headers: signIdentity(STAFF, DEV_IDENTITY_SECRET) });

const poller = () => new VendorPollWorker({ pool: pool as never, logger, vendors, intervalMs: 60_000, staleSeconds: STALE_SECONDS });

beforeAll(async () => {
  pool = testPool(4);
  // The vendors, and the one carrier they deliver to (no order here reaches it).
  simulators = await startSimulators({ carriers: CARRIERS.filter((c) => c.id === 'car_summit'), vendors: { webhookRetry: RETRY } });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    ...simulators.env,
    LOG_LEVEL: 'silent',
    // The subgraph's own workers are off: the test drives the order and poll workers pass by pass.
    OUTBOX_POLL_MS: '0',
    SYNC_INTERVAL_MS: '0',
    FOLLOW_UP_INTERVAL_MS: '0',
    VENDOR_POLL_INTERVAL_MS: '0',
    VENDOR_CALLBACK_BASE_URL: base,
  };
  subgraph = await startSubgraph(casesSubgraph, readCommonConfig(env), port, '127.0.0.1', { env });
  const settings = { webhookToleranceSeconds: 300, timeoutMs: 2_000 };
  vendors = {
    PULSE: new PulseAdapter({
      ...settings,
      baseUrl: simulators.env.VENDOR_PULSE_URL,
      apiKey: simulators.env.VENDOR_PULSE_API_KEY,
      webhookSecret: simulators.env.VENDOR_PULSE_WEBHOOK_SECRET,
    }),
    CHARTWELL: new ChartwellAdapter({
      ...settings,
      baseUrl: simulators.env.VENDOR_CHARTWELL_URL,
      apiKey: simulators.env.VENDOR_CHARTWELL_API_KEY,
      webhookSecret: simulators.env.VENDOR_CHARTWELL_WEBHOOK_SECRET,
    }),
  };
  orders = new VendorOrderWorker({
    pool: pool as never,
    logger,
    vendors,
    vault,
    callbackUrl: (vendor) => `${base}${vendorWebhookPath(vendor)}`,
    pollMs: 60_000,
  });
});

afterAll(async () => {
  await orders?.stop();
  await subgraph?.stop();
  await simulators?.stop();
  await pool?.end();
});

/** A case the carrier has accepted, with an application holding the insured's contact data (PULSE needs it). */
async function acceptedCase(): Promise<string> {
  const n = ++caseCounter;
  const id = `case_vp${RUN}_${n}`;
  await pool.query(
    `INSERT INTO cases."case" (id, case_number, agent_id, carrier_id, product_id, product_type, insured_first_name, insured_last_name, insured_birth_date,
       insured_gender, insured_state, insured_tobacco, face_amount, term_years, applied_health_class, payment_mode, annual_premium_cents, modal_premium_cents,
       status, submitted_at, created_by, carrier_reference)
     VALUES ($1, $2, 'agt_vendor_test', 'car_summit', 'prd_summit_term', 'TERM', 'Dana', 'Insured', '1980-05-06', 'FEMALE', 'TX', false, 500000, 20,
       'PREFERRED', 'ANNUAL', 100000, 100000, 'IN_UNDERWRITING', '2024-01-02T10:00:00Z', 'user:test', $3)`,
    [id, `VP-${(Date.now() % 1e9) * 10 + n}`, `SUM-VP-${RUN}-${n}`],
  );
  // Every case has a history (other suites reading the newest cases count on it), submitted in the past so as not to crowd them.
  await pool.query(
    `INSERT INTO cases.case_event (case_id, at, type, to_status, actor) VALUES ($1, '2024-01-02T10:00:00Z', 'STATUS_CHANGED', 'SUBMITTED', 'user:test')`,
    [id],
  );
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
    [`app_vp${RUN}_${n}`, vault.seal(PERSONAL_FIELD, JSON.stringify(personal)), id],
  );
  return id;
}

const ORDER = `mutation($caseId: ID!, $code: RequirementCode!, $physician: PhysicianInput) {
  orderRequirement(caseId: $caseId, code: $code, physician: $physician) { id } }`;

/** Orders a requirement and places it at its vendor (the order worker's pass). */
async function placed(caseId: string, code: string): Promise<string> {
  const response = await ask(ORDER, { caseId, code, physician: code === 'APS' ? DR : undefined });
  expect(response.errors).toBeUndefined();
  const id = response.data!.orderRequirement.id as string;
  await orders.runOnce();
  return id;
}

const orderOf = (id: string, vendor: 'pulse' | 'chartwell') => simulators.vendors[vendor].orderByReference(id)!.orderId;
const stageOf = async (id: string) =>
  (await pool.query(`SELECT vendor_stage AS stage FROM cases.requirement WHERE id = $1`, [id])).rows[0].stage as string;
const statusEvents = async (id: string) =>
  (
    await pool.query(
      `SELECT actor, note FROM cases.case_event WHERE requirement_id = $1 AND type = 'REQUIREMENT_VENDOR_STATUS' ORDER BY id`,
      [id],
    )
  ).rows as { actor: string; note: string }[];
/** No news for 40 days: no stage change, no poll. */
const makeStale = (ids: string[]) =>
  pool.query(`UPDATE cases.requirement SET vendor_stage_at = now() - interval '40 days', vendor_polled_at = NULL WHERE id = ANY($1)`, [
    ids,
  ]);
const statusCalls = () => simulators.vendors.pulse.counts.get + simulators.vendors.chartwell.counts.status;

function resetVendors(): void {
  simulators.vendors.pulse.reset();
  simulators.vendors.chartwell.reset();
}

test('a dropped webhook: the stage arrives by the poll once the order is stale, once; a fresh order is not asked', async () => {
  const caseId = await acceptedCase();
  const exam = await placed(caseId, 'PARAMED_EXAM');
  const aps = await placed(caseId, 'APS');
  resetVendors();
  const { pulse, chartwell } = simulators.vendors;
  pulse.setWebhookFault('drop', { times: 1 });
  chartwell.setWebhookFault('drop', { times: 1 });
  pulse.advance(orderOf(exam, 'pulse'), 'SCHEDULED');
  chartwell.advance(orderOf(aps, 'chartwell'), 'REQUESTED_FROM_PROVIDER');
  await Promise.all([pulse.idle(), chartwell.idle()]);
  expect(pulse.dropped).toHaveLength(1);
  expect(chartwell.dropped).toHaveLength(1);
  expect([await stageOf(exam), await stageOf(aps)]).toEqual(['ORDERED', 'ORDERED']);

  // Fresh: nothing to ask.
  const worker = poller();
  expect(await worker.runOnce()).toBe(0);
  expect(statusCalls()).toBe(0);

  await makeStale([exam, aps]);
  expect(await worker.runOnce()).toBe(2);
  expect(pulse.counts.get).toBe(1);
  expect(chartwell.counts.status).toBe(1);
  expect([await stageOf(exam), await stageOf(aps)]).toEqual(['SCHEDULED', 'REQUESTED_FROM_PROVIDER']);
  expect(await statusEvents(exam)).toEqual([{ actor: 'system:vendor-poll', note: 'Pulse Paramedical: SCHEDULED' }]);
  expect(await statusEvents(aps)).toHaveLength(1);

  // Just asked: not asked again before the stale time has passed once more.
  expect(await worker.runOnce()).toBe(0);
  expect(statusCalls()).toBe(2);
  // Asked again with nothing new: nothing applied, no second event.
  await makeStale([exam, aps]);
  expect(await worker.runOnce()).toBe(2);
  expect(statusCalls()).toBe(4);
  expect(await statusEvents(exam)).toHaveLength(1);
  expect(await statusEvents(aps)).toHaveLength(1);
});

test('two workers at once: each stale order is asked about once', async () => {
  const ids: { id: string; vendor: 'pulse' | 'chartwell' }[] = [];
  for (let i = 0; i < 2; i++) {
    const caseId = await acceptedCase();
    for (const code of ['PARAMED_EXAM', 'BLOOD_URINE', 'EKG']) ids.push({ id: await placed(caseId, code), vendor: 'pulse' });
    ids.push({ id: await placed(caseId, 'APS'), vendor: 'chartwell' });
  }
  resetVendors();
  // Every webhook of these moves is lost: only the poll brings them.
  simulators.vendors.pulse.setWebhookFault('drop', { times: 100 });
  simulators.vendors.chartwell.setWebhookFault('drop', { times: 100 });
  for (const { id, vendor } of ids) simulators.vendors[vendor].advance(orderOf(id, vendor));
  await Promise.all([simulators.vendors.pulse.idle(), simulators.vendors.chartwell.idle()]);
  await makeStale(ids.map((r) => r.id));

  const [one, two] = await Promise.all([poller().runOnce(), poller().runOnce()]);
  expect(one + two).toBe(8);
  expect(simulators.vendors.pulse.counts.get).toBe(6);
  expect(simulators.vendors.chartwell.counts.status).toBe(2);
  for (const { id, vendor } of ids) {
    expect(await stageOf(id)).toBe(simulators.vendors[vendor].orderByReference(id)!.stage);
    expect(await statusEvents(id)).toHaveLength(1);
  }
  simulators.vendors.pulse.setWebhookFault(null);
  simulators.vendors.chartwell.setWebhookFault(null);
});

test('a vendor that is down: logged, the stage unchanged, the order asked again at its next turn', async () => {
  const caseId = await acceptedCase();
  const exam = await placed(caseId, 'EKG');
  resetVendors();
  const { pulse } = simulators.vendors;
  pulse.setWebhookFault('drop', { times: 1 });
  pulse.advance(orderOf(exam, 'pulse'), 'SCHEDULED');
  await pulse.idle();
  pulse.setFault('5xx');
  await makeStale([exam]);
  const worker = poller();
  expect(await worker.runOnce()).toBe(1);
  expect(pulse.counts.get).toBeGreaterThanOrEqual(1);
  expect(await stageOf(exam)).toBe('ORDERED');
  // Its turn has not come again: not asked.
  const calls = pulse.counts.get;
  expect(await worker.runOnce()).toBe(0);
  expect(pulse.counts.get).toBe(calls);

  pulse.setFault(null);
  await makeStale([exam]);
  expect(await worker.runOnce()).toBe(1);
  expect(await stageOf(exam)).toBe('SCHEDULED');
  expect(await statusEvents(exam)).toHaveLength(1);
});

test('the claim reads only outstanding orders: the final stages it leaves out are the domain’s', () => {
  for (const stage of FINAL_VENDOR_STAGES) expect(OUTSTANDING_VENDOR_ORDER_SQL).toContain(`'${stage}'`);
  expect(OUTSTANDING_VENDOR_ORDER_SQL.match(/'[A-Z_]+'/g)).toHaveLength(FINAL_VENDOR_STAGES.length + 1);
});
