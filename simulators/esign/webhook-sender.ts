/**
 * The e-signature provider's webhooks, Stripe-style: each event is POSTed as JSON to the envelope's
 * callback URL with `X-Esign-Timestamp` (unix seconds) and `X-Esign-Signature` (hex HMAC-SHA256 of
 * `${timestamp}.${rawBody}` with the shared secret), signed afresh on every attempt. Delivery,
 * retries with doubling backoff and the order of one envelope's events are the shared
 * simulators/webhook-sender.ts; this file is the provider's event shape and signature.
 */
import { hmacSignature, WebhookSender, type WebhookRetrySettings } from '../webhook-sender';

export type { WebhookRetrySettings } from '../webhook-sender';

export const SIGNATURE_HEADER = 'x-esign-signature';
export const TIMESTAMP_HEADER = 'x-esign-timestamp';

/** The hex HMAC-SHA256 a delivery carries; the receiver computes the same over the raw body it read. */
export const webhookSignature = hmacSignature;

export const WEBHOOK_TYPES = ['signer.signed', 'signer.declined', 'envelope.completed', 'envelope.declined', 'envelope.expired'] as const;
export type WebhookType = (typeof WEBHOOK_TYPES)[number];

/** The JSON body of one webhook delivery. */
export interface WebhookEvent {
  eventId: string;
  type: WebhookType;
  envelopeId: string;
  clientReference: string;
  /** The signer the event is about; null for envelope.completed and envelope.expired. */
  role: string | null;
  /** When it happened, ISO 8601. */
  occurredAt: string;
  /** The signer's IP address, for signer events. */
  ip: string | null;
  /** The envelope's status after the event. */
  envelopeStatus: string;
}

/** One attempt, as the delivery log shows it (no body, no personal data). */
export interface DeliveryAttempt {
  eventId: string;
  type: WebhookType;
  envelopeId: string;
  attempt: number;
  /** The receiver's HTTP status; 0 when it could not be reached or timed out. */
  status: number;
  at: string;
}

export type EsignWebhookSender = WebhookSender<WebhookEvent, { type: WebhookType; envelopeId: string }>;

/** The provider's sender: one envelope's events in order, signed with its webhook secret. */
export function esignWebhookSender(secret: string, retry: WebhookRetrySettings): EsignWebhookSender {
  return new WebhookSender({
    retry,
    orderKey: (event: WebhookEvent) => event.envelopeId,
    describe: (event: WebhookEvent) => ({ type: event.type, envelopeId: event.envelopeId }),
    sign: (timestamp, body) => ({ [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: hmacSignature(secret, timestamp, body) }),
  });
}
