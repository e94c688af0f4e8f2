/**
 * The REST carrier's contracting endpoints (JSON, bearer token like every /v1 call):
 *   POST /v1/appointments         {"npn": "...", "state": "TX", "filing"?: "PRE_APPOINTMENT"|"JUST_IN_TIME",
 *                                 "applicationDate"?: "YYYY-MM-DD"}; Idempotency-Key required (our appointment
 *                                 id): 202 {"appointmentId", "status": "PENDING_REVIEW", ...}; a resend replays
 *                                 the same appointment (Idempotent-Replayed: true); 400 for a bad body
 *   GET  /v1/appointments/:id     200 the appointment: status PENDING_REVIEW | APPOINTED (writingNumber,
 *                                 effectiveDate) | DECLINED (declineReason) | TERMINATED (terminationDate); 404 unknown
 */
import type { AppointmentBook, SimAppointmentStatus, StoredAppointment } from '../appointment-book';
import { json, type SimRequest, type SimResponse } from '../protocol';

export const APPOINTMENTS_PATH = '/v1/appointments';
export const APPOINTMENT_PATH = /^\/v1\/appointments\/([^/]+)$/;

/** The carrier's own words for an appointment's status. */
export const APPOINTMENT_STATUS: Record<SimAppointmentStatus, string> = {
  RECEIVED: 'PENDING_REVIEW',
  ACTIVE: 'APPOINTED',
  REJECTED: 'DECLINED',
  TERMINATED: 'TERMINATED',
};

export function appointmentJson(appointment: StoredAppointment) {
  return {
    appointmentId: appointment.carrierReference,
    npn: appointment.npn,
    state: appointment.state,
    status: APPOINTMENT_STATUS[appointment.status],
    writingNumber: appointment.writingNumber,
    effectiveDate: appointment.effectiveOn,
    terminationDate: appointment.terminatedOn,
    declineReason: appointment.status === 'REJECTED' ? appointment.reason : null,
    receivedAt: new Date(appointment.receivedAt).toISOString(),
  };
}

const invalid = (message: string) => json(400, { error: 'invalid_request', message });

export function fileAppointment(book: AppointmentBook, request: SimRequest): SimResponse {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string' || !key.trim() || key.length > 255)
    return invalid('an Idempotency-Key header (1 to 255 characters) is required');
  let body: Record<string, unknown> | null = null;
  try {
    const parsed: unknown = JSON.parse(request.body);
    body = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    body = null;
  }
  const problems = [
    !(typeof body?.npn === 'string' && /^\d{1,10}$/.test(body.npn)) && 'npn',
    !(typeof body?.state === 'string' && /^[A-Z]{2}$/.test(body.state)) && 'state',
    body?.applicationDate !== undefined &&
      body?.applicationDate !== null &&
      !(typeof body?.applicationDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(body.applicationDate)) &&
      'applicationDate',
  ].filter(Boolean);
  if (!body || problems.length) return invalid(`invalid or missing: ${problems.join(', ') || 'body'}`);
  const { appointment, replayed } = book.file({ reference: key, npn: body.npn as string, state: body.state as string });
  return json(202, appointmentJson(appointment), replayed ? { 'idempotent-replayed': 'true' } : {});
}

export function appointmentStatus(book: AppointmentBook, request: SimRequest): SimResponse {
  const id = decodeURIComponent(APPOINTMENT_PATH.exec(request.path)![1]);
  const appointment = book.find(id);
  return appointment ? json(200, appointmentJson(appointment)) : json(404, { error: 'not_found', message: `no appointment ${id}` });
}
