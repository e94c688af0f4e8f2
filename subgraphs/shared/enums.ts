import { registerEnumType } from 'type-graphql';
import {
  AGE_BASES,
  AGENT_STATUSES,
  AM_BEST_RATINGS,
  AGENT_EVENT_TYPES,
  APPOINTMENT_FILINGS,
  APPOINTMENT_STATUSES,
  CASE_STATUSES,
  COMMISSION_ROLES,
  COMMISSION_TRANSACTIONS,
  FINAL_EXPENSE_PLANS,
  GENDERS,
  LAPSE_CHARGEBACKS,
  HEALTH_CLASSES,
  LINES_OF_AUTHORITY,
  PAYMENT_MODES,
  PAY_PERIODS,
  PRODUCT_TYPES,
  REQUIREMENT_CODES,
  REQUIREMENT_STATUSES,
  RIDER_TYPES,
  STATE_CODES,
  type StateCode,
} from './vocabulary';

/**
 * The contract's enums, registered once for every subgraph: federation composes an enum only when the
 * subgraphs that share it agree on its values, and front ends read these descriptions. The values
 * are vocabulary.ts's code lists (framework-free, for domain modules); only descriptions live here.
 */
export function register<T extends Record<string, string>>(
  values: T,
  name: string,
  description: string,
  valueDescriptions: Record<keyof T, string>,
): T {
  registerEnumType(values, {
    name,
    description,
    valuesConfig: Object.fromEntries(Object.entries(valueDescriptions).map(([key, text]) => [key, { description: text }])) as never,
  });
  return values;
}

export const enumOf = <K extends string>(keys: readonly K[]) =>
  Object.freeze(Object.fromEntries(keys.map((k) => [k, k]))) as { readonly [P in K]: P };

export { STATE_CODES };
export type { StateCode };
export const State = register(
  enumOf(STATE_CODES),
  'State',
  'A US state or the District of Columbia, by its USPS code.',
  Object.fromEntries(STATE_CODES.map((code) => [code, `USPS code ${code}.`])) as Record<StateCode, string>,
);

export const Gender = register(enumOf(GENDERS), 'Gender', "The insured's gender as rated by carriers.", {
  MALE: 'Rated as male.',
  FEMALE: 'Rated as female.',
});
export type Gender = keyof typeof Gender;

export const HealthClass = register(
  enumOf(HEALTH_CLASSES),
  'HealthClass',
  'Underwriting health class, best first. Each carrier has its own name for each (Quote.carrierClassName).',
  {
    PREFERRED_PLUS: 'The best class: excellent health and family history.',
    PREFERRED: 'Very good health.',
    STANDARD_PLUS: 'Good health with minor issues.',
    STANDARD: 'Average health.',
  },
);
export type HealthClass = keyof typeof HealthClass;

export const ProductType = register(
  enumOf(PRODUCT_TYPES),
  'ProductType',
  'Kind of life insurance product. Every type is quoted but INDEXED_UNIVERSAL_LIFE, which needs an illustration.',
  {
    TERM: 'Level-premium term life for a fixed period.',
    UNIVERSAL_LIFE: 'Permanent life; quoted as guaranteed universal life: the level premium that keeps a no-lapse guarantee to an age.',
    INDEXED_UNIVERSAL_LIFE: 'Universal life with index-linked crediting. Not quoted: it needs an illustration.',
    WHOLE_LIFE: 'Fixed-premium permanent life with cash value.',
    FINAL_EXPENSE: 'Small simplified-issue whole life for burial costs.',
  },
);
export type ProductType = keyof typeof ProductType;

export const PaymentMode = register(enumOf(PAYMENT_MODES), 'PaymentMode', 'How often the premium is paid.', {
  ANNUAL: 'Once a year.',
  SEMI_ANNUAL: 'Twice a year.',
  QUARTERLY: 'Four times a year.',
  MONTHLY: 'Twelve times a year (usually bank draft).',
});
export type PaymentMode = keyof typeof PaymentMode;

export const AgeBasis = register(enumOf(AGE_BASES), 'AgeBasis', 'How a carrier computes issue age.', {
  NEAREST: 'Age nearest birthday: one more than the completed years from the half-birthday on.',
  LAST: 'Age last birthday: completed years.',
});
export type AgeBasis = keyof typeof AgeBasis;

export const LineOfAuthority = register(enumOf(LINES_OF_AUTHORITY), 'LineOfAuthority', 'A line of business a license authorizes.', {
  LIFE: 'Life insurance: required to write any case here.',
  HEALTH: 'Health insurance.',
  ACCIDENT_HEALTH: 'Accident and health insurance.',
  VARIABLE_LIFE_ANNUITY: 'Variable life and variable annuities (securities-registered).',
  ANNUITY: "Fixed annuities (the producer database's ANNUITY line).",
});
export type LineOfAuthority = keyof typeof LineOfAuthority;

export const AgentStatus = register(enumOf(AGENT_STATUSES), 'AgentStatus', "An agent's standing with the BGA.", {
  PENDING: 'Contracting in progress: cannot write business yet.',
  ACTIVE: 'May write business.',
  SUSPENDED: 'Temporarily barred from writing business.',
  TERMINATED: 'No longer contracted with the BGA.',
});
export type AgentStatus = keyof typeof AgentStatus;

export const AppointmentStatus = register(enumOf(APPOINTMENT_STATUSES), 'AppointmentStatus', 'State of a carrier appointment.', {
  REQUESTED: 'Asked for by the BGA (contracting or a case submission), not yet received by the carrier.',
  SUBMITTED: 'Received by the carrier, awaiting its decision.',
  ACTIVE: 'The carrier has appointed the agent in the state.',
  REJECTED: 'The carrier refused the appointment (see rejectionReason); a new request may follow.',
  TERMINATED: 'The appointment has ended.',
});
export type AppointmentStatus = keyof typeof AppointmentStatus;

export const AppointmentFiling = register(
  enumOf(APPOINTMENT_FILINGS),
  'AppointmentFiling',
  'When an appointment is filed with the carrier.',
  {
    PRE_APPOINTMENT: "Before any application: the carrier's state requires the appointment first.",
    JUST_IN_TIME: 'With the first application: the carrier must receive the filing within 15 days of the application date.',
  },
);
export type AppointmentFiling = keyof typeof AppointmentFiling;

export const AgentEventType = register(enumOf(AGENT_EVENT_TYPES), 'AgentEventType', 'What happened to an agent.', {
  CREATED: 'The agent was added (PENDING).',
  STATUS_CHANGED: 'The standing changed (e.g. PENDING to ACTIVE when onboarding completes, ACTIVE to SUSPENDED when E&O lapses).',
  ONBOARDING_STEP_COMPLETED: 'A contracting step was completed.',
  ONBOARDING_STEP_REOPENED: 'A completed contracting step needs doing again (e.g. E&O expired, a background answer needs review).',
  LICENSE_ADDED: 'The producer database shows a license we did not have.',
  LICENSE_CHANGED: "The producer database changed a license's dates, status or lines of authority.",
  LICENSE_REMOVED: 'The producer database no longer shows a license we had.',
  LICENSING_DISCREPANCY: 'Our records and the producer database disagree in a way staff must look at.',
  APPOINTMENT_REQUESTED: 'An appointment was requested.',
  APPOINTMENT_SUBMITTED: 'The carrier received the appointment request.',
  APPOINTMENT_ACTIVE: 'The carrier appointed the agent.',
  APPOINTMENT_REJECTED: 'The carrier refused the appointment.',
  APPOINTMENT_TERMINATED: 'The appointment ended.',
  CONTRACT_LEVEL_SET: "The agent's contract level with a carrier was set or changed.",
  UPLINE_CHANGED: 'The agent moved under another upline (dated).',
  APPOINTMENT_FILING_LATE:
    'A just-in-time appointment was not yet filed with the carrier when its 15-day deadline (from the application date) passed.',
});
export type AgentEventType = keyof typeof AgentEventType;

export const AmBestRating = register(
  enumOf(AM_BEST_RATINGS),
  'AmBestRating',
  'AM Best financial strength rating, best first: the order is meaningful (minAmBestRating filters on it).',
  {
    A_PLUS_PLUS: 'A++ (Superior).',
    A_PLUS: 'A+ (Superior).',
    A: 'A (Excellent).',
    A_MINUS: 'A- (Excellent).',
    B_PLUS_PLUS: 'B++ (Good).',
    B_PLUS: 'B+ (Good).',
    B: 'B (Fair).',
    B_MINUS: 'B- (Fair).',
  },
);
export type AmBestRating = keyof typeof AmBestRating;

export { CASE_STATUSES };
export const CaseStatus = register(
  enumOf(CASE_STATUSES),
  'CaseStatus',
  'Where a new-business case stands. Closed: PLACED, DECLINED, POSTPONED, WITHDRAWN, INCOMPLETE, NOT_TAKEN.',
  {
    SUBMITTED: 'Application received by the BGA.',
    IN_UNDERWRITING: 'The carrier is underwriting the application.',
    REQUIREMENTS_OUTSTANDING: 'Underwriting waits on requirements (exam, APS, ...).',
    APPROVED: 'Approved as applied.',
    APPROVED_OTHER_THAN_APPLIED: 'Approved at another class or amount (a counter offer).',
    ISSUED: 'The policy is issued; carries the policy number.',
    DELIVERY_REQUIREMENTS: 'Issued; waiting on delivery requirements before placement.',
    PLACED: 'Delivered and paid: in force (closed).',
    DECLINED: 'The carrier declined (closed).',
    POSTPONED: 'The carrier postponed the decision (closed).',
    WITHDRAWN: 'Withdrawn by the client or the agent (closed).',
    INCOMPLETE: 'Closed for missing information, or rejected by the carrier at submission.',
    NOT_TAKEN: 'Approved or issued but the client did not accept or pay (closed).',
  },
);
export type CaseStatus = (typeof CASE_STATUSES)[number];

export { REQUIREMENT_CODES };
export const RequirementCode = register(enumOf(REQUIREMENT_CODES), 'RequirementCode', 'An underwriting or delivery requirement.', {
  PARAMED_EXAM: 'Paramedical exam (days).',
  BLOOD_URINE: 'Blood and urine specimens (days).',
  APS: "Attending physician's statement (2-6 weeks; the usual bottleneck).",
  MIB: 'MIB check (minutes to hours).',
  RX_CHECK: 'Prescription history check (minutes to hours).',
  MVR: 'Motor vehicle report (minutes to hours).',
  INSPECTION_REPORT: 'Third-party inspection report.',
  PHONE_INTERVIEW: 'Personal history phone interview.',
  HIPAA_AUTHORIZATION: 'HIPAA authorization, signed with the application.',
  SIGNED_ILLUSTRATION: 'Signed illustration (delivery requirement).',
  DELIVERY_RECEIPT: 'Policy delivery receipt (delivery requirement).',
  AMENDMENT: 'Signed amendment to the application (delivery requirement).',
  GOOD_HEALTH_STATEMENT: 'Statement of continued good health (delivery requirement).',
  EKG: 'Resting electrocardiogram, taken at the paramedical exam (days); older insureds at large amounts.',
  FINANCIAL_QUESTIONNAIRE: "Financial questionnaire justifying a large face amount against the insured's income and net worth.",
  COGNITIVE_SCREEN: 'Cognitive screening (a short recall test, usually by phone) for older insureds.',
  REPLACEMENT_FORM: "The carrier's replacement form, when an existing policy will be replaced.",
  AGENT_REPORT: "The writing agent's report on the insured and the sale, signed with the application.",
  OTHER: "A requirement the carrier added that none of these codes names; Requirement.description carries the carrier's text.",
});
export type RequirementCode = (typeof REQUIREMENT_CODES)[number];

export const RequirementStatus = register(enumOf(REQUIREMENT_STATUSES), 'RequirementStatus', 'Where a requirement stands.', {
  ORDERED: 'Ordered and outstanding.',
  RECEIVED: 'Received.',
  WAIVED: 'Waived, with a reason.',
  CANCELLED: 'No longer needed.',
});
export type RequirementStatus = keyof typeof RequirementStatus;

export const PayPeriod = register(enumOf(PAY_PERIODS), 'PayPeriod', 'How long whole life premiums are paid.', {
  LIFE: 'For life.',
  TEN_PAY: 'For 10 years, then paid up.',
  TWENTY_PAY: 'For 20 years, then paid up.',
  TO_AGE_65: 'Until age 65, then paid up (issue ages up to 55).',
});
export type PayPeriod = keyof typeof PayPeriod;

export const FinalExpensePlan = register(
  enumOf(FINAL_EXPENSE_PLANS),
  'FinalExpensePlan',
  'A final expense plan, chosen from the simplified-issue health answers.',
  {
    LEVEL: 'The full benefit from day one: every knock-out question answered no.',
    GRADED: 'Part of the benefit in the first two years (for example 30% in year 1, 70% in year 2), full after: moderate conditions.',
    MODIFIED: 'Return of premium plus 10% in the first two years, full after: severe conditions.',
    GUARANTEED_ISSUE: 'No health questions: ages 50-80, up to $25,000, return of premium plus 10% in the first two years.',
  },
);
export type FinalExpensePlan = keyof typeof FinalExpensePlan;

export const RiderType = register(enumOf(RIDER_TYPES), 'RiderType', 'A rider a quote may add to the policy.', {
  WAIVER_OF_PREMIUM:
    'Waives the premium on disability: a percent of the base premium by issue age (issue ages 18-55 at most carriers). No amount.',
  ACCIDENTAL_DEATH:
    'Pays its amount on accidental death: a rate per $1,000 of it. Amount in whole thousands, at most the face and $250,000.',
  CHILD_TERM: 'Term cover on every child: a price per $1,000 unit. Amount 1 to 25 units of $1,000.',
  RETURN_OF_PREMIUM: 'Returns the premiums at the end of a term: a multiple of the base premium by age and term. Term only. No amount.',
});
export type RiderType = keyof typeof RiderType;

export const LapseChargeback = register(
  enumOf(LAPSE_CHARGEBACKS),
  'LapseChargeback',
  "How a policy lapsing inside the schedule's chargeback period takes commission back (a not-taken policy always takes back all of it).",
  {
    FULL: 'All of the first-year commission is charged back.',
    PRO_RATA: "The unearned months' share is charged back: a lapse after 4 paid months of 12 takes back 8/12.",
  },
);
export type LapseChargeback = keyof typeof LapseChargeback;
export const CommissionRole = register(enumOf(COMMISSION_ROLES), 'CommissionRole', 'Who a commission line pays.', {
  WRITING: "The writing agent: their level's rate on their split of the premium.",
  OVERRIDE: 'An upline (agency or agent): the difference between its level and the level below it, on each writing split under it.',
  BGA: "The BGA's own share: the difference between the BGA's level and the top agency's.",
});
export type CommissionRole = keyof typeof CommissionRole;

export const CommissionTransaction = register(enumOf(COMMISSION_TRANSACTIONS), 'CommissionTransaction', 'What a commission line is for.', {
  FIRST_YEAR: 'First-year commission, computed when the case is placed.',
  RENEWAL: 'Renewal commission (policy years 2 onwards).',
  CHARGEBACK: 'Commission taken back (negative): not taken after placement, or a lapse within the chargeback period.',
  ADJUSTMENT: 'A correction booked by hand.',
});
export type CommissionTransaction = keyof typeof CommissionTransaction;
