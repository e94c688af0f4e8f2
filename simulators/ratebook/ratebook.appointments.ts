/**
 * The rate-book carrier's contracting endpoints, in its own short-code JSON:
 *   POST /appointments        {"appointmentRef": "...", "npn": "...", "state": "TX", "filing"?: "PRE"|"JIT",
 *                             "applicationDate"?: "YYYY-MM-DD"}; `appointmentRef` is the deduplication key:
 *                             200 {"accepted": true, "appointment": {...}} (a resend answers the same one)
 *                             or 400 for a bad body
 *   GET  /appointments?ids=a,b  the appointments asked for (the carrier's ids), unknown ones left out:
 *                             status RCVD | APPT (writingNo, effective) | DECL (reason) | TERM (terminated)
 */
import type { AppointmentBook, SimAppointmentStatus, StoredAppointment } from '../appointment-book';
import { json, type SimRequest, type SimResponse } from '../protocol';

export const APPOINTMENTS_PATH = '/appointments';
const MAX_IDS = 200;

export const APPOINTMENT_STATUS: Record<SimAppointmentStatus, string> = {
  RECEIVED: 'RCVD',
  ACTIVE: 'APPT',
  REJECTED: 'DECL',
  TERMINATED: 'TERM',
};

function appointmentJson(appointment: StoredAppointment) {
  return {
    id: appointment.carrierReference,
    ref: appointment.reference,
    npn: appointment.npn,
    state: appointment.state,
    status: APPOINTMENT_STATUS[appointment.status],
    writingNo: appointment.writingNumber,
    effective: appointment.effectiveOn,
    terminated: appointment.terminatedOn,
    reason: appointment.reason,
  };
}

export function fileAppointment(book: AppointmentBook, request: SimRequest): SimResponse {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(request.body) as Record<string, unknown>;
  } catch {
    return json(400, { error: 'invalid_json' });
  }
  const problems = [
    !(typeof body?.appointmentRef === 'string' && body.appointmentRef.length > 0 && body.appointmentRef.length <= 128) && 'appointmentRef',
    !(typeof body?.npn === 'string' && /^\d{1,10}$/.test(body.npn)) && 'npn',
    !(typeof body?.state === 'string' && /^[A-Z]{2}$/.test(body.state)) && 'state',
  ].filter(Boolean);
  if (problems.length) return json(400, { error: 'invalid_request', message: `invalid or missing: ${problems.join(', ')}` });
  const { appointment } = book.file({ reference: body.appointmentRef as string, npn: body.npn as string, state: body.state as string });
  return json(200, { accepted: true, appointment: appointmentJson(appointment) });
}

export function appointmentStatuses(book: AppointmentBook, request: SimRequest): SimResponse {
  const ids = (request.query.get('ids') ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  if (!ids.length || ids.length > MAX_IDS)
    return json(400, { error: 'invalid_request', message: `ids must list 1 to ${MAX_IDS} appointment ids` });
  const appointments = ids.map((id) => book.find(id)).filter((a) => a !== undefined);
  return json(200, { appointments: appointments.map(appointmentJson) });
}
