/**
 * What the agents subgraph asks the carriers subgraph for: filing producer appointment requests with
 * carriers and reading their answers. Implemented over GraphQL on the carriers subgraph's own URL as
 * SERVICE (graphql/carriers.adapter.ts); tests may pass a fake.
 */
import type { AppointmentFilingCode } from '../../shared/vocabulary';

export interface AppointmentFilingRequest {
  /** Our appointment id: the carrier deduplicates on it. */
  reference: string;
  carrierId: string;
  npn: string;
  state: string;
  filing: AppointmentFilingCode;
  /** Just-in-time: the application date (YYYY-MM-DD). */
  applicationOn: string | null;
}

export interface AppointmentFilingAnswer {
  received: boolean;
  carrierReference: string | null;
  message: string | null;
  /** True when the carrier could not be reached: send again later with the same reference. */
  retryable: boolean;
  failureCode: string | null;
}

/** The carrier's report on one request, its status already in our vocabulary (null: a code we do not map). */
export interface CarrierAppointmentReport {
  carrierReference: string;
  carrierStatusCode: string;
  status: 'SUBMITTED' | 'ACTIVE' | 'REJECTED' | 'TERMINATED' | null;
  writingNumber: string | null;
  effectiveOn: string | null;
  terminatedOn: string | null;
  reason: string | null;
}

export interface CarriersPort {
  /** Files one request (a write: never retried by the carriers subgraph; resend with the same reference when retryable). */
  fileAppointment(request: AppointmentFilingRequest): Promise<AppointmentFilingAnswer>;
  /** The carrier's answers on these requests, in one call; references it does not know are left out. Throws when the carrier cannot answer. */
  appointmentStatuses(carrierId: string, carrierReferences: string[]): Promise<CarrierAppointmentReport[]>;
}
