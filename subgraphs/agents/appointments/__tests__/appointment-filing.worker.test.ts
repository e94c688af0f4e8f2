/**
 * The filing worker against the test database with a fake carriers port: replicas file each
 * appointment exactly once; every transition writes its row and one agent event together; a refusal
 * is a rejection, an unreachable carrier a retry (no event), an unmapped code no change; a row moved
 * by someone else meanwhile is left alone. Each test works on its own agents only.
 */
import type pg from 'pg';
import { createLogger } from '../../../../platform/logger';
import type { AppointmentFilingAnswer, AppointmentFilingRequest, CarrierAppointmentReport, CarriersPort } from '../../ports/carriers.port';
import { AppointmentFilingWorker } from '../appointment-filing.worker';
import { testPool } from '../../../../test/support/test-pool';

const RUN = Date.now().toString(36);
let pool: pg.Pool;
let counter = 0;

beforeAll(() => {
  pool = testPool(4);
});
afterAll(() => pool.end());

/** A fake carrier desk: files once per reference, answers what the test says, counts every call. */
class FakeCarriers implements CarriersPort {
  filings: AppointmentFilingRequest[] = [];
  inquiries: { carrierId: string; references: string[] }[] = [];
  answer: (request: AppointmentFilingRequest) => AppointmentFilingAnswer | Promise<AppointmentFilingAnswer> = (request) => ({
    received: true,
    carrierReference: `CR-${request.reference}`,
    message: null,
    retryable: false,
    failureCode: null,
  });
  report: (reference: string) => Omit<CarrierAppointmentReport, 'carrierReference'> | undefined = () => undefined;

  async fileAppointment(request: AppointmentFilingRequest): Promise<AppointmentFilingAnswer> {
    this.filings.push(request);
    await new Promise((r) => setTimeout(r, 5));
    return await this.answer(request);
  }

  async appointmentStatuses(carrierId: string, references: string[]): Promise<CarrierAppointmentReport[]> {
    this.inquiries.push({ carrierId, references });
    return references.flatMap((reference) => {
      const report = this.report(reference);
      return report ? [{ carrierReference: reference, ...report }] : [];
    });
  }
}

const report = (status: CarrierAppointmentReport['status'], extra: Partial<CarrierAppointmentReport> = {}) => ({
  carrierStatusCode: String(status),
  status,
  writingNumber: null,
  effectiveOn: null,
  terminatedOn: null,
  reason: null,
  ...extra,
});

const STATES = ['TX', 'OK', 'KS', 'NE', 'IA', 'MO', 'AR'];

/** An agent with `n` (at most 7) REQUESTED appointments, alternately with car_w1 and car_w0, each in its own state. */
async function agentWithRequests(n: number, filing = 'PRE_APPOINTMENT'): Promise<{ agentId: string; ids: string[] }> {
  const agentId = `agt_fw${RUN}_${++counter}`;
  await pool.query(
    `INSERT INTO agents.agent (id, npn, first_name, last_name, email, resident_state, status) VALUES ($1, $2, 'F', 'W', 'fw@example.com', 'TX', 'ACTIVE')`,
    [agentId, `6${(Date.now() % 1e6) * 100 + counter}`],
  );
  const ids: string[] = [];
  for (let i = 1; i <= n; i++) {
    const id = `apt_fw${RUN}_${counter}_${i}`;
    await pool.query(
      `INSERT INTO agents.appointment (id, agent_id, carrier_id, state, status, filing) VALUES ($1, $2, $3, $4, 'REQUESTED', $5)`,
      [id, agentId, `car_w${i % 2}`, STATES[i - 1], filing],
    );
    ids.push(id);
  }
  return { agentId, ids };
}

const worker = (carriers: CarriersPort, agentIds: string[]) =>
  new AppointmentFilingWorker({
    pool,
    logger: createLogger('test', 'silent'),
    carriers,
    intervalMs: 60_000,
    statusPollMs: 0,
    leaseSeconds: 30,
    batchSize: 3,
    agentIds,
  });

const rows = async (agentId: string) =>
  (
    await pool.query(
      `SELECT id, status, carrier_reference AS "carrierReference", writing_number AS "writingNumber", rejection_reason AS "rejectionReason",
              last_error AS "lastError", submitted_at IS NOT NULL AS submitted, decided_at IS NOT NULL AS decided
         FROM agents.appointment WHERE agent_id = $1 ORDER BY id`,
      [agentId],
    )
  ).rows;
const events = async (agentId: string) =>
  (
    await pool.query(
      `SELECT type, from_status AS "from", to_status AS "to", actor FROM agents.agent_event WHERE agent_id = $1 ORDER BY id`,
      [agentId],
    )
  ).rows;

it('two replicas file each appointment exactly once, one event each, in batches', async () => {
  const { agentId, ids } = await agentWithRequests(7);
  const carriers = new FakeCarriers();
  const a = worker(carriers, [agentId]);
  const b = worker(carriers, [agentId]);
  while ((await Promise.all([a.runOnce(), b.runOnce()])).some((n) => n > 0) && carriers.filings.length < 7);
  expect(carriers.filings.map((f) => f.reference).sort()).toEqual([...ids].sort());
  expect(a.counts.filed).toBeGreaterThan(0);
  expect(b.counts.filed).toBeGreaterThan(0);
  expect(a.counts.filed + b.counts.filed).toBe(7);
  expect((await rows(agentId)).every((r) => r.status === 'SUBMITTED' && r.carrierReference === `CR-${r.id}` && r.submitted)).toBe(true);
  const written = await events(agentId);
  expect(written).toHaveLength(7);
  expect(written.every((e) => e.type === 'APPOINTMENT_SUBMITTED' && e.actor === 'system:appointment-filing')).toBe(true);
  await Promise.all([a.stop(), b.stop()]);
});

it('asks each carrier once per pass about its undecided appointments and applies the decisions', async () => {
  const { agentId, ids } = await agentWithRequests(3);
  const carriers = new FakeCarriers();
  const one = worker(carriers, [agentId]);
  await one.runOnce(); // filed
  carriers.report = (reference) =>
    reference.endsWith('_1')
      ? report('ACTIVE', { writingNumber: 'W-1', effectiveOn: '2026-01-05' })
      : reference.endsWith('_2')
        ? report('REJECTED', { reason: 'no' })
        : report('SUBMITTED');
  await one.runOnce();
  // car_w1 holds _1 and _3, car_w0 holds _2: one inquiry per carrier.
  expect(carriers.inquiries.map((i) => [i.carrierId, i.references.length]).sort()).toEqual([
    ['car_w0', 1],
    ['car_w1', 2],
  ]);
  expect(await rows(agentId)).toEqual([
    expect.objectContaining({ id: ids[0], status: 'ACTIVE', writingNumber: 'W-1', decided: true }),
    expect.objectContaining({ id: ids[1], status: 'REJECTED', rejectionReason: 'no', decided: true }),
    expect.objectContaining({ id: ids[2], status: 'SUBMITTED', decided: false }),
  ]);
  expect(
    (await events(agentId))
      .slice(3)
      .map((e) => `${e.type}:${e.from}>${e.to}`)
      .sort(),
  ).toEqual(['APPOINTMENT_ACTIVE:SUBMITTED>ACTIVE', 'APPOINTMENT_REJECTED:SUBMITTED>REJECTED']);
  // An unmapped code changes nothing; the ACTIVE one is still asked about (terminations), the rejected one never again.
  carriers.report = () => report(null);
  carriers.inquiries = [];
  await one.runOnce();
  expect(carriers.inquiries.flatMap((i) => i.references).sort()).toEqual([`CR-${ids[0]}`, `CR-${ids[2]}`]);
  expect((await rows(agentId)).map((r) => r.status)).toEqual(['ACTIVE', 'REJECTED', 'SUBMITTED']);
  expect(await events(agentId)).toHaveLength(5);
});

it('a refusal is a rejection with the carrier’s words; an unreachable carrier is retried after the lease, with no event', async () => {
  const { agentId, ids } = await agentWithRequests(2);
  const carriers = new FakeCarriers();
  carriers.answer = (request) =>
    request.reference === ids[0]
      ? { received: false, carrierReference: null, message: 'producer not contracted', retryable: false, failureCode: 'CARRIER.REJECTED' }
      : { received: false, carrierReference: null, message: 'HTTP 500', retryable: true, failureCode: 'CARRIER.HTTP_ERROR' };
  const one = worker(carriers, [agentId]);
  await one.runOnce();
  expect(await rows(agentId)).toEqual([
    expect.objectContaining({ status: 'REJECTED', rejectionReason: 'producer not contracted' }),
    expect.objectContaining({ status: 'REQUESTED', lastError: 'CARRIER.HTTP_ERROR: HTTP 500' }),
  ]);
  expect((await events(agentId)).map((e) => e.type)).toEqual(['APPOINTMENT_REJECTED']);
  // Leased: the next pass does not send it again before the lease runs out.
  expect(await one.runOnce()).toBe(0);
  await pool.query(`UPDATE agents.appointment SET next_check_at = now() WHERE id = $1`, [ids[1]]);
  carriers.answer = (request) => ({
    received: true,
    carrierReference: `CR-${request.reference}`,
    message: null,
    retryable: false,
    failureCode: null,
  });
  await one.runOnce();
  expect((await rows(agentId))[1]).toMatchObject({ status: 'SUBMITTED', lastError: null });
  expect(carriers.filings.map((f) => f.reference)).toEqual([ids[0], ids[1], ids[1]]);
});

it('leaves a row someone else moved meanwhile alone: no second event', async () => {
  const { agentId, ids } = await agentWithRequests(1);
  const carriers = new FakeCarriers();
  carriers.answer = async (request) => {
    // Contracting cancels it (a staff correction) while the carrier call is under way.
    await pool.query(`UPDATE agents.appointment SET status = 'TERMINATED' WHERE id = $1`, [ids[0]]);
    return { received: true, carrierReference: `CR-${request.reference}`, message: null, retryable: false, failureCode: null };
  };
  const one = worker(carriers, [agentId]);
  await one.runOnce();
  expect(carriers.filings).toHaveLength(1);
  expect((await rows(agentId))[0].status).toBe('TERMINATED');
  expect(await events(agentId)).toEqual([]);
});

it('a just-in-time filing the carrier receives after its due date raises the late alert with the submission, once', async () => {
  const { agentId, ids } = await agentWithRequests(2, 'JUST_IN_TIME');
  await pool.query(`UPDATE agents.appointment SET application_on = current_date - 20, filing_due_on = current_date - 5 WHERE id = $1`, [
    ids[0],
  ]);
  await pool.query(`UPDATE agents.appointment SET application_on = current_date - 15, filing_due_on = current_date WHERE id = $1`, [
    ids[1],
  ]);
  const one = worker(new FakeCarriers(), [agentId]);
  await one.runOnce();
  const written = await events(agentId);
  // The one due today is still in time; the one due five days ago is late.
  expect(written.map((e) => e.type).sort()).toEqual(['APPOINTMENT_FILING_LATE', 'APPOINTMENT_SUBMITTED', 'APPOINTMENT_SUBMITTED']);
  const { rows: late } = await pool.query(`SELECT id FROM agents.appointment WHERE agent_id = $1 AND filing_late_at IS NOT NULL`, [
    agentId,
  ]);
  expect(late.map((r) => r.id)).toEqual([ids[0]]);
});
