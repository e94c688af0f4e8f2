/**
 * The vocabulary of the simulated REST carriers' API (snake_case strings, as such APIs publish
 * them). facultative_review is carrier-only: a BGA's adapter will not know it (financial_questionnaire
 * and replacement_form it maps since Quoting v2).
 */
import type { HealthClassCode, PaymentModeCode, ProductTypeCode } from '../../subgraphs/carriers/fixtures/carriers.fixture';
import type { SimCaseStatus, SimRequirementCode, SimRequirementStatus } from '../carrier-store';

export const RISK_CLASS: Record<HealthClassCode, string> = {
  PREFERRED_PLUS: 'preferred_best',
  PREFERRED: 'preferred',
  STANDARD_PLUS: 'standard_plus',
  STANDARD: 'standard',
};

export const APPLICATION_STATUS: Record<SimCaseStatus, string> = {
  SUBMITTED: 'received',
  IN_UNDERWRITING: 'in_underwriting',
  REQUIREMENTS_OUTSTANDING: 'awaiting_requirements',
  APPROVED: 'approved',
  APPROVED_OTHER_THAN_APPLIED: 'approved_modified',
  ISSUED: 'issued',
  DELIVERY_REQUIREMENTS: 'pending_delivery',
  PLACED: 'in_force',
  DECLINED: 'declined',
  POSTPONED: 'postponed',
  WITHDRAWN: 'withdrawn',
  INCOMPLETE: 'closed_incomplete',
  NOT_TAKEN: 'not_taken',
  REINSURANCE_REVIEW: 'facultative_review',
};

export const REQUIREMENT_TYPE: Record<SimRequirementCode, string> = {
  PARAMED_EXAM: 'paramed_exam',
  BLOOD_URINE: 'lab_specimens',
  APS: 'aps',
  MIB: 'mib',
  RX_CHECK: 'rx_history',
  MVR: 'mvr',
  INSPECTION_REPORT: 'inspection',
  PHONE_INTERVIEW: 'phone_interview',
  HIPAA_AUTHORIZATION: 'hipaa_authorization',
  SIGNED_ILLUSTRATION: 'signed_illustration',
  DELIVERY_RECEIPT: 'delivery_receipt',
  AMENDMENT: 'amendment',
  GOOD_HEALTH_STATEMENT: 'good_health_statement',
  EKG: 'ekg',
  FINANCIAL_QUESTIONNAIRE: 'financial_questionnaire',
  REPLACEMENT_FORM: 'replacement_form',
};

export const REQUIREMENT_STATE: Record<SimRequirementStatus, string> = {
  ORDERED: 'open',
  RECEIVED: 'received',
  WAIVED: 'waived',
  CANCELLED: 'cancelled',
};

export const BILLING_MODE: Record<PaymentModeCode, string> = {
  ANNUAL: 'annual',
  SEMI_ANNUAL: 'semiannual',
  QUARTERLY: 'quarterly',
  MONTHLY: 'monthly',
};

export const PRODUCT_CATEGORY: Record<ProductTypeCode, string> = {
  TERM: 'term',
  WHOLE_LIFE: 'whole_life',
  UNIVERSAL_LIFE: 'universal_life',
  INDEXED_UNIVERSAL_LIFE: 'indexed_ul',
  FINAL_EXPENSE: 'final_expense',
};

export function fromCode<K extends string>(table: Record<K, string>, code: unknown): K | undefined {
  return (Object.keys(table) as K[]).find((key) => table[key] === code);
}
