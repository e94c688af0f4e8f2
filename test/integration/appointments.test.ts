/**
 * Appointments filed with carriers, through the whole graph with real simulated carriers: a case
 * submitted in a just-in-time state files the agent's appointment with the carrier (JUST_IN_TIME,
 * due 15 days after the application) and the carrier makes it ACTIVE; a planted NPN is rejected with
 * the carrier's reason and the agent is no longer eligible there until contracting asks again; a
 * pre-appointment request goes out when contracting asks, and only ACTIVE makes the agent eligible;
 * a just-in-time filing the carrier cannot take past its deadline raises the late alert, once.
 * Every transition writes the appointment and an agent event; carrier calls are counted.
 *
 * The filing worker runs in this test, on this file's agents only (it would claim every agent's
 * appointments, the seeded ones' too): the stack's own is off.
 */
import type pg from 'pg';
import { DEV_IDENTITY_SECRET } from '../../platform/config';
import { createLogger } from '../../platform/logger';
import { BACKGROUND_REJECTION } from '../../simulators/appointment-book';
import { AppointmentFilingWorker } from '../../subgraphs/agents/appointments/appointment-filing.worker';
import { addDays } from '../../subgraphs/agents/domain/appointment-filing';
import { CarriersGraphqlAdapter } from '../../subgraphs/agents/ports/graphql/carriers.adapter';
import { SubgraphClient } from '../../subgraphs/shared/subgraph-client';
import { codes, graphql } from '../support/graphql';
import { startStack, type Stack } from '../support/stack';
import { until } from '../support/wait';
import { testPool } from '../support/test-pool';

const RUN = Date.now().toString(36);
const NPN_BASE = Date.now() % 100_000;
const SUMMIT = { id: 'car_summit', code: 'SUMMIT' };
const LANTERN = { id: 'car_lanternfield', code: 'LANTERN' };
const TODAY = new Date().toISOString().slice(0, 10);

let stack: Stack;
let pool: pg.Pool;
let staff: string;
let admin: string;
let worker: AppointmentFilingWorker;
const agents: Record<'jit' | 'rejected' | 'pre' | 'late', string> = {
  jit: `agt_appt${RUN}_jit`,
  rejected: `agt_appt${RUN}_rej`,
  pre: `agt_appt${RUN}_pre`,
  late: `agt_appt${RUN}_late`,
};

const ask = (token: string, query: string, variables: Record<string, unknown> = {}) => graphql(stack.url, query, variables, { token });

/** An ACTIVE agent resident in TX, with a TX LIFE license and current E&O: eligible wherever an appointment allows. */
async function insertAgent(id: string, npn: string, states: string[]): Promise<void> {
  await pool.query(
    `INSERT INTO agents.agent (id, npn, first_name, last_name, email, resident_state, status, eo_expires_on)
     VALUES ($1, $2, 'Appt', 'Tester', 'appt@example.com', 'TX', 'ACTIVE', current_date + 365)`,
    [id, npn],
  );
  for (const state of states)
    await pool.query(
      `INSERT INTO agents.license (id, agent_id, state, number, resident, lines_of_authority, effective_on, expires_on)
       VALUES ($1, $2, $3, $4, $5, ARRAY['LIFE'], current_date - 365, current_date + 365)`,
      [`lic_${id.slice(4)}_${state.toLowerCase()}`, id, state, `L-${state}-${npn}`, state === 'TX'],
    );
}

const AGENT = `query($id: ID!, $carrierId: ID!, $state: State!) {
  agent(id: $id) {
    appointments { state status filing applicationOn filingDueOn submittedAt decidedAt writingNumber effectiveOn rejectionReason carrier { id } }
    eligibility(carrierId: $carrierId, state: $state) { eligible reasons appointmentWillBeRequested }
    events(last: 20) { type fromStatus toStatus state note }
  }
}`;
const agentView = async (id: string, carrierId: string, state: string) => {
  const response = await ask(staff, AGENT, { id, carrierId, state });
  expect(response.errors).toBeUndefined();
  return response.data!.agent;
};
const REQUEST = `mutation($agentId: ID!, $carrierId: ID!, $state: State!, $applicationOn: Date) {
  requestAppointment(agentId: $agentId, carrierId: $carrierId, state: $state, applicationOn: $applicationOn) { status filing applicationOn filingDueOn }
}`;

async function submitCase(agentId: string, key: string): Promise<string> {
  const { rows } = await pool.query(
    `SELECT id FROM carriers.product WHERE carrier_id = $1 AND type = 'TERM' AND 'TX' = ANY(available_states)
       AND min_face_amount <= 500000 AND max_face_amount >= 500000 AND 'PREFERRED' = ANY(health_classes) AND fully_underwritten
       AND 20 = ANY(SELECT (t->>'years')::int FROM jsonb_array_elements(terms) t) ORDER BY id LIMIT 1`,
    [SUMMIT.id],
  );
  const submitted = await ask(staff, `mutation($input: SubmitCaseInput!) { submitCase(input: $input) { id } }`, {
    input: {
      idempotencyKey: `appointments-${RUN}-${key}`,
      agentId,
      carrierId: SUMMIT.id,
      productId: rows[0].id,
      insured: { firstName: 'Jo', lastName: 'Example', birthDate: '1985-05-05', gender: 'FEMALE', state: 'TX', tobacco: false },
      faceAmount: 500_000,
      termYears: 20,
      healthClass: 'PREFERRED',
      paymentMode: 'MONTHLY',
    },
  });
  expect(submitted.errors).toBeUndefined();
  return submitted.data!.submitCase.id;
}

/** The agent's appointment row once the submission's outbox asked for it. */
const appointmentOf = (agentId: string, carrierId: string, state: string) =>
  until(`the appointment of ${agentId}`, async () => {
    const { rows } = await pool.query(
      `SELECT id, status, filing FROM agents.appointment WHERE agent_id = $1 AND carrier_id = $2 AND state = $3 ORDER BY requested_at DESC LIMIT 1`,
      [agentId, carrierId, state],
    );
    return rows[0];
  });

beforeAll(async () => {
  stack = await startStack({ env: { OUTBOX_POLL_MS: '200', SYNC_INTERVAL_MS: '0', CARRIER_RETRIES: '0' } });
  pool = testPool(2);
  staff = await stack.token('STAFF');
  admin = await stack.token('ADMIN');
  await insertAgent(agents.jit, `7${NPN_BASE}01`, ['TX']);
  await insertAgent(agents.rejected, `${NPN_BASE}0000`, ['TX']);
  await insertAgent(agents.pre, `7${NPN_BASE}03`, ['TX', 'LA']);
  await insertAgent(agents.late, `7${NPN_BASE}04`, ['TX', 'OK']);
  worker = new AppointmentFilingWorker({
    pool,
    logger: createLogger('test', 'silent'),
    carriers: new CarriersGraphqlAdapter(
      new SubgraphClient({ service: 'agents', target: 'carriers', url: stack.subgraphs.carriers.url, identitySecret: DEV_IDENTITY_SECRET }),
    ),
    intervalMs: 60_000,
    // Asked again at every pass, and a failed send is retried at the next pass: the test moves in passes.
    statusPollMs: 0,
    leaseSeconds: 0,
    agentIds: Object.values(agents),
  });
});

afterAll(async () => {
  await worker?.stop();
  await stack?.stop();
  await pool?.end();
});

beforeEach(() => {
  stack.simulators.control.reset();
  stack.simulators.control.setAppointmentRules('*', { decisionMs: 0, hold: true });
});

describe('appointments filed with carriers', () => {
  it('a case in a just-in-time state files the appointment with the carrier, and the carrier makes it ACTIVE', async () => {
    // TX is just-in-time at SUMMIT (its pre-appointment states are PA, MT and LA): eligible, and the submission requests it.
    expect((await agentView(agents.jit, SUMMIT.id, 'TX')).eligibility).toEqual({
      eligible: true,
      reasons: [],
      appointmentWillBeRequested: true,
    });
    await submitCase(agents.jit, 'jit');
    const requested = await appointmentOf(agents.jit, SUMMIT.id, 'TX');
    expect(requested).toMatchObject({ status: 'REQUESTED', filing: 'JUST_IN_TIME' });
    stack.simulators.control.resetCounts();

    // Pass 1: the request goes to the carrier, which receives it (undecided: held).
    expect(await worker.runOnce()).toBe(1);
    let view = await agentView(agents.jit, SUMMIT.id, 'TX');
    expect(view.appointments).toEqual([
      expect.objectContaining({
        status: 'SUBMITTED',
        filing: 'JUST_IN_TIME',
        applicationOn: TODAY,
        filingDueOn: addDays(TODAY, 15),
        submittedAt: expect.any(String),
        decidedAt: null,
        carrier: { id: SUMMIT.id },
      }),
    ]);
    // Still eligible while the carrier decides, and nothing more to request.
    expect(view.eligibility).toEqual({ eligible: true, reasons: [], appointmentWillBeRequested: false });
    const atCarrier = stack.simulators.control.appointments(SUMMIT.code).find((a) => a.reference === requested.id)!;
    expect(atCarrier).toMatchObject({ state: 'TX', npn: `7${NPN_BASE}01`, status: 'RECEIVED' });

    // Pass 2: the carrier has not decided: nothing changes. Then it appoints; pass 3 reads it.
    await worker.runOnce();
    expect((await agentView(agents.jit, SUMMIT.id, 'TX')).appointments[0].status).toBe('SUBMITTED');
    stack.simulators.control.decideAppointment(SUMMIT.code, atCarrier.carrierReference, { status: 'ACTIVE', writingNumber: 'SR-77001' });
    await worker.runOnce();
    view = await agentView(agents.jit, SUMMIT.id, 'TX');
    expect(view.appointments[0]).toMatchObject({
      status: 'ACTIVE',
      writingNumber: 'SR-77001',
      effectiveOn: TODAY,
      decidedAt: expect.any(String),
    });
    expect(view.eligibility.eligible).toBe(true);
    expect(view.events.filter((e: { type: string }) => e.type.startsWith('APPOINTMENT_')).map((e: { type: string }) => e.type)).toEqual([
      'APPOINTMENT_ACTIVE',
      'APPOINTMENT_SUBMITTED',
      'APPOINTMENT_REQUESTED',
    ]);
    // One filing and one inquiry per pass that had something to ask: three carrier calls, no more.
    expect(stack.simulators.control.counts(SUMMIT.code)).toMatchObject({ appointment: 1, appointmentStatus: 2 });

    // An ACTIVE appointment is still asked about: a termination comes back with its date.
    stack.simulators.control.decideAppointment(SUMMIT.code, atCarrier.carrierReference, { status: 'TERMINATED', terminatedOn: TODAY });
    await worker.runOnce();
    view = await agentView(agents.jit, SUMMIT.id, 'TX');
    expect(view.appointments[0]).toMatchObject({ status: 'TERMINATED' });
    expect(view.events[0]).toMatchObject({ type: 'APPOINTMENT_TERMINATED', fromStatus: 'ACTIVE', toStatus: 'TERMINATED' });
    // Just-in-time again: the next application requests a new one.
    expect(view.eligibility).toEqual({ eligible: true, reasons: [], appointmentWillBeRequested: true });
  });

  it("a rejection carries the carrier's reason; the agent is not eligible there until contracting asks again", async () => {
    await submitCase(agents.rejected, 'rejected');
    await appointmentOf(agents.rejected, SUMMIT.id, 'TX');
    stack.simulators.control.setAppointmentRules(SUMMIT.code, { hold: false });
    await worker.runOnce(); // filed
    await worker.runOnce(); // decided: the planted NPN fails the background check
    const view = await agentView(agents.rejected, SUMMIT.id, 'TX');
    expect(view.appointments[0]).toMatchObject({
      status: 'REJECTED',
      rejectionReason: BACKGROUND_REJECTION,
      decidedAt: expect.any(String),
    });
    expect(view.eligibility).toEqual({ eligible: false, reasons: ['APPOINTMENT_REJECTED'], appointmentWillBeRequested: false });
    expect(view.events[0]).toMatchObject({
      type: 'APPOINTMENT_REJECTED',
      fromStatus: 'SUBMITTED',
      toStatus: 'REJECTED',
      note: BACKGROUND_REJECTION,
    });

    // A new case is refused while the rejection stands.
    const refused = await ask(staff, `mutation($input: SubmitCaseInput!) { submitCase(input: $input) { id } }`, {
      input: {
        idempotencyKey: `appointments-${RUN}-refused`,
        agentId: agents.rejected,
        carrierId: SUMMIT.id,
        productId: 'prd_summit_level_term',
        insured: { firstName: 'Jo', lastName: 'Example', birthDate: '1985-05-05', gender: 'FEMALE', state: 'TX', tobacco: false },
        faceAmount: 500_000,
        termYears: 20,
        healthClass: 'PREFERRED',
        paymentMode: 'MONTHLY',
      },
    });
    expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors![0].message).toContain('agent: APPOINTMENT_REJECTED');

    // Contracting asks again: a new request, and the agent may write there again.
    const again = await ask(admin, REQUEST, { agentId: agents.rejected, carrierId: SUMMIT.id, state: 'TX' });
    expect(again.errors).toBeUndefined();
    expect(again.data!.requestAppointment).toMatchObject({ status: 'REQUESTED', filing: 'JUST_IN_TIME' });
    expect((await agentView(agents.rejected, SUMMIT.id, 'TX')).eligibility).toEqual({
      eligible: true,
      reasons: [],
      appointmentWillBeRequested: false,
    });
  });

  it('a pre-appointment request goes out when contracting asks; only ACTIVE makes the agent eligible', async () => {
    const { rows } = await pool.query(`SELECT pre_appointment_states AS states FROM agents.carrier_contracting WHERE carrier_id = $1`, [
      LANTERN.id,
    ]);
    const state: string = rows[0].states.find((s: string) => s === 'LA') ?? rows[0].states[0];
    if (state !== 'LA') await insertAgentLicense(agents.pre, state);
    expect((await agentView(agents.pre, LANTERN.id, state)).eligibility.reasons).toEqual(['NOT_APPOINTED']);
    // Only contracting (ADMIN) asks, not staff.
    expect(codes(await ask(staff, REQUEST, { agentId: agents.pre, carrierId: LANTERN.id, state }))).toEqual(['FORBIDDEN']);
    const requested = await ask(admin, REQUEST, { agentId: agents.pre, carrierId: LANTERN.id, state });
    expect(requested.data!.requestAppointment).toEqual({
      status: 'REQUESTED',
      filing: 'PRE_APPOINTMENT',
      applicationOn: null,
      filingDueOn: null,
    });

    const metrics = await ask(
      admin,
      `query($carrierId: ID) { appointmentMetrics(carrierId: $carrierId) { carrier { id } state status count overdueFilings } }`,
      { carrierId: LANTERN.id },
    );
    expect(metrics.errors).toBeUndefined();
    expect(metrics.data!.appointmentMetrics).toContainEqual(
      expect.objectContaining({
        carrier: expect.objectContaining({ id: LANTERN.id }),
        state,
        status: 'REQUESTED',
        count: expect.any(Number),
      }),
    );

    stack.simulators.control.setAppointmentRules(LANTERN.code, { hold: false });
    await worker.runOnce();
    expect((await agentView(agents.pre, LANTERN.id, state)).eligibility.reasons).toEqual(['NOT_APPOINTED']); // SUBMITTED is not enough
    await worker.runOnce();
    const view = await agentView(agents.pre, LANTERN.id, state);
    expect(view.appointments.find((a: { state: string }) => a.state === state)).toMatchObject({
      status: 'ACTIVE',
      writingNumber: expect.any(String),
    });
    expect(view.eligibility).toEqual({ eligible: true, reasons: [], appointmentWillBeRequested: false });
    expect(stack.simulators.control.counts(LANTERN.code)).toMatchObject({ appointment: 1, appointmentStatus: 1 });
  });

  it('a just-in-time filing the carrier cannot take past its deadline raises the late alert once, and counts as overdue', async () => {
    const applicationOn = addDays(TODAY, -20);
    const requested = await ask(admin, REQUEST, { agentId: agents.late, carrierId: SUMMIT.id, state: 'OK', applicationOn });
    expect(requested.data!.requestAppointment).toEqual({
      status: 'REQUESTED',
      filing: 'JUST_IN_TIME',
      applicationOn,
      filingDueOn: addDays(applicationOn, 15),
    });
    stack.simulators.control.setFault(SUMMIT.code, '5xx', { kinds: ['appointment'] });
    await worker.runOnce();
    await worker.runOnce();
    let view = await agentView(agents.late, SUMMIT.id, 'OK');
    expect(view.appointments[0].status).toBe('REQUESTED');
    expect(view.events.filter((e: { type: string }) => e.type === 'APPOINTMENT_FILING_LATE')).toHaveLength(1);
    const metrics = await ask(admin, `{ appointmentMetrics(carrierId: "car_summit", state: OK) { status count overdueFilings } }`);
    expect(
      metrics.data!.appointmentMetrics.find((m: { status: string }) => m.status === 'REQUESTED').overdueFilings,
    ).toBeGreaterThanOrEqual(1);

    stack.simulators.control.setFault(SUMMIT.code, null);
    await worker.runOnce();
    view = await agentView(agents.late, SUMMIT.id, 'OK');
    expect(view.appointments[0].status).toBe('SUBMITTED');
    expect(view.events.filter((e: { type: string }) => e.type === 'APPOINTMENT_FILING_LATE')).toHaveLength(1);
    expect(stack.simulators.control.counts(SUMMIT.code).appointment).toBe(3);
  });
});

async function insertAgentLicense(agentId: string, state: string): Promise<void> {
  await pool.query(
    `INSERT INTO agents.license (id, agent_id, state, number, resident, lines_of_authority, effective_on, expires_on)
     VALUES ($1, $2, $3, 'L-X', false, ARRAY['LIFE'], current_date - 365, current_date + 365)`,
    [`lic_${agentId.slice(4)}_${state.toLowerCase()}`, agentId, state],
  );
}
