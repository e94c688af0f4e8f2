/**
 * Producer appointments in the ACORD carriers' guide (the adapter's own copy of its codes): a 1201
 * Producer Appointment Request names the producer (NIPRNumber) and the Jurisdiction, with our
 * appointment id as TransRefGUID; a 1202 Producer Appointment Inquiry names the carrier's
 * CarrierApptRefID. CarrierApptStatus: 3 pending, 1 active, 4 denied, 2 terminated.
 */
import { CarrierFailure } from '../../domain/carrier-failure';
import type { AppointmentFilingResult, AppointmentRequest, CarrierAppointmentStatus } from '../carrier-adapter.port';
import { resultOf } from './acord.mapper';
import { child, tc, tcOf, text, type XmlNode } from './txlife.xml';

export const APPOINTMENT_TRANS_TYPE = { REQUEST: '1201', INQUIRY: '1202' } as const;

const STATUS_BY_TC: Record<string, CarrierAppointmentStatus['status']> = {
  '3': 'SUBMITTED',
  '1': 'ACTIVE',
  '4': 'REJECTED',
  '2': 'TERMINATED',
};

interface Envelope {
  guid: string;
  type: string;
  date: string;
  time: string;
}

const malformed = (what: string) => new CarrierFailure('CARRIER.MALFORMED', `unreadable TXLife response: ${what}`);

function envelopeOf(envelope: Envelope, appointment: XmlNode, npn?: string): XmlNode {
  return {
    TransRefGUID: envelope.guid,
    TransType: tc(envelope.type),
    TransExeDate: envelope.date,
    TransExeTime: envelope.time,
    OLifE: { Party: [{ '@_id': 'Producer_1', Producer: { ...(npn ? { NIPRNumber: npn } : {}), CarrierAppointment: appointment } }] },
  };
}

/** The 1201 of a request; its TransRefGUID is our appointment id (the carrier deduplicates on it). */
export function appointmentRequestTransaction(request: AppointmentRequest, envelope: Omit<Envelope, 'guid' | 'type'>): XmlNode {
  return {
    TXLifeRequest: [
      envelopeOf(
        { ...envelope, guid: request.reference, type: APPOINTMENT_TRANS_TYPE.REQUEST },
        { Jurisdiction: request.state, ...(request.applicationOn ? { ApplicationDate: request.applicationOn } : {}) },
        request.npn,
      ),
    ],
  };
}

/** One 1202 per carrier reference, in one TXLife. */
export function appointmentInquiryTransactions(carrierReferences: string[], envelopes: Envelope[]): XmlNode {
  return { TXLifeRequest: carrierReferences.map((reference, i) => envelopeOf(envelopes[i], { CarrierApptRefID: reference })) };
}

function appointmentOf(response: XmlNode): XmlNode | undefined {
  return child(child(child(child(response, 'OLifE'), 'Party'), 'Producer'), 'CarrierAppointment');
}

/** A 1201's answer: received under the carrier's CarrierApptRefID, or refused with the carrier's words. */
export function appointmentFilingFrom(response: XmlNode): AppointmentFilingResult {
  const result = resultOf(response);
  if (!result.ok) return { received: false, message: result.messages.join('; ') || 'refused by the carrier without a reason' };
  const carrierReference = text(appointmentOf(response), 'CarrierApptRefID');
  if (!carrierReference) throw malformed('a received appointment without CarrierApptRefID');
  return { received: true, carrierReference };
}

/** A 1202's answer; undefined when the carrier knows no such appointment. */
export function appointmentStatusFrom(
  response: XmlNode,
  report: (field: string, code: string) => void,
): CarrierAppointmentStatus | undefined {
  if (!resultOf(response).ok) return undefined;
  const appointment = appointmentOf(response);
  const carrierReference = text(appointment, 'CarrierApptRefID');
  const code = tcOf(appointment, 'CarrierApptStatus');
  if (!carrierReference || !code) throw malformed('an appointment without CarrierApptRefID or CarrierApptStatus');
  const status = STATUS_BY_TC[code] ?? null;
  if (!status) report('CarrierApptStatus', code);
  return {
    carrierReference,
    carrierStatusCode: code,
    status,
    writingNumber: text(appointment, 'CompanyProducerID') ?? null,
    effectiveOn: text(appointment, 'ApptStartDate') ?? null,
    terminatedOn: text(appointment, 'ApptEndDate') ?? null,
    reason: text(appointment, 'ApptStatusReason') ?? null,
  };
}
