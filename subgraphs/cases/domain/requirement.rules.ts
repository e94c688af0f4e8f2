import type { RequirementCodeValue as RequirementCode } from '../../shared/vocabulary';

/**
 * Default follow-up, in days after ordering, by requirement code: when a case manager should chase
 * it. Quick database checks come back in hours, exams in days, an APS in weeks (docs/domain.md).
 */
export const FOLLOW_UP_DAYS: Readonly<Record<RequirementCode, number>> = {
  MIB: 2,
  RX_CHECK: 2,
  MVR: 3,
  HIPAA_AUTHORIZATION: 3,
  PHONE_INTERVIEW: 5,
  PARAMED_EXAM: 7,
  BLOOD_URINE: 10,
  INSPECTION_REPORT: 10,
  APS: 21,
  SIGNED_ILLUSTRATION: 14,
  DELIVERY_RECEIPT: 14,
  AMENDMENT: 14,
  GOOD_HEALTH_STATEMENT: 14,
  AGENT_REPORT: 3,
  COGNITIVE_SCREEN: 5,
  REPLACEMENT_FORM: 5,
  EKG: 7,
  FINANCIAL_QUESTIONNAIRE: 10,
  OTHER: 7,
};

/** The follow-up date (YYYY-MM-DD) of a requirement of `code` ordered at `orderedAt`. */
export function followUpOn(code: RequirementCode, orderedAt: string): string {
  const day = new Date(orderedAt);
  day.setUTCDate(day.getUTCDate() + FOLLOW_UP_DAYS[code]);
  return day.toISOString().slice(0, 10);
}
