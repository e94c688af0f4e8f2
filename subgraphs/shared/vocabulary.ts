/**
 * The contract's code lists, defined once and free of any framework: domain modules, fixtures and
 * the seed use these, and enums.ts registers the same lists as GraphQL enums. Where the order is
 * meaningful (health classes, AM Best ratings: best first) it is the contract's order.
 */

export const STATE_CODES = Object.freeze([
  'AL',
  'AK',
  'AZ',
  'AR',
  'CA',
  'CO',
  'CT',
  'DE',
  'DC',
  'FL',
  'GA',
  'HI',
  'ID',
  'IL',
  'IN',
  'IA',
  'KS',
  'KY',
  'LA',
  'ME',
  'MD',
  'MA',
  'MI',
  'MN',
  'MS',
  'MO',
  'MT',
  'NE',
  'NV',
  'NH',
  'NJ',
  'NM',
  'NY',
  'NC',
  'ND',
  'OH',
  'OK',
  'OR',
  'PA',
  'RI',
  'SC',
  'SD',
  'TN',
  'TX',
  'UT',
  'VT',
  'VA',
  'WA',
  'WV',
  'WI',
  'WY',
] as const);
export type StateCode = (typeof STATE_CODES)[number];

export const GENDERS = Object.freeze(['MALE', 'FEMALE'] as const);
export type GenderCode = (typeof GENDERS)[number];

/** Best first. */
export const HEALTH_CLASSES = Object.freeze(['PREFERRED_PLUS', 'PREFERRED', 'STANDARD_PLUS', 'STANDARD'] as const);
export type HealthClassCode = (typeof HEALTH_CLASSES)[number];

export const PRODUCT_TYPES = Object.freeze(['TERM', 'UNIVERSAL_LIFE', 'INDEXED_UNIVERSAL_LIFE', 'WHOLE_LIFE', 'FINAL_EXPENSE'] as const);
export type ProductTypeCode = (typeof PRODUCT_TYPES)[number];

/** The ages a guaranteed universal life no-lapse guarantee can run to (Quoting v2). */
export const GUARANTEE_AGES = Object.freeze([90, 95, 100, 105, 121] as const);
export type GuaranteeAgeCode = (typeof GUARANTEE_AGES)[number];

/** How long whole life premiums are paid. */
export const PAY_PERIODS = Object.freeze(['LIFE', 'TEN_PAY', 'TWENTY_PAY', 'TO_AGE_65'] as const);
export type PayPeriodCode = (typeof PAY_PERIODS)[number];

/** Final expense plans, from the full benefit on day one to guaranteed issue. */
export const FINAL_EXPENSE_PLANS = Object.freeze(['LEVEL', 'GRADED', 'MODIFIED', 'GUARANTEED_ISSUE'] as const);
export type FinalExpensePlanCode = (typeof FINAL_EXPENSE_PLANS)[number];

/** Riders a quote may ask for. */
export const RIDER_TYPES = Object.freeze(['WAIVER_OF_PREMIUM', 'ACCIDENTAL_DEATH', 'CHILD_TERM', 'RETURN_OF_PREMIUM'] as const);
export type RiderTypeCode = (typeof RIDER_TYPES)[number];

export const PAYMENT_MODES = Object.freeze(['ANNUAL', 'SEMI_ANNUAL', 'QUARTERLY', 'MONTHLY'] as const);
export type PaymentModeCode = (typeof PAYMENT_MODES)[number];

export const AGE_BASES = Object.freeze(['NEAREST', 'LAST'] as const);
export type AgeBasisCode = (typeof AGE_BASES)[number];

/** Best first: the order is meaningful (minAmBestRating filters on it). */
export const AM_BEST_RATINGS = Object.freeze(['A_PLUS_PLUS', 'A_PLUS', 'A', 'A_MINUS', 'B_PLUS_PLUS', 'B_PLUS', 'B', 'B_MINUS'] as const);
export type AmBestCode = (typeof AM_BEST_RATINGS)[number];

export const LINES_OF_AUTHORITY = Object.freeze(['LIFE', 'HEALTH', 'ACCIDENT_HEALTH', 'VARIABLE_LIFE_ANNUITY', 'ANNUITY'] as const);
export type LineOfAuthorityCode = (typeof LINES_OF_AUTHORITY)[number];

export const AGENT_STATUSES = Object.freeze(['PENDING', 'ACTIVE', 'SUSPENDED', 'TERMINATED'] as const);
export type AgentStatusCode = (typeof AGENT_STATUSES)[number];

export const APPOINTMENT_STATUSES = Object.freeze(['REQUESTED', 'SUBMITTED', 'ACTIVE', 'REJECTED', 'TERMINATED'] as const);
export type AppointmentStatusCode = (typeof APPOINTMENT_STATUSES)[number];
/** The statuses of a live appointment: at most one per agent, carrier and state (a unique index holds it). */
export const LIVE_APPOINTMENT_STATUSES = Object.freeze(['REQUESTED', 'SUBMITTED', 'ACTIVE'] as const);
export const LIVE_APPOINTMENT_STATUSES_SQL = `(${LIVE_APPOINTMENT_STATUSES.map((s) => `'${s}'`).join(', ')})`;
export function isLiveAppointment(status: AppointmentStatusCode): boolean {
  return (LIVE_APPOINTMENT_STATUSES as readonly string[]).includes(status);
}

/** How an appointment is filed: before any application (pre-appointment state) or with the first one (just-in-time state). */
export const APPOINTMENT_FILINGS = Object.freeze(['PRE_APPOINTMENT', 'JUST_IN_TIME'] as const);
export type AppointmentFilingCode = (typeof APPOINTMENT_FILINGS)[number];

/** What happened to an agent: agents.agent_event.type. Append-only history, like a case's events. */
export const AGENT_EVENT_TYPES = Object.freeze([
  'CREATED',
  'STATUS_CHANGED',
  'ONBOARDING_STEP_COMPLETED',
  'ONBOARDING_STEP_REOPENED',
  'LICENSE_ADDED',
  'LICENSE_CHANGED',
  'LICENSE_REMOVED',
  'LICENSING_DISCREPANCY',
  'APPOINTMENT_REQUESTED',
  'APPOINTMENT_SUBMITTED',
  'APPOINTMENT_ACTIVE',
  'APPOINTMENT_REJECTED',
  'APPOINTMENT_TERMINATED',
  'CONTRACT_LEVEL_SET',
  'UPLINE_CHANGED',
  'APPOINTMENT_FILING_LATE',
] as const);
export type AgentEventTypeCode = (typeof AGENT_EVENT_TYPES)[number];

export const CASE_STATUSES = Object.freeze([
  'SUBMITTED',
  'IN_UNDERWRITING',
  'REQUIREMENTS_OUTSTANDING',
  'APPROVED',
  'APPROVED_OTHER_THAN_APPLIED',
  'ISSUED',
  'DELIVERY_REQUIREMENTS',
  'PLACED',
  'DECLINED',
  'POSTPONED',
  'WITHDRAWN',
  'INCOMPLETE',
  'NOT_TAKEN',
] as const);
export type CaseStatusCode = (typeof CASE_STATUSES)[number];

export const REQUIREMENT_CODES = Object.freeze([
  'PARAMED_EXAM',
  'BLOOD_URINE',
  'APS',
  'MIB',
  'RX_CHECK',
  'MVR',
  'INSPECTION_REPORT',
  'PHONE_INTERVIEW',
  'HIPAA_AUTHORIZATION',
  'SIGNED_ILLUSTRATION',
  'DELIVERY_RECEIPT',
  'AMENDMENT',
  'GOOD_HEALTH_STATEMENT',
  'EKG',
  'FINANCIAL_QUESTIONNAIRE',
  'COGNITIVE_SCREEN',
  'REPLACEMENT_FORM',
  'AGENT_REPORT',
  // A requirement a carrier added that none of our codes names: its own row, with the carrier's text.
  'OTHER',
] as const);
export type RequirementCodeValue = (typeof REQUIREMENT_CODES)[number];

export const REQUIREMENT_STATUSES = Object.freeze(['ORDERED', 'RECEIVED', 'WAIVED', 'CANCELLED'] as const);
export type RequirementStatusCode = (typeof REQUIREMENT_STATUSES)[number];

/** How a lapse inside the chargeback period is charged back: all of the commission, or the unearned months' share. */
export const LAPSE_CHARGEBACKS = Object.freeze(['FULL', 'PRO_RATA'] as const);
export type LapseChargebackCode = (typeof LAPSE_CHARGEBACKS)[number];
/** Who a commission line pays: the writing agent, an upline's override, the BGA's own share. */
export const COMMISSION_ROLES = Object.freeze(['WRITING', 'OVERRIDE', 'BGA'] as const);
export type CommissionRoleCode = (typeof COMMISSION_ROLES)[number];

/** What a commission line is for (cases.commission.transaction). */
export const COMMISSION_TRANSACTIONS = Object.freeze(['FIRST_YEAR', 'RENEWAL', 'CHARGEBACK', 'ADJUSTMENT'] as const);
export type CommissionTransactionCode = (typeof COMMISSION_TRANSACTIONS)[number];
