import { addDays, filingDates, filingFor, filingLate, JIT_FILING_DAYS, transitionFor } from '../appointment-filing';

const report = (status: Parameters<typeof transitionFor>[1]['status'], extra: Partial<Parameters<typeof transitionFor>[1]> = {}) => ({
  status,
  writingNumber: null,
  effectiveOn: null,
  terminatedOn: null,
  reason: null,
  ...extra,
});

describe('appointment filing rules', () => {
  it("files before any application in the carrier's pre-appointment states, with the first application elsewhere", () => {
    expect(filingFor('TX', ['TX', 'FL'])).toBe('PRE_APPOINTMENT');
    expect(filingFor('OK', ['TX', 'FL'])).toBe('JUST_IN_TIME');
    expect(filingFor('OK', [])).toBe('JUST_IN_TIME');
  });

  it('tracks the 15-day deadline of a just-in-time filing from the application date, across months and years', () => {
    expect(JIT_FILING_DAYS).toBe(15);
    expect(filingDates('JUST_IN_TIME', '2026-01-10')).toEqual({ applicationOn: '2026-01-10', filingDueOn: '2026-01-25' });
    expect(filingDates('JUST_IN_TIME', '2026-12-20')).toEqual({ applicationOn: '2026-12-20', filingDueOn: '2027-01-04' });
    expect(addDays('2028-02-20', 15)).toBe('2028-03-06'); // leap year
    expect(filingDates('PRE_APPOINTMENT', '2026-01-10')).toEqual({ applicationOn: null, filingDueOn: null });
  });

  it('is late only after the due day, and only for just-in-time filings', () => {
    const jit = { filing: 'JUST_IN_TIME' as const, filingDueOn: '2026-01-25' };
    expect(filingLate(jit, '2026-01-25')).toBe(false);
    expect(filingLate(jit, '2026-01-26')).toBe(true);
    expect(filingLate({ filing: 'PRE_APPOINTMENT', filingDueOn: null }, '2030-01-01')).toBe(false);
  });

  it('applies what the carrier decided: ACTIVE with its writing number and date, REJECTED with its reason', () => {
    expect(transitionFor('SUBMITTED', report('ACTIVE', { writingNumber: 'SUM000001', effectiveOn: '2026-01-12' }), '2026-01-13')).toEqual({
      to: 'ACTIVE',
      event: 'APPOINTMENT_ACTIVE',
      writingNumber: 'SUM000001',
      effectiveOn: '2026-01-12',
      decided: true,
    });
    expect(transitionFor('SUBMITTED', report('ACTIVE'), '2026-01-13')?.effectiveOn).toBe('2026-01-13');
    expect(transitionFor('SUBMITTED', report('REJECTED', { reason: 'background check' }), '2026-01-13')).toEqual({
      to: 'REJECTED',
      event: 'APPOINTMENT_REJECTED',
      rejectionReason: 'background check',
      decided: true,
    });
    expect(transitionFor('SUBMITTED', report('REJECTED'), '2026-01-13')?.rejectionReason).toMatch(/without a reason/);
  });

  it('records a termination with its date, from SUBMITTED or ACTIVE', () => {
    expect(transitionFor('ACTIVE', report('TERMINATED', { terminatedOn: '2026-03-01' }), '2026-03-02')).toEqual({
      to: 'TERMINATED',
      event: 'APPOINTMENT_TERMINATED',
      terminatedOn: '2026-03-01',
      decided: false,
    });
    expect(transitionFor('SUBMITTED', report('TERMINATED'), '2026-03-02')?.terminatedOn).toBe('2026-03-02');
  });

  it('changes nothing while undecided, for the same status, an unmapped code, or a move carriers do not make', () => {
    expect(transitionFor('SUBMITTED', report('SUBMITTED'), '2026-01-13')).toBeNull();
    expect(transitionFor('ACTIVE', report('ACTIVE'), '2026-01-13')).toBeNull();
    expect(transitionFor('SUBMITTED', report(null), '2026-01-13')).toBeNull();
    expect(transitionFor('ACTIVE', report('SUBMITTED'), '2026-01-13')).toBeNull();
    expect(transitionFor('ACTIVE', report('REJECTED'), '2026-01-13')).toBeNull();
  });
});
