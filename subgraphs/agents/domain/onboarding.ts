/**
 * Onboarding (the contracting packet) as plain rules: which steps there are, which are required,
 * what each step's status is on a given day, what is missing, the agent's onboarding stage, when
 * the agent's standing changes, and what makes each step's input acceptable. No I/O: the
 * onboarding service reads and writes, these decide. See docs/domain.md, "Onboarding to ACTIVE".
 *
 * Problems are reported per field with a plain message that never repeats the value (a TIN, a bank
 * account or a routing number must not come back in an error).
 */

export const ONBOARDING_STEPS = Object.freeze([
  'BGA_AGREEMENT',
  'W9',
  'DIRECT_DEPOSIT',
  'EO_COVERAGE',
  'AML_TRAINING',
  'BACKGROUND_QUESTIONS',
] as const);
export type OnboardingStepCode = (typeof ONBOARDING_STEPS)[number];

export const ONBOARDING_STEP_STATUSES = Object.freeze([
  'NOT_STARTED',
  'AWAITING_SIGNATURE',
  'IN_REVIEW',
  'COMPLETE',
  'EXPIRED',
  'NOT_REQUIRED',
] as const);
export type OnboardingStepStatusCode = (typeof ONBOARDING_STEP_STATUSES)[number];

/** What a stored step row can hold: NOT_STARTED and NOT_REQUIRED are never stored, only derived. */
export type StoredStepStatus = 'COMPLETE' | 'IN_REVIEW' | 'EXPIRED' | 'AWAITING_SIGNATURE';

export const ONBOARDING_STAGES = Object.freeze(['NOT_STARTED', 'IN_PROGRESS', 'IN_REVIEW', 'COMPLETE', 'LAPSED'] as const);
export type OnboardingStageCode = (typeof ONBOARDING_STAGES)[number];

/** The version of the BGA agreement agents sign today (printed on it, recorded with each signature). */
export const BGA_AGREEMENT_VERSION = '2026-01';

/** The BGA's default minimum E&O limit per claim, in dollars (ONBOARDING_EO_MINIMUM_PER_CLAIM overrides it). */
export const DEFAULT_EO_MINIMUM_PER_CLAIM = 1_000_000;

/** The events' actor when the E&O lapse job suspends an agent; a later E&O record may reinstate only such a suspension. */
export const EO_LAPSE_ACTOR = 'system:eo-lapse';

/**
 * The steps an agent must complete before becoming ACTIVE. AML training is needed only by agents who
 * sell annuities; v1 sells none, so it is never required yet (recorded when given, shown as NOT_REQUIRED otherwise).
 */
export function requiredSteps(agent: { sellsAnnuities: boolean } = { sellsAnnuities: false }): OnboardingStepCode[] {
  return ONBOARDING_STEPS.filter((step) => step !== 'AML_TRAINING' || agent.sellsAnnuities);
}

/** One stored step, as far as the rules care. */
export interface StoredStep {
  step: OnboardingStepCode;
  status: StoredStepStatus;
  completedAt: string | null;
  /** E&O only: the coverage's last day (YYYY-MM-DD). */
  expiresOn?: string | null;
}

/** One step as shown: every step of the packet, stored or not. */
export interface StepView {
  step: OnboardingStepCode;
  status: OnboardingStepStatusCode;
  completedAt: string | null;
}

/**
 * Every step's status on `today`: stored rows as they are, except E&O whose coverage ended before
 * today (EXPIRED even before the lapse job has run); absent rows NOT_STARTED, or NOT_REQUIRED when optional.
 */
export function stepViews(stored: readonly StoredStep[], today: string, required = requiredSteps()): StepView[] {
  const byStep = new Map(stored.map((row) => [row.step, row]));
  return ONBOARDING_STEPS.map((step) => {
    const row = byStep.get(step);
    if (!row) return { step, status: required.includes(step) ? 'NOT_STARTED' : 'NOT_REQUIRED', completedAt: null };
    const lapsed = row.status === 'COMPLETE' && row.expiresOn != null && row.expiresOn < today;
    return { step, status: lapsed ? 'EXPIRED' : row.status, completedAt: row.completedAt };
  });
}

/** The required steps not COMPLETE, in the packet's order. */
export function missingSteps(views: readonly StepView[], required = requiredSteps()): OnboardingStepCode[] {
  return views.filter((view) => required.includes(view.step) && view.status !== 'COMPLETE').map((view) => view.step);
}

/** A summary of an agent's steps, enough to tell the stage (the metrics aggregate these in SQL). */
export interface StepSummary {
  /** Required steps COMPLETE and not lapsed. */
  requiredComplete: number;
  /** Any step recorded at all. */
  anyRecorded: boolean;
  /** A required step EXPIRED (E&O lapsed). */
  lapsed: boolean;
  /** The background questions wait for staff review. */
  inReview: boolean;
}

export function summarize(views: readonly StepView[], required = requiredSteps()): StepSummary {
  const ofRequired = views.filter((view) => required.includes(view.step));
  return {
    requiredComplete: ofRequired.filter((view) => view.status === 'COMPLETE').length,
    anyRecorded: views.some((view) => view.status !== 'NOT_STARTED' && view.status !== 'NOT_REQUIRED'),
    lapsed: ofRequired.some((view) => view.status === 'EXPIRED'),
    inReview: ofRequired.some((view) => view.status === 'IN_REVIEW'),
  };
}

/**
 * Where an agent is in onboarding: LAPSED (a required step expired: E&O) before anything else, then
 * COMPLETE, IN_REVIEW (waiting for staff), NOT_STARTED (nothing recorded) or IN_PROGRESS.
 */
export function onboardingStage(summary: StepSummary, requiredCount = requiredSteps().length): OnboardingStageCode {
  if (summary.lapsed) return 'LAPSED';
  if (summary.requiredComplete >= requiredCount) return 'COMPLETE';
  if (summary.inReview) return 'IN_REVIEW';
  if (!summary.anyRecorded) return 'NOT_STARTED';
  return 'IN_PROGRESS';
}

/**
 * The standing an agent moves to after a step is recorded, or null when it stays. PENDING becomes
 * ACTIVE once every required step is complete; SUSPENDED becomes ACTIVE again only when the E&O lapse
 * suspended it (another suspension is staff's to lift); ACTIVE and TERMINATED never change here.
 */
export function statusAfterStep(agent: { status: string; suspendedForEoLapse: boolean }, complete: boolean): 'ACTIVE' | null {
  if (!complete) return null;
  if (agent.status === 'PENDING') return 'ACTIVE';
  if (agent.status === 'SUSPENDED' && agent.suspendedForEoLapse) return 'ACTIVE';
  return null;
}

/** The standing after the E&O lapses: an ACTIVE agent is SUSPENDED; others keep theirs. */
export function statusAfterEoLapse(status: string): 'SUSPENDED' | null {
  return status === 'ACTIVE' ? 'SUSPENDED' : null;
}

/**
 * The background step's status after the agent answers: any "yes" needs staff review. Once in review
 * only an ADMIN's approval completes it: answering again with every "no" does not skip the review.
 */
export function backgroundStatusAfterAnswers(previous: StoredStepStatus | null, anyYes: boolean): 'COMPLETE' | 'IN_REVIEW' {
  if (anyYes || previous === 'IN_REVIEW') return 'IN_REVIEW';
  return 'COMPLETE';
}

/** A problem with one field of a step's input: the field's path and a message that never repeats the value. */
export interface InputProblem {
  field: string;
  message: string;
}

const digitsOf = (value: string) => value.replace(/[\s-]/g, '');

/** An ABA routing number: 9 digits whose weighted sum (3, 7, 1 repeating) is a multiple of 10. */
export function isRoutingNumber(value: string): boolean {
  const digits = digitsOf(value);
  if (!/^\d{9}$/.test(digits)) return false;
  const d = [...digits].map(Number);
  const sum = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8]);
  return sum % 10 === 0;
}

/** Normalized routing and account numbers (digits only). */
export function normalizeBankAccount(input: { routingNumber: string; accountNumber: string }) {
  return { routingNumber: digitsOf(input.routingNumber), accountNumber: digitsOf(input.accountNumber) };
}

export function directDepositProblems(input: { routingNumber: string; accountNumber: string }): InputProblem[] {
  const problems: InputProblem[] = [];
  if (!isRoutingNumber(input.routingNumber)) {
    problems.push({
      field: 'input.routingNumber',
      message: 'input.routingNumber must be a 9-digit ABA routing number with a valid check digit',
    });
  }
  if (!/^\d{4,17}$/.test(digitsOf(input.accountNumber))) {
    problems.push({ field: 'input.accountNumber', message: 'input.accountNumber must be 4 to 17 digits' });
  }
  return problems;
}

/** A taxpayer identification number (SSN or EIN): 9 digits, dashes allowed, not all zeros. */
export function w9Problems(input: { tin: string; legalName: string }): InputProblem[] {
  const problems: InputProblem[] = [];
  const digits = digitsOf(input.tin);
  if (!/^\d{9}$/.test(digits) || /^0+$/.test(digits))
    problems.push({ field: 'input.tin', message: 'input.tin must be 9 digits (SSN or EIN)' });
  if (!input.legalName.trim() || input.legalName.length > 200) {
    problems.push({ field: 'input.legalName', message: 'input.legalName must be 1 to 200 characters' });
  }
  return problems;
}

export const normalizeTin = (tin: string) => digitsOf(tin);

/** E&O coverage: a named carrier and policy, a limit per claim of at least the BGA's minimum, not expired today. */
export function eoCoverageProblems(
  input: { carrierName: string; policyNumber: string; perClaimLimit: number; expiresOn: string },
  today: string,
  minimumPerClaim: number,
): InputProblem[] {
  const problems: InputProblem[] = [];
  if (!input.carrierName.trim() || input.carrierName.length > 100) {
    problems.push({ field: 'input.carrierName', message: 'input.carrierName must be 1 to 100 characters' });
  }
  if (!/^[A-Za-z0-9-]{1,40}$/.test(input.policyNumber)) {
    problems.push({ field: 'input.policyNumber', message: 'input.policyNumber must be 1 to 40 letters, digits or dashes' });
  }
  if (!Number.isInteger(input.perClaimLimit) || input.perClaimLimit < minimumPerClaim) {
    problems.push({
      field: 'input.perClaimLimit',
      message: `input.perClaimLimit must be at least the BGA minimum of ${minimumPerClaim} dollars per claim`,
    });
  }
  if (input.expiresOn < today)
    problems.push({ field: 'input.expiresOn', message: 'input.expiresOn is in the past: the coverage has expired' });
  return problems;
}

/** A day given for a completed step (signature, training certificate): not in the future, not absurdly old. */
export function pastDayProblems(field: string, day: string, today: string): InputProblem[] {
  if (day > today) return [{ field, message: `${field} must not be in the future` }];
  if (day < '1970-01-01') return [{ field, message: `${field} must be on or after 1970-01-01` }];
  return [];
}

export const MAX_BACKGROUND_EXPLANATION = 2000;

/** The background questions: a "yes" must come with an explanation for the reviewer. */
export interface BackgroundAnswers {
  felony: boolean;
  regulatoryAction: boolean;
  bankruptcy: boolean;
  terminatedForCause: boolean;
  explanation?: string | null;
}

export const anyYes = (answers: BackgroundAnswers) =>
  answers.felony || answers.regulatoryAction || answers.bankruptcy || answers.terminatedForCause;

export function backgroundProblems(answers: BackgroundAnswers): InputProblem[] {
  const explanation = answers.explanation?.trim() ?? '';
  if ((answers.explanation?.length ?? 0) > MAX_BACKGROUND_EXPLANATION) {
    return [{ field: 'input.explanation', message: `input.explanation takes at most ${MAX_BACKGROUND_EXPLANATION} characters` }];
  }
  if (anyYes(answers) && !explanation) {
    return [{ field: 'input.explanation', message: 'input.explanation is required when any answer is yes' }];
  }
  return [];
}

/** The agreement's version, as printed on it (e.g. "2026-01"). */
export function agreementProblems(input: { agreementVersion: string }): InputProblem[] {
  return /^[A-Za-z0-9._-]{1,20}$/.test(input.agreementVersion)
    ? []
    : [{ field: 'input.agreementVersion', message: 'input.agreementVersion must be 1 to 20 letters, digits, dots, dashes or underscores' }];
}
