/**
 * docs/domain.md "Final expense": simplified issue, no exam. The plan follows from how severe the
 * health answers are; guaranteed issue asks no questions, so carriers hold it to a narrower band of
 * ages and faces.
 */
import type { FinalExpensePlanCode } from '../../shared/vocabulary';

/** How the simplified-issue health answers read: no condition, moderate, severe, or a knock-out answer. */
export type HealthSeverity = 'NONE' | 'MODERATE' | 'SEVERE' | 'KNOCK_OUT';

export const FINAL_EXPENSE_MIN_AGE = 45;
export const FINAL_EXPENSE_MAX_AGE = 85;
export const FINAL_EXPENSE_MIN_FACE = 5_000;
export const FINAL_EXPENSE_MAX_FACE = 50_000;
export const GUARANTEED_ISSUE_MIN_AGE = 50;
export const GUARANTEED_ISSUE_MAX_AGE = 80;
export const GUARANTEED_ISSUE_MAX_FACE = 25_000;

/** Guaranteed issue takes anyone in its band: 50-80 and at most $25,000. */
export function guaranteedIssueAllowed(issueAge: number, faceAmount: number): boolean {
  return issueAge >= GUARANTEED_ISSUE_MIN_AGE && issueAge <= GUARANTEED_ISSUE_MAX_AGE && faceAmount <= GUARANTEED_ISSUE_MAX_FACE;
}

/**
 * The plan a final expense applicant can have: NONE → LEVEL, MODERATE → GRADED, SEVERE → MODIFIED,
 * KNOCK_OUT → GUARANTEED_ISSUE within its band, else null (no final expense offer at all).
 * Without health answers the caller passes NONE: the plan is LEVEL.
 */
export function finalExpensePlan(severity: HealthSeverity, issueAge: number, faceAmount: number): FinalExpensePlanCode | null {
  switch (severity) {
    case 'NONE':
      return 'LEVEL';
    case 'MODERATE':
      return 'GRADED';
    case 'SEVERE':
      return 'MODIFIED';
    case 'KNOCK_OUT':
      return guaranteedIssueAllowed(issueAge, faceAmount) ? 'GUARANTEED_ISSUE' : null;
  }
}
