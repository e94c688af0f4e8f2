/**
 * Each protocol's adapter files producer appointments with a real simulated carrier and reads its
 * answers: received under the carrier's id (the reference deduplicated), ACTIVE with the writing
 * number and date, REJECTED with the carrier's reason, unknown references left out, one network
 * call per filing and per inquiry batch (REST: per appointment), wire failures as CarrierFailure.
 */
import { carrierEndpoint, recordingOptions, testDeps } from '../../../../test/support/harness';
import { BACKGROUND_REJECTION } from '../../../../simulators/appointment-book';
import { startSimulators, type RunningSimulators } from '../../../../simulators/simulators';
import { CARRIERS } from '../../fixtures/carriers.fixture';
import { createAcordAdapter } from '../acord/acord.adapter';
import { type AppointmentRequest, CarrierFailure, type CarrierAdapter } from '../carrier-adapter.port';
import { createRatebookAdapter } from '../ratebook/ratebook.adapter';
import { createRestAdapter } from '../rest/rest.adapter';

const PROTOCOLS = [
  { protocol: 'ACORD', code: 'SUMMIT', create: createAcordAdapter, inquiryCalls: (n: number) => (n > 0 ? 1 : 0) },
  { protocol: 'REST', code: 'CEDAR', create: createRestAdapter, inquiryCalls: (n: number) => n },
  { protocol: 'RATEBOOK', code: 'LANTERN', create: createRatebookAdapter, inquiryCalls: (n: number) => (n > 0 ? 1 : 0) },
] as const;

let simulators: RunningSimulators;
beforeAll(async () => {
  simulators = await startSimulators({ carriers: CARRIERS.filter((c) => PROTOCOLS.some((p) => p.code === c.code)) });
});
afterAll(() => simulators.stop());
beforeEach(() => {
  simulators.control.reset();
  simulators.control.setAppointmentRules('*', { decisionMs: 0, hold: false, rejectNpns: [], rejectStates: [] });
});

const RUN = Date.now().toString(36);
let sequence = 0;
const request = (overrides: Partial<AppointmentRequest> = {}): AppointmentRequest => ({
  reference: `apt_ad${RUN}${++sequence}`,
  npn: '18340001',
  state: 'OK',
  filing: 'JUST_IN_TIME',
  applicationOn: '2026-01-10',
  ...overrides,
});

describe.each(PROTOCOLS)('$protocol adapter: producer appointments', ({ code, create, inquiryCalls }) => {
  const adapter = (): CarrierAdapter => {
    const { carrier, endpoint } = carrierEndpoint(simulators, code);
    return create(carrier, endpoint, testDeps());
  };

  it('files a request once per reference and reads the decision: ACTIVE and REJECTED with its reason', async () => {
    const carrier = adapter();
    const active = request();
    const rejected = request({ npn: '18340000', filing: 'PRE_APPOINTMENT', applicationOn: null });
    const options = recordingOptions();
    const first = await carrier.fileAppointment!(active, options);
    expect(first).toEqual({ received: true, carrierReference: expect.stringMatching(new RegExp(`^AP-${code}-\\d{6}$`)) });
    // A resend with the same reference files nothing new.
    expect(await carrier.fileAppointment!(active, options)).toEqual(first);
    const second = await carrier.fileAppointment!(rejected, options);
    if (!first.received || !second.received) throw new Error('not received');
    expect(simulators.control.appointments(code).filter((a) => a.reference === active.reference)).toHaveLength(1);

    const statuses = await carrier.appointmentStatuses!([first.carrierReference, second.carrierReference, `AP-${code}-999999`], options);
    expect(statuses.get(first.carrierReference)).toEqual({
      carrierReference: first.carrierReference,
      carrierStatusCode: expect.any(String),
      status: 'ACTIVE',
      writingNumber: expect.stringMatching(/^[A-Z]{3}\d{6}$/),
      effectiveOn: new Date().toISOString().slice(0, 10),
      terminatedOn: null,
      reason: null,
    });
    expect(statuses.get(second.carrierReference)).toMatchObject({ status: 'REJECTED', reason: BACKGROUND_REJECTION });
    expect(statuses.has(`AP-${code}-999999`)).toBe(false);
    const inquiries = options.network.filter((kind) => kind === 'appointmentStatus').length;
    expect(inquiries).toBe(inquiryCalls(3));
    expect(options.network.filter((kind) => kind === 'appointment')).toHaveLength(3);
    expect(simulators.control.counts(code)).toMatchObject({ appointment: 3, appointmentStatus: inquiries });
  });

  it('reads an undecided request as SUBMITTED and a termination with its date', async () => {
    const carrier = adapter();
    simulators.control.setAppointmentRules(code, { hold: true });
    const filed = await carrier.fileAppointment!(request(), recordingOptions());
    if (!filed.received) throw new Error('not received');
    expect((await carrier.appointmentStatuses!([filed.carrierReference], recordingOptions())).get(filed.carrierReference)).toMatchObject({
      status: 'SUBMITTED',
      writingNumber: null,
    });
    simulators.control.decideAppointment(code, filed.carrierReference, { status: 'ACTIVE' });
    simulators.control.decideAppointment(code, filed.carrierReference, { status: 'TERMINATED', terminatedOn: '2026-09-30' });
    expect((await carrier.appointmentStatuses!([filed.carrierReference], recordingOptions())).get(filed.carrierReference)).toMatchObject({
      status: 'TERMINATED',
      terminatedOn: '2026-09-30',
    });
  });

  it('turns a carrier failure into a CarrierFailure, and a malformed answer too', async () => {
    const carrier = adapter();
    simulators.control.setFault(code, '5xx', { kinds: ['appointment'], times: 1 });
    await expect(carrier.fileAppointment!(request(), recordingOptions())).rejects.toMatchObject({ code: 'CARRIER.HTTP_ERROR' });
    simulators.control.setFault(code, 'malformed', { kinds: ['appointmentStatus'], times: 1 });
    await expect(carrier.appointmentStatuses!(['AP-X-1'], recordingOptions())).rejects.toBeInstanceOf(CarrierFailure);
  });
});
