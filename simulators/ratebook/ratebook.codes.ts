/**
 * The short codes the simulated rate-book carriers use in their submission and status API. Rate
 * books themselves use the class names of the CSV (PREFERRED_PLUS ...). REIN is a carrier-only code
 * an adapter will not know (FINQ and REPL it maps since Quoting v2).
 */
import type { PaymentModeCode } from '../../subgraphs/carriers/fixtures/carriers.fixture';
import type { SimCaseStatus, SimRequirementCode, SimRequirementStatus } from '../carrier-store';

export const SUBMISSION_STATUS: Record<SimCaseStatus, string> = {
  SUBMITTED: 'RCVD',
  IN_UNDERWRITING: 'UW',
  REQUIREMENTS_OUTSTANDING: 'REQ',
  APPROVED: 'APPR',
  APPROVED_OTHER_THAN_APPLIED: 'APMD',
  ISSUED: 'ISSD',
  DELIVERY_REQUIREMENTS: 'DLVR',
  PLACED: 'INFC',
  DECLINED: 'DECL',
  POSTPONED: 'POST',
  WITHDRAWN: 'WDRN',
  INCOMPLETE: 'INCP',
  NOT_TAKEN: 'NTKN',
  REINSURANCE_REVIEW: 'REIN',
};

export const REQUIREMENT: Record<SimRequirementCode, string> = {
  PARAMED_EXAM: 'EXAM',
  BLOOD_URINE: 'LABS',
  APS: 'APS',
  MIB: 'MIB',
  RX_CHECK: 'RX',
  MVR: 'MVR',
  INSPECTION_REPORT: 'INSP',
  PHONE_INTERVIEW: 'PHI',
  HIPAA_AUTHORIZATION: 'HIPAA',
  SIGNED_ILLUSTRATION: 'ILLUS',
  DELIVERY_RECEIPT: 'DREC',
  AMENDMENT: 'AMND',
  GOOD_HEALTH_STATEMENT: 'GHS',
  EKG: 'EKG',
  FINANCIAL_QUESTIONNAIRE: 'FINQ',
  REPLACEMENT_FORM: 'REPL',
};

export const REQUIREMENT_STATUS: Record<SimRequirementStatus, string> = { ORDERED: 'O', RECEIVED: 'R', WAIVED: 'W', CANCELLED: 'C' };

export const PAYMENT_MODE: Record<PaymentModeCode, string> = { ANNUAL: 'A', SEMI_ANNUAL: 'S', QUARTERLY: 'Q', MONTHLY: 'M' };
