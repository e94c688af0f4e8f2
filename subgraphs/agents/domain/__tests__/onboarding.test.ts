import {
  anyYes,
  backgroundProblems,
  backgroundStatusAfterAnswers,
  directDepositProblems,
  eoCoverageProblems,
  isRoutingNumber,
  missingSteps,
  onboardingStage,
  pastDayProblems,
  requiredSteps,
  statusAfterEoLapse,
  statusAfterStep,
  type StoredStep,
  stepViews,
  summarize,
  w9Problems,
} from '../onboarding';

const TODAY = '2026-06-15';
const done = (step: StoredStep['step'], extra: Partial<StoredStep> = {}): StoredStep => ({
  step,
  status: 'COMPLETE',
  completedAt: '2026-06-01T00:00:00.000Z',
  ...extra,
});
const allRequired = (): StoredStep[] => [
  done('BGA_AGREEMENT'),
  done('W9'),
  done('DIRECT_DEPOSIT'),
  done('EO_COVERAGE', { expiresOn: '2027-01-01' }),
  done('BACKGROUND_QUESTIONS'),
];

describe('required steps', () => {
  it('are every step but AML training while no annuities are sold', () => {
    expect(requiredSteps()).toEqual(['BGA_AGREEMENT', 'W9', 'DIRECT_DEPOSIT', 'EO_COVERAGE', 'BACKGROUND_QUESTIONS']);
    expect(requiredSteps({ sellsAnnuities: true })).toContain('AML_TRAINING');
  });
});

describe('step views, missing and stage', () => {
  it('a new agent: every required step NOT_STARTED, AML NOT_REQUIRED, stage NOT_STARTED', () => {
    const views = stepViews([], TODAY);
    expect(views.map((v) => v.status)).toEqual(['NOT_STARTED', 'NOT_STARTED', 'NOT_STARTED', 'NOT_STARTED', 'NOT_REQUIRED', 'NOT_STARTED']);
    expect(missingSteps(views)).toHaveLength(5);
    expect(onboardingStage(summarize(views))).toBe('NOT_STARTED');
  });

  it('some steps done: IN_PROGRESS, the rest missing in order', () => {
    const views = stepViews([done('W9')], TODAY);
    expect(missingSteps(views)).toEqual(['BGA_AGREEMENT', 'DIRECT_DEPOSIT', 'EO_COVERAGE', 'BACKGROUND_QUESTIONS']);
    expect(onboardingStage(summarize(views))).toBe('IN_PROGRESS');
  });

  it('everything required done (AML not needed): nothing missing, COMPLETE', () => {
    const views = stepViews(allRequired(), TODAY);
    expect(missingSteps(views)).toEqual([]);
    expect(onboardingStage(summarize(views))).toBe('COMPLETE');
  });

  it('an agreement sent for e-signature is still missing: IN_PROGRESS', () => {
    const views = stepViews([{ step: 'BGA_AGREEMENT', status: 'AWAITING_SIGNATURE', completedAt: null }], TODAY);
    expect(views[0].status).toBe('AWAITING_SIGNATURE');
    expect(missingSteps(views)).toContain('BGA_AGREEMENT');
    expect(onboardingStage(summarize(views))).toBe('IN_PROGRESS');
  });

  it('background in review: missing, stage IN_REVIEW', () => {
    const steps = allRequired().map((s) => (s.step === 'BACKGROUND_QUESTIONS' ? { ...s, status: 'IN_REVIEW' as const } : s));
    const views = stepViews(steps, TODAY);
    expect(missingSteps(views)).toEqual(['BACKGROUND_QUESTIONS']);
    expect(onboardingStage(summarize(views))).toBe('IN_REVIEW');
  });

  it('E&O past its last day is EXPIRED even before the job runs; stage LAPSED; the last day itself still counts', () => {
    const lapsed = allRequired().map((s) => (s.step === 'EO_COVERAGE' ? { ...s, expiresOn: '2026-06-14' } : s));
    const views = stepViews(lapsed, TODAY);
    expect(views.find((v) => v.step === 'EO_COVERAGE')!.status).toBe('EXPIRED');
    expect(missingSteps(views)).toEqual(['EO_COVERAGE']);
    expect(onboardingStage(summarize(views))).toBe('LAPSED');
    const lastDay = allRequired().map((s) => (s.step === 'EO_COVERAGE' ? { ...s, expiresOn: TODAY } : s));
    expect(missingSteps(stepViews(lastDay, TODAY))).toEqual([]);
  });
});

describe('standing', () => {
  it('PENDING becomes ACTIVE when complete, not before', () => {
    expect(statusAfterStep({ status: 'PENDING', suspendedForEoLapse: false }, true)).toBe('ACTIVE');
    expect(statusAfterStep({ status: 'PENDING', suspendedForEoLapse: false }, false)).toBeNull();
  });

  it('SUSPENDED for an E&O lapse comes back; another suspension or TERMINATED does not', () => {
    expect(statusAfterStep({ status: 'SUSPENDED', suspendedForEoLapse: true }, true)).toBe('ACTIVE');
    expect(statusAfterStep({ status: 'SUSPENDED', suspendedForEoLapse: false }, true)).toBeNull();
    expect(statusAfterStep({ status: 'TERMINATED', suspendedForEoLapse: false }, true)).toBeNull();
    expect(statusAfterStep({ status: 'ACTIVE', suspendedForEoLapse: false }, true)).toBeNull();
  });

  it('an E&O lapse suspends an ACTIVE agent only', () => {
    expect(statusAfterEoLapse('ACTIVE')).toBe('SUSPENDED');
    expect(statusAfterEoLapse('PENDING')).toBeNull();
    expect(statusAfterEoLapse('TERMINATED')).toBeNull();
  });
});

describe('background questions', () => {
  const no = { felony: false, regulatoryAction: false, bankruptcy: false, terminatedForCause: false };
  it('all "no" completes; any "yes" goes to review; in review stays there until approved', () => {
    expect(backgroundStatusAfterAnswers(null, false)).toBe('COMPLETE');
    expect(backgroundStatusAfterAnswers(null, true)).toBe('IN_REVIEW');
    expect(backgroundStatusAfterAnswers('COMPLETE', true)).toBe('IN_REVIEW');
    expect(backgroundStatusAfterAnswers('IN_REVIEW', false)).toBe('IN_REVIEW');
    expect(anyYes({ ...no, bankruptcy: true })).toBe(true);
    expect(anyYes(no)).toBe(false);
  });

  it('a "yes" needs an explanation', () => {
    expect(backgroundProblems({ ...no, felony: true })).toEqual([
      { field: 'input.explanation', message: 'input.explanation is required when any answer is yes' },
    ]);
    expect(backgroundProblems({ ...no, felony: true, explanation: 'dismissed in 2004' })).toEqual([]);
    expect(backgroundProblems({ ...no, explanation: 'x'.repeat(2001) })[0].field).toBe('input.explanation');
  });
});

describe('input checks never echo the value', () => {
  it('routing numbers: ABA check digit', () => {
    expect(isRoutingNumber('021000021')).toBe(true);
    expect(isRoutingNumber('011000015')).toBe(true);
    expect(isRoutingNumber('123456789')).toBe(false);
    expect(isRoutingNumber('02100002')).toBe(false);
  });

  it('direct deposit: routing and account named, values never in the message', () => {
    const problems = directDepositProblems({ routingNumber: '123456789', accountNumber: '12' });
    expect(problems.map((p) => p.field)).toEqual(['input.routingNumber', 'input.accountNumber']);
    expect(JSON.stringify(problems)).not.toContain('123456789');
    expect(directDepositProblems({ routingNumber: '021000021', accountNumber: '000123456789' })).toEqual([]);
  });

  it('W-9: 9-digit TIN with dashes allowed, not all zeros', () => {
    expect(w9Problems({ tin: '12-3456789', legalName: 'A B' })).toEqual([]);
    expect(w9Problems({ tin: '000000000', legalName: 'A B' }).map((p) => p.field)).toEqual(['input.tin']);
    expect(JSON.stringify(w9Problems({ tin: '12345', legalName: '' }))).not.toContain('12345');
  });

  it('E&O: limit at least the minimum (configurable), not expired', () => {
    const ok = { carrierName: 'Markel', policyNumber: 'EO-1', perClaimLimit: 1_000_000, expiresOn: '2027-01-01' };
    expect(eoCoverageProblems(ok, TODAY, 1_000_000)).toEqual([]);
    expect(eoCoverageProblems({ ...ok, perClaimLimit: 999_999 }, TODAY, 1_000_000).map((p) => p.field)).toEqual(['input.perClaimLimit']);
    expect(eoCoverageProblems(ok, TODAY, 2_000_000).map((p) => p.field)).toEqual(['input.perClaimLimit']);
    expect(eoCoverageProblems({ ...ok, expiresOn: '2026-06-14' }, TODAY, 1_000_000).map((p) => p.field)).toEqual(['input.expiresOn']);
    expect(eoCoverageProblems({ ...ok, expiresOn: TODAY }, TODAY, 1_000_000)).toEqual([]);
  });

  it('days of signatures and certificates are not in the future', () => {
    expect(pastDayProblems('input.completedOn', '2026-06-16', TODAY)).toHaveLength(1);
    expect(pastDayProblems('input.completedOn', TODAY, TODAY)).toEqual([]);
  });
});
