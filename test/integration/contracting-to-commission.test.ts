/**
 * An agent's whole way from contracting to being paid, through the gateway, every outside system a
 * real simulator (docs/domain.md, "Contracting and commissions"):
 *   1. a new agent onboards to ACTIVE (the BGA agreement signed at the e-signature provider, W-9,
 *      direct deposit, E&O, background questions), by an event;
 *   2. the producer-database sync brings their license;
 *   3. a case in a just-in-time state files the appointment with the carrier, and the carrier makes
 *      it ACTIVE;
 *   4. the carrier places the case (signed push); the expected commissions are computed per level to
 *      the cent, split 60/40 between two writing agents under one agency (the levels of the worked
 *      example: BGA 120%, agency 100%, agents 85%);
 *   5. the carrier's statement file books and reconciles them, and a second upload books nothing;
 *   6. the carrier's free-look cancellation makes the case NOT_TAKEN, and every line is charged back.
 */
import type pg from 'pg';
import { DEV_IDENTITY_SECRET } from '../../platform/config';
import { createLogger } from '../../platform/logger';
import { AppointmentFilingWorker } from '../../subgraphs/agents/appointments/appointment-filing.worker';
import { CarriersGraphqlAdapter } from '../../subgraphs/agents/ports/graphql/carriers.adapter';
import { CommissionWorker } from '../../subgraphs/cases/commissions/commission.worker';
import { AgentsGraphqlAdapter } from '../../subgraphs/cases/ports/graphql/agents.adapter';
import { layoutsOf } from '../../subgraphs/cases/statements/layouts';
import { statementText } from '../../subgraphs/cases/statements/statement-writer';
import { CARRIERS } from '../../subgraphs/carriers/fixtures/carriers.fixture';
import { SubgraphClient } from '../../subgraphs/shared/subgraph-client';
import { graphql } from '../support/graphql';
import { type Stack, startStack } from '../support/stack';
import { until } from '../support/wait';
import { testPool } from '../support/test-pool';

const RUN = Date.now() % 1_000_000;
const logger = createLogger('test', 'silent');
const nextYear = () => `${new Date().getUTCFullYear() + 1}-12-31`;
/** Half-up to the cent, per line: amount = premium × split × rate, in cents. */
const line = (premiumCents: number, splitPercent: number, ratePercent: number) =>
  Math.round((premiumCents * splitPercent * ratePercent) / 10_000);

let stack: Stack;
let pool: pg.Pool;
let admin: string;
let staff: string;
const ask = (token: string, query: string, variables: Record<string, unknown> = {}) =>
  graphql(stack.url, query, variables, { headers: { authorization: `Bearer ${token}` } });
async function ok(token: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await ask(token, query, variables);
  expect(response.errors).toBeUndefined();
  return response.data!;
}

/**
 * An ACORD carrier where the BGA holds L120, a term product sold in a state that is just-in-time for
 * it (not one of its pre-appointment states), and the product's schedule at L120/L100/L85.
 */
async function target() {
  const acord = CARRIERS.filter((c) => c.protocol === 'ACORD').map((c) => c.id);
  const { rows } = await pool.query(
    `SELECT b.carrier_id AS "carrierId", pr.id AS "productId", s.state
       FROM agents.bga_contract b
       JOIN agents.carrier_contracting cc ON cc.carrier_id = b.carrier_id
       JOIN carriers.product pr ON pr.carrier_id = b.carrier_id AND pr.type = 'TERM' AND pr.fully_underwritten
            AND pr.min_face_amount <= 500000 AND pr.max_face_amount >= 500000 AND 'PREFERRED' = ANY(pr.health_classes)
            AND 20 = ANY(SELECT (t->>'years')::int FROM jsonb_array_elements(pr.terms) t)
       CROSS JOIN LATERAL unnest(pr.available_states) AS s(state)
      WHERE b.level_code = 'L120' AND b.carrier_id = ANY($1) AND NOT (s.state = ANY(cc.pre_appointment_states))
        AND EXISTS (SELECT 1 FROM agents.commission_schedule cs WHERE cs.carrier_id = b.carrier_id AND cs.product_id = pr.id AND cs.level_code = 'L85')
      ORDER BY b.carrier_id DESC, pr.id, s.state LIMIT 1`,
    [acord],
  );
  expect(rows).toHaveLength(1);
  const carrier = CARRIERS.find((c) => c.id === rows[0].carrierId)!;
  return { carrier, productId: rows[0].productId as string, state: rows[0].state as string };
}

const CREATE = `mutation($i: CreateAgentInput!) { createAgent(input: $i) { id status } }`;
const LEVEL = `mutation($a: ID!, $c: ID!, $l: String!) { setContractLevel(agentId: $a, carrierId: $c, levelCode: $l) { levelCode } }`;
const AGENT = `query($id: ID!, $c: ID!, $s: State!) { agent(id: $id) { status
  onboarding { missing stage steps { step status } }
  licenses { state resident linesOfAuthority active }
  appointments { state status filing applicationOn filingDueOn writingNumber carrier { id } }
  eligibility(carrierId: $c, state: $s) { eligible reasons appointmentWillBeRequested }
  events(last: 50) { type fromStatus toStatus } } }`;

beforeAll(async () => {
  stack = await startStack({ env: { OUTBOX_POLL_MS: '200', SYNC_INTERVAL_MS: '0', FOLLOW_UP_INTERVAL_MS: '0', CARRIER_RETRIES: '0' } });
  pool = testPool(2);
  admin = await stack.token('ADMIN');
  staff = await stack.token('STAFF');
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await stack?.stop();
});

it('takes a new agent from contracting to a placed, commissioned, reconciled and charged-back case', async () => {
  const { carrier, productId, state } = await target();

  // An agency directly under the BGA at L100, and two new agents under it at L85.
  const person = (n: number, upline?: string) => ({
    npn: `8${String(RUN).padStart(6, '0')}${n}`,
    firstName: 'Dana',
    lastName: `Contracting${n}`,
    email: `dana.${RUN}.${n}@example.com`,
    residentState: state,
    ...(upline ? { uplineId: upline } : {}),
  });
  const agency = (await ok(admin, CREATE, { i: person(1) })).createAgent.id as string;
  const writer = (await ok(admin, CREATE, { i: person(2, agency) })).createAgent.id as string;
  const coWriter = (await ok(admin, CREATE, { i: person(3, agency) })).createAgent.id as string;
  for (const [agentId, level] of [
    [agency, 'L100'],
    [writer, 'L85'],
    [coWriter, 'L85'],
  ])
    await ok(admin, LEVEL, { a: agentId, c: carrier.id, l: level });
  // A level above the upline's is refused, naming the rule.
  const above = await ask(admin, LEVEL, { a: coWriter, c: carrier.id, l: 'L110' });
  expect(above.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(above.errors?.[0]?.message).toMatch(/above the upline's L100/);
  const view = async () => (await ok(admin, AGENT, { id: writer, c: carrier.id, s: state })).agent;
  expect((await view()).eligibility.reasons).toEqual(expect.arrayContaining(['AGENT_NOT_ACTIVE', 'NOT_LICENSED_IN_STATE', 'EO_EXPIRED']));

  // 1. Onboarding: the agreement at the e-signature provider, then the packet; ACTIVE by an event.
  const self = await stack.agentToken(writer);
  const { signingUrl } = (
    await ok(self, `mutation($id: ID!) { requestBgaAgreementSignature(agentId: $id) { signingUrl } }`, { id: writer })
  ).requestBgaAgreementSignature;
  expect((await fetch(`${signingUrl}/sign`, { method: 'POST' })).status).toBe(200);
  await until('the signed agreement', async () =>
    (await view()).onboarding.steps.find((s: { step: string }) => s.step === 'BGA_AGREEMENT').status === 'COMPLETE' ? true : undefined,
  );
  const steps: [string, string, Record<string, unknown>][] = [
    ['recordW9', 'W9Input', { tin: '123-45-6789', legalName: 'Dana Contracting', taxClassification: 'INDIVIDUAL' }],
    ['recordDirectDeposit', 'DirectDepositInput', { routingNumber: '021000021', accountNumber: '000123456789', accountType: 'CHECKING' }],
    [
      'recordEoCoverage',
      'EoCoverageInput',
      { carrierName: 'Markel', policyNumber: 'EO-1', perClaimLimit: 1_000_000, expiresOn: nextYear() },
    ],
    [
      'answerBackgroundQuestions',
      'BackgroundAnswersInput',
      { felony: false, regulatoryAction: false, bankruptcy: false, terminatedForCause: false },
    ],
  ];
  for (const [mutation, type, input] of steps)
    await ok(self, `mutation($id: ID!, $input: ${type}!) { ${mutation}(agentId: $id, input: $input) { id } }`, { id: writer, input });
  let agent = await view();
  expect(agent.status).toBe('ACTIVE');
  expect(agent.onboarding).toMatchObject({ missing: [], stage: 'COMPLETE' });
  expect(agent.events).toContainEqual({ type: 'STATUS_CHANGED', fromStatus: 'PENDING', toStatus: 'ACTIVE' });

  // 2. The producer database licenses them in the state; the sync brings the license.
  stack.simulators.pdb.setProducer(person(2).npn, { firstName: 'Dana', lastName: 'Contracting2', residentState: state });
  stack.simulators.pdb.setLicense(person(2).npn, state, { lines: ['LIFE', 'HEALTH'] });
  const synced = (await ok(admin, `mutation($id: ID!) { syncAgentLicenses(agentId: $id) { licensesAdded } }`, { id: writer }))
    .syncAgentLicenses;
  expect(synced.licensesAdded).toBe(1);
  agent = await view();
  expect(agent.licenses).toEqual([{ state, resident: true, linesOfAuthority: expect.arrayContaining(['LIFE']), active: true }]);
  expect(agent.events.map((e: { type: string }) => e.type)).toContain('LICENSE_ADDED');
  // Eligible in the just-in-time state: the submission will request the appointment.
  expect(agent.eligibility).toEqual({ eligible: true, reasons: [], appointmentWillBeRequested: true });

  // 3. The case, written 60/40; the submission files the just-in-time appointment; the carrier makes it ACTIVE.
  const submitted = (
    await ok(
      staff,
      `mutation($input: SubmitCaseInput!) { submitCase(input: $input) { id annualPremium submittedAt writingAgents { agent { id } splitPercent } } }`,
      {
        input: {
          idempotencyKey: `contracting-${RUN}`,
          agentId: writer,
          carrierId: carrier.id,
          productId,
          insured: { firstName: 'Sam', lastName: 'Example', birthDate: '1983-02-11', gender: 'MALE', state, tobacco: false },
          faceAmount: 500_000,
          termYears: 20,
          healthClass: 'PREFERRED',
          paymentMode: 'ANNUAL',
          writingAgents: [
            { agentId: writer, splitPercent: 60 },
            { agentId: coWriter, splitPercent: 40 },
          ],
        },
      },
    )
  ).submitCase;
  const caseId = submitted.id as string;
  expect(submitted.writingAgents).toEqual([
    { agent: { id: writer }, splitPercent: 60 },
    { agent: { id: coWriter }, splitPercent: 40 },
  ]);
  const appointment = await until('the just-in-time request', async () => {
    const a = (await view()).appointments.find((x: { carrier: { id: string } }) => x.carrier.id === carrier.id);
    return a?.status === 'REQUESTED' ? a : undefined;
  });
  // The application date is the case's submission (UTC); the carrier must have the filing 15 days later.
  const applicationOn = (submitted.submittedAt as string).slice(0, 10);
  expect(appointment).toMatchObject({
    state,
    filing: 'JUST_IN_TIME',
    applicationOn,
    filingDueOn: new Date(Date.parse(`${applicationOn}T00:00:00Z`) + 15 * 86_400_000).toISOString().slice(0, 10),
  });
  stack.simulators.control.setAppointmentRules(carrier.code, { decisionMs: 0, hold: false });
  const filing = new AppointmentFilingWorker({
    pool,
    logger,
    carriers: new CarriersGraphqlAdapter(
      new SubgraphClient({ service: 'agents', target: 'carriers', url: stack.subgraphs.carriers.url, identitySecret: DEV_IDENTITY_SECRET }),
    ),
    intervalMs: 60_000,
    statusPollMs: 0,
    leaseSeconds: 0,
    agentIds: [writer],
  });
  await filing.runOnce(); // filed: SUBMITTED
  await filing.runOnce(); // decided by the carrier: ACTIVE
  agent = await view();
  expect(agent.appointments.find((x: { carrier: { id: string } }) => x.carrier.id === carrier.id)).toMatchObject({
    status: 'ACTIVE',
    writingNumber: expect.any(String),
  });
  expect(agent.events.map((e: { type: string }) => e.type)).toEqual(
    expect.arrayContaining(['APPOINTMENT_SUBMITTED', 'APPOINTMENT_ACTIVE']),
  );
  expect(agent.eligibility).toEqual({ eligible: true, reasons: [], appointmentWillBeRequested: false });

  // 4. The carrier has the application (the outbox sent it); it issues and places the policy and pushes each change.
  const caseRow = async () =>
    (
      await pool.query(`SELECT status, carrier_reference AS ref, annual_premium_cents::int AS premium FROM cases."case" WHERE id = $1`, [
        caseId,
      ])
    ).rows[0];
  const reference = await until('the carrier to accept', async () => (await caseRow()).ref ?? undefined);
  stack.simulators.control.setPush(carrier.code, {
    url: `${stack.subgraphs.cases.url.replace(/\/graphql$/, '')}/webhooks/carriers/${carrier.id}`,
  });
  const policyNumber = `POL-CC-${RUN}`;
  stack.simulators.control.advance(carrier.code, reference, { status: 'ISSUED', policyNumber });
  await until('issued', async () => ((await caseRow()).status === 'ISSUED' ? true : undefined));
  stack.simulators.control.advance(carrier.code, reference, { status: 'PLACED', policyNumber });
  await until('placed', async () => ((await caseRow()).status === 'PLACED' ? true : undefined));
  const premium = (await caseRow()).premium as number;

  const commissions = new CommissionWorker({
    pool,
    logger,
    agents: new AgentsGraphqlAdapter(
      new SubgraphClient({ service: 'cases', target: 'agents', url: stack.subgraphs.agents.url, identitySecret: DEV_IDENTITY_SECRET }),
    ),
    intervalMs: 60_000,
    batchSize: 100,
    carrierIds: [carrier.id],
  });
  await commissions.runOnce();
  const lines = async (transaction: string) =>
    (
      await pool.query(
        `SELECT role, party_id AS party, writing_agent_id AS "writer", amount_cents::int AS amount FROM cases.commission
          WHERE case_id = $1 AND transaction = $2 ORDER BY writing_agent_id <> $3, role <> 'WRITING', role <> 'OVERRIDE'`,
        [caseId, transaction, writer],
      )
    ).rows;
  // The worked example's levels: each writing agent 85% of their split, the agency 100 − 85 = 15%, the BGA 120 − 100 = 20%.
  const expected = [
    { role: 'WRITING', party: writer, writer, amount: line(premium, 60, 85) },
    { role: 'OVERRIDE', party: agency, writer, amount: line(premium, 60, 15) },
    { role: 'BGA', party: 'BGA', writer, amount: line(premium, 60, 20) },
    { role: 'WRITING', party: coWriter, writer: coWriter, amount: line(premium, 40, 85) },
    { role: 'OVERRIDE', party: agency, writer: coWriter, amount: line(premium, 40, 15) },
    { role: 'BGA', party: 'BGA', writer: coWriter, amount: line(premium, 40, 20) },
  ];
  expect(await lines('FIRST_YEAR')).toEqual(expected);
  const carrierPays = expected.reduce((sum, l) => sum + l.amount, 0);
  expect(Math.abs(carrierPays - line(premium, 100, 120))).toBeLessThanOrEqual(3);

  // Each writing agent's statement shows their own line; the agency's shows both overrides.
  const period = new Date().toISOString().slice(0, 7);
  const STATEMENT = `query($a: ID!, $p: String!) { commissionStatement(agentId: $a, period: $p) { lines { role amount } } }`;
  const statementOf = async (agentId: string) =>
    (await ok(await stack.agentToken(agentId), STATEMENT, { a: agentId, p: period })).commissionStatement.lines.map(
      (l: { role: string; amount: string }) => [l.role, l.amount],
    );
  const money = (cents: number) => (cents / 100).toFixed(2);
  expect(await statementOf(writer)).toEqual([['WRITING', money(expected[0]!.amount)]]);
  expect(await statementOf(coWriter)).toEqual([['WRITING', money(expected[3]!.amount)]]);
  expect((await statementOf(agency)).sort()).toEqual(
    [
      ['OVERRIDE', money(expected[1]!.amount)],
      ['OVERRIDE', money(expected[4]!.amount)],
    ].sort(),
  );
  // An agent never reads another's statement.
  expect((await ask(await stack.agentToken(coWriter), STATEMENT, { a: writer, p: period })).errors?.[0]?.extensions?.code).toBe(
    'FORBIDDEN',
  );

  // 5. The carrier's statement in its own layout: the policy's first-year commission at the BGA's level.
  const layout = layoutsOf(carrier.id)[0]!;
  const text = statementText(layout, carrier.id, [
    {
      policyNumber,
      lastName: 'Example',
      transaction: 'FIRST_YEAR',
      premiumCents: premium,
      rateBasisPoints: 12_000,
      amountCents: carrierPays,
      period,
    },
  ]);
  // Expected beside received, for the carrier and period (other placed cases of the carrier count too: compare before and after).
  const metricsNow = async () => {
    const rows = (
      await ok(
        admin,
        `query($f: String!, $c: [ID!]) { commissionMetrics(from: $f, to: $f, carrierIds: $c) { byCarrierPeriod { period expected received } } }`,
        { f: period, c: [carrier.id] },
      )
    ).commissionMetrics.byCarrierPeriod as { period: string; expected: string; received: string }[];
    const row = rows.find((r) => r.period === period);
    return { expected: Math.round(Number(row?.expected ?? 0) * 100), received: Math.round(Number(row?.received ?? 0) * 100) };
  };
  const before = await metricsNow();
  expect(before.expected).toBeGreaterThanOrEqual(carrierPays);
  const UPLOAD = `mutation($input: UploadCarrierCommissionStatementInput!) { uploadCarrierCommissionStatement(input: $input) {
    alreadyBooked statement { id lineCount matchedCount mismatchedCount unmatchedCount receivedAmount } } }`;
  const input = { carrierId: carrier.id, fileName: `statement-${RUN}.txt`, content: Buffer.from(text).toString('base64') };
  const first = (await ok(admin, UPLOAD, { input })).uploadCarrierCommissionStatement;
  expect(first).toMatchObject({
    alreadyBooked: false,
    statement: { lineCount: 1, matchedCount: 1, mismatchedCount: 0, unmatchedCount: 0, receivedAmount: money(carrierPays) },
  });
  const booked = async () =>
    (await pool.query(`SELECT count(*)::int AS n, sum(amount_cents)::int AS cents FROM cases.statement_line WHERE case_id = $1`, [caseId]))
      .rows[0];
  expect(await booked()).toEqual({ n: 1, cents: carrierPays });
  expect(await metricsNow()).toEqual({ expected: before.expected, received: before.received + carrierPays });
  const second = (await ok(admin, UPLOAD, { input: { ...input, fileName: 'again.txt' } })).uploadCarrierCommissionStatement;
  expect(second).toMatchObject({ alreadyBooked: true, statement: { id: first.statement.id } });
  expect(await booked()).toEqual({ n: 1, cents: carrierPays });
  // 6. The free-look cancellation: NOT_TAKEN, and every first-year line is charged back in full.
  stack.simulators.control.advance(carrier.code, reference, { status: 'NOT_TAKEN', carrierStatusCode: '50' });
  await until('not taken', async () => ((await caseRow()).status === 'NOT_TAKEN' ? true : undefined));
  await commissions.runOnce();
  expect(await lines('CHARGEBACK')).toEqual(expected.map((l) => ({ ...l, amount: -l.amount })));
  expect(await statementOf(writer)).toEqual(
    expect.arrayContaining([
      ['WRITING', money(expected[0]!.amount)],
      [expect.any(String), money(-expected[0]!.amount)],
    ]),
  );
  await stack.simulators.control.settlePushes();
}, 120_000);
