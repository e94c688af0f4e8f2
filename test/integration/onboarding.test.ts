/**
 * Onboarding to ACTIVE through the gateway: a new agent (createAgent, PENDING) walks every step of
 * the contracting packet (the agreement e-signed through the simulated provider and its signed webhook), the background "yes" waits for an ADMIN, and the last step makes the agent
 * ACTIVE by a STATUS_CHANGED event; bad input is BAD_USER_INPUT naming the field without its value;
 * the bank account is sealed in the database and masked (****6789) only for ADMIN and the agent
 * themself; an E&O lapse suspends the agent through the lease job, and new coverage reinstates them.
 * onboardingMetrics counts agents by stage.
 */
import type pg from 'pg';
import { DEV_ESIGN_WEBHOOK_SECRET } from '../../platform/config';
import { createLogger } from '../../platform/logger';
import { signWebhook } from '../../platform/webhook-signature';
import { EoLapseJob } from '../../subgraphs/agents/onboarding/eo-lapse.job';
import { codes, graphql, type GraphqlResponse } from '../support/graphql';
import { type Stack, startStack } from '../support/stack';
import { testPool } from '../support/test-pool';

const ACCOUNT = '000123456789';
const ROUTING = '021000021';
const TIN = '123-45-6789';
const UPLINE = 'agt_0001';

let stack: Stack;
let pool: pg.Pool;
let admin: string;
let staff: string;
let agentId: string;
let self: string;

const ask = (token: string, query: string, variables: Record<string, unknown> = {}) =>
  graphql(stack.url, query, variables, { headers: { authorization: `Bearer ${token}` } });

const nextYear = () => `${new Date().getUTCFullYear() + 1}-12-31`;
const yesterday = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

const ONBOARDING = `query($id: ID!) { agent(id: $id) { id status eoExpiresOn
  onboarding { steps { step status completedAt } missing stage directDepositAccountMasked eoCoverage { carrierName policyNumber perClaimLimit expiresOn } }
  events(last: 30) { type actor fromStatus toStatus note } } }`;

const STEP_RESULT = '{ id status onboarding { missing stage } }';
const MUTATIONS = {
  agreement: `mutation($id: ID!, $input: BgaAgreementInput!) { signBgaAgreement(agentId: $id, input: $input) ${STEP_RESULT} }`,
  requestSignature: `mutation($id: ID!) { requestBgaAgreementSignature(agentId: $id) { envelopeId signingUrl agreementVersion } }`,
  w9: `mutation($id: ID!, $input: W9Input!) { recordW9(agentId: $id, input: $input) ${STEP_RESULT} }`,
  deposit: `mutation($id: ID!, $input: DirectDepositInput!) { recordDirectDeposit(agentId: $id, input: $input) ${STEP_RESULT} }`,
  eo: `mutation($id: ID!, $input: EoCoverageInput!) { recordEoCoverage(agentId: $id, input: $input) ${STEP_RESULT} }`,
  aml: `mutation($id: ID!, $input: AmlTrainingInput!) { recordAmlTraining(agentId: $id, input: $input) ${STEP_RESULT} }`,
  background: `mutation($id: ID!, $input: BackgroundAnswersInput!) { answerBackgroundQuestions(agentId: $id, input: $input) ${STEP_RESULT} }`,
  approve: `mutation($id: ID!) { approveBackgroundReview(agentId: $id) ${STEP_RESULT} }`,
};
const METRICS = `{ onboardingMetrics { stage count } }`;

const eoInput = () => ({ carrierName: 'Markel', policyNumber: 'EO-778812', perClaimLimit: 1_000_000, expiresOn: nextYear() });

function expectBadInput(response: GraphqlResponse, field: string, value: string) {
  expect(codes(response)).toEqual(['BAD_USER_INPUT']);
  expect(response.errors![0].extensions!.reasons).toEqual([field]);
  expect(JSON.stringify(response.errors)).not.toContain(value);
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stageCounts(): Promise<Record<string, number>> {
  const response = await ask(admin, METRICS);
  expect(response.errors).toBeUndefined();
  return Object.fromEntries(response.data!.onboardingMetrics.map((row: { stage: string; count: number }) => [row.stage, row.count]));
}

beforeAll(async () => {
  stack = await startStack({ env: { OUTBOX_POLL_MS: '0', SYNC_INTERVAL_MS: '0', FOLLOW_UP_INTERVAL_MS: '0', EO_LAPSE_INTERVAL_MS: '0' } });
  pool = testPool(2);
  admin = await stack.token('ADMIN');
  staff = await stack.token('STAFF');
  const npn = `9${String(Date.now() % 1e9).padStart(9, '0')}`;
  const created = await ask(
    admin,
    `mutation($input: CreateAgentInput!) { createAgent(input: $input) { id status onboarding { missing stage } } }`,
    { input: { npn, firstName: 'Onb', lastName: 'Oarding', email: `onb.${npn}@example.com`, residentState: 'TX', uplineId: UPLINE } },
  );
  expect(created.errors).toBeUndefined();
  agentId = created.data!.createAgent.id;
  self = await stack.agentToken(agentId);
  expect(created.data!.createAgent).toMatchObject({
    status: 'PENDING',
    onboarding: { missing: ['BGA_AGREEMENT', 'W9', 'DIRECT_DEPOSIT', 'EO_COVERAGE', 'BACKGROUND_QUESTIONS'], stage: 'NOT_STARTED' },
  });
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await stack?.stop();
});

describe('a new agent onboards to ACTIVE', () => {
  it('refuses bad input with BAD_USER_INPUT naming the field, never the value', async () => {
    expectBadInput(
      await ask(self, MUTATIONS.eo, { id: agentId, input: { ...eoInput(), perClaimLimit: 500_000 } }),
      'input.perClaimLimit',
      '500000',
    );
    expectBadInput(
      await ask(self, MUTATIONS.eo, { id: agentId, input: { ...eoInput(), expiresOn: yesterday() } }),
      'input.expiresOn',
      yesterday(),
    );
    expectBadInput(
      await ask(self, MUTATIONS.deposit, {
        id: agentId,
        input: { routingNumber: '123456789', accountNumber: ACCOUNT, accountType: 'CHECKING' },
      }),
      'input.routingNumber',
      '123456789',
    );
    expectBadInput(
      await ask(self, MUTATIONS.w9, { id: agentId, input: { tin: '12345', legalName: 'Onb Oarding', taxClassification: 'INDIVIDUAL' } }),
      'input.tin',
      '12345',
    );
    // Nothing was recorded by any of them.
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM agents.onboarding_step WHERE agent_id = $1`, [agentId]);
    expect(rows[0].n).toBe(0);
  });

  it('lets only the agent themself or an ADMIN record steps', async () => {
    const other = await stack.agentToken(UPLINE);
    const input = { tin: TIN, legalName: 'Onb Oarding', taxClassification: 'INDIVIDUAL' };
    expect(codes(await ask(other, MUTATIONS.w9, { id: agentId, input }))).toEqual(['FORBIDDEN']);
    expect(codes(await ask(staff, MUTATIONS.w9, { id: agentId, input }))).toEqual(['FORBIDDEN']);
  });

  it('walks every step; a background "yes" waits for an ADMIN, whose approval makes the agent ACTIVE by an event', async () => {
    const before = await stageCounts();
    // The agreement goes out for e-signature; the agent signs through their link; the provider's signed webhook completes the step.
    // A declined envelope puts the step back: the next request sends a new one.
    const first = await ask(self, MUTATIONS.requestSignature, { id: agentId });
    expect(first.errors).toBeUndefined();
    const declined = await fetch(`${first.data!.requestBgaAgreementSignature.signingUrl}/decline`, { method: 'POST' });
    expect(declined.status).toBe(200);
    await waitFor(async () => {
      const view = await ask(self, ONBOARDING, { id: agentId });
      return view.data!.agent.onboarding.steps[0].status === 'NOT_STARTED';
    });
    const requested = await ask(self, MUTATIONS.requestSignature, { id: agentId });
    expect(requested.errors).toBeUndefined();
    const { envelopeId, signingUrl, agreementVersion } = requested.data!.requestBgaAgreementSignature;
    expect(agreementVersion).toBe('2026-01');
    expect(envelopeId).not.toBe(first.data!.requestBgaAgreementSignature.envelopeId);
    const repeated = await ask(self, MUTATIONS.requestSignature, { id: agentId });
    expect(repeated.data!.requestBgaAgreementSignature.envelopeId).toBe(envelopeId);
    const awaiting = await ask(self, ONBOARDING, { id: agentId });
    expect(awaiting.data!.agent.onboarding.steps[0]).toEqual({ step: 'BGA_AGREEMENT', status: 'AWAITING_SIGNATURE', completedAt: null });
    expect(
      codes(await ask(self, MUTATIONS.agreement, { id: agentId, input: { agreementVersion: '2026-01', signedOn: yesterday() } })),
    ).toEqual(['FORBIDDEN']);
    const signed = await fetch(`${signingUrl}/sign`, { method: 'POST' });
    expect(signed.status).toBe(200);
    await waitFor(async () => {
      const view = await ask(self, ONBOARDING, { id: agentId });
      return view.data!.agent.onboarding.steps[0].status === 'COMPLETE';
    });

    // The webhook believes only signed deliveries; a signed redelivery changes nothing.
    const hook = `${stack.subgraphs.agents.url.replace(/\/graphql$/, '')}/webhooks/esign-agreements`;
    const body = JSON.stringify({
      eventId: 'evt_replay',
      type: 'envelope.completed',
      envelopeId,
      clientReference: 'x',
      occurredAt: new Date().toISOString(),
    });
    const unsigned = await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(unsigned.status).toBe(401);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const redelivered = await fetch(hook, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-esign-timestamp': timestamp,
        'x-esign-signature': signWebhook(DEV_ESIGN_WEBHOOK_SECRET, timestamp, body),
      },
      body,
    });
    expect(await redelivered.json()).toEqual({ received: true, applied: false });

    const steps: [string, Record<string, unknown>][] = [
      [MUTATIONS.w9, { tin: TIN, legalName: 'Onb Oarding', taxClassification: 'INDIVIDUAL' }],
      [MUTATIONS.deposit, { routingNumber: ROUTING, accountNumber: ACCOUNT, accountType: 'CHECKING' }],
      [MUTATIONS.eo, eoInput()],
      [
        MUTATIONS.background,
        { felony: false, regulatoryAction: false, bankruptcy: true, terminatedForCause: false, explanation: 'Chapter 7, 2019, discharged' },
      ],
    ];
    for (const [mutation, input] of steps) {
      const response = await ask(self, mutation, { id: agentId, input });
      expect(response.errors).toBeUndefined();
    }
    const waiting = await ask(self, ONBOARDING, { id: agentId });
    expect(waiting.data!.agent).toMatchObject({ status: 'PENDING', onboarding: { missing: ['BACKGROUND_QUESTIONS'], stage: 'IN_REVIEW' } });
    expect(waiting.data!.agent.onboarding.steps.find((s: { step: string }) => s.step === 'BACKGROUND_QUESTIONS').status).toBe('IN_REVIEW');
    expect(waiting.data!.agent.onboarding.steps.find((s: { step: string }) => s.step === 'AML_TRAINING').status).toBe('NOT_REQUIRED');
    // Deltas of the stages no other test moves (other tests create PENDING agents).
    const during = await stageCounts();
    expect(during.IN_REVIEW).toBe(before.IN_REVIEW + 1);

    // The agent cannot approve their own review; answering again with every "no" does not skip it.
    expect(codes(await ask(self, MUTATIONS.approve, { id: agentId }))).toEqual(['FORBIDDEN']);
    const again = await ask(self, MUTATIONS.background, {
      id: agentId,
      input: { felony: false, regulatoryAction: false, bankruptcy: false, terminatedForCause: false },
    });
    expect(again.data!.answerBackgroundQuestions.onboarding.stage).toBe('IN_REVIEW');

    const approved = await ask(admin, MUTATIONS.approve, { id: agentId });
    expect(approved.errors).toBeUndefined();
    expect(approved.data!.approveBackgroundReview).toMatchObject({ status: 'ACTIVE', onboarding: { missing: [], stage: 'COMPLETE' } });
    expect(codes(await ask(admin, MUTATIONS.approve, { id: agentId }))).toEqual(['FAILED_PRECONDITION']);

    // AML training is optional (no annuities in v1): recording it changes nothing but the step and the day.
    const aml = await ask(self, MUTATIONS.aml, { id: agentId, input: { completedOn: yesterday(), provider: 'LIMRA' } });
    expect(aml.data!.recordAmlTraining.status).toBe('ACTIVE');

    const after = await stageCounts();
    expect(after.COMPLETE).toBe(before.COMPLETE + 1);

    const view = await ask(self, ONBOARDING, { id: agentId });
    const agent = view.data!.agent;
    expect(agent.eoExpiresOn).toBe(nextYear());
    expect(agent.onboarding.eoCoverage).toEqual(eoInput());
    expect(
      agent.onboarding.steps.every((s: { status: string; completedAt: string | null }) => s.status === 'COMPLETE' && s.completedAt),
    ).toBe(true);
    const events = agent.events as {
      type: string;
      actor: string;
      fromStatus: string | null;
      toStatus: string | null;
      note: string | null;
    }[];
    expect(events.filter((e) => e.type === 'STATUS_CHANGED')).toEqual([
      {
        type: 'STATUS_CHANGED',
        actor: 'user:test-admin',
        fromStatus: 'PENDING',
        toStatus: 'ACTIVE',
        note: 'every required onboarding step complete',
      },
    ]);
    expect(
      events
        .filter((e) => e.type === 'ONBOARDING_STEP_COMPLETED')
        .map((e) => e.note)
        .sort(),
    ).toEqual([
      'AML_TRAINING',
      'BACKGROUND_QUESTIONS: approved after review',
      'BGA_AGREEMENT: signed electronically',
      'DIRECT_DEPOSIT',
      'EO_COVERAGE',
      'W9',
    ]);
    expect(events.map((e) => e.type)).toContain('CREATED');
  });

  it('keeps the bank account, TIN and answers sealed in the database, masked only for ADMIN and the agent', async () => {
    const { rows } = await pool.query(`SELECT * FROM agents.onboarding_step WHERE agent_id = $1`, [agentId]);
    expect(rows).toHaveLength(6);
    const raw = JSON.stringify(rows);
    for (const secret of [ACCOUNT, '123456789', ROUTING, 'Chapter 7']) expect(raw).not.toContain(secret);
    for (const step of ['W9', 'DIRECT_DEPOSIT', 'BACKGROUND_QUESTIONS']) {
      expect(rows.find((r) => r.step === step).sealed).toMatch(/^pd1\./);
    }

    const mine = await ask(self, ONBOARDING, { id: agentId });
    expect(mine.data!.agent.onboarding.directDepositAccountMasked).toBe('****6789');
    const admins = await ask(admin, ONBOARDING, { id: agentId });
    expect(admins.data!.agent.onboarding.directDepositAccountMasked).toBe('****6789');
    // The upline sees the agent (their downline) and its steps, never the account; nor does staff.
    for (const token of [await stack.agentToken(UPLINE), staff]) {
      const response = await ask(token, ONBOARDING, { id: agentId });
      expect(response.errors).toBeUndefined();
      expect(response.data!.agent.onboarding.directDepositAccountMasked).toBeNull();
      expect(JSON.stringify(response)).not.toContain(ACCOUNT);
      expect(JSON.stringify(response)).not.toContain('****');
    }
    // An agent outside the hierarchy does not see the agent at all.
    const stranger = await ask(await stack.agentToken('agt_0002'), ONBOARDING, { id: agentId });
    expect(stranger.data!.agent).toBeNull();
  });

  it('suspends the agent when E&O lapses (the leased job), and reinstates them on new coverage', async () => {
    // The coverage ended yesterday: shown EXPIRED at once, the standing changes when the job runs.
    await pool.query(`UPDATE agents.onboarding_step SET expires_on = $2 WHERE agent_id = $1 AND step = 'EO_COVERAGE'`, [
      agentId,
      yesterday(),
    ]);
    const lapsedView = await ask(admin, ONBOARDING, { id: agentId });
    expect(lapsedView.data!.agent).toMatchObject({ status: 'ACTIVE', onboarding: { missing: ['EO_COVERAGE'], stage: 'LAPSED' } });

    const job = new EoLapseJob({ pool: pool as never, logger: createLogger('test', 'silent'), intervalMs: 60_000 });
    expect(await job.runOnce()).toBeGreaterThanOrEqual(1);
    expect(await job.runOnce()).toBe(0);
    await job.stop();

    const suspended = await ask(admin, ONBOARDING, { id: agentId });
    const agent = suspended.data!.agent;
    expect(agent).toMatchObject({ status: 'SUSPENDED', onboarding: { missing: ['EO_COVERAGE'], stage: 'LAPSED' } });
    expect(agent.onboarding.steps.find((s: { step: string }) => s.step === 'EO_COVERAGE').status).toBe('EXPIRED');
    expect(agent.events.slice(0, 2)).toEqual([
      { type: 'STATUS_CHANGED', actor: 'system:eo-lapse', fromStatus: 'ACTIVE', toStatus: 'SUSPENDED', note: 'E&O coverage lapsed' },
      {
        type: 'ONBOARDING_STEP_REOPENED',
        actor: 'system:eo-lapse',
        fromStatus: null,
        toStatus: null,
        note: 'EO_COVERAGE: coverage expired',
      },
    ]);

    const renewed = await ask(self, MUTATIONS.eo, { id: agentId, input: { ...eoInput(), policyNumber: 'EO-778813' } });
    expect(renewed.data!.recordEoCoverage).toMatchObject({ status: 'ACTIVE', onboarding: { missing: [], stage: 'COMPLETE' } });
    const back = await ask(admin, ONBOARDING, { id: agentId });
    expect(back.data!.agent.events[0]).toEqual({
      type: 'STATUS_CHANGED',
      actor: `user:${agentId}`,
      fromStatus: 'SUSPENDED',
      toStatus: 'ACTIVE',
      note: 'E&O coverage on file again',
    });
  });

  it('a page of agents loads every onboarding in one statement', async () => {
    const page = await ask(admin, `{ agents(first: 100) { edges { node { id onboarding { stage missing steps { step status } } } } } }`);
    expect(page.errors).toBeUndefined();
    expect(page.data!.agents.edges).toHaveLength(100);
    // One for the page, one for every agent's steps.
    expect(page.extensions!.stats.agents).toMatchObject({ fetches: 1, sql: 2 });
  });

  it('onboardingMetrics lists every stage, for ADMIN only', async () => {
    const metrics = await ask(admin, METRICS);
    expect(metrics.extensions!.stats.agents).toMatchObject({ fetches: 1, sql: 1 });
    const counts = await stageCounts();
    expect(Object.keys(counts)).toEqual(['NOT_STARTED', 'IN_PROGRESS', 'IN_REVIEW', 'COMPLETE', 'LAPSED']);
    expect(counts.COMPLETE).toBeGreaterThan(0);
    expect(codes(await ask(staff, METRICS))).toEqual(['FORBIDDEN']);
    expect(codes(await ask(self, METRICS))).toEqual(['FORBIDDEN']);
  });
});
