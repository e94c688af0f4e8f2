import { eligibility, type EligibilityInput } from '../eligibility';

const TODAY = '2025-11-24';
const base: EligibilityInput = {
  agent: { status: 'ACTIVE', residentState: 'TX', eoExpiresOn: '2026-06-30' },
  licenses: [
    { state: 'TX', resident: true, linesOfAuthority: ['LIFE'], effectiveOn: '2020-01-01', expiresOn: '2026-12-31', revoked: false },
    {
      state: 'OK',
      resident: false,
      linesOfAuthority: ['LIFE', 'ACCIDENT_HEALTH'],
      effectiveOn: '2020-01-01',
      expiresOn: '2026-12-31',
      revoked: false,
    },
  ],
  appointments: [{ carrierId: 'car_a', state: 'TX', status: 'ACTIVE' }],
  carrierId: 'car_a',
  state: 'TX',
  preAppointmentStates: ['TX'],
  today: TODAY,
};
const check = (overrides: Partial<EligibilityInput>) => eligibility({ ...base, ...overrides });

describe('eligibility (the licensing and contracting rules)', () => {
  it('is eligible with an active resident LIFE license, current E&O and an active appointment', () => {
    expect(check({})).toEqual({ eligible: true, reasons: [], appointmentWillBeRequested: false });
  });

  it('requires an ACTIVE agent', () => {
    for (const status of ['PENDING', 'SUSPENDED', 'TERMINATED'] as const) {
      expect(check({ agent: { ...base.agent, status } }).reasons).toEqual(['AGENT_NOT_ACTIVE']);
    }
  });

  it('requires a license in the state, of the right residency', () => {
    expect(check({ state: 'CA' }).reasons).toContain('NOT_LICENSED_IN_STATE');
    // A resident-flagged license outside the home state does not count.
    const wrong = [{ ...base.licenses[1], resident: true }];
    expect(check({ licenses: wrong, state: 'OK', preAppointmentStates: [] }).reasons).toEqual(['NOT_LICENSED_IN_STATE']);
  });

  it('treats expired, revoked or not yet effective licenses as expired, on the boundary days too', () => {
    const tx = base.licenses[0];
    expect(check({ licenses: [{ ...tx, expiresOn: '2025-11-23' }] }).reasons).toEqual(['LICENSE_EXPIRED']);
    expect(check({ licenses: [{ ...tx, expiresOn: TODAY }] }).eligible).toBe(true);
    expect(check({ licenses: [{ ...tx, effectiveOn: '2025-11-25' }] }).reasons).toEqual(['LICENSE_EXPIRED']);
    expect(check({ licenses: [{ ...tx, revoked: true }] }).reasons).toEqual(['LICENSE_EXPIRED']);
  });

  it('requires LIFE authority on an active license', () => {
    expect(check({ licenses: [{ ...base.licenses[0], linesOfAuthority: ['HEALTH'] }] }).reasons).toEqual(['NO_LIFE_AUTHORITY']);
  });

  it('requires current E&O; none on file counts as expired', () => {
    expect(check({ agent: { ...base.agent, eoExpiresOn: null } }).reasons).toEqual(['EO_EXPIRED']);
    expect(check({ agent: { ...base.agent, eoExpiresOn: '2025-11-23' } }).reasons).toEqual(['EO_EXPIRED']);
    expect(check({ agent: { ...base.agent, eoExpiresOn: TODAY } }).eligible).toBe(true);
  });

  it('in a pre-appointment state needs an ACTIVE appointment with this carrier there', () => {
    expect(check({ appointments: [] }).reasons).toEqual(['NOT_APPOINTED']);
    expect(check({ appointments: [{ carrierId: 'car_a', state: 'TX', status: 'REQUESTED' }] }).reasons).toEqual(['NOT_APPOINTED']);
    expect(check({ appointments: [{ carrierId: 'car_b', state: 'TX', status: 'ACTIVE' }] }).reasons).toEqual(['NOT_APPOINTED']);
    expect(check({ appointments: [{ carrierId: 'car_a', state: 'OK', status: 'ACTIVE' }] }).reasons).toEqual(['NOT_APPOINTED']);
  });

  it('in a just-in-time state is eligible and requests the appointment unless one is live', () => {
    const jit = { state: 'OK', preAppointmentStates: ['TX'] };
    expect(check({ ...jit, appointments: [] })).toEqual({ eligible: true, reasons: [], appointmentWillBeRequested: true });
    expect(check({ ...jit, appointments: [{ carrierId: 'car_a', state: 'OK', status: 'REQUESTED' }] }).appointmentWillBeRequested).toBe(
      false,
    );
    expect(check({ ...jit, appointments: [{ carrierId: 'car_a', state: 'OK', status: 'TERMINATED' }] }).appointmentWillBeRequested).toBe(
      true,
    );
    // Not eligible for another reason: nothing will be requested.
    expect(check({ ...jit, appointments: [], agent: { ...base.agent, eoExpiresOn: null } }).appointmentWillBeRequested).toBe(false);
  });

  describe('reads what the carrier answered (appointments filed with carriers)', () => {
    const jit = { state: 'OK', preAppointmentStates: ['TX'] };
    const at = (status: EligibilityInput['appointments'][number]['status'], requestedAt: string, state = 'OK') => ({
      carrierId: 'car_a',
      state,
      status,
      requestedAt,
    });

    it('pre-appointment: REQUESTED or SUBMITTED (undecided) is not yet appointed; ACTIVE is', () => {
      expect(check({ appointments: [at('REQUESTED', '2025-11-01', 'TX')] }).reasons).toEqual(['NOT_APPOINTED']);
      expect(check({ appointments: [at('SUBMITTED', '2025-11-01', 'TX')] }).reasons).toEqual(['NOT_APPOINTED']);
      expect(check({ appointments: [at('ACTIVE', '2025-11-01', 'TX')] })).toEqual({
        eligible: true,
        reasons: [],
        appointmentWillBeRequested: false,
      });
    });

    it('pre-appointment: a REJECTED appointment is not live, so the agent stays NOT_APPOINTED (never APPOINTMENT_REJECTED)', () => {
      expect(check({ appointments: [at('REJECTED', '2025-11-01', 'TX')] })).toEqual({
        eligible: false,
        reasons: ['NOT_APPOINTED'],
        appointmentWillBeRequested: false,
      });
      // Asked again and appointed this time: eligible.
      expect(check({ appointments: [at('REJECTED', '2025-10-01', 'TX'), at('ACTIVE', '2025-11-01', 'TX')] }).eligible).toBe(true);
    });

    it('pre-appointment: a TERMINATED appointment is NOT_APPOINTED', () => {
      expect(check({ appointments: [at('TERMINATED', '2025-11-01', 'TX')] }).reasons).toEqual(['NOT_APPOINTED']);
    });

    it('just-in-time: SUBMITTED (at the carrier, undecided) and ACTIVE are eligible with nothing more to request', () => {
      for (const status of ['SUBMITTED', 'ACTIVE'] as const)
        expect(check({ ...jit, appointments: [at(status, '2025-11-01')] })).toEqual({
          eligible: true,
          reasons: [],
          appointmentWillBeRequested: false,
        });
    });

    it('just-in-time: a REJECTED last request makes the agent not eligible for this carrier and state: APPOINTMENT_REJECTED', () => {
      expect(check({ ...jit, appointments: [at('REJECTED', '2025-11-01')] })).toEqual({
        eligible: false,
        reasons: ['APPOINTMENT_REJECTED'],
        appointmentWillBeRequested: false,
      });
      // Another carrier's or another state's rejection does not matter here.
      expect(check({ ...jit, appointments: [{ ...at('REJECTED', '2025-11-01'), carrierId: 'car_b' }] }).eligible).toBe(true);
      expect(check({ ...jit, appointments: [at('REJECTED', '2025-11-01', 'KS')] }).eligible).toBe(true);
    });

    it('just-in-time: a new request after the rejection makes the agent eligible again', () => {
      expect(check({ ...jit, appointments: [at('REJECTED', '2025-10-01'), at('REQUESTED', '2025-11-01')] })).toEqual({
        eligible: true,
        reasons: [],
        appointmentWillBeRequested: false,
      });
      // Order by request time, not by list order.
      expect(check({ ...jit, appointments: [at('TERMINATED', '2025-11-01'), at('REJECTED', '2025-10-01')] })).toEqual({
        eligible: true,
        reasons: [],
        appointmentWillBeRequested: true,
      });
      expect(check({ ...jit, appointments: [at('TERMINATED', '2025-09-01'), at('REJECTED', '2025-10-01')] }).reasons).toEqual([
        'APPOINTMENT_REJECTED',
      ]);
    });

    it('just-in-time: a TERMINATED appointment is requested again with the next application', () => {
      expect(check({ ...jit, appointments: [at('TERMINATED', '2025-11-01')] })).toEqual({
        eligible: true,
        reasons: [],
        appointmentWillBeRequested: true,
      });
    });
  });

  it('lists every reason at once', () => {
    expect(
      check({
        agent: { status: 'SUSPENDED', residentState: 'TX', eoExpiresOn: null },
        state: 'CA',
        preAppointmentStates: ['CA'],
        appointments: [],
      }).reasons,
    ).toEqual(['AGENT_NOT_ACTIVE', 'NOT_LICENSED_IN_STATE', 'EO_EXPIRED', 'NOT_APPOINTED']);
  });
});
