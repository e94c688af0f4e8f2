/**
 * The port to a requirement vendor (an exam vendor, an APS retrieval vendor): what the cases
 * subgraph asks of any of them, in our words. Each vendor's protocol is one adapter in
 * ports/vendors/ (PULSE's JSON, CHARTWELL's ACORD 121/1122); the vendor order worker, the webhook
 * route and the vendor event service know only this port.
 *
 * Ordering is idempotent by our requirement id (the order's reference): asking again after a
 * timeout or a crash answers the same order, never a second one. Expected failures are thrown as
 * VendorError with a namespaced code and whether trying again later can help; anything else is a bug.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { RequirementCodeValue as RequirementCode } from '../../shared/vocabulary';
import type { VendorCode, VendorDetails, VendorStage } from '../domain/requirement-vendors';
import type { Physician } from '../domain/vendor-order';

export type { Physician };

/** A postal address as vendors take it. */
export interface VendorAddress {
  line1: string;
  city: string;
  state: string;
  postalCode: string;
}

/** One order at a vendor: everything the vendor needs to reach the insured (or the physician) and to send the results to the carrier. */
export interface VendorOrderRequest {
  /** Our requirement id: the order's reference and its idempotency key. */
  reference: string;
  code: RequirementCode;
  applicant: {
    firstName: string;
    lastName: string;
    birthDate: string;
    gender: 'MALE' | 'FEMALE';
    phone?: string | null;
    email?: string | null;
    address?: VendorAddress | null;
  };
  carrier: {
    /** The carrier's code (SUMMIT…), which the vendor knows the carrier by. */
    code: string;
    /** The carrier's reference for the application (the case's carrierReference): vendors deliver results under it. */
    policyReference: string;
    /** The carrier's id for this requirement, when the carrier has reported it. */
    requirementId: string | null;
    /** The exam kit the carrier wants used. */
    kit: string;
  };
  /** For an APS. */
  physician?: Physician | null;
  /** Where the vendor POSTs its webhooks for this order. */
  callbackUrl: string;
}

/** The vendor's view of an order: its id there, the stage, the per-order sequence of that stage, and details. */
export interface VendorOrderStatus {
  orderId: string;
  /** Our requirement id, as the vendor keeps it. */
  reference: string | null;
  stage: VendorStage;
  sequence: number;
  /** When the vendor moved it to this stage. */
  at: string;
  details: VendorDetails;
}

/** A verified webhook delivery, in our words. */
export interface VendorEvent {
  /** Unique per event at the vendor: a redelivery carries the same id. */
  eventId: string;
  orderId: string;
  /** Our requirement id, when the vendor sent it. */
  reference: string | null;
  stage: VendorStage;
  /** Per order, increasing with each stage change: an event with a lower one is older news. */
  sequence: number;
  occurredAt: string;
  details: VendorDetails;
}

/** A pushed status as an event: the same fields as a poll's answer, under the delivery's event id. */
export const vendorEventOf = (eventId: string, status: VendorOrderStatus): VendorEvent => ({
  eventId,
  orderId: status.orderId,
  reference: status.reference,
  stage: status.stage,
  sequence: status.sequence,
  occurredAt: status.at,
  details: status.details,
});

export type VendorErrorCode =
  /** No answer, a timeout, a 5xx, or an answer we cannot read: try again later. */
  | 'VENDOR.UNAVAILABLE'
  /** The vendor refused what we sent (a missing field): trying again with the same data cannot help. */
  | 'VENDOR.REJECTED'
  /** The vendor does not know the order. */
  | 'VENDOR.NOT_FOUND'
  /** The order is already final at the vendor (cancelling a completed order). */
  | 'VENDOR.CONFLICT';

export class VendorError extends Error {
  constructor(
    readonly code: VendorErrorCode,
    message: string,
  ) {
    super(message);
  }

  get retryable(): boolean {
    return this.code === 'VENDOR.UNAVAILABLE';
  }
}

/** A webhook delivery as it arrived: its raw bytes (the signature covers them) and headers. */
export interface WebhookDelivery {
  rawBody: Buffer;
  headers: IncomingHttpHeaders;
}

export interface RequirementVendor {
  readonly code: VendorCode;
  /** Places the order, or answers the one already placed under the same reference. */
  placeOrder(order: VendorOrderRequest): Promise<VendorOrderStatus>;
  /** The order as the vendor sees it now. */
  orderStatus(orderId: string): Promise<VendorOrderStatus>;
  /** Cancels the order at the vendor and answers it, CANCELLED; VENDOR.CONFLICT when it is already final there. */
  cancelOrder(orderId: string, reason: string): Promise<VendorOrderStatus>;
  /**
   * Verifies a webhook delivery's signature (a WebhookRefusal 401 otherwise, platform/webhook-signature.ts)
   * and reads it as our event (a WebhookRefusal 400 when it is not one). `nowMs` is our clock.
   */
  parseWebhook(delivery: WebhookDelivery, nowMs: number): VendorEvent;
}

/** The vendors this deployment orders from, by code. */
export type RequirementVendors = Readonly<Record<VendorCode, RequirementVendor>>;
