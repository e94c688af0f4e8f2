/**
 * The requirement vendors a BGA orders from (docs/domain.md "Requirements v2"), as a pure module:
 * who takes which requirement codes, the stages each reports, and which stage comes after which.
 * Each vendor is an outside system with its own protocol behind the RequirementVendor port
 * (ports/requirement-vendor.port.ts); this module knows none of that.
 */
import type { RequirementCodeValue as RequirementCode } from '../../shared/vocabulary';

/** PULSE: a paramedical exam vendor (JSON API). CHARTWELL: an APS retrieval vendor (ACORD 121 / 1122). */
export const VENDOR_CODES = ['PULSE', 'CHARTWELL'] as const;
export type VendorCode = (typeof VENDOR_CODES)[number];

export const VENDOR_KINDS = ['EXAM', 'APS'] as const;
export type VendorKind = (typeof VENDOR_KINDS)[number];

export const EXAM_STAGES = ['ORDERED', 'SCHEDULED', 'COMPLETED', 'RESULTS_SENT_TO_CARRIER', 'CANCELLED', 'NO_SHOW'] as const;
export const APS_STAGES = [
  'ORDERED',
  'AUTHORIZATION_SENT',
  'REQUESTED_FROM_PROVIDER',
  'PROVIDER_FEE_PAID',
  'RECEIVED_BY_VENDOR',
  'SENT_TO_CARRIER',
  'CANCELLED',
] as const;
/** QUEUED: the order is ours and not yet acknowledged by the vendor (waiting in the outbox). */
export const VENDOR_STAGES = ['QUEUED', ...new Set([...EXAM_STAGES, ...APS_STAGES])] as const as readonly VendorStage[];
export type VendorStage = 'QUEUED' | (typeof EXAM_STAGES)[number] | (typeof APS_STAGES)[number];

/** The stages after which the vendor has nothing more to do: the results are at the carrier, or the order ended. */
export const FINAL_VENDOR_STAGES: readonly VendorStage[] = ['RESULTS_SENT_TO_CARRIER', 'SENT_TO_CARRIER', 'CANCELLED'];

export interface VendorInfo {
  code: VendorCode;
  name: string;
  kind: VendorKind;
  /** The requirement codes this vendor takes. */
  codes: readonly RequirementCode[];
  stages: readonly VendorStage[];
}

export const VENDORS: Readonly<Record<VendorCode, VendorInfo>> = {
  PULSE: { code: 'PULSE', name: 'Pulse Paramedical', kind: 'EXAM', codes: ['PARAMED_EXAM', 'BLOOD_URINE', 'EKG'], stages: EXAM_STAGES },
  CHARTWELL: { code: 'CHARTWELL', name: 'Chartwell Record Retrieval', kind: 'APS', codes: ['APS'], stages: APS_STAGES },
};

/** The vendor that takes `code` by default, or null for requirements nobody outside orders (MIB, Rx, forms). */
export function defaultVendorFor(code: RequirementCode): VendorCode | null {
  return VENDOR_CODES.find((vendor) => VENDORS[vendor].codes.includes(code)) ?? null;
}

export const vendorTakes = (vendor: VendorCode, code: RequirementCode): boolean => VENDORS[vendor].codes.includes(code);

/** What a vendor told us beyond the stage; never personal data. */
export interface VendorDetails {
  /** Exam: when and where the appointment is. */
  appointmentAt?: string | null;
  appointmentPlace?: string | null;
  /** APS: the day the provider (physician's office) is expected to send the records. */
  providerExpectedOn?: string | null;
  /** APS: the provider's fee, when one was paid (e.g. "25.00"). */
  providerFee?: string | null;
}

export const ESCALATIONS = ['NONE', 'CASE_MANAGER', 'AGENT'] as const;
export type Escalation = (typeof ESCALATIONS)[number];
