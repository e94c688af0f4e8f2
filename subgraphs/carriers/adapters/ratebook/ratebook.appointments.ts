/**
 * Producer appointments in the rate-book carriers' short-code JSON (the adapter's own reading of
 * their guide): POST /appointments with `appointmentRef` (our appointment id, the deduplication key),
 * GET /appointments?ids=a,b. Statuses: RCVD received, APPT appointed, DECL declined, TERM terminated.
 */
import { CarrierFailure } from '../../domain/carrier-failure';
import type { AppointmentFilingResult, AppointmentRequest, CarrierAppointmentStatus } from '../carrier-adapter.port';

const STATUS: Record<string, CarrierAppointmentStatus['status']> = {
  RCVD: 'SUBMITTED',
  APPT: 'ACTIVE',
  DECL: 'REJECTED',
  TERM: 'TERMINATED',
};

export function appointmentBody(request: AppointmentRequest) {
  return {
    appointmentRef: request.reference,
    npn: request.npn,
    state: request.state,
    filing: request.filing === 'JUST_IN_TIME' ? 'JIT' : 'PRE',
    ...(request.applicationOn ? { applicationDate: request.applicationOn } : {}),
  };
}

const textOrNull = (value: unknown) => (typeof value === 'string' && value ? value : null);

export function appointmentFilingFrom(body: unknown): AppointmentFilingResult {
  const json = (body ?? {}) as { accepted?: unknown; reason?: unknown; appointment?: { id?: unknown } };
  if (json.accepted === false) return { received: false, message: textOrNull(json.reason) ?? 'refused by the carrier without a reason' };
  const carrierReference = textOrNull(json.appointment?.id);
  if (json.accepted !== true || !carrierReference)
    throw new CarrierFailure('CARRIER.MALFORMED', 'unreadable carrier response: an appointment without id');
  return { received: true, carrierReference };
}

export function appointmentStatusFrom(entry: unknown, report: (field: string, code: string) => void): CarrierAppointmentStatus {
  const json = (entry ?? {}) as Record<string, unknown>;
  const carrierReference = textOrNull(json.id);
  const code = textOrNull(json.status);
  if (!carrierReference || !code)
    throw new CarrierFailure('CARRIER.MALFORMED', 'unreadable carrier response: appointment without id or status');
  const status = STATUS[code] ?? null;
  if (!status) report('appointment.status', code);
  return {
    carrierReference,
    carrierStatusCode: code,
    status,
    writingNumber: textOrNull(json.writingNo),
    effectiveOn: textOrNull(json.effective),
    terminatedOn: textOrNull(json.terminated),
    reason: textOrNull(json.reason),
  };
}
