import { type AgentStatusCode, type AppointmentStatusCode, isLiveAppointment, type LineOfAuthorityCode } from '../../shared/vocabulary';

/** Why an agent may not write a carrier's business in a state: every rule eligibility() checks. */
export type EligibilityReason =
  | 'AGENT_NOT_ACTIVE'
  | 'NOT_LICENSED_IN_STATE'
  | 'LICENSE_EXPIRED'
  | 'NO_LIFE_AUTHORITY'
  | 'NOT_APPOINTED'
  | 'EO_EXPIRED'
  | 'APPOINTMENT_REJECTED';

export interface EligibilityInput {
  agent: { status: AgentStatusCode; residentState: string; eoExpiresOn: string | null };
  licenses: readonly {
    state: string;
    resident: boolean;
    linesOfAuthority: readonly LineOfAuthorityCode[];
    effectiveOn: string;
    expiresOn: string;
    revoked: boolean;
  }[];
  /** In request order (oldest first) unless `requestedAt` says otherwise. */
  appointments: readonly { carrierId: string; state: string; status: AppointmentStatusCode; requestedAt?: string }[];
  carrierId: string;
  state: string;
  /** The carrier's pre-appointment states: elsewhere the appointment is just-in-time. */
  preAppointmentStates: readonly string[];
  /** YYYY-MM-DD, the UTC date the answer is for. */
  today: string;
}

export interface EligibilityResult {
  eligible: boolean;
  reasons: EligibilityReason[];
  appointmentWillBeRequested: boolean;
}

/** Effective on or before today, not yet expired, not revoked. Dates compare as YYYY-MM-DD strings. */
export function licenseActive(license: { effectiveOn: string; expiresOn: string; revoked: boolean }, today: string): boolean {
  return !license.revoked && license.effectiveOn <= today && today <= license.expiresOn;
}

/**
 * The licensing and contracting rules as one pure function: may this agent write this carrier's
 * business for an insured in this state on this day? No I/O: the caller loads the rows.
 */
export function eligibility(input: EligibilityInput): EligibilityResult {
  const reasons: EligibilityReason[] = [];
  const { agent, state, today } = input;
  if (agent.status !== 'ACTIVE') reasons.push('AGENT_NOT_ACTIVE');

  // A resident license in the home state, a non-resident license elsewhere.
  const licenses = input.licenses.filter((l) => l.state === state && l.resident === (state === agent.residentState));
  const active = licenses.filter((l) => licenseActive(l, today));
  if (licenses.length === 0) reasons.push('NOT_LICENSED_IN_STATE');
  else if (active.length === 0) reasons.push('LICENSE_EXPIRED');
  else if (!active.some((l) => l.linesOfAuthority.includes('LIFE'))) reasons.push('NO_LIFE_AUTHORITY');

  if (agent.eoExpiresOn === null || agent.eoExpiresOn < today) reasons.push('EO_EXPIRED');

  const here = input.appointments.filter((a) => a.carrierId === input.carrierId && a.state === state);
  const live = here.filter((a) => isLiveAppointment(a.status));
  const preAppointment = input.preAppointmentStates.includes(state);
  // Pre-appointment: only an ACTIVE appointment will do (a rejected one is not live: still NOT_APPOINTED).
  if (preAppointment && !live.some((a) => a.status === 'ACTIVE')) reasons.push('NOT_APPOINTED');
  // Just-in-time: the carrier's last word was a rejection, and nobody has asked again since.
  if (!preAppointment && live.length === 0 && latest(here)?.status === 'REJECTED') reasons.push('APPOINTMENT_REJECTED');

  const eligible = reasons.length === 0;
  return { eligible, reasons, appointmentWillBeRequested: eligible && !preAppointment && live.length === 0 };
}

/** The most recently requested appointment (the last in the list when they carry no request time). */
function latest<T extends { requestedAt?: string }>(appointments: readonly T[]): T | undefined {
  let found: T | undefined;
  for (const appointment of appointments) if (!found || (appointment.requestedAt ?? '') >= (found.requestedAt ?? '')) found = appointment;
  return found;
}
