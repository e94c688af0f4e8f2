/**
 * Producer appointments in the REST carriers' JSON (the adapter's own reading of their guide):
 * POST /v1/appointments (Idempotency-Key: our appointment id) answers 202 with the appointment
 * received; GET /v1/appointments/:id reports it. Statuses: PENDING_REVIEW, APPOINTED, DECLINED, TERMINATED.
 */
import { CarrierFailure } from '../../domain/carrier-failure';
import type { AppointmentFilingResult, AppointmentRequest, CarrierAppointmentStatus } from '../carrier-adapter.port';
import { type JsonAppointmentDialect, jsonAppointmentStatus, textOrNull } from '../json-appointment';

const DIALECT: JsonAppointmentDialect = {
  fields: {
    id: 'appointmentId',
    writingNumber: 'writingNumber',
    effectiveOn: 'effectiveDate',
    terminatedOn: 'terminationDate',
    reason: 'declineReason',
  },
  statuses: {
    PENDING_REVIEW: 'SUBMITTED',
    APPOINTED: 'ACTIVE',
    DECLINED: 'REJECTED',
    TERMINATED: 'TERMINATED',
  },
};

export function appointmentBody(request: AppointmentRequest) {
  return {
    npn: request.npn,
    state: request.state,
    filing: request.filing,
    ...(request.applicationOn ? { applicationDate: request.applicationOn } : {}),
  };
}

/** The 202 of a filing (a 400 is the carrier refusing it, with its message). */
export function appointmentFilingFrom(status: number, body: unknown): AppointmentFilingResult {
  const json = body as { appointmentId?: unknown; message?: unknown } | null;
  if (status === 400 || status === 422) return { received: false, message: textOrNull(json?.message) ?? `refused (HTTP ${status})` };
  const carrierReference = textOrNull(json?.appointmentId);
  if (!carrierReference) throw new CarrierFailure('CARRIER.MALFORMED', 'unreadable carrier response: an appointment without appointmentId');
  return { received: true, carrierReference };
}

export function appointmentStatusFrom(body: unknown, report: (field: string, code: string) => void): CarrierAppointmentStatus {
  return jsonAppointmentStatus(DIALECT, body, report);
}
