/**
 * Applying what a carrier reports to a case: the carrier wins, every change is one CARRIER_SYNC
 * event, unknown codes are noted once, and applying the same answer again changes nothing.
 */
import pg from 'pg';
import { applySnapshot } from '../../subgraphs/cases/case-sync.worker';
import type { CarrierSnapshot } from '../../subgraphs/cases/ports/carriers.port';
import { Db } from '../../subgraphs/shared/db';
import { createLogger } from '../../platform/logger';

let pool: pg.Pool;
const RUN = Date.now().toString(36);
const logger = createLogger('test', 'silent');

beforeAll(() => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
});
afterAll(() => pool.end());

async function submittedCase(n: number): Promise<string> {
  const id = `case_s${RUN}_${n}`;
  await pool.query(
    `INSERT INTO cases."case" (id, case_number, agent_id, carrier_id, product_id, product_type, insured_first_name, insured_last_name, insured_birth_date,
       insured_gender, insured_state, insured_tobacco, face_amount, term_years, applied_health_class, payment_mode, annual_premium_cents, modal_premium_cents,
       status, carrier_reference, submitted_at, created_by)
     VALUES ($1, $2, 'agt_0001', 'car_summit', 'prd_summit_term', 'TERM', 'T', 'I', '1980-01-01', 'MALE', 'TX', false, 500000, 20, 'PREFERRED', 'ANNUAL', 100, 100,
       'SUBMITTED', $3, '2026-01-05T10:00:00.000Z', 'user:test')`,
    [id, `SYN-${(Date.now() % 1e8) * 10 + n}`, `REF-${RUN}-${n}`],
  );
  await pool.query(`INSERT INTO cases.requirement (id, case_id, code, status, ordered_at) VALUES ($1, $2, 'MIB', 'ORDERED', now())`, [
    `req_s${RUN}_${n}`,
    id,
  ]);
  return id;
}

describe('carrier sync', () => {
  it('applies a jump to ISSUED, new and received requirements, and unknown codes, once', async () => {
    const id = await submittedCase(1);
    const snapshot: CarrierSnapshot = {
      carrierReference: `REF-${RUN}-1`,
      status: 'ISSUED',
      carrierStatusCode: '25',
      policyNumber: 'SRL-9000001',
      requirements: [
        { code: 'MIB', carrierCode: 'MIB', status: 'RECEIVED', requestedOn: '2026-01-05', fulfilledOn: '2026-01-06' },
        { code: 'APS', carrierCode: 'APS', status: 'ORDERED', requestedOn: '2026-01-07', fulfilledOn: null },
        { code: null, carrierCode: 'X-PRIVATE-77', status: null, requestedOn: null, fulfilledOn: null },
      ],
    };
    expect(await applySnapshot(new Db(pool), id, snapshot, logger)).toBe(4);
    const [row] = (
      await pool.query(
        `SELECT status, policy_number, issued_at IS NOT NULL AS issued, last_synced_at IS NOT NULL AS synced FROM cases."case" WHERE id = $1`,
        [id],
      )
    ).rows;
    expect(row).toEqual({ status: 'ISSUED', policy_number: 'SRL-9000001', issued: true, synced: true });
    const events = (
      await pool.query(
        `SELECT type, from_status, to_status, requirement_code, actor, note FROM cases.case_event WHERE case_id = $1 ORDER BY id`,
        [id],
      )
    ).rows;
    expect(events).toEqual([
      {
        type: 'CARRIER_SYNC',
        from_status: 'SUBMITTED',
        to_status: 'ISSUED',
        requirement_code: null,
        actor: 'carrier:car_summit',
        note: 'carrier status 25',
      },
      {
        type: 'CARRIER_SYNC',
        from_status: null,
        to_status: null,
        requirement_code: 'MIB',
        actor: 'carrier:car_summit',
        note: 'requirement received at the carrier',
      },
      {
        type: 'CARRIER_SYNC',
        from_status: null,
        to_status: null,
        requirement_code: 'APS',
        actor: 'carrier:car_summit',
        note: 'requirement ordered at the carrier',
      },
      {
        type: 'CARRIER_SYNC',
        from_status: null,
        to_status: null,
        requirement_code: null,
        actor: 'carrier:car_summit',
        note: 'unknown carrier requirement code X-PRIVATE-77',
      },
    ]);
    const requirements = (
      await pool.query(`SELECT code, status, carrier_code FROM cases.requirement WHERE case_id = $1 ORDER BY code`, [id])
    ).rows;
    expect(requirements).toEqual([
      { code: 'APS', status: 'ORDERED', carrier_code: 'APS' },
      { code: 'MIB', status: 'RECEIVED', carrier_code: null },
    ]);
    // The same answer again: nothing new.
    expect(await applySnapshot(new Db(pool), id, snapshot, logger)).toBe(0);
  });

  it('notes an unknown status code without changing the status', async () => {
    const id = await submittedCase(2);
    const written = await applySnapshot(
      new Db(pool),
      id,
      { carrierReference: `REF-${RUN}-2`, status: null, carrierStatusCode: '9999', policyNumber: null, requirements: [] },
      logger,
    );
    expect(written).toBe(1);
    const [row] = (await pool.query(`SELECT status FROM cases."case" WHERE id = $1`, [id])).rows;
    expect(row.status).toBe('SUBMITTED');
  });
});
