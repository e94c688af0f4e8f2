/**
 * The ACORD carrier's contracting desk, in this guide's producer transactions:
 *
 *   TransType 1201 Producer Appointment Request: TransRefGUID our appointment id (the deduplication
 *   key), OLifE/Party/Producer with NIPRNumber (the NPN) and one CarrierAppointment naming the
 *   Jurisdiction (a state's postal code). Answered at once with the CarrierAppointment received:
 *   CarrierApptRefID (the carrier's id) and CarrierApptStatus 3 (pending). A resend answers the same.
 *   TransType 1202 Producer Appointment Inquiry: CarrierAppointment/CarrierApptRefID; answered with
 *   its status: 3 pending, 1 active (CompanyProducerID the writing number, ApptStartDate), 4 denied
 *   (ApptStatusReason in words), 2 terminated (ApptEndDate). An unknown id is ResultCode 5 (300).
 * Many 1202s travel in one TXLife, as 203s do.
 */
import type { AppointmentBook, SimAppointmentStatus, StoredAppointment } from '../appointment-book';
import { RESULT_CODE, RESULT_CODE_NAMES, RESULT_INFO } from './acord.codes';
import { child, tc, text, type XmlNode } from './txlife';

/** CarrierApptStatus tc in this guide. */
export const APPOINTMENT_STATUS: Record<SimAppointmentStatus, string> = { RECEIVED: '3', ACTIVE: '1', REJECTED: '4', TERMINATED: '2' };
const APPOINTMENT_STATUS_NAMES: Record<SimAppointmentStatus, string> = {
  RECEIVED: 'Pending',
  ACTIVE: 'Active',
  REJECTED: 'Denied',
  TERMINATED: 'Terminated',
};

const STATE = /^[A-Z]{2}$/;
const NPN = /^\d{1,10}$/;

function result(code: string, info?: { code: string; description: string }): XmlNode {
  return {
    ResultCode: tc(code, RESULT_CODE_NAMES[code]),
    ...(info ? { ResultInfo: [{ ResultInfoCode: tc(info.code), ResultInfoDesc: info.description }] } : {}),
  };
}

/** The producer's Party with the appointment as the carrier has it. */
function producerParty(appointment: StoredAppointment): XmlNode {
  return {
    Party: [
      {
        '@_id': 'Producer_1',
        Producer: {
          NIPRNumber: appointment.npn,
          CarrierAppointment: {
            CarrierApptRefID: appointment.carrierReference,
            Jurisdiction: appointment.state,
            CarrierApptStatus: tc(APPOINTMENT_STATUS[appointment.status], APPOINTMENT_STATUS_NAMES[appointment.status]),
            CompanyProducerID: appointment.writingNumber ?? undefined,
            ApptStartDate: appointment.effectiveOn ?? undefined,
            ApptEndDate: appointment.terminatedOn ?? undefined,
            ApptStatusReason: appointment.reason ?? undefined,
          },
        },
      },
    ],
  };
}

/** TransType 1201: files the request once per TransRefGUID; a request without NPN or state is a data error. */
export function appointmentRequest(book: AppointmentBook, transaction: XmlNode, reference: string): XmlNode {
  const producer = child(child(child(transaction, 'OLifE'), 'Party'), 'Producer');
  const npn = text(producer, 'NIPRNumber');
  const state = text(child(producer, 'CarrierAppointment'), 'Jurisdiction');
  const problems = [!reference && 'TransRefGUID', !(npn && NPN.test(npn)) && 'NIPRNumber', !(state && STATE.test(state)) && 'Jurisdiction'];
  const missing = problems.filter(Boolean);
  if (missing.length)
    return {
      TransResult: result(RESULT_CODE.FAILURE, { code: RESULT_INFO.DATA_ERROR, description: `invalid or missing: ${missing.join(', ')}` }),
    };
  const { appointment } = book.file({ reference, npn: npn!, state: state! });
  return { TransResult: result(RESULT_CODE.SUCCESS), OLifE: producerParty(appointment) };
}

/** TransType 1202: one appointment's status by CarrierApptRefID. */
export function appointmentInquiry(book: AppointmentBook, transaction: XmlNode): XmlNode {
  const producer = child(child(child(transaction, 'OLifE'), 'Party'), 'Producer');
  const id = text(child(producer, 'CarrierAppointment'), 'CarrierApptRefID');
  const appointment = id ? book.find(id) : undefined;
  if (!appointment)
    return {
      TransResult: result(RESULT_CODE.FAILURE, {
        code: RESULT_INFO.NOT_FOUND,
        description: `no appointment ${id ?? '(no CarrierApptRefID)'}`,
      }),
    };
  return { TransResult: result(RESULT_CODE.SUCCESS), OLifE: producerParty(appointment) };
}
