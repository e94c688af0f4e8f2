/**
 * The follow-up job on the test database with a clock the test moves day by day: two workers on one
 * clock look at the same requirements every day (together, and again one after the other), and
 * each follow-up is recorded once, on its day, with the vendor asked once per follow-up; a worker
 * whose lease ran out finds the follow-up made and does nothing. The clock starts in 2021, before
 * the seeded book (and requirements-desk.test.ts's 2022), so only this file's requirements are due.
 */
import type pg from 'pg';
import { MemoryCache } from '../../platform/cache';
import { createLogger } from '../../platform/logger';
import { METRICS_GENERATION_KEY } from '../../subgraphs/cases/case-metrics.cache';
import { addDays, followUpColumns } from '../../subgraphs/cases/domain/follow-up';
import { claimDueFollowUps } from '../../subgraphs/cases/follow-up.repository';
import { FollowUpWorker, type VendorRefresher } from '../../subgraphs/cases/follow-up.worker';
import { Db } from '../../subgraphs/shared/db';
import { testPool } from '../support/test-pool';

const RUN = Date.now().toString(36);
const T0 = '2021-03-01T09:15:00.000Z';
const DAY0 = T0.slice(0, 10);
const logger = createLogger('test', 'silent');
let pool: pg.Pool;
let clock = new Date(T0);
const now = () => clock;
const at = (day: number, time = '06:00:00.000') => new Date(`${addDays(DAY0, day)}T${time}Z`);

/** A real VendorRefresher: records each call in a table of its own, as a vendor poll would touch the database. */
const refresher: VendorRefresher = async (requirementId) => {
  await pool.query(`INSERT INTO fu_vendor_asked_${RUN} (requirement_id, asked_on) VALUES ($1, $2)`, [
    requirementId,
    clock.toISOString().slice(0, 10),
  ]);
};

let caseCounter = 0;
async function insertCase(closed = false): Promise<string> {
  const id = `case_fu${RUN}_${++caseCounter}`;
  await pool.query(
    `INSERT INTO cases."case" (id, case_number, agent_id, carrier_id, product_id, product_type, insured_first_name, insured_last_name, insured_birth_date,
       insured_gender, insured_state, insured_tobacco, face_amount, term_years, applied_health_class, payment_mode, annual_premium_cents, modal_premium_cents,
       status, submitted_at, created_by, case_manager_id)
     VALUES ($1, $2, 'agt_0001', 'car_summit', 'prd_summit_term', 'TERM', 'T', 'I', '1980-01-01', 'MALE', 'TX', false, 500000, 20, 'PREFERRED', 'ANNUAL', 100, 100,
       $3, $4, 'user:test', 'usr_staff_02')`,
    [id, `FUP-${(Date.now() % 1e8) * 10 + caseCounter}`, closed ? 'DECLINED' : 'REQUIREMENTS_OUTSTANDING', T0],
  );
  return id;
}

interface Seed {
  code: string;
  vendor: 'PULSE' | 'CHARTWELL' | null;
  stage: string | null;
}
async function insertRequirement(caseId: string, name: string, seed: Seed): Promise<string> {
  const id = `req_fu${RUN}_${name}`;
  const { followUpOn } = followUpColumns(
    {
      code: seed.code as never,
      status: 'ORDERED',
      orderedAt: T0,
      vendor: seed.vendor,
      vendorStage: seed.stage as never,
      vendorStageAt: seed.stage ? T0 : null,
      vendorDetails: null,
      followUps: 0,
      escalation: 'NONE',
      followUpOn: null,
      overdueSince: null,
    },
    DAY0,
  );
  await pool.query(
    `INSERT INTO cases.requirement (id, case_id, code, status, ordered_at, follow_up_on, vendor, vendor_order_id, vendor_stage, vendor_stage_at)
     VALUES ($1, $2, $3, 'ORDERED', $4, $5, $6, $7, $8, $9)`,
    [id, caseId, seed.code, T0, followUpOn, seed.vendor, seed.vendor ? `V-${id}` : null, seed.stage, seed.stage ? T0 : null],
  );
  return id;
}

const followUpDays = async (requirementId: string, type = 'REQUIREMENT_FOLLOW_UP') =>
  (
    await pool.query<{ day: string; note: string }>(
      `SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, note FROM cases.case_event WHERE requirement_id = $1 AND type = $2 ORDER BY id`,
      [requirementId, type],
    )
  ).rows.map((row) => ({ day: Math.round((Date.parse(row.day) - Date.parse(DAY0)) / 86_400_000), note: row.note }));

beforeAll(async () => {
  pool = testPool(4);
  await pool.query(`CREATE TABLE fu_vendor_asked_${RUN} (requirement_id text NOT NULL, asked_on date NOT NULL)`);
});
afterAll(async () => {
  await pool.query(`DROP TABLE IF EXISTS fu_vendor_asked_${RUN}`);
  // Leave no requirement of ours due for a later test's follow-up job.
  await pool.query(`UPDATE cases.requirement SET status = 'CANCELLED' WHERE id LIKE $1`, [`req_fu${RUN}_%`]);
  await pool.end();
});

describe('the follow-up job with two workers and one clock', () => {
  it('records each follow-up once on its day, escalates at 21 and 30 days, asks the vendor once per follow-up', async () => {
    const caseId = await insertCase();
    const aps = await insertRequirement(caseId, 'aps', { code: 'APS', vendor: 'CHARTWELL', stage: 'REQUESTED_FROM_PROVIDER' });
    const exam = await insertRequirement(caseId, 'exam', { code: 'PARAMED_EXAM', vendor: 'PULSE', stage: 'ORDERED' });
    const mib = await insertRequirement(caseId, 'mib', { code: 'MIB', vendor: null, stage: null });
    const closedCase = await insertCase(true);
    const orphan = await insertRequirement(closedCase, 'closed', { code: 'APS', vendor: 'CHARTWELL', stage: 'ORDERED' });

    const cache = new MemoryCache(100);
    const options = { pool, logger, cache, intervalMs: 60_000, now, refreshFromVendor: refresher };
    const one = new FollowUpWorker(options);
    const two = new FollowUpWorker(options);
    for (let day = 0; day <= 35; day++) {
      clock = at(day);
      // Both at once, then both again later that day: the second look finds nothing due.
      await Promise.all([one.runOnce(), two.runOnce()]);
      clock = at(day, '18:30:00.000');
      await Promise.all([two.runOnce(), one.runOnce()]);
    }

    expect((await followUpDays(aps)).map((e) => e.day)).toEqual([14, 21, 28, 30, 35]);
    expect((await followUpDays(aps))[0].note).toBe(
      'ASK_VENDOR (follow-up 1): CHARTWELL REQUESTED_FROM_PROVIDER: records not received; the vendor is asked for its status',
    );
    expect(await followUpDays(aps, 'REQUIREMENT_ESCALATED')).toEqual([
      { day: 21, note: `APS outstanding since ${DAY0}: escalated to the case manager usr_staff_02` },
      { day: 30, note: `APS outstanding since ${DAY0}: the agent agt_0001 is told` },
    ]);
    expect((await followUpDays(exam)).map((e) => e.day)).toEqual([3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 33]);
    expect((await followUpDays(mib)).map((e) => e.day)).toEqual([2, 9, 16, 21, 23, 30]);
    expect((await followUpDays(mib))[0].note).toBe('CHASE (follow-up 1): no vendor');
    // A closed case's requirement: nothing recorded, and the job stops looking at it.
    expect(await followUpDays(orphan)).toEqual([]);

    // The vendor asked once per follow-up of the vendor orders, on the follow-up's day; the MIB check has no vendor.
    const asked = (
      await pool.query<{ id: string; n: number }>(`SELECT requirement_id AS id, count(*)::int AS n FROM fu_vendor_asked_${RUN} GROUP BY 1`)
    ).rows;
    expect(Object.fromEntries(asked.map((row) => [row.id, row.n]))).toEqual({ [aps]: 5, [exam]: 11 });

    const rows = (
      await pool.query(
        `SELECT id, follow_ups, follow_up_on::text, escalation, overdue_since::text, follow_up_leased_until FROM cases.requirement WHERE id = ANY($1) ORDER BY id`,
        [[aps, exam, mib, orphan]],
      )
    ).rows;
    expect(rows).toEqual([
      {
        id: aps,
        follow_ups: 5,
        follow_up_on: addDays(DAY0, 42),
        escalation: 'AGENT',
        overdue_since: addDays(DAY0, 14),
        follow_up_leased_until: null,
      },
      { id: orphan, follow_ups: 0, follow_up_on: null, escalation: 'NONE', overdue_since: null, follow_up_leased_until: null },
      {
        id: exam,
        follow_ups: 11,
        follow_up_on: addDays(DAY0, 36),
        escalation: 'AGENT',
        overdue_since: addDays(DAY0, 3),
        follow_up_leased_until: null,
      },
      {
        id: mib,
        follow_ups: 6,
        follow_up_on: addDays(DAY0, 37),
        escalation: 'AGENT',
        overdue_since: addDays(DAY0, 2),
        follow_up_leased_until: null,
      },
    ]);
    // Overdue and escalations moved the metrics' generation.
    expect(Number(await cache.get(METRICS_GENERATION_KEY))).toBeGreaterThan(0);
    await Promise.all([one.stop(), two.stop()]);
  });

  it('a worker whose lease ran out finds the follow-up made by another and does nothing', async () => {
    const caseId = await insertCase();
    const aps = await insertRequirement(caseId, 'stale', { code: 'APS', vendor: 'CHARTWELL', stage: 'ORDERED' });
    const options = { pool, logger, intervalMs: 60_000, now, refreshFromVendor: refresher, leaseSeconds: 60 };
    const dying = new FollowUpWorker(options);
    const other = new FollowUpWorker(options);
    clock = at(14);
    // The dying worker leases the row (as its claim does) and stalls before working it.
    const db = new Db(pool);
    expect(await claimDueFollowUps(db, clock.toISOString(), addDays(DAY0, 14), 60, 100)).toContain(aps);
    // While its lease runs, the other worker does not take the row.
    await other.runOnce();
    expect(await followUpDays(aps)).toEqual([]);
    // The lease runs out: the other worker makes the follow-up.
    clock = new Date(clock.getTime() + 61_000);
    await other.runOnce();
    expect((await followUpDays(aps)).map((e) => e.day)).toEqual([14]);
    // The dying worker wakes up and works what it had claimed: nothing, the day has moved.
    await expect(dying.followUp(aps)).resolves.toEqual({ made: false, askVendor: false, changed: false });
    expect((await followUpDays(aps)).map((e) => e.day)).toEqual([14]);
    const asked = (await pool.query(`SELECT count(*)::int AS n FROM fu_vendor_asked_${RUN} WHERE requirement_id = $1`, [aps])).rows[0].n;
    expect(asked).toBe(1);
  });

  it('a vendor that cannot be asked does not undo the follow-up', async () => {
    const caseId = await insertCase();
    const exam = await insertRequirement(caseId, 'down', { code: 'EKG', vendor: 'PULSE', stage: 'ORDERED' });
    let calls = 0;
    const worker = new FollowUpWorker({
      pool,
      logger,
      intervalMs: 60_000,
      now,
      refreshFromVendor: async () => {
        calls++;
        throw new Error('vendor unavailable');
      },
    });
    clock = at(3);
    await worker.runOnce();
    expect(calls).toBe(1);
    expect((await followUpDays(exam)).map((e) => e.day)).toEqual([3]);
    expect((await pool.query(`SELECT follow_up_on::text AS d FROM cases.requirement WHERE id = $1`, [exam])).rows[0].d).toBe(
      addDays(DAY0, 6),
    );
  });
});
