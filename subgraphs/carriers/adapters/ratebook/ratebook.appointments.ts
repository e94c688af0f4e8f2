/**
 * Producer appointments in the rate-book carriers' short-code JSON (the adapter's own reading of
 * their guide): POST /appointments with `appointmentRef` (our appointment id, the deduplication key),
 * GET /appointments?ids=a,b. Statuses: RCVD received, APPT appointed, DECL declined, TERM terminated.
 */
import { CarrierFailure } from '../../domain/carrier-failure';
import type { AppointmentFilingResult, AppointmentRequest, CarrierAppointmentStatus } from '../carrier-adapter.port';
import { type JsonAppointmentDialect, jsonAppointmentStatus, textOrNull } from '../json-appointment';

const DIALECT: JsonAppointmentDialect = {
  fields: { id: 'id', writingNumber: 'writingNo', effectiveOn: 'effective', terminatedOn: 'terminated', reason: 'reason' },
  statuses: {
    RCVD: 'SUBMITTED',
    APPT: 'ACTIVE',
    DECL: 'REJECTED',
    TERM: 'TERMINATED',
  },
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

export function appointmentFilingFrom(body: unknown): AppointmentFilingResult {
  const json = (body ?? {}) as { accepted?: unknown; reason?: unknown; appointment?: { id?: unknown } };
  if (json.accepted === false) return { received: false, message: textOrNull(json.reason) ?? 'refused by the carrier without a reason' };
  const carrierReference = textOrNull(json.appointment?.id);
  if (json.accepted !== true || !carrierReference)
    throw new CarrierFailure('CARRIER.MALFORMED', 'unreadable carrier response: an appointment without id');
  return { received: true, carrierReference };
}

export function appointmentStatusFrom(entry: unknown, report: (field: string, code: string) => void): CarrierAppointmentStatus {
  return jsonAppointmentStatus(DIALECT, entry, report);
}
