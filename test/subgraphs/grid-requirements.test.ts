/**
 * orderGridRequirements on the test database: the grid's codes become ORDERED requirements with
 * their follow-up dates and one REQUIREMENT_ORDERED event each, in three statements whatever the
 * count, inside the caller's transaction (a rollback leaves nothing), and never twice.
 */
import type pg from 'pg';
import { newStats } from '../../platform/stats';
import { followUpOn } from '../../subgraphs/cases/domain/requirement.rules';
import { GRID_ACTOR, orderGridRequirements } from '../../subgraphs/cases/submit-case.service';
import { Db } from '../../subgraphs/shared/db';
import { testPool } from '../support/test-pool';

const RUN = Date.now().toString(36);
let pool: pg.Pool;
let counter = 0;

beforeAll(() => {
  pool = testPool(1);
});
// The database is shared with the other suites: these cases (an unknown agent, no history) are
// dated long ago, off every list's first page, and removed at the end.
afterAll(async () => {
  const ids = [`case_g${RUN}_%`];
  await pool.query(`DELETE FROM cases.case_event WHERE case_id LIKE $1`, ids);
  await pool.query(`DELETE FROM cases.requirement WHERE case_id LIKE $1`, ids);
  await pool.query(`DELETE FROM cases."case" WHERE id LIKE $1`, ids);
  await pool.end();
});

async function newCase(): Promise<string> {
  const id = `case_g${RUN}_${++counter}`;
  await pool.query(
    `INSERT INTO cases."case" (id, case_number, agent_id, carrier_id, product_id, product_type, insured_first_name, insured_last_name, insured_birth_date,
       insured_gender, insured_state, insured_tobacco, face_amount, term_years, applied_health_class, payment_mode, annual_premium_cents, modal_premium_cents,
       status, submitted_at, created_by)
     VALUES ($1, $2, 'agt_grid', 'car_summit', 'prd_summit_term', 'TERM', 'Test', 'Insured', '1980-01-01', 'MALE', 'TX', false, 500000, 20, 'PREFERRED',
       'ANNUAL', 100000, 100000, 'SUBMITTED', '2001-01-01T00:00:00.000Z', 'user:test')`,
    [id, `GRD-${(Date.now() % 1e9) * 10 + counter}`],
  );
  return id;
}

const requirements = async (caseId: string) =>
  (
    await pool.query(
      `SELECT code, status, follow_up_on::text AS "followUpOn", note FROM cases.requirement WHERE case_id = $1 ORDER BY code`,
      [caseId],
    )
  ).rows;
const events = async (caseId: string) =>
  (await pool.query(`SELECT type, requirement_code AS code, actor FROM cases.case_event WHERE case_id = $1 ORDER BY id`, [caseId])).rows;

describe('orderGridRequirements', () => {
  it('orders each code once, with its follow-up date and event, in three statements', async () => {
    const caseId = await newCase();
    const stats = newStats();
    const at = '2026-06-15T10:00:00.000Z';
    const ordered = await new Db(pool, stats).transaction((tx) =>
      orderGridRequirements(tx, caseId, ['MIB', 'RX_CHECK', 'MVR', 'PARAMED_EXAM', 'MIB'], at, { accelerated: false }),
    );
    expect(ordered).toEqual(['MIB', 'RX_CHECK', 'MVR', 'PARAMED_EXAM']);
    // BEGIN, what is outstanding, the requirements, the events, COMMIT.
    expect(stats.sql).toBe(5);
    expect(await requirements(caseId)).toEqual(
      ['MIB', 'MVR', 'PARAMED_EXAM', 'RX_CHECK'].map((code) => ({
        code,
        status: 'ORDERED',
        followUpOn: followUpOn(code as 'MIB', at),
        note: "ordered at submission from the carrier's requirements grid",
      })),
    );
    expect(await events(caseId)).toEqual(
      ['MIB', 'RX_CHECK', 'MVR', 'PARAMED_EXAM'].map((code) => ({ type: 'REQUIREMENT_ORDERED', code, actor: GRID_ACTOR })),
    );

    // Again (a retried submission, the application path): nothing new.
    const again = newStats();
    expect(await new Db(pool, again).transaction((tx) => orderGridRequirements(tx, caseId, ['MIB', 'MVR'], at))).toEqual([]);
    expect(again.sql).toBe(3);
    expect(await requirements(caseId)).toHaveLength(4);
    expect(await events(caseId)).toHaveLength(4);
  });

  it("writes nothing when the caller's transaction rolls back, and nothing at all for no codes", async () => {
    const caseId = await newCase();
    await expect(
      new Db(pool).transaction(async (tx) => {
        await orderGridRequirements(tx, caseId, ['MIB'], new Date().toISOString());
        throw new Error('the case insert failed after');
      }),
    ).rejects.toThrow('the case insert failed after');
    expect(await requirements(caseId)).toEqual([]);
    const stats = newStats();
    expect(await orderGridRequirements(new Db(pool, stats), caseId, [], new Date().toISOString())).toEqual([]);
    expect(stats.sql).toBe(0);
  });
});
