/**
 * The API types of requirements ordered from vendors: which vendor, the stage the vendor reports,
 * and the physician an APS is asked of (input only: who treats the insured is health data, sealed at
 * rest and sent only to the vendor).
 */
import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar, DateTimeScalar } from '../../platform/scalars';
import { State } from '../shared/enums';
import { VENDOR_CODES, VENDOR_STAGES, type VendorCode, type VendorStage as VendorStageCode } from './domain/requirement-vendors';

export const RequirementVendorCode = Object.fromEntries(VENDOR_CODES.map((code) => [code, code])) as { [K in VendorCode]: K };
export type RequirementVendorCode = VendorCode;
registerEnumType(RequirementVendorCode, {
  name: 'RequirementVendorCode',
  description: 'A vendor the agency orders requirements from.',
  valuesConfig: {
    PULSE: { description: 'Pulse Paramedical: paramedical exams, blood and urine, EKGs (the default for those codes).' },
    CHARTWELL: { description: 'Chartwell Record Retrieval: attending physician statements (the default for APS).' },
  },
});

export const VendorStage = Object.fromEntries(VENDOR_STAGES.map((stage) => [stage, stage])) as { [K in VendorStageCode]: K };
export type VendorStage = VendorStageCode;
registerEnumType(VendorStage, {
  name: 'VendorStage',
  description: "Where a requirement's order stands at its vendor (exam stages, APS stages, and QUEUED before the vendor has it).",
  valuesConfig: {
    QUEUED: { description: 'Ordered here, not yet acknowledged by the vendor (it is sent, and retried while the vendor is down).' },
    ORDERED: { description: 'The vendor acknowledged the order.' },
    SCHEDULED: { description: 'Exam: an appointment is booked with the insured (see appointmentAt and appointmentPlace).' },
    COMPLETED: { description: 'Exam: done; the results are being prepared.' },
    RESULTS_SENT_TO_CARRIER: { description: 'Exam: the results went to the carrier; the vendor is done.' },
    NO_SHOW: { description: 'Exam: the insured missed the appointment (it can be scheduled again).' },
    AUTHORIZATION_SENT: { description: "APS: the insured's HIPAA authorization went to the physician's office." },
    REQUESTED_FROM_PROVIDER: { description: "APS: the records were requested from the physician's office." },
    PROVIDER_FEE_PAID: { description: "APS: the physician's office's fee was paid." },
    RECEIVED_BY_VENDOR: { description: 'APS: the vendor has the records.' },
    SENT_TO_CARRIER: { description: 'APS: the records went to the carrier; the vendor is done.' },
    CANCELLED: { description: 'The order was cancelled at the vendor.' },
  },
});

@ObjectType({ description: "A requirement's order at its vendor, as the vendor last reported it." })
export class RequirementVendorStatus {
  @Field(() => RequirementVendorCode, { description: 'The vendor.' })
  vendor!: RequirementVendorCode;

  @Field(() => String, { description: "The vendor's name." })
  vendorName!: string;

  @Field(() => String, { nullable: true, description: "The vendor's order id (null while QUEUED)." })
  orderId!: string | null;

  @Field(() => VendorStage, { description: 'The latest stage (an older one delivered late never replaces it).' })
  stage!: VendorStage;

  @Field(() => DateTimeScalar, { description: 'When the order reached this stage.' })
  since!: string;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Exam: the appointment, when one is booked.' })
  appointmentAt!: string | null;

  @Field(() => String, { nullable: true, description: 'Exam: where the appointment is.' })
  appointmentPlace!: string | null;

  @Field(() => DateScalar, { nullable: true, description: "APS: the day the physician's office is expected to send the records." })
  providerExpectedOn!: string | null;
}

@InputType({ description: 'The physician an APS is asked of (health data: kept sealed, sent only to the vendor, never shown back).' })
export class PhysicianInput {
  @Field(() => String, { nullable: true, description: 'Full name (required when the APS goes through a vendor).' })
  name?: string;

  @Field(() => String, { nullable: true, description: "The office's phone number (required when the APS goes through a vendor)." })
  phone?: string;

  @Field(() => String, { nullable: true, description: 'The practice or hospital.' })
  practice?: string;

  @Field(() => String, { nullable: true, description: "The office's street address." })
  addressLine1?: string;

  @Field(() => String, { nullable: true, description: "The office's city." })
  city?: string;

  @Field(() => State, { nullable: true, description: "The office's state." })
  state?: string;

  @Field(() => String, { nullable: true, description: "The office's ZIP code (5 digits, or ZIP+4)." })
  postalCode?: string;

  @Field(() => DateScalar, { nullable: true, description: 'The first day of treatment the records should cover.' })
  treatedFrom?: string;

  @Field(() => DateScalar, { nullable: true, description: 'The last day of treatment the records should cover.' })
  treatedTo?: string;
}
