/**
 * Commissions through the gateway: writing agents and their splits on submitCase (every bad split a
 * BAD_USER_INPUT reason naming its field; Case.writingAgents), commissionStatement (an agent reads
 * their own, and the overrides due to them; never another agent's; one SQL statement), a lapse's
 * pro-rated chargeback (recordPolicyLapse, idempotent), payout batches (one per period, asking again
 * pays nothing more) and commissionMetrics. Lines are booked by the commission job with a port double
 * for the agents subgraph's commissionChains (the real one: commissions-e2e.test.ts); its cases are
 * written with SQL, placed in 2020 under a clock in 2020, at a carrier no other commissions test uses
 * (each commissions test keeps to a carrier of its own).
 */
import type pg from 'pg';
import { DEV_IDENTITY_SECRET } from '../../platform/config';
import { signIdentity } from '../../platform/identity';
import { createLogger } from '../../platform/logger';
import { CommissionWorker } from '../../subgraphs/cases/commissions/commission.worker';
import { BGA_PARTY, type CommissionChain } from '../../subgraphs/cases/domain/commissions';
import type { CommissionChainQuestion } from '../../subgraphs/cases/ports/agents.port';
import { codes, graphql } from '../support/graphql';
import { type Stack, startStack } from '../support/stack';
import { eligibleTargets, submission } from '../support/submissions';
import { testPool } from '../support/test-pool';

const RUN = Date.now().toString(36);
const CARRIER = 'car_harborlight';
let stack: Stack;
let pool: pg.Pool;
let staff: string;
let admin: string;
/** Two writing agents and the agency above both (real agents: the gateway resolves them). */
let agentA: string;
let agentB: string;
let agency: string;
const ask = (token: string, query: string, variables: Record<string, unknown> = {}) =>
  graphql(stack.url, query, variables, { headers: { authorization: `Bearer ${token}` } });

/** The worked example's chains under `agency`: agent 85%, agency 100%, BGA 120%; 12 months pro-rated. */
const NO_CONTRACT = `agt_cm${RUN}_nocontract`;
const agents = {
  commissionChains: async (question: CommissionChainQuestion): Promise<CommissionChain[]> => {
    if (question.agentIds.includes(NO_CONTRACT)) throw new Error(`agent ${NO_CONTRACT} has no contract with the carrier`);
    return question.agentIds.map((agentId) => ({
      agentId,
      levels: [
        { partyId: agentId, levelCode: 'L85', firstYearBasisPoints: 8500, renewalBasisPoints: 200, renewalYears: 10 },
        { partyId: agency, levelCode: 'L100', firstYearBasisPoints: 10_000, renewalBasisPoints: 200, renewalYears: 10 },
        { partyId: BGA_PARTY, levelCode: 'L120', firstYearBasisPoints: 12_000, renewalBasisPoints: 300, renewalYears: 10 },
      ],
      chargebackMonths: 12,
      lapseChargeback: 'PRO_RATA' as const,
    }));
  },
};
const clock = new Date('2020-03-20T12:00:00.000Z');
const bookCommissions = () =>
  new CommissionWorker({
    pool,
    logger: createLogger('test', 'silent'),
    agents,
    intervalMs: 60_000,
    now: () => clock,
    carrierIds: [CARRIER],
  }).runOnce();

let caseCounter = 0;
async function placedCase(writers: [string, number][], placedAt: string): Promise<string> {
  const id = `case_cm${RUN}_${++caseCounter}`;
  await pool.query(
    `INSERT INTO cases."case" (id, case_number, agent_id, carrier_id, product_id, product_type, insured_first_name, insured_last_name, insured_birth_date,
       insured_gender, insured_state, insured_tobacco, face_amount, term_years, applied_health_class, payment_mode, annual_premium_cents, modal_premium_cents,
       status, submitted_at, placed_at, closed_at, created_by, policy_number)
     VALUES ($1, $2, $3, $4, 'prd_harborlight_term', 'TERM', 'T', 'I', '1980-01-01', 'MALE', 'TX', false, 500000, 20, 'PREFERRED', 'ANNUAL', 240000, 240000,
       'PLACED', '2020-02-01T10:00:00.000Z', $5, $5, 'user:test', $6)`,
    [id, `CM-${(Date.now() % 1e8) * 10 + caseCounter}`, writers[0]![0], CARRIER, placedAt, `POL-CM-${RUN}-${caseCounter}`],
  );
  await pool.query(
    `INSERT INTO cases.case_writing_agent (case_id, agent_id, split_basis_points) SELECT $1, a, s FROM unnest($2::text[], $3::int[]) AS w (a, s)`,
    [id, writers.map((w) => w[0]), writers.map((w) => w[1])],
  );
  return id;
}

beforeAll(async () => {
  stack = await startStack({ env: { OUTBOX_POLL_MS: '0', SYNC_INTERVAL_MS: '0', FOLLOW_UP_INTERVAL_MS: '0' } });
  pool = testPool(2);
  const ids = (await pool.query<{ id: string }>(`SELECT id FROM agents.agent ORDER BY id LIMIT 3`)).rows.map((row) => row.id);
  [agentA, agentB, agency] = ids as [string, string, string];
  staff = await stack.token('STAFF');
  admin = await stack.token('ADMIN');
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await stack?.stop();
});

const SUBMIT = `mutation($input: SubmitCaseInput!) { submitCase(input: $input) { id writingAgents { agent { id } splitPercent } } }`;

describe('writing agents on submitCase', () => {
  it('refuses bad splits, each reason naming its field, before anything is written', async () => {
    const [target] = await eligibleTargets(pool, 1);
    const other = target!.agentId === agentA ? agentB : agentA;
    const tries: [unknown[], string[]][] = [
      [
        [
          { agentId: target!.agentId, splitPercent: 60 },
          { agentId: other, splitPercent: 30 },
        ],
        ['writingAgents splitPercent must sum to 100 (they sum to 90)'],
      ],
      [
        [
          { agentId: target!.agentId, splitPercent: 50 },
          { agentId: target!.agentId, splitPercent: 50 },
        ],
        ['writingAgents[1].agentId names an agent already listed'],
      ],
      [[{ agentId: other, splitPercent: 100 }], ["writingAgents must include the case's agent (agentId)"]],
      [
        [
          { agentId: target!.agentId, splitPercent: 50 },
          { agentId: 'agt_nosuchagent', splitPercent: 50 },
        ],
        ['writingAgents[1].agentId is not a known agent'],
      ],
      [
        [
          { agentId: target!.agentId, splitPercent: 50 },
          { agentId: 'nope', splitPercent: 50 },
        ],
        ['writingAgents[1].agentId is not a valid agent id (expected agt_...)'],
      ],
      [
        [
          { agentId: target!.agentId, splitPercent: 99.995 },
          { agentId: other, splitPercent: 0.005 },
        ],
        [
          'writingAgents[0].splitPercent must be more than 0 and at most 100, with at most two decimals',
          'writingAgents[1].splitPercent must be more than 0 and at most 100, with at most two decimals',
        ],
      ],
    ];
    for (const [i, [writingAgents, reasons]] of tries.entries()) {
      const answer = await ask(staff, SUBMIT, { input: { ...submission(target!, `cm-bad-${RUN}-${i}`), writingAgents } });
      expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
      expect(answer.errors![0]!.extensions!.reasons).toEqual(expect.arrayContaining(reasons));
    }
    const written = await pool.query(`SELECT 1 FROM cases."case" WHERE idempotency_key LIKE $1`, [`cm-bad-${RUN}-%`]);
    expect(written.rowCount).toBe(0);
  });

  it('writes the splits with the case, and the case agent at 100% without them', async () => {
    const [target] = await eligibleTargets(pool, 1);
    const other = target!.agentId === agentA ? agentB : agentA;
    const split = await ask(staff, SUBMIT, {
      input: {
        ...submission(target!, `cm-split-${RUN}`),
        writingAgents: [
          { agentId: other, splitPercent: 33.33 },
          { agentId: target!.agentId, splitPercent: 66.67 },
        ],
      },
    });
    expect(split.errors).toBeUndefined();
    expect(split.data!.submitCase.writingAgents).toEqual([
      { agent: { id: target!.agentId }, splitPercent: 66.67 },
      { agent: { id: other }, splitPercent: 33.33 },
    ]);
    const alone = await ask(staff, SUBMIT, { input: submission(target!, `cm-alone-${RUN}`) });
    expect(alone.data!.submitCase.writingAgents).toEqual([{ agent: { id: target!.agentId }, splitPercent: 100 }]);
  });
});

const STATEMENT = `query($agentId: ID!, $period: String!) { commissionStatement(agentId: $agentId, period: $period) {
  agent { id } period writingTotal overrideTotal chargebackTotal total unpaidTotal
  lines { caseNumber role transaction premium splitPercent ratePercent amount levelCode period payoutBatchId writingAgent { id } party { id } carrier { id } } } }`;

describe('commission statements, lapses, payouts and metrics', () => {
  let single: string;
  let refused: string;

  beforeAll(async () => {
    await placedCase(
      [
        [agentA, 6000],
        [agentB, 4000],
      ],
      '2020-03-10T15:00:00.000Z',
    );
    single = await placedCase([[agentA, 10_000]], '2020-03-12T15:00:00.000Z');
    refused = await placedCase([[NO_CONTRACT, 10_000]], '2020-03-14T15:00:00.000Z');
    await bookCommissions();
  });

  it('lists a case whose chain the agents subgraph refuses as an exception for staff, with nothing booked', async () => {
    const EXCEPTIONS = `{ commissionExceptions(first: 500) { caseId reason attempts } }`;
    expect(codes(await ask(await stack.agentToken(agentA), EXCEPTIONS))).toEqual(['FORBIDDEN']);
    const listed = await ask(staff, EXCEPTIONS);
    expect(listed.data!.commissionExceptions).toContainEqual({
      caseId: refused,
      reason: `agent ${NO_CONTRACT} has no contract with the carrier`,
      attempts: 1,
    });
    expect((await pool.query(`SELECT 1 FROM cases.commission WHERE case_id = $1`, [refused])).rowCount).toBe(0);
  });

  it("shows an agent their own lines, and the agency the overrides due to it on its downline's business", async () => {
    const own = await ask(await stack.agentToken(agentA), STATEMENT, { agentId: agentA, period: '2020-03' });
    expect(own.errors).toBeUndefined();
    const statement = own.data!.commissionStatement;
    expect(statement).toMatchObject({
      agent: { id: agentA },
      period: '2020-03',
      writingTotal: '3264.00',
      overrideTotal: '0.00',
      total: '3264.00',
    });
    expect(statement.lines.map((l: { role: string; amount: string; splitPercent: number }) => [l.role, l.splitPercent, l.amount])).toEqual([
      ['WRITING', 60, '1224.00'],
      ['WRITING', 100, '2040.00'],
    ]);
    expect(statement.lines[0]).toMatchObject({
      transaction: 'FIRST_YEAR',
      premium: '2400.00',
      ratePercent: 85,
      levelCode: 'L85',
      carrier: { id: CARRIER },
    });

    const overrides = await ask(await stack.agentToken(agency), STATEMENT, { agentId: agency, period: '2020-03' });
    expect(overrides.data!.commissionStatement).toMatchObject({ writingTotal: '0.00', overrideTotal: '720.00', total: '720.00' });
    expect(
      overrides.data!.commissionStatement.lines.map((l: { role: string; amount: string; writingAgent: { id: string } }) => [
        l.role,
        l.writingAgent.id,
        l.amount,
      ]),
    ).toEqual([
      ['OVERRIDE', agentA, '216.00'],
      ['OVERRIDE', agentB, '144.00'],
      ['OVERRIDE', agentA, '360.00'],
    ]);
  });

  it("never shows an agent another agent's statement; ADMIN reads any; a bad period is BAD_USER_INPUT", async () => {
    expect(codes(await ask(await stack.agentToken(agentA), STATEMENT, { agentId: agentB, period: '2020-03' }))).toEqual(['FORBIDDEN']);
    expect(codes(await ask(await stack.agentToken(agentB), STATEMENT, { agentId: agency, period: '2020-03' }))).toEqual(['FORBIDDEN']);
    expect(codes(await ask(staff, STATEMENT, { agentId: agentB, period: '2020-03' }))).toEqual(['FORBIDDEN']);
    const asAdmin = await ask(admin, STATEMENT, { agentId: agentB, period: '2020-03' });
    expect(asAdmin.data!.commissionStatement).toMatchObject({ writingTotal: '816.00', total: '816.00' });
    expect(codes(await ask(admin, STATEMENT, { agentId: agentB, period: '2020-3' }))).toEqual(['BAD_USER_INPUT']);
  });

  it('reads a statement in one SQL statement', async () => {
    const direct = await graphql(
      stack.subgraphs.cases.url,
      `query($agentId: ID!, $period: String!) { commissionStatement(agentId: $agentId, period: $period) { total lines { caseNumber amount } } }`,
      { agentId: agency, period: '2020-03' },
      { headers: signIdentity({ sub: 'user:test-admin', role: 'ADMIN' }, DEV_IDENTITY_SECRET) },
    );
    expect(direct.data!.commissionStatement.lines).toHaveLength(3);
    expect(direct.extensions!.stats.sql).toBe(1);
  });

  const LAPSE = `mutation($input: RecordPolicyLapseInput!) { recordPolicyLapse(input: $input) { caseId lapsedOn paidMonths chargeback } }`;

  it('charges a lapse after 4 paid months back pro-rata (8/12), once', async () => {
    const input = { caseId: single, lapsedOn: '2020-07-12' };
    expect(codes(await ask(await stack.agentToken(agentA), LAPSE, { input }))).toEqual(['FORBIDDEN']);
    const lapse = await ask(staff, LAPSE, { input });
    expect(lapse.errors).toBeUndefined();
    expect(lapse.data!.recordPolicyLapse).toEqual({ caseId: single, lapsedOn: '2020-07-12', paidMonths: 4, chargeback: '-1920.00' });
    // The same lapse again answers it; another lapse of the policy is CONFLICT.
    expect((await ask(staff, LAPSE, { input })).data!.recordPolicyLapse.chargeback).toBe('-1920.00');
    expect(codes(await ask(staff, LAPSE, { input: { caseId: single, lapsedOn: '2020-08-12' } }))).toEqual(['CONFLICT']);
    const back = await pool.query(
      `SELECT role, amount_cents::int AS amount FROM cases.commission WHERE case_id = $1 AND transaction = 'CHARGEBACK' ORDER BY id`,
      [single],
    );
    expect(back.rows).toEqual([
      { role: 'WRITING', amount: -136_000 },
      { role: 'OVERRIDE', amount: -24_000 },
      { role: 'BGA', amount: -32_000 },
    ]);
    // A case whose commission is not booked yet (placed after the job's clock) has no lapse to record yet.
    const unbooked = await placedCase([[agentB, 10_000]], '2020-03-25T00:00:00.000Z');
    expect(codes(await ask(staff, LAPSE, { input: { caseId: unbooked, lapsedOn: '2020-04-01' } }))).toEqual(['CONFLICT']);
  });

  const PAY = `mutation($period: String!) { createPayoutBatch(period: $period) { id period lineCount total } }`;

  it("pays a period once: the unpaid lines of the period and earlier, never the BGA's own share", async () => {
    expect(codes(await ask(staff, PAY, { period: '2020-03' }))).toEqual(['FORBIDDEN']);
    const first = await ask(admin, PAY, { period: '2020-03' });
    expect(first.errors).toBeUndefined();
    expect(first.data!.createPayoutBatch).toEqual({ id: 'pay_2020_03', period: '2020-03', lineCount: 6, total: '4800.00' });
    const again = await ask(admin, PAY, { period: '2020-03' });
    expect(again.data!.createPayoutBatch).toEqual(first.data!.createPayoutBatch);
    const paid = await pool.query(`SELECT count(*)::int AS n FROM cases.commission WHERE payout_batch_id = 'pay_2020_03'`);
    expect(paid.rows[0].n).toBe(6);
    const statement = await ask(await stack.agentToken(agentA), STATEMENT, { agentId: agentA, period: '2020-03' });
    expect(statement.data!.commissionStatement.unpaidTotal).toBe('0.00');
    expect(statement.data!.commissionStatement.lines.every((l: { payoutBatchId: string }) => l.payoutBatchId === 'pay_2020_03')).toBe(true);
    const batches = await ask(admin, `{ payoutBatches(first: 120) { id period lineCount total } }`);
    expect(batches.data!.payoutBatches).toContainEqual(first.data!.createPayoutBatch);
    expect(codes(await ask(admin, PAY, { period: '2999-01' }))).toEqual(['BAD_USER_INPUT']);
    // Concurrent calls for a new period make one batch (here of nothing: 2020-03 paid every earlier line).
    const racing = await Promise.all([1, 2, 3].map(() => ask(admin, PAY, { period: '2020-02' })));
    expect(racing.map((answer) => answer.data?.createPayoutBatch)).toEqual(
      [1, 2, 3].map(() => ({ id: 'pay_2020_02', period: '2020-02', lineCount: 0, total: '0.00' })),
    );
  });

  it('measures expected commission and chargebacks by carrier and period, and days to the first payout', async () => {
    const METRICS = `query($from: String!, $to: String!, $carriers: [ID!]) { commissionMetrics(from: $from, to: $to, carrierIds: $carriers) {
      byCarrierPeriod { carrier { id } period expected chargebacks cases } placementToFirstCommission { cases meanDays medianDays } } }`;
    expect(codes(await ask(staff, METRICS, { from: '2020-01', to: '2020-12' }))).toEqual(['FORBIDDEN']);
    const metrics = await ask(admin, METRICS, { from: '2020-01', to: '2020-12', carriers: [CARRIER] });
    expect(metrics.errors).toBeUndefined();
    expect(metrics.data!.commissionMetrics.byCarrierPeriod).toEqual([
      { carrier: { id: CARRIER }, period: '2020-03', expected: '5760.00', chargebacks: '0.00', cases: 2 },
    ]);
    expect(metrics.data!.commissionMetrics.placementToFirstCommission.cases).toBe(2);
    const now = new Date().toISOString().slice(0, 7);
    const current = await ask(admin, METRICS, { from: now, to: now, carriers: [CARRIER] });
    expect(current.data!.commissionMetrics.byCarrierPeriod).toEqual([
      { carrier: { id: CARRIER }, period: now, expected: '0.00', chargebacks: '-1920.00', cases: 1 },
    ]);
    expect(codes(await ask(admin, METRICS, { from: '2020-01', to: '2024-01' }))).toEqual(['BAD_USER_INPUT']);
  });
});
