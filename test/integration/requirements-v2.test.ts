/**
 * A case manager's requirements desk, end to end through the gateway with every simulator running:
 * a case submitted to an ACORD carrier; an exam (PULSE) and two APSs, one per physician
 * (CHARTWELL), ordered on it; the vendors' signed webhooks move them through every stage; at the
 * last one each vendor delivers its results to the carrier; a carrier sync then marks exactly those
 * three requirements received, matched by the carrier's requirement id and our reference in it
 * (two APSs stay two), and the case approves.
 */
import type pg from 'pg';
import { PersonalDataVault } from '../../platform/personal-data';
import { PERSONAL_FIELD } from '../../subgraphs/cases/application.service';
import { CARRIERS } from '../../subgraphs/carriers/fixtures/carriers.fixture';
import { graphql } from '../support/graphql';
import { startStack, type Stack } from '../support/stack';
import { eligibleTargets, submission } from '../support/submissions';
import { until } from '../support/wait';
import { testPool } from '../support/test-pool';

let stack: Stack;
let pool: pg.Pool;
let staff: string;

beforeAll(async () => {
  // The workers run on their own (the outbox and vendor orders every 200 ms); the periodic sync and
  // the follow-up job are off, so every carrier sync here is the one the test asks for.
  stack = await startStack({ env: { OUTBOX_POLL_MS: '200', SYNC_INTERVAL_MS: '0', FOLLOW_UP_INTERVAL_MS: '0', CARRIER_RETRIES: '0' } });
  pool = testPool(2);
  staff = await stack.token('STAFF');
});

afterAll(async () => {
  await stack?.stop();
  await pool?.end();
});

const ask = async (query: string, variables: Record<string, unknown>) => {
  const response = await graphql(stack.url, query, variables, { token: staff });
  expect(response.errors).toBeUndefined();
  return response.data!;
};

interface RequirementView {
  id: string;
  code: string;
  status: string;
  carrierRequirementId: string | null;
  vendorStatus: { vendor: string; orderId: string | null; stage: string } | null;
  history: { type: string; actor: string }[];
}

const CASE = `query($id: ID!) { case(id: $id) { status carrierReference
  requirements { id code status carrierRequirementId vendorStatus { vendor orderId stage } history { type actor } } } }`;
const readCase = async (id: string) =>
  (await ask(CASE, { id })).case as { status: string; carrierReference: string | null; requirements: RequirementView[] };

const ORDER = `mutation($caseId: ID!, $code: RequirementCode!, $physician: PhysicianInput, $key: String) {
  orderRequirement(caseId: $caseId, code: $code, physician: $physician, idempotencyKey: $key) { id code vendorStatus { vendor stage } } }`;

/** The insured's contact details an exam vendor needs, as a signed e-application would hold them (sealed). */
async function attachApplication(caseId: string, target: { agentId: string; carrierId: string; productId: string; state: string }) {
  const personal = {
    insured: {
      kind: 'PERSON',
      firstName: 'Robin',
      lastName: 'Example',
      phone: '214-555-0123',
      address: { line1: '9 Oak Ln', city: 'Dallas', state: target.state, zip: '75201' },
    },
  };
  await pool.query(
    `INSERT INTO cases.application (id, agent_id, carrier_id, product_id, state, status, draft, personal, case_id, created_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, 'SUBMITTED', '{}', $6, $7, 'user:test', now(), now())`,
    [
      `app_rq2${Date.now().toString(36)}`,
      target.agentId,
      target.carrierId,
      target.productId,
      target.state,
      PersonalDataVault.fromEnv(process.env).seal(PERSONAL_FIELD, JSON.stringify(personal)),
      caseId,
    ],
  );
}

describe('requirements v2, end to end through the gateway', () => {
  it('an exam and two APSs: vendors move them, the carrier receives the results, sync marks them received by id, the case approves', async () => {
    const acordIds = CARRIERS.filter((c) => c.protocol === 'ACORD').map((c) => c.id);
    const target = (await eligibleTargets(pool, 40, 'carrier')).find((t) => acordIds.includes(t.carrierId))!;
    const carrierCode = CARRIERS.find((c) => c.id === target.carrierId)!.code;
    const submitted = await ask('mutation($input: SubmitCaseInput!) { submitCase(input: $input) { id } }', {
      input: submission(target, `rq2-${Date.now()}`),
    });
    const caseId = submitted.submitCase.id as string;
    const reference = await until('the carrier to accept', async () => (await readCase(caseId)).carrierReference ?? undefined);
    await attachApplication(caseId, target);

    const exam = (await ask(ORDER, { caseId, code: 'PARAMED_EXAM' })).orderRequirement;
    const apsA = (
      await ask(ORDER, {
        caseId,
        code: 'APS',
        physician: { name: 'Jordan Lee', phone: '214-555-0177', practice: 'Dallas Internal Medicine' },
      })
    ).orderRequirement;
    const apsB = (
      await ask(ORDER, { caseId, code: 'APS', physician: { name: 'Sam Ortiz', phone: '214-555-0199' }, key: `aps-b-${caseId}` })
    ).orderRequirement;
    // The same idempotency key again: the same requirement, no second order.
    const again = (
      await ask(ORDER, { caseId, code: 'APS', physician: { name: 'Sam Ortiz', phone: '214-555-0199' }, key: `aps-b-${caseId}` })
    ).orderRequirement;
    expect(again.id).toBe(apsB.id);
    expect([exam.vendorStatus, apsA.vendorStatus, apsB.vendorStatus]).toEqual([
      { vendor: 'PULSE', stage: 'QUEUED' },
      { vendor: 'CHARTWELL', stage: 'QUEUED' },
      { vendor: 'CHARTWELL', stage: 'QUEUED' },
    ]);
    const ours = [exam.id, apsA.id, apsB.id] as string[];
    const mine = (requirements: RequirementView[]) => ours.map((id) => requirements.find((r) => r.id === id)!);

    await until('the three orders acknowledged', async () =>
      mine((await readCase(caseId)).requirements).every((r) => r.vendorStatus?.stage === 'ORDERED') ? true : undefined,
    );
    const { pulse, chartwell } = stack.simulators.vendors;
    // One order per requirement at each vendor, whatever the nudges and polls.
    expect(pulse.all().filter((o) => o.reference === exam.id)).toHaveLength(1);
    expect(chartwell.all().filter((o) => o.reference === apsA.id || o.reference === apsB.id)).toHaveLength(2);

    // Each vendor's happy path, one stage per advance; every stage reaches us by signed webhook.
    const examOrder = pulse.orderByReference(exam.id)!.orderId;
    pulse.advance(examOrder, 'SCHEDULED', { appointmentAt: '2030-03-01T15:00:00.000Z', appointmentPlace: 'Pulse Dallas' });
    pulse.advance(examOrder, 'COMPLETED');
    pulse.advance(examOrder, 'RESULTS_SENT_TO_CARRIER');
    for (const id of [apsA.id, apsB.id]) {
      const order = chartwell.orderByReference(id)!.orderId;
      for (const stage of ['AUTHORIZATION_SENT', 'REQUESTED_FROM_PROVIDER', 'PROVIDER_FEE_PAID', 'RECEIVED_BY_VENDOR', 'SENT_TO_CARRIER'])
        chartwell.advance(order, stage as never);
    }
    await Promise.all([pulse.idle(), chartwell.idle()]);
    let current = await readCase(caseId);
    expect(mine(current.requirements).map((r) => r.vendorStatus!.stage)).toEqual([
      'RESULTS_SENT_TO_CARRIER',
      'SENT_TO_CARRIER',
      'SENT_TO_CARRIER',
    ]);
    const examHistory = mine(current.requirements)[0].history.filter((e) => e.type === 'REQUIREMENT_VENDOR_STATUS');
    expect(examHistory).toHaveLength(3);
    // Results are the carrier's to judge: a vendor's last stage does not receive the requirement here.
    expect(mine(current.requirements).map((r) => r.status)).toEqual(['ORDERED', 'ORDERED', 'ORDERED']);

    // The carrier got the results, each under our reference and its own requirement id.
    const atCarrier = stack.simulators.control.applications(carrierCode).find((a) => a.carrierReference === reference)!;
    const delivered = atCarrier.requirements.filter((r) => r.reference !== null && ours.includes(r.reference));
    expect(delivered.map((r) => [r.reference, r.status]).sort()).toEqual(ours.map((id) => [id, 'RECEIVED']).sort());
    expect(new Set(delivered.map((r) => r.id)).size).toBe(3);

    await ask('mutation($id: ID!) { syncCaseFromCarrier(id: $id) { status } }', { id: caseId });
    current = await readCase(caseId);
    const synced = mine(current.requirements);
    expect(synced.map((r) => r.status)).toEqual(['RECEIVED', 'RECEIVED', 'RECEIVED']);
    // Matched by identity: each of our rows now carries the carrier's id for it, and no second row was made.
    expect(synced.map((r) => r.carrierRequirementId)).toEqual(ours.map((id) => delivered.find((d) => d.reference === id)!.id));
    expect(current.requirements.filter((r) => r.code === 'APS')).toHaveLength(2);

    // Whatever else is outstanding is received by the case manager; then the carrier approves.
    for (const r of current.requirements.filter((x) => x.status === 'ORDERED'))
      await ask('mutation($r: ID!) { receiveRequirement(requirementId: $r) { status } }', { r: r.id });
    stack.simulators.control.advance(carrierCode, reference, { status: 'APPROVED' });
    expect((await ask('mutation($id: ID!) { syncCaseFromCarrier(id: $id) { status } }', { id: caseId })).syncCaseFromCarrier.status).toBe(
      'APPROVED',
    );
  });
});
