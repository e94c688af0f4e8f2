/**
 * Expected commissions end to end, through the gateway and the agents subgraph's own commission
 * chains (its internal commissionChains over the demo contracts the seed gives every appointed agent
 * and agency, docs/domain.md "Commissions"): a case submitted for two writing agents, 60/40, is
 * placed by the case manager; the commission job asks the agents subgraph for both chains as of the
 * submission date and books every level's line to the cent; each writing agent's statement shows
 * their line; a lapse in the first month charges everything back.
 *
 * Needs the agents subgraph's commissionChains (the contracts work): it runs once both are merged.
 */
import type pg from 'pg';
import { DEV_IDENTITY_SECRET } from '../../platform/config';
import { createLogger } from '../../platform/logger';
import { CommissionWorker } from '../../subgraphs/cases/commissions/commission.worker';
import { BGA_PARTY, type CommissionChain, lineAmount } from '../../subgraphs/cases/domain/commissions';
import { AgentsGraphqlAdapter } from '../../subgraphs/cases/ports/graphql/agents.adapter';
import { SubgraphClient } from '../../subgraphs/shared/subgraph-client';
import { codes, graphql } from '../support/graphql';
import { type Stack, startStack } from '../support/stack';
import { eligibleTargets, submission } from '../support/submissions';
import { testPool } from '../support/test-pool';

const RUN = Date.now().toString(36);
/** Carriers the commissions tests of other files use: kept apart, as if they shared a database. */
const TAKEN = ['car_summit', 'car_harborlight'];
let stack: Stack;
let pool: pg.Pool;
let staff: string;
const ask = (token: string, query: string, variables: Record<string, unknown> = {}) =>
  graphql(stack.url, query, variables, { headers: { authorization: `Bearer ${token}` } });

beforeAll(async () => {
  stack = await startStack({ env: { OUTBOX_POLL_MS: '0', SYNC_INTERVAL_MS: '0', FOLLOW_UP_INTERVAL_MS: '0' } });
  pool = testPool(2);
  staff = await stack.token('STAFF');
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await stack?.stop();
});

it('books every level of a placed 60/40 case from the agents subgraph’s chains, to the cent, and charges a first-month lapse back', async () => {
  const target = (await eligibleTargets(pool, 40)).find((t) => !TAKEN.includes(t.carrierId))!;
  // A second writing agent appointed at the same carrier (so holding a contract there).
  const coWriter = (
    await pool.query<{ id: string }>(
      `SELECT a.id FROM agents.agent a JOIN agents.appointment p ON p.agent_id = a.id AND p.status = 'ACTIVE' AND p.carrier_id = $1
        WHERE a.id <> $2 AND a.status = 'ACTIVE' ORDER BY a.id LIMIT 1`,
      [target.carrierId, target.agentId],
    )
  ).rows[0]!.id;

  const submitted = await ask(
    staff,
    `mutation($input: SubmitCaseInput!) { submitCase(input: $input) { id annualPremium submittedAt writingAgents { agent { id } splitPercent } } }`,
    {
      input: {
        ...submission(target, `cm-e2e-${RUN}`),
        writingAgents: [
          { agentId: target.agentId, splitPercent: 60 },
          { agentId: coWriter, splitPercent: 40 },
        ],
      },
    },
  );
  expect(submitted.errors).toBeUndefined();
  const { id, annualPremium, submittedAt } = submitted.data!.submitCase;

  // The case manager receives what is outstanding and places the case.
  const requirements = await ask(staff, `query($id: ID!) { case(id: $id) { requirements { id status } } }`, { id });
  for (const requirement of requirements.data!.case.requirements.filter((r: { status: string }) => r.status === 'ORDERED'))
    expect(
      (await ask(staff, `mutation($r: ID!) { receiveRequirement(requirementId: $r) { status } }`, { r: requirement.id })).errors,
    ).toBeUndefined();
  for (const change of [
    { status: 'IN_UNDERWRITING' },
    { status: 'APPROVED' },
    { status: 'ISSUED', policyNumber: `POL-E2E-${RUN}` },
    { status: 'PLACED' },
  ]) {
    const moved = await ask(staff, `mutation($id: ID!, $c: CaseStatusChangeInput!) { updateCaseStatus(id: $id, change: $c) { status } }`, {
      id,
      c: change,
    });
    expect(moved.errors).toBeUndefined();
  }

  // The job, as the subgraph runs it, on the agents subgraph's own URL (kept to this carrier).
  const agents = new AgentsGraphqlAdapter(
    new SubgraphClient({ service: 'cases', target: 'agents', url: stack.subgraphs.agents!.url, identitySecret: DEV_IDENTITY_SECRET }),
  );
  const worker = new CommissionWorker({
    pool,
    logger: createLogger('test', 'silent'),
    agents,
    intervalMs: 60_000,
    batchSize: 1000,
    carrierIds: [target.carrierId],
  });
  await worker.runOnce();
  expect(worker.lastPass.find((outcome) => outcome.caseId === id)).toMatchObject({ kind: 'BOOK' });
  expect(worker.lastPass.find((outcome) => outcome.caseId === id)!.exception).toBeUndefined();

  // What the lines must be, level by level, from the chains the agents subgraph answers.
  const chains: CommissionChain[] = await agents.commissionChains({
    carrierId: target.carrierId,
    productId: target.productId,
    agentIds: [target.agentId, coWriter],
    asOf: submittedAt.slice(0, 10),
  });
  const premiumCents = Math.round(Number(annualPremium) * 100);
  const expected: [string, string, string, number][] = [];
  for (const [agentId, split] of [
    [target.agentId, 6000],
    [coWriter, 4000],
  ] as const) {
    const levels = chains.find((chain) => chain.agentId === agentId)!.levels;
    expect(levels[0]!.partyId).toBe(agentId);
    expect(levels.at(-1)!.partyId).toBe(BGA_PARTY);
    levels.forEach((level, i) => {
      const rate = level.firstYearBasisPoints - (i ? levels[i - 1]!.firstYearBasisPoints : 0);
      if (i && !rate) return;
      const role = i === 0 ? 'WRITING' : level.partyId === BGA_PARTY ? 'BGA' : 'OVERRIDE';
      expect(rate).toBeGreaterThanOrEqual(0);
      expected.push([role, level.partyId, agentId, lineAmount(premiumCents, split, rate)]);
    });
  }
  const booked = await pool.query(
    `SELECT role, party_id, writing_agent_id, amount_cents::int AS amount FROM cases.commission WHERE case_id = $1 AND transaction = 'FIRST_YEAR' ORDER BY id`,
    [id],
  );
  expect(booked.rows.map((row) => [row.role, row.party_id, row.writing_agent_id, row.amount])).toEqual(expected);
  // The carrier pays the BGA at its level: the lines sum to premium × the BGA's rate within a cent per line.
  const bgaRate = chains[0]!.levels.at(-1)!.firstYearBasisPoints;
  const total = expected.reduce((sum, line) => sum + line[3], 0);
  expect(Math.abs(total - (premiumCents * bgaRate) / 10_000)).toBeLessThanOrEqual(expected.length);

  // Each writing agent sees their own line on their statement.
  const period = new Date().toISOString().slice(0, 7);
  for (const [agentId, line] of [
    [target.agentId, expected[0]!],
    [coWriter, expected.find((l) => l[0] === 'WRITING' && l[1] === coWriter)!],
  ] as const) {
    const statement = await ask(
      await stack.agentToken(agentId),
      `query($a: ID!, $p: String!) { commissionStatement(agentId: $a, period: $p) { lines { caseNumber role amount } } }`,
      { a: agentId, p: period },
    );
    expect(statement.errors).toBeUndefined();
    expect(statement.data!.commissionStatement.lines.map((l: { role: string; amount: string }) => [l.role, l.amount])).toContainEqual([
      'WRITING',
      (line[3] / 100).toFixed(2),
    ]);
  }

  // A lapse in the first month (no month paid) takes everything back, whatever the schedule's rule.
  const lapse = await ask(staff, `mutation($i: RecordPolicyLapseInput!) { recordPolicyLapse(input: $i) { paidMonths chargeback } }`, {
    i: { caseId: id, lapsedOn: new Date().toISOString().slice(0, 10) },
  });
  expect(codes(lapse)).toEqual([]);
  expect(lapse.data!.recordPolicyLapse).toEqual({ paidMonths: 0, chargeback: (-total / 100).toFixed(2) });
}, 60_000);
