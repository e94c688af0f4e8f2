/**
 * PULSE, the paramedical exam vendor, behind the RequirementVendor port: JSON over HTTP with a
 * bearer API key (`/v1/orders`, the simulator in simulators/exam/ speaks it). An order carries our
 * requirement id as its Idempotency-Key, so a repeat answers the same order. Webhooks are signed
 * Stripe style (`Pulse-Signature: t=…,v1=…`). One attempt per call, with a timeout: the vendor order
 * worker is what retries, with backoff. Nothing personal is in an error message.
 */
import { headerValue, parseStripeSignature, verifyWebhookSignature, WebhookRefusal } from '../../../../platform/webhook-signature';
import type { RequirementCodeValue as RequirementCode } from '../../../shared/vocabulary';
import { EXAM_STAGES, type VendorDetails, type VendorStage } from '../../domain/requirement-vendors';
import {
  type RequirementVendor,
  type VendorEvent,
  VendorError,
  type VendorOrderRequest,
  type VendorOrderStatus,
  type WebhookDelivery,
  vendorEventOf,
} from '../requirement-vendor.port';

export const PULSE_SIGNATURE_HEADER = 'pulse-signature';

export interface PulseSettings {
  baseUrl: string;
  apiKey: string;
  webhookSecret: string;
  webhookToleranceSeconds: number;
  /** One call's limit (default 5000 ms). */
  timeoutMs?: number;
}

/** Our requirement codes as PULSE's services. */
const SERVICES: Partial<Record<RequirementCode, string>> = { PARAMED_EXAM: 'PARAMED', BLOOD_URINE: 'BLOOD_URINE', EKG: 'EKG' };

interface WireOrder {
  orderId?: unknown;
  reference?: unknown;
  status?: unknown;
  sequence?: unknown;
  updatedAt?: unknown;
  appointment?: { at?: unknown; place?: unknown } | null;
}

/** The wire body of an order: exported for the unit tests of the mapping. */
export function pulseOrderBody(order: VendorOrderRequest): Record<string, unknown> {
  const service = SERVICES[order.code];
  if (!service) throw new VendorError('VENDOR.REJECTED', `PULSE takes no ${order.code}`);
  const { applicant, carrier } = order;
  return {
    reference: order.reference,
    services: [service],
    applicant: {
      firstName: applicant.firstName,
      lastName: applicant.lastName,
      birthDate: applicant.birthDate,
      gender: applicant.gender,
      phone: applicant.phone ?? null,
      ...(applicant.email ? { email: applicant.email } : {}),
      address: applicant.address
        ? {
            line1: applicant.address.line1,
            city: applicant.address.city,
            state: applicant.address.state,
            postalCode: applicant.address.postalCode,
          }
        : null,
    },
    carrier: { code: carrier.code, policyReference: carrier.policyReference, requirementId: carrier.requirementId, kit: carrier.kit },
    callbackUrl: order.callbackUrl,
  };
}

const stageOf = (status: unknown): VendorStage => {
  if (typeof status === 'string' && (EXAM_STAGES as readonly string[]).includes(status)) return status as VendorStage;
  throw new VendorError('VENDOR.UNAVAILABLE', 'PULSE answered an unknown order status');
};

const isoOf = (value: unknown, what: string): string => {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value)))
    throw new VendorError('VENDOR.UNAVAILABLE', `PULSE answered no ${what}`);
  return new Date(value).toISOString();
};

const detailsOf = (appointment: WireOrder['appointment']): VendorDetails =>
  appointment && typeof appointment === 'object'
    ? {
        appointmentAt:
          typeof appointment.at === 'string' && !Number.isNaN(Date.parse(appointment.at)) ? new Date(appointment.at).toISOString() : null,
        appointmentPlace: typeof appointment.place === 'string' ? appointment.place.slice(0, 200) : null,
      }
    : {};

/** An order or status answer in our words: exported for the unit tests of the mapping. */
export function pulseStatusOf(body: WireOrder): VendorOrderStatus {
  if (typeof body.orderId !== 'string' || !body.orderId) throw new VendorError('VENDOR.UNAVAILABLE', 'PULSE answered no order id');
  if (!Number.isInteger(body.sequence)) throw new VendorError('VENDOR.UNAVAILABLE', 'PULSE answered no sequence');
  return {
    orderId: body.orderId,
    reference: typeof body.reference === 'string' ? body.reference : null,
    stage: stageOf(body.status),
    sequence: body.sequence as number,
    at: isoOf(body.updatedAt, 'updatedAt'),
    details: detailsOf(body.appointment),
  };
}

export class PulseAdapter implements RequirementVendor {
  readonly code = 'PULSE' as const;
  private readonly baseUrl: string;

  constructor(private readonly settings: PulseSettings) {
    this.baseUrl = settings.baseUrl.replace(/\/+$/, '');
  }

  async placeOrder(order: VendorOrderRequest): Promise<VendorOrderStatus> {
    const body = pulseOrderBody(order);
    const { status, json } = await this.call('POST', '/v1/orders', body, { 'idempotency-key': order.reference });
    if (status === 200 || status === 201) return pulseStatusOf(json as WireOrder);
    if (status === 422) {
      const fields = Array.isArray((json as { problems?: unknown })?.problems)
        ? (json as { problems: { field?: unknown }[] }).problems.map((p) => String(p.field)).join(', ')
        : '';
      throw new VendorError('VENDOR.REJECTED', `PULSE refused the order${fields ? `: ${fields}` : ''}`);
    }
    throw this.unexpected(status);
  }

  async orderStatus(orderId: string): Promise<VendorOrderStatus> {
    const { status, json } = await this.call('GET', `/v1/orders/${encodeURIComponent(orderId)}`);
    if (status === 200) return pulseStatusOf(json as WireOrder);
    if (status === 404) throw new VendorError('VENDOR.NOT_FOUND', 'PULSE does not know the order');
    throw this.unexpected(status);
  }

  async cancelOrder(orderId: string, reason: string): Promise<VendorOrderStatus> {
    const { status, json } = await this.call('POST', `/v1/orders/${encodeURIComponent(orderId)}/cancel`, { reason });
    if (status === 200) return pulseStatusOf(json as WireOrder);
    if (status === 404) throw new VendorError('VENDOR.NOT_FOUND', 'PULSE does not know the order');
    if (status === 409) throw new VendorError('VENDOR.CONFLICT', 'the order is already final at PULSE');
    throw this.unexpected(status);
  }

  parseWebhook(delivery: WebhookDelivery, nowMs: number): VendorEvent {
    const { timestamp, signature } = parseStripeSignature(headerValue(delivery, PULSE_SIGNATURE_HEADER));
    verifyWebhookSignature(
      { rawBody: delivery.rawBody, timestamp, signature },
      this.settings.webhookSecret,
      this.settings.webhookToleranceSeconds,
      nowMs,
    );
    return pulseEventOf(delivery.rawBody);
  }

  private unexpected(status: number): VendorError {
    return new VendorError('VENDOR.UNAVAILABLE', `PULSE answered HTTP ${status}`);
  }

  private async call(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; json: unknown }> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.settings.apiKey}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.settings.timeoutMs ?? 5_000),
      });
    } catch (error) {
      throw new VendorError('VENDOR.UNAVAILABLE', `PULSE unreachable: ${(error as Error).name}`);
    }
    const text = await response.text().catch(() => '');
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // A 2xx that is not JSON is a malformed answer: the caller's mapping refuses it below.
      if (response.status < 300) throw new VendorError('VENDOR.UNAVAILABLE', 'PULSE answered something that is not JSON');
    }
    if (response.status < 300 && (json === null || typeof json !== 'object'))
      throw new VendorError('VENDOR.UNAVAILABLE', 'PULSE answered something that is not an object');
    return { status: response.status, json };
  }
}

/** A verified webhook body as our event; a 400 refusal when it is not one (signed by PULSE, so its bug, not an attack). */
export function pulseEventOf(rawBody: Buffer): VendorEvent {
  let body: WireOrder & { eventId?: unknown; occurredAt?: unknown };
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new WebhookRefusal(400, 'BAD_REQUEST', 'the webhook body is not JSON');
  }
  if (!body || typeof body !== 'object') throw new WebhookRefusal(400, 'BAD_REQUEST', 'the webhook body is not an object');
  try {
    if (typeof body.eventId !== 'string' || !body.eventId || body.eventId.length > 200)
      throw new VendorError('VENDOR.UNAVAILABLE', 'no eventId');
    return vendorEventOf(body.eventId, pulseStatusOf({ ...body, updatedAt: body.occurredAt }));
  } catch (error) {
    if (error instanceof VendorError) throw new WebhookRefusal(400, 'BAD_REQUEST', `the webhook is not an order event (${error.message})`);
    throw error;
  }
}
