/**
 * The e-signature provider as the cases subgraph sees it, in our terms: an envelope of one document
 * for the application's signers, remote signing links, the envelope's progress, the signed PDF, and
 * the events the provider's signed webhook brings. One adapter per provider protocol (esign/).
 */
import type { SignerRole } from '../domain/application';

export interface EnvelopeRequest {
  /**
   * Our idempotency key at the provider: the same reference gives back the same envelope, so a
   * request retried after a lost answer never sends the client a second one. Carries no personal data.
   */
  reference: string;
  document: { fileName: string; pdf: Uint8Array };
  /** Names and emails go to the provider only (it sends the links); they are never logged here. */
  signers: { role: SignerRole; name: string; email: string }[];
  /** Where the provider POSTs its signed webhooks (the cases subgraph's /webhooks/esign). */
  callbackUrl: string;
  expiresInDays: number;
}

export interface CreatedEnvelope {
  envelopeId: string;
  /** One remote signing link per signer: a secret, to hand to that signer only. */
  signers: { role: SignerRole; signingUrl: string }[];
}

export const ENVELOPE_STATUSES = ['SENT', 'COMPLETED', 'DECLINED', 'EXPIRED', 'VOIDED'] as const;
export type EnvelopeStatus = (typeof ENVELOPE_STATUSES)[number];
export const SIGNER_STATUSES = ['PENDING', 'SIGNED', 'DECLINED'] as const;
export type SignerStatus = (typeof SIGNER_STATUSES)[number];

/** A signer's progress, without personal data beyond the role (the audit trail: when and from where). */
export interface EnvelopeSigner {
  role: SignerRole;
  status: SignerStatus;
  signedAt: string | null;
  ip: string | null;
}

export interface EnvelopeState {
  envelopeId: string;
  reference: string;
  status: EnvelopeStatus;
  signers: EnvelopeSigner[];
}

export interface SignatureProvider {
  createEnvelope(request: EnvelopeRequest): Promise<CreatedEnvelope>;
  envelope(envelopeId: string): Promise<EnvelopeState>;
  /** The signed PDF (with the provider's certificate of completion); only once the envelope is COMPLETED. */
  signedDocument(envelopeId: string): Promise<Uint8Array>;
}

export const SIGNATURE_EVENT_TYPES = [
  'SIGNER_SIGNED',
  'SIGNER_DECLINED',
  'ENVELOPE_COMPLETED',
  'ENVELOPE_DECLINED',
  'ENVELOPE_EXPIRED',
] as const;
export type SignatureEventType = (typeof SIGNATURE_EVENT_TYPES)[number];

/** One verified webhook event, in our terms. */
export interface SignatureEvent {
  /** The provider's unique id of the event: a second delivery of it is a no-op. */
  eventId: string;
  type: SignatureEventType;
  envelopeId: string;
  /** The reference we gave at createEnvelope. */
  reference: string;
  /** The signer the event is about; null for envelope-level events (completed, expired). */
  role: SignerRole | null;
  /** When it happened at the provider, ISO 8601. */
  at: string;
  ip: string | null;
}

export const SIGNATURE_PROVIDER_ERROR_CODES = [
  'ESIGN.UNAVAILABLE',
  'ESIGN.TIMEOUT',
  'ESIGN.REJECTED',
  'ESIGN.NOT_FOUND',
  'ESIGN.NOT_READY',
] as const;
export type SignatureProviderErrorCode = (typeof SIGNATURE_PROVIDER_ERROR_CODES)[number];

/**
 * A failed call: UNAVAILABLE and TIMEOUT are worth trying again (the adapter already did, for
 * calls that are safe to repeat); REJECTED is our request's fault; NOT_READY is a signed document
 * asked before the envelope completed. Messages carry no personal data.
 */
export class SignatureProviderError extends Error {
  constructor(
    readonly code: SignatureProviderErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SignatureProviderError';
  }

  get retryable(): boolean {
    return this.code === 'ESIGN.UNAVAILABLE' || this.code === 'ESIGN.TIMEOUT';
  }
}
