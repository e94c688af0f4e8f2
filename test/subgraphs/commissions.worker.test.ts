/**
 * The commission job on the test database with a port double for the agents subgraph's
 * commissionChains (the real query is the agents subgraph's; test/integration/commissions-e2e.test.ts
 * runs the job against it): two workers at once book a placed case's first-year lines once, to the
 * cent of docs/domain.md's worked example; a refused chain is an exception, retried later with
 * nothing booked; a case not taken after placement is charged back once. The clock sits in 2021,
 * before the seeded book (claims skip placements after the clock), and the workers keep to this
 * file's carrier (each test keeps to a carrier of its own).
 */
import type pg from 'pg';
import { createLogger } from '../../platform/logger';
import { applySnapshot } from '../../subgraphs/cases/case-sync.worker';
import { claimDueCommissions } from '../../subgraphs/cases/commissions/commission.repository';
import { CommissionWorker } from '../../subgraphs/cases/commissions/commission.worker';
import { BGA_PARTY, type CommissionChain } from '../../subgraphs/cases/domain/commissions';
import type { CommissionChainQuestion } from '../../subgraphs/cases/ports/agents.port';
import type { CarrierSnapshot } from '../../subgraphs/cases/ports/carriers.port';
import { Db } from '../../subgraphs/shared/db';
import { testPool } from '../support/test-pool';

const RUN = Date.now().toString(36);
const logger = createLogger('test', 'silent');
let pool: pg.Pool;
let clock = new Date('2021-03-15T12:00:00.000Z');
const A = `agt_cw${RUN}_a`;
const B = `agt_cw${RUN}_b`;
const AGENCY = `agt_cw${RUN}_agency`;

/** The worked example's chains: agent 85%, agency 100%, BGA 120%; chargebacks over 12 months, pro-rated. */
const chainOf = (agentId: string): CommissionChain => ({
  agentId,
  levels: [
    { partyId: agentId, levelCode: 'L85', firstYearBasisPoints: 8500, renewalBasisPoints: 200, renewalYears: 10 },
    { partyId: AGENCY, levelCode: 'L100', firstYearBasisPoints: 10_000, renewalBasisPoints: 200, renewalYears: 10 },
    { partyId: BGA_PARTY, levelCode: 'L120', firstYearBasisPoints: 12_000, renewalBasisPoints: 300, renewalYears: 10 },
  ],
  chargebackMonths: 12,
  lapseChargeback: 'PRO_RATA',
});

/** The port double: records each question; refuses agents in `refused` as the agents subgraph does (no contract). */
const asked: CommissionChainQuestion[] = [];
const refused = new Set<string>();
const agents = {
  commissionChains: async (question: CommissionChainQuestion) => {
    asked.push(question);
    const missing = question.agentIds.filter((id) => refused.has(id));
    if (missing.length)
      throw Object.assign(new Error('an agent has no contract with the carrier'), { extensions: { code: 'FAILED_PRECONDITION' } });
    return question.agentIds.map(chainOf);
  },
};

let caseCounter = 0;
async function placedCase(writers: [string, number][], placedAt = '2021-03-10T15:00:00.000Z'): Promise<string> {
  const id = `case_cw${RUN}_${++caseCounter}`;
  await pool.query(
    `INSERT INTO cases."case" (id, case_number, agent_id, carrier_id, product_id, product_type, insured_first_name, insured_last_name, insured_birth_date,
       insured_gender, insured_state, insured_tobacco, face_amount, term_years, applied_health_class, payment_mode, annual_premium_cents, modal_premium_cents,
       status, submitted_at, placed_at, closed_at, created_by, carrier_reference)
     VALUES ($1, $2, $3, 'car_summit', 'prd_summit_term', 'TERM', 'T', 'I', '1980-01-01', 'MALE', 'TX', false, 500000, 20, 'PREFERRED', 'ANNUAL', 240000, 240000,
       'PLACED', '2021-02-01T10:00:00.000Z', $4, $4, 'user:test', $5)`,
    [id, `CW-${(Date.now() % 1e8) * 10 + caseCounter}`, writers[0]![0], placedAt, `REF-CW-${RUN}-${caseCounter}`],
  );
  await pool.query(
    `INSERT INTO cases.case_writing_agent (case_id, agent_id, split_basis_points) SELECT $1, a, s FROM unnest($2::text[], $3::int[]) AS w (a, s)`,
    [id, writers.map((w) => w[0]), writers.map((w) => w[1])],
  );
  return id;
}

const linesOf = async (caseId: string) =>
  (
    await pool.query(
      `SELECT party_id AS "partyId", role, writing_agent_id AS "writingAgentId", transaction, amount_cents::int AS "amountCents", period
         FROM cases.commission WHERE case_id = $1 ORDER BY id`,
      [caseId],
    )
  ).rows;
const sumOf = (rows: { amountCents: number }[]) => rows.reduce((total, row) => total + row.amountCents, 0);
/** This file's carrier: each commissions test keeps to a carrier of its own, so one test's job never books another's cases. */
const CARRIER = 'car_summit';
const worker = () => new CommissionWorker({ pool, logger, agents, intervalMs: 60_000, now: () => clock, carrierIds: [CARRIER] });

beforeAll(() => {
  pool = testPool(4);
});
afterAll(async () => {
  await pool?.end();
});

describe('the commission job', () => {
  let split: string;

  it('books a placed case once, with two workers at once, to the cent of the worked example', async () => {
    split = await placedCase([
      [A, 6000],
      [B, 4000],
    ]);
    const workers = [worker(), worker()];
    await Promise.all(workers.map((w) => w.runOnce()));
    const lines = await linesOf(split);
    expect(lines.map((line) => [line.role, line.partyId, line.writingAgentId, line.amountCents])).toEqual([
      ['WRITING', A, A, 122_400],
      ['OVERRIDE', AGENCY, A, 21_600],
      ['BGA', BGA_PARTY, A, 28_800],
      ['WRITING', B, B, 81_600],
      ['OVERRIDE', AGENCY, B, 14_400],
      ['BGA', BGA_PARTY, B, 19_200],
    ]);
    expect(sumOf(lines)).toBe(288_000);
    expect(new Set(lines.map((line) => line.period))).toEqual(new Set(['2021-03']));
    // The chains were asked once, for both writing agents, as of the submission date.
    expect(asked.filter((q) => q.agentIds.includes(A))).toEqual([
      { carrierId: 'car_summit', productId: 'prd_summit_term', agentIds: [A, B], asOf: '2021-02-01' },
    ]);
    const terms = await pool.query(`SELECT chargeback_months, lapse_chargeback FROM cases.commission_terms WHERE case_id = $1`, [split]);
    expect(terms.rows).toEqual([{ chargeback_months: 12, lapse_chargeback: 'PRO_RATA' }]);
    // Nothing is due any more: a later pass claims nothing of this case.
    clock = new Date('2021-03-15T13:00:00.000Z');
    await worker().runOnce();
    expect(await linesOf(split)).toHaveLength(6);
  });

  it('claims in one statement, on the partial index, and not placements after its clock', async () => {
    const later = await placedCase([[A, 10_000]], '2021-04-01T00:00:00.000Z');
    const db = new Db(pool);
    const claimed = await claimDueCommissions(db, clock.toISOString(), 60, 1000, [CARRIER]);
    expect(claimed.map((c) => c.id)).not.toContain(later);
    const index = await pool.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'case_commission_due_idx'`);
    expect(index.rows[0].indexdef).toMatch(/WHERE/);
  });

  it('records a refused chain as an exception, books nothing, and books once the chain is there', async () => {
    refused.add(B);
    const id = await placedCase([
      [A, 5000],
      [B, 5000],
    ]);
    const w = worker();
    await w.runOnce();
    expect(w.lastPass.find((o) => o.caseId === id)).toMatchObject({
      kind: 'BOOK',
      lines: 0,
      exception: 'an agent has no contract with the carrier',
    });
    expect(await linesOf(id)).toEqual([]);
    const exception = await pool.query(`SELECT reason, attempts FROM cases.commission_exception WHERE case_id = $1`, [id]);
    expect(exception.rows).toEqual([{ reason: 'an agent has no contract with the carrier', attempts: 1 }]);
    // Not retried before its delay (a minute after the first failure).
    await w.runOnce();
    expect(w.lastPass.some((o) => o.caseId === id)).toBe(false);

    refused.delete(B);
    clock = new Date(clock.getTime() + 5 * 60_000);
    await w.runOnce();
    expect(w.lastPass.find((o) => o.caseId === id)).toMatchObject({ kind: 'BOOK', lines: 6 });
    expect(sumOf(await linesOf(id))).toBe(288_000);
    expect((await pool.query(`SELECT 1 FROM cases.commission_exception WHERE case_id = $1`, [id])).rowCount).toBe(0);
  });

  it('charges every line back, once, when the placed case is not taken (a free-look cancellation)', async () => {
    clock = new Date('2021-04-02T09:00:00.000Z');
    // The carrier's free-look cancellation (ACORD 50), applied as a carrier sync or push applies it: NOT_TAKEN, out of the placed count.
    const reference = (await pool.query(`SELECT carrier_reference FROM cases."case" WHERE id = $1`, [split])).rows[0].carrier_reference;
    const freeLook: CarrierSnapshot = {
      carrierReference: reference,
      status: 'NOT_TAKEN',
      carrierStatusCode: '50',
      qualifier: 'FREE_LOOK',
      statusNote: 'free-look cancellation',
      approvedTerms: null,
      policyNumber: null,
      requirements: [],
    };
    expect(await applySnapshot(new Db(pool), split, freeLook, logger)).toBe(1);
    await Promise.all([worker().runOnce(), worker().runOnce()]);
    const lines = await linesOf(split);
    const back = lines.filter((line) => line.transaction === 'CHARGEBACK');
    expect(back.map((line) => [line.role, line.partyId, line.amountCents])).toEqual([
      ['WRITING', A, -122_400],
      ['OVERRIDE', AGENCY, -21_600],
      ['BGA', BGA_PARTY, -28_800],
      ['WRITING', B, -81_600],
      ['OVERRIDE', AGENCY, -14_400],
      ['BGA', BGA_PARTY, -19_200],
    ]);
    expect(new Set(back.map((line) => line.period))).toEqual(new Set(['2021-04']));
    expect(sumOf(lines)).toBe(0);
    await worker().runOnce();
    expect(await linesOf(split)).toHaveLength(12);
  });
});
