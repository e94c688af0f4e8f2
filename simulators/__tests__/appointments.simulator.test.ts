/**
 * The carriers' contracting endpoints over real HTTP, one protocol at a time: a producer appointment
 * request is received (never decided in the filing answer), filed once per reference, decided at the
 * carrier's pace (ACTIVE with a writing number and date, or REJECTED with a reason for a planted NPN
 * or state), terminated with its date through the control API, counted and faulted like every call.
 */
import { CARRIERS } from '../../subgraphs/carriers/fixtures/carriers.fixture';
import { BACKGROUND_REJECTION, STATE_REJECTION } from '../appointment-book';
import { devClientCredentials } from '../environment';
import { startSimulators, type RunningSimulators } from '../simulators';

let simulators: RunningSimulators;
const CODES = ['SUMMIT', 'CEDAR', 'LANTERN'];

beforeAll(async () => {
  simulators = await startSimulators({ carriers: CARRIERS.filter((c) => CODES.includes(c.code)) });
});
afterAll(() => simulators.stop());
beforeEach(() => {
  simulators.control.reset();
  simulators.control.setAppointmentRules('*', { decisionMs: 0, hold: false, rejectNpns: [], rejectStates: [] });
});

const RUN = Date.now().toString(36);
let sequence = 0;
const reference = () => `apt_sim${RUN}${++sequence}`;
const url = (code: string, path: string) => `${simulators.endpoints[code]}${path}`;

// ---------------------------------------------------------------- ACORD TXLife 1201 / 1202

function txlife(requests: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><TXLife Version="2.43.00">${requests}</TXLife>`;
}
const request1201 = (guid: string, npn: string, state: string) =>
  `<TXLifeRequest><TransRefGUID>${guid}</TransRefGUID><TransType tc="1201">Producer Appointment Request</TransType><OLifE><Party id="P1"><Producer><NIPRNumber>${npn}</NIPRNumber><CarrierAppointment><Jurisdiction>${state}</Jurisdiction></CarrierAppointment></Producer></Party></OLifE></TXLifeRequest>`;
const request1202 = (guid: string, id: string) =>
  `<TXLifeRequest><TransRefGUID>${guid}</TransRefGUID><TransType tc="1202">Producer Appointment Inquiry</TransType><OLifE><Party id="P1"><Producer><CarrierAppointment><CarrierApptRefID>${id}</CarrierApptRefID></CarrierAppointment></Producer></Party></OLifE></TXLifeRequest>`;

async function acord(body: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url('SUMMIT', '/txlife'), { method: 'POST', headers: { 'content-type': 'application/xml' }, body });
  return { status: response.status, text: await response.text() };
}
const between = (text: string, tag: string) => new RegExp(`<${tag}[^>]*>([^<]*)</${tag}>`).exec(text)?.[1];
const tcOf = (text: string, tag: string) => new RegExp(`<${tag} tc="([^"]+)"`).exec(text)?.[1];

describe('ACORD: TransType 1201 producer appointment request, 1202 inquiry', () => {
  it('receives a request (pending), files it once per TransRefGUID, and decides ACTIVE at the first inquiry', async () => {
    const guid = reference();
    const filed = await acord(txlife(request1201(guid, '17340021', 'OK')));
    expect(filed.status).toBe(200);
    expect(tcOf(filed.text, 'ResultCode')).toBe('1');
    expect(tcOf(filed.text, 'CarrierApptStatus')).toBe('3');
    const id = between(filed.text, 'CarrierApptRefID')!;
    expect(id).toMatch(/^AP-SUMMIT-\d{6}$/);
    // A resend under the same TransRefGUID answers the same appointment.
    expect(between((await acord(txlife(request1201(guid, '17340021', 'OK')))).text, 'CarrierApptRefID')).toBe(id);

    const asked = await acord(txlife(request1202('inq-1', id)));
    expect(tcOf(asked.text, 'CarrierApptStatus')).toBe('1');
    expect(between(asked.text, 'CompanyProducerID')).toMatch(/^SUM\d{6}$/);
    expect(between(asked.text, 'ApptStartDate')).toBe(new Date().toISOString().slice(0, 10));
    expect(simulators.control.counts('SUMMIT')).toMatchObject({ appointment: 2, appointmentStatus: 1, submit: 0, status: 0 });
    expect(simulators.control.appointments('SUMMIT').filter((a) => a.reference === guid)).toHaveLength(1);
  });

  it('rejects a planted NPN with its reason, and answers an unknown id with ResultCode 5', async () => {
    const filed = await acord(txlife(request1201(reference(), '99990000', 'TX')));
    const id = between(filed.text, 'CarrierApptRefID')!;
    const answer = await acord(txlife(request1202('inq-2', id) + request1202('inq-3', 'AP-SUMMIT-999999')));
    expect(tcOf(answer.text, 'CarrierApptStatus')).toBe('4');
    expect(between(answer.text, 'ApptStatusReason')).toBe(BACKGROUND_REJECTION);
    expect(answer.text).toContain('no appointment AP-SUMMIT-999999');
  });

  it('refuses a request without NPN or state as a data error', async () => {
    const answer = await acord(txlife(request1201(reference(), '', 'Texas')));
    expect(tcOf(answer.text, 'ResultCode')).toBe('5');
    expect(answer.text).toContain('invalid or missing: NIPRNumber, Jurisdiction');
  });
});

// ---------------------------------------------------------------- REST /v1/appointments

async function restToken(): Promise<string> {
  const { clientId, clientSecret } = devClientCredentials('CEDAR');
  const response = await fetch(url('CEDAR', '/oauth/token'), {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials',
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

describe('REST: POST /v1/appointments, GET /v1/appointments/:id', () => {
  it('answers 202 PENDING_REVIEW, replays a resend, holds while told to, then decides as the control API says', async () => {
    const token = await restToken();
    const key = reference();
    const file = () =>
      fetch(url('CEDAR', '/v1/appointments'), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ npn: '17340022', state: 'KS', filing: 'JUST_IN_TIME', applicationDate: '2026-01-10' }),
      });
    simulators.control.setAppointmentRules('CEDAR', { hold: true });
    const first = await file();
    expect(first.status).toBe(202);
    const body = (await first.json()) as { appointmentId: string; status: string };
    expect(body.status).toBe('PENDING_REVIEW');
    const again = await file();
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(((await again.json()) as { appointmentId: string }).appointmentId).toBe(body.appointmentId);

    const get = async () =>
      (await (
        await fetch(url('CEDAR', `/v1/appointments/${body.appointmentId}`), { headers: { authorization: `Bearer ${token}` } })
      ).json()) as Record<string, unknown>;
    expect((await get()).status).toBe('PENDING_REVIEW'); // held
    simulators.control.decideAppointment('CEDAR', body.appointmentId, {
      status: 'ACTIVE',
      writingNumber: 'CC-77',
      effectiveOn: '2026-01-12',
    });
    expect(await get()).toMatchObject({ status: 'APPOINTED', writingNumber: 'CC-77', effectiveDate: '2026-01-12' });
    simulators.control.decideAppointment('CEDAR', key, { status: 'TERMINATED', terminatedOn: '2026-06-30', reason: 'producer request' });
    expect(await get()).toMatchObject({ status: 'TERMINATED', terminationDate: '2026-06-30' });
  });

  it('needs a bearer token and an Idempotency-Key; a rejected state says why', async () => {
    const token = await restToken();
    const unauthorized = await fetch(url('CEDAR', '/v1/appointments'), { method: 'POST', body: '{}' });
    expect(unauthorized.status).toBe(401);
    const noKey = await fetch(url('CEDAR', '/v1/appointments'), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ npn: '1', state: 'KS' }),
    });
    expect(noKey.status).toBe(400);
    simulators.control.setAppointmentRules('CEDAR', { rejectStates: ['NY'] });
    const filed = (await (
      await fetch(url('CEDAR', '/v1/appointments'), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': reference() },
        body: JSON.stringify({ npn: '17340023', state: 'NY' }),
      })
    ).json()) as { appointmentId: string };
    const decided = (await (
      await fetch(url('CEDAR', `/v1/appointments/${filed.appointmentId}`), { headers: { authorization: `Bearer ${token}` } })
    ).json()) as Record<string, unknown>;
    expect(decided).toMatchObject({ status: 'DECLINED', declineReason: STATE_REJECTION });
  });

  it('decides only after the configured delay', async () => {
    simulators.control.setAppointmentRules('CEDAR', { decisionMs: 60_000 });
    const token = await restToken();
    const filed = (await (
      await fetch(url('CEDAR', '/v1/appointments'), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': reference() },
        body: JSON.stringify({ npn: '17340024', state: 'KS' }),
      })
    ).json()) as { appointmentId: string };
    const status = (await (
      await fetch(url('CEDAR', `/v1/appointments/${filed.appointmentId}`), { headers: { authorization: `Bearer ${token}` } })
    ).json()) as Record<string, unknown>;
    expect(status.status).toBe('PENDING_REVIEW');
  });
});

// ---------------------------------------------------------------- rate-book carrier /appointments

describe('rate book: POST /appointments, GET /appointments?ids=', () => {
  it('files once per appointmentRef, reports many at once in short codes, and faults like every call', async () => {
    const file = async (ref: string, npn: string) =>
      (await (
        await fetch(url('LANTERN', '/appointments'), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ appointmentRef: ref, npn, state: 'OK', filing: 'JIT' }),
        })
      ).json()) as { accepted: boolean; appointment: { id: string; status: string } };
    const ref = reference();
    const active = await file(ref, '17340025');
    expect(active).toMatchObject({ accepted: true, appointment: { status: 'RCVD' } });
    expect((await file(ref, '17340025')).appointment.id).toBe(active.appointment.id);
    const rejected = await file(reference(), '55550000');
    const report = (await (
      await fetch(url('LANTERN', `/appointments?ids=${active.appointment.id},${rejected.appointment.id},AP-LANTERN-999999`))
    ).json()) as { appointments: Record<string, unknown>[] };
    expect(report.appointments).toEqual([
      expect.objectContaining({ id: active.appointment.id, status: 'APPT', writingNo: expect.stringMatching(/^LAN\d{6}$/) }),
      expect.objectContaining({ id: rejected.appointment.id, status: 'DECL', reason: BACKGROUND_REJECTION }),
    ]);

    simulators.control.setFault('LANTERN', '5xx', { kinds: ['appointment'], times: 1 });
    const failed = await fetch(url('LANTERN', '/appointments'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ appointmentRef: reference(), npn: '17340026', state: 'OK' }),
    });
    expect(failed.status).toBe(500);
    expect(simulators.control.counts('LANTERN')).toMatchObject({ appointment: 4, appointmentStatus: 1 });
  });

  it('is steered over HTTP too: rules, the list, a decision', async () => {
    const base = simulators.endpoints.LANTERN;
    const rules = await fetch(`${base}/_control/appointments/rules`, { method: 'PUT', body: JSON.stringify({ hold: true }) });
    expect(await rules.json()).toMatchObject({ hold: true, decisionMs: 0 });
    const ref = reference();
    await fetch(url('LANTERN', '/appointments'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ appointmentRef: ref, npn: '17340027', state: 'OK' }),
    });
    const decided = await fetch(`${base}/_control/appointments/${ref}/decide`, {
      method: 'POST',
      body: JSON.stringify({ status: 'REJECTED', reason: 'incomplete contracting packet' }),
    });
    expect(await decided.json()).toMatchObject({ reference: ref, status: 'REJECTED', reason: 'incomplete contracting packet' });
    const list = (await (await fetch(`${base}/_control/appointments`)).json()) as { reference: string }[];
    expect(list.map((a) => a.reference)).toContain(ref);
    expect((await fetch(`${base}/_control/appointments/nope/decide`, { method: 'POST', body: '{"status":"ACTIVE"}' })).status).toBe(404);
  });
});
