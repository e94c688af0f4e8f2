/**
 * The GraphQL enums of requirement vendors (domain/requirement-vendors.ts VENDOR_CODES), registered
 * once for the whole cases subgraph: orderRequirement's vendor, Requirement.vendorStatus, the
 * worklist's and the metrics' filters all name it; and of the stages an order goes through there.
 */
import { enumOf, register } from '../shared/enums';
import { VENDOR_CODES, VENDOR_STAGES, type VendorCode, type VendorStage as VendorStageValue } from './domain/requirement-vendors';

export const RequirementVendorCode = register(
  enumOf(VENDOR_CODES),
  'RequirementVendorCode',
  'A vendor requirements are ordered from (exams, APS retrieval).',
  {
    PULSE: 'Pulse Paramedical: paramedical exams, blood and urine specimens, EKGs (scheduled within days).',
    CHARTWELL: "Chartwell Record Retrieval: attending physicians' statements, one order per physician (2-6 weeks).",
  } satisfies Record<VendorCode, string>,
);
export type RequirementVendorCode = VendorCode;

export const VendorStage = register(
  enumOf(VENDOR_STAGES),
  'VendorStage',
  "Where a requirement's order stands at its vendor (the exam vendor's and the APS vendor's stages, and QUEUED).",
  {
    QUEUED: 'Ours, not yet acknowledged by the vendor (waiting to be sent).',
    ORDERED: 'The vendor has the order.',
    SCHEDULED: 'Exam: an appointment is set.',
    COMPLETED: 'Exam: taken; results on their way to the carrier.',
    RESULTS_SENT_TO_CARRIER: 'Exam: results sent to the carrier.',
    CANCELLED: 'The order was cancelled.',
    NO_SHOW: 'Exam: the insured missed the appointment (it can be scheduled again).',
    AUTHORIZATION_SENT: "APS: the insured's authorization was sent to the physician's office.",
    REQUESTED_FROM_PROVIDER: "APS: the records were requested from the physician's office.",
    PROVIDER_FEE_PAID: "APS: the physician's office's fee was paid.",
    RECEIVED_BY_VENDOR: 'APS: the vendor has the records.',
    SENT_TO_CARRIER: 'APS: the records were sent to the carrier.',
  } satisfies Record<VendorStageValue, string>,
);
export type VendorStage = VendorStageValue;
