/**
 * Requirements at vendors through the whole graph (gateway, three subgraphs, every simulator): an
 * exam and an APS ordered through the gateway reach PULSE and CHARTWELL once each, sent by the
 * cases subgraph's own worker right after the mutation, under the carrier's code as the carriers
 * subgraph's catalog names it (HARBOR for car_harborlight, not a guess from the id), and the
 * vendors' signed webhooks move Requirement.vendorStatus, which the gateway serves.
 */
import type pg from 'pg';
import { PersonalDataVault } from '../../platform/personal-data';
import { PERSONAL_FIELD } from '../../subgraphs/cases/application.service';
import { graphql } from '../support/graphql';
import { startStack, type Stack } from '../support/stack';
import { until } from '../support/wait';
import { testPool } from '../support/test-pool';

let stack: Stack;
let pool: pg.Pool;
let staff: string;
const RUN = Date.now().toString(36);

beforeAll(async () => {
  stack = await startStack({ env: { OUTBOX_POLL_MS: '60000', SYNC_INTERVAL_MS: '0' } });
  pool = testPool(2);
  staff = await stack.token('STAFF');
});

afterAll(async () => {
  await stack?.stop();
  await pool?.end();
});

/** A HARBOR case the carrier has accepted, with its application's contact data. */
async function acceptedCase(): Promise<string> {
  const id = `case_e2ev${RUN}`;
  await pool.query(
    `INSERT INTO cases."case" (id, case_number, agent_id, carrier_id, product_id, product_type, insured_first_name, insured_last_name, insured_birth_date,
       insured_gender, insured_state, insured_tobacco, face_amount, term_years, applied_health_class, payment_mode, annual_premium_cents, modal_premium_cents,
       status, submitted_at, created_by, carrier_reference)
     VALUES ($1, $2, 'agt_vendor_e2e', 'car_harborlight', 'prd_harborlight_term', 'TERM', 'Robin', 'Insured', '1979-03-04', 'MALE', 'TX', false, 500000,
       20, 'PREFERRED', 'ANNUAL', 100000, 100000, 'IN_UNDERWRITING', '2024-01-02T10:00:00Z', 'user:test', $3)`,
    [id, `E2EV-${Date.now() % 1e9}`, `HML-${RUN}`],
  );
  // Every case has a history (other suites reading the newest cases count on it), submitted in the past so as not to crowd them.
  await pool.query(
    `INSERT INTO cases.case_event (case_id, at, type, to_status, actor) VALUES ($1, '2024-01-02T10:00:00Z', 'STATUS_CHANGED', 'SUBMITTED', 'user:test')`,
    [id],
  );
  const personal = {
    insured: {
      kind: 'PERSON',
      firstName: 'Robin',
      lastName: 'Insured',
      phone: '214-555-0123',
      address: { line1: '9 Oak Ln', city: 'Dallas', state: 'TX', zip: '75201' },
    },
  };
  await pool.query(
    `INSERT INTO cases.application (id, agent_id, carrier_id, product_id, state, status, draft, personal, case_id, created_by, created_at, updated_at)
     VALUES ($1, 'agt_vendor_e2e', 'car_harborlight', 'prd_harborlight_term', 'TX', 'SUBMITTED', '{}', $2, $3, 'user:test', now(), now())`,
    [`app_e2ev${RUN}`, PersonalDataVault.fromEnv(process.env).seal(PERSONAL_FIELD, JSON.stringify(personal)), id],
  );
  return id;
}

const ORDER = `mutation($caseId: ID!, $code: RequirementCode!, $physician: PhysicianInput) {
  orderRequirement(caseId: $caseId, code: $code, physician: $physician) { id vendorStatus { vendor stage } } }`;
const STATUS = `query($id: ID!) { case(id: $id) { requirements { id code vendorStatus { vendor orderId stage appointmentAt appointmentPlace } history { type } } } }`;

test('an exam and an APS ordered through the gateway reach their vendors once, and the vendors move them', async () => {
  const caseId = await acceptedCase();
  const { pulse, chartwell } = stack.simulators.vendors;
  const exam = await graphql(stack.url, ORDER, { caseId, code: 'PARAMED_EXAM' }, { token: staff });
  expect(exam.errors).toBeUndefined();
  const aps = await graphql(
    stack.url,
    ORDER,
    { caseId, code: 'APS', physician: { name: 'Jordan Lee', phone: '214-555-0177', practice: 'Dallas Internal Medicine' } },
    { token: staff },
  );
  expect(aps.errors).toBeUndefined();
  const examId = exam.data!.orderRequirement.id as string;
  const apsId = aps.data!.orderRequirement.id as string;
  expect(exam.data!.orderRequirement.vendorStatus).toEqual({ vendor: 'PULSE', stage: 'QUEUED' });

  // The worker polls once a minute here: only the nudge after each mutation sends the orders this soon.
  const read = async () =>
    (await graphql(stack.url, STATUS, { id: caseId }, { token: staff })).data!.case.requirements as {
      id: string;
      vendorStatus: { orderId: string | null; stage: string; appointmentAt: string | null; appointmentPlace: string | null };
      history: { type: string }[];
    }[];
  await until('both orders acknowledged', async () => ((await read()).every((r) => r.vendorStatus.stage === 'ORDERED') ? true : undefined));
  const examOrder = pulse.orderByReference(examId)!;
  const apsOrder = chartwell.orderByReference(apsId)!;
  expect(examOrder.carrier).toMatchObject({ code: 'HARBOR', policyReference: `HML-${RUN}` });
  expect(apsOrder.carrier).toMatchObject({ code: 'HARBOR', policyReference: `HML-${RUN}` });
  expect(pulse.all().filter((o) => o.reference === examId)).toHaveLength(1);
  expect(chartwell.all().filter((o) => o.reference === apsId)).toHaveLength(1);

  pulse.advance(examOrder.orderId, 'SCHEDULED', { appointmentAt: '2030-03-01T15:00:00.000Z', appointmentPlace: 'Pulse Dallas' });
  chartwell.advance(apsOrder.orderId, 'AUTHORIZATION_SENT');
  await Promise.all([pulse.idle(), chartwell.idle()]);
  const after = await read();
  expect(after.find((r) => r.id === examId)!.vendorStatus).toEqual({
    vendor: 'PULSE',
    orderId: examOrder.orderId,
    stage: 'SCHEDULED',
    appointmentAt: '2030-03-01T15:00:00.000Z',
    appointmentPlace: 'Pulse Dallas',
  });
  expect(after.find((r) => r.id === apsId)!.vendorStatus.stage).toBe('AUTHORIZATION_SENT');
  expect(after.find((r) => r.id === apsId)!.history.map((e) => e.type)).toEqual([
    'REQUIREMENT_ORDERED',
    'REQUIREMENT_SENT_TO_VENDOR',
    'REQUIREMENT_VENDOR_STATUS',
  ]);
});
