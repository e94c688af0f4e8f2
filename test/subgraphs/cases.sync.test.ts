/**
 * Applying what a carrier reports to a case: the carrier wins, every change is one CARRIER_SYNC
 * event, unknown codes are noted once, and applying the same answer again changes nothing.
 * Requirements are matched by the carrier's id, else our reference, never by code; the carrier's
 * moves out of a closed state (reconsideration, free-look) and what they do to the metrics.
 */
import type pg from 'pg';
import { applySnapshot } from '../../subgraphs/cases/case-sync.worker';
import { computeCaseMetrics } from '../../subgraphs/cases/case-metrics.repository';
import type { CarrierSnapshot } from '../../subgraphs/cases/ports/carriers.port';
import { Db } from '../../subgraphs/shared/db';
import { createLogger } from '../../platform/logger';
import { testPool } from '../support/test-pool';

let pool: pg.Pool;
const RUN = Date.now().toString(36);
const logger = createLogger('test', 'silent');

beforeAll(() => {
  pool = testPool(2);
});
afterAll(() => pool.end());

const requirement = (over: Partial<CarrierSnapshot['requirements'][number]>): CarrierSnapshot['requirements'][number] => ({
  carrierRequirementId: null,
  reference: null,
  description: null,
  code: null,
  carrierCode: '',
  status: 'ORDERED',
  requestedOn: null,
  fulfilledOn: null,
  ...over,
});

const snapshotOf = (n: number, over: Partial<CarrierSnapshot>): CarrierSnapshot => ({
  carrierReference: `REF-${RUN}-${n}`,
  status: null,
  carrierStatusCode: '21',
  qualifier: null,
  statusNote: null,
  approvedTerms: null,
  policyNumber: null,
  requirements: [],
  ...over,
});

async function submittedCase(n: number, status = 'SUBMITTED', extra = ''): Promise<string> {
  const id = `case_s${RUN}_${n}`;
  await pool.query(
    `INSERT INTO cases."case" (id, case_number, agent_id, carrier_id, product_id, product_type, insured_first_name, insured_last_name, insured_birth_date,
       insured_gender, insured_state, insured_tobacco, face_amount, term_years, applied_health_class, payment_mode, annual_premium_cents, modal_premium_cents,
       status, carrier_reference, submitted_at, created_by)
     VALUES ($1, $2, 'agt_0001', 'car_summit', 'prd_summit_term', 'TERM', 'T', 'I', '1980-01-01', 'MALE', 'TX', false, 500000, 20, 'PREFERRED', 'ANNUAL', 100, 100,
       $4, $3, '2026-01-05T10:00:00.000Z', 'user:test')`,
    [id, `SYN-${(Date.now() % 1e8) * 10 + n}`, `REF-${RUN}-${n}`, status],
  );
  if (extra) await pool.query(`UPDATE cases."case" SET ${extra} WHERE id = $1`, [id]);
  await pool.query(`INSERT INTO cases.requirement (id, case_id, code, status, ordered_at) VALUES ($1, $2, 'MIB', 'ORDERED', now())`, [
    `req_s${RUN}_${n}`,
    id,
  ]);
  return id;
}

const events = async (id: string) =>
  (
    await pool.query(
      `SELECT type, from_status, to_status, requirement_code, requirement_id IS NOT NULL AS "aboutRequirement", actor, note
         FROM cases.case_event WHERE case_id = $1 ORDER BY id`,
      [id],
    )
  ).rows;

describe('carrier sync', () => {
  it('applies a jump to ISSUED, our requirement by our reference, a new one by the carrier id, and an unknown code as OTHER, once', async () => {
    const id = await submittedCase(1);
    const snapshot = snapshotOf(1, {
      status: 'ISSUED',
      carrierStatusCode: '25',
      policyNumber: 'SRL-9000001',
      requirements: [
        requirement({
          carrierRequirementId: 'RQ-1',
          reference: `req_s${RUN}_1`,
          code: 'MIB',
          carrierCode: '9',
          status: 'RECEIVED',
          requestedOn: '2026-01-05',
          fulfilledOn: '2026-01-06',
        }),
        requirement({ carrierRequirementId: 'RQ-2', code: 'APS', carrierCode: '1', status: 'ORDERED', requestedOn: '2026-01-07' }),
        requirement({
          carrierRequirementId: 'RQ-3',
          code: null,
          carrierCode: 'X-PRIVATE-77',
          status: null,
          description: 'Aviation questionnaire',
        }),
      ],
    });
    expect(await applySnapshot(new Db(pool), id, snapshot, logger)).toBe(4);
    const [row] = (
      await pool.query(
        `SELECT status, policy_number, issued_at IS NOT NULL AS issued, last_synced_at IS NOT NULL AS synced FROM cases."case" WHERE id = $1`,
        [id],
      )
    ).rows;
    expect(row).toEqual({ status: 'ISSUED', policy_number: 'SRL-9000001', issued: true, synced: true });
    const actor = 'carrier:car_summit';
    expect(await events(id)).toEqual([
      {
        type: 'CARRIER_SYNC',
        from_status: 'SUBMITTED',
        to_status: 'ISSUED',
        requirement_code: null,
        aboutRequirement: false,
        actor,
        note: 'carrier status 25',
      },
      {
        type: 'CARRIER_SYNC',
        from_status: null,
        to_status: null,
        requirement_code: 'MIB',
        aboutRequirement: true,
        actor,
        note: 'requirement received at the carrier',
      },
      {
        type: 'CARRIER_SYNC',
        from_status: null,
        to_status: null,
        requirement_code: 'APS',
        aboutRequirement: true,
        actor,
        note: 'requirement ordered at the carrier',
      },
      {
        type: 'CARRIER_SYNC',
        from_status: null,
        to_status: null,
        requirement_code: 'OTHER',
        aboutRequirement: true,
        actor,
        note: 'requirement ordered at the carrier (carrier code X-PRIVATE-77, none of ours)',
      },
    ]);
    const requirements = (
      await pool.query(
        `SELECT id, code, status, carrier_code, carrier_requirement_id, description FROM cases.requirement WHERE case_id = $1 ORDER BY carrier_requirement_id`,
        [id],
      )
    ).rows;
    expect(requirements).toEqual([
      // Ours, now known by the carrier's id.
      { id: `req_s${RUN}_1`, code: 'MIB', status: 'RECEIVED', carrier_code: null, carrier_requirement_id: 'RQ-1', description: null },
      { id: expect.any(String), code: 'APS', status: 'ORDERED', carrier_code: '1', carrier_requirement_id: 'RQ-2', description: null },
      {
        id: expect.any(String),
        code: 'OTHER',
        status: 'ORDERED',
        carrier_code: 'X-PRIVATE-77',
        carrier_requirement_id: 'RQ-3',
        description: 'Aviation questionnaire',
      },
    ]);
    // The same answer again: nothing new.
    expect(await applySnapshot(new Db(pool), id, snapshot, logger)).toBe(0);
  });

  it('keeps two APSs at the carrier as two rows, and a carrier MIB without our reference apart from ours (never by code)', async () => {
    const id = await submittedCase(3, 'IN_UNDERWRITING');
    const snapshot = snapshotOf(3, {
      status: 'IN_UNDERWRITING',
      carrierStatusCode: '54',
      requirements: [
        requirement({ carrierRequirementId: 'RQ-A', code: 'APS', carrierCode: '1', requestedOn: '2026-01-07' }),
        requirement({ carrierRequirementId: 'RQ-B', code: 'APS', carrierCode: '1', requestedOn: '2026-01-08' }),
        requirement({ carrierRequirementId: 'RQ-M', code: 'MIB', carrierCode: '9', status: 'RECEIVED', fulfilledOn: '2026-01-06' }),
      ],
    });
    expect(await applySnapshot(new Db(pool), id, snapshot, logger)).toBe(3);
    const rows = (
      await pool.query(
        `SELECT code, status, carrier_requirement_id AS "carrierId" FROM cases.requirement WHERE case_id = $1 ORDER BY code, carrier_requirement_id`,
        [id],
      )
    ).rows;
    expect(rows).toEqual([
      { code: 'APS', status: 'ORDERED', carrierId: 'RQ-A' },
      { code: 'APS', status: 'ORDERED', carrierId: 'RQ-B' },
      { code: 'MIB', status: 'RECEIVED', carrierId: 'RQ-M' },
      // Ours: the carrier never named it, so it is left alone.
      { code: 'MIB', status: 'ORDERED', carrierId: null },
    ]);
    // One of the two APSs received: only that row moves.
    const later = {
      ...snapshot,
      requirements: snapshot.requirements.map((r) => (r.carrierRequirementId === 'RQ-B' ? { ...r, status: 'RECEIVED' as const } : r)),
    };
    expect(await applySnapshot(new Db(pool), id, later, logger)).toBe(1);
    const aps = (
      await pool.query(
        `SELECT carrier_requirement_id AS "carrierId", status FROM cases.requirement WHERE case_id = $1 AND code = 'APS' ORDER BY 1`,
        [id],
      )
    ).rows;
    expect(aps).toEqual([
      { carrierId: 'RQ-A', status: 'ORDERED' },
      { carrierId: 'RQ-B', status: 'RECEIVED' },
    ]);
  });

  it('notes an unknown status code without changing the status, and ignores a proposed (12) one', async () => {
    const id = await submittedCase(2);
    expect(await applySnapshot(new Db(pool), id, snapshotOf(2, { carrierStatusCode: '9999' }), logger)).toBe(1);
    expect(await applySnapshot(new Db(pool), id, snapshotOf(2, { carrierStatusCode: '12', qualifier: 'PROPOSED' }), logger)).toBe(0);
    const [row] = (await pool.query(`SELECT status FROM cases."case" WHERE id = $1`, [id])).rows;
    expect(row.status).toBe('SUBMITTED');
  });

  it('reopens an INCOMPLETE case the carrier reconsidered (97) as APPROVED, open again', async () => {
    const id = await submittedCase(4, 'INCOMPLETE', `closed_at = '2026-01-20T00:00:00Z'`);
    const reconsidered = snapshotOf(4, {
      status: 'APPROVED',
      carrierStatusCode: '97',
      qualifier: 'RECONSIDERED',
      statusNote: 'reconsidered and approved',
    });
    expect(await applySnapshot(new Db(pool), id, reconsidered, logger)).toBe(1);
    const [row] = (await pool.query(`SELECT status, closed_at, approved_at IS NOT NULL AS approved FROM cases."case" WHERE id = $1`, [id]))
      .rows;
    expect(row).toEqual({ status: 'APPROVED', closed_at: null, approved: true });
    expect((await events(id)).at(-1)).toMatchObject({
      from_status: 'INCOMPLETE',
      to_status: 'APPROVED',
      note: 'carrier status 97: reconsidered and approved',
    });
  });

  it('refuses a plain report about a closed case (noted once), and applies a free-look cancellation (50): no longer counted placed', async () => {
    const placed = `placed_at = '2026-01-25T00:00:00Z', issued_at = '2026-01-20T00:00:00Z', approved_at = '2026-01-15T00:00:00Z', closed_at = '2026-01-25T00:00:00Z', policy_number = 'SR-5'`;
    const id = await submittedCase(5, 'PLACED', placed);
    const db = new Db(pool);
    const cohort = { carrierIds: ['car_summit'], submittedFrom: '2026-01-05', submittedTo: '2026-01-05' };
    const before = await computeCaseMetrics(db, cohort, null, null);
    const plain = snapshotOf(5, { status: 'IN_UNDERWRITING', carrierStatusCode: '54' });
    expect(await applySnapshot(db, id, plain, logger)).toBe(1);
    expect(await applySnapshot(db, id, plain, logger)).toBe(0);
    expect((await pool.query(`SELECT status FROM cases."case" WHERE id = $1`, [id])).rows[0].status).toBe('PLACED');

    const freeLook = snapshotOf(5, {
      status: 'NOT_TAKEN',
      carrierStatusCode: '50',
      qualifier: 'FREE_LOOK',
      statusNote: 'free-look cancellation',
    });
    expect(await applySnapshot(db, id, freeLook, logger)).toBe(1);
    const [row] = (
      await pool.query(`SELECT status, placed_at, closed_at IS NOT NULL AS closed, place_seconds FROM cases."case" WHERE id = $1`, [id])
    ).rows;
    expect(row).toEqual({ status: 'NOT_TAKEN', placed_at: null, closed: true, place_seconds: null });
    expect((await events(id)).at(-1)).toMatchObject({
      from_status: 'PLACED',
      to_status: 'NOT_TAKEN',
      note: 'carrier status 50: free-look cancellation: placed 2026-01-25, no longer counted placed',
    });
    const after = await computeCaseMetrics(db, cohort, null, null);
    expect(after.totals.placed).toBe(before.totals.placed - 1);
    expect(after.totals.notTaken).toBe(before.totals.notTaken + 1);
  });
});
