/**
 * An appointment's status as a JSON carrier reports it (REST and rate-book carriers): each names its
 * fields and status codes its own way, read here the same way.
 */
import { CarrierFailure } from '../domain/carrier-failure';
import type { CarrierAppointmentStatus } from './carrier-adapter.port';

export const textOrNull = (value: unknown) => (typeof value === 'string' && value ? value : null);

/** Where a carrier's JSON keeps each part of an appointment's status, and what its status codes mean. */
export interface JsonAppointmentDialect {
  statuses: Record<string, CarrierAppointmentStatus['status']>;
  fields: { id: string; writingNumber: string; effectiveOn: string; terminatedOn: string; reason: string };
}

/** One appointment's status; an unknown status code is reported (and read as no status), never guessed. */
export function jsonAppointmentStatus(
  dialect: JsonAppointmentDialect,
  entry: unknown,
  report: (field: string, code: string) => void,
): CarrierAppointmentStatus {
  const json = (entry ?? {}) as Record<string, unknown>;
  const { fields } = dialect;
  const carrierReference = textOrNull(json[fields.id]);
  const code = textOrNull(json.status);
  if (!carrierReference || !code)
    throw new CarrierFailure('CARRIER.MALFORMED', 'unreadable carrier response: appointment without id or status');
  const status = dialect.statuses[code] ?? null;
  if (!status) report('appointment.status', code);
  return {
    carrierReference,
    carrierStatusCode: code,
    status,
    writingNumber: textOrNull(json[fields.writingNumber]),
    effectiveOn: textOrNull(json[fields.effectiveOn]),
    terminatedOn: textOrNull(json[fields.terminatedOn]),
    reason: textOrNull(json[fields.reason]),
  };
}
