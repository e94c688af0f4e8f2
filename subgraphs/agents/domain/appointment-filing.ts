/**
 * The rules of filing appointments with carriers (docs/domain.md "Appointments filed with carriers"),
 * as plain functions: which filing a state takes, the just-in-time deadline, when a filing is late,
 * and what a carrier's report does to our appointment.
 */
import type { AgentEventTypeCode, AppointmentFilingCode, AppointmentStatusCode } from '../../shared/vocabulary';

/** A just-in-time appointment must reach the carrier within this many days of the application date. */
export const JIT_FILING_DAYS = 15;

/** Pre-appointment where the carrier's contracting data says so; just-in-time everywhere else. */
export function filingFor(state: string, preAppointmentStates: readonly string[]): AppointmentFilingCode {
  return preAppointmentStates.includes(state) ? 'PRE_APPOINTMENT' : 'JUST_IN_TIME';
}

/** YYYY-MM-DD plus whole days, by UTC calendar date. */
export function addDays(day: string, days: number): string {
  const at = Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) + days * 86_400_000;
  return new Date(at).toISOString().slice(0, 10);
}

/** The filing's dates: a just-in-time one is due JIT_FILING_DAYS after the application; a pre-appointment one has no deadline. */
export function filingDates(
  filing: AppointmentFilingCode,
  applicationOn: string,
): { applicationOn: string | null; filingDueOn: string | null } {
  return filing === 'JUST_IN_TIME'
    ? { applicationOn, filingDueOn: addDays(applicationOn, JIT_FILING_DAYS) }
    : { applicationOn: null, filingDueOn: null };
}

/** Late: a just-in-time filing the carrier had not received by its due date (the due day itself is still in time). */
export function filingLate(appointment: { filing: AppointmentFilingCode; filingDueOn: string | null }, receivedOn: string): boolean {
  return appointment.filing === 'JUST_IN_TIME' && appointment.filingDueOn !== null && receivedOn > appointment.filingDueOn;
}

/** What the carrier reports about a request (our vocabulary; null status: a code we do not map). */
export interface CarrierReport {
  status: 'SUBMITTED' | 'ACTIVE' | 'REJECTED' | 'TERMINATED' | null;
  writingNumber: string | null;
  effectiveOn: string | null;
  terminatedOn: string | null;
  reason: string | null;
}

/** A change to write: the new status, what it sets, and the event that records it. */
export interface AppointmentTransition {
  to: AppointmentStatusCode;
  event: AgentEventTypeCode;
  writingNumber?: string | null;
  effectiveOn?: string | null;
  terminatedOn?: string | null;
  rejectionReason?: string | null;
  /** The decision's time is now (ACTIVE or REJECTED). */
  decided: boolean;
}

/**
 * What a carrier's report does to an appointment we hold as `from` (SUBMITTED or ACTIVE): null when
 * nothing changes (still undecided, the same status, an unmapped code, or a move carriers do not
 * make, such as an ACTIVE appointment becoming undecided again).
 */
export function transitionFor(from: AppointmentStatusCode, report: CarrierReport, today: string): AppointmentTransition | null {
  if (report.status === null || report.status === from) return null;
  switch (report.status) {
    case 'ACTIVE':
      if (from !== 'SUBMITTED' && from !== 'REQUESTED') return null;
      return {
        to: 'ACTIVE',
        event: 'APPOINTMENT_ACTIVE',
        writingNumber: report.writingNumber,
        effectiveOn: report.effectiveOn ?? today,
        decided: true,
      };
    case 'REJECTED':
      if (from !== 'SUBMITTED' && from !== 'REQUESTED') return null;
      return {
        to: 'REJECTED',
        event: 'APPOINTMENT_REJECTED',
        rejectionReason: report.reason ?? 'rejected by the carrier without a reason',
        decided: true,
      };
    case 'TERMINATED':
      return { to: 'TERMINATED', event: 'APPOINTMENT_TERMINATED', terminatedOn: report.terminatedOn ?? today, decided: false };
    default:
      return null;
  }
}
