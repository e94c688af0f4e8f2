/**
 * The e-signature provider's envelopes: created once per client reference (the idempotency key),
 * signed or declined signer by signer, completed when every signer has signed, expired by the
 * clock, voided by the sender. Every change yields the webhook events it causes; the server sends
 * them. The provider keeps signers' names and emails (it must, to show and send the signing page);
 * nothing of that goes into its events.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { WebhookEvent, WebhookType } from './webhook-sender';

export const ENVELOPE_STATUSES = ['SENT', 'COMPLETED', 'DECLINED', 'EXPIRED', 'VOIDED'] as const;
export type EnvelopeStatus = (typeof ENVELOPE_STATUSES)[number];
export type SignerStatus = 'PENDING' | 'SIGNED' | 'DECLINED';

export interface StoredSigner {
  role: string;
  name: string;
  email: string;
  /** The secret part of the signer's link: whoever holds it acts as this signer. */
  token: string;
  status: SignerStatus;
  signedAt: string | null;
  declinedAt: string | null;
  ip: string | null;
}

export interface StoredEnvelope {
  id: string;
  clientReference: string;
  documentName: string;
  document: Uint8Array;
  callbackUrl: string;
  status: EnvelopeStatus;
  createdAt: string;
  expiresAt: string;
  completedAt: string | null;
  signers: StoredSigner[];
}

export interface NewEnvelope {
  clientReference: string;
  documentName: string;
  document: Uint8Array;
  callbackUrl: string;
  expiresInDays: number;
  signers: { role: string; name: string; email: string }[];
}

/** A request the provider refuses, with its status and error code. */
export class EnvelopeError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const DAY_MS = 86_400_000;

export class EnvelopeStore {
  private readonly byId = new Map<string, StoredEnvelope>();
  private readonly byReference = new Map<string, StoredEnvelope>();
  private readonly byToken = new Map<string, { envelope: StoredEnvelope; signer: StoredSigner }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The envelope for this client reference: made on the first call, the same one on every later call. */
  create(input: NewEnvelope): { envelope: StoredEnvelope; created: boolean } {
    const existing = this.byReference.get(input.clientReference);
    if (existing) return { envelope: existing, created: false };
    const at = this.now();
    const envelope: StoredEnvelope = {
      id: `env_${randomUUID().replace(/-/g, '')}`,
      clientReference: input.clientReference,
      documentName: input.documentName,
      document: input.document,
      callbackUrl: input.callbackUrl,
      status: 'SENT',
      createdAt: new Date(at).toISOString(),
      expiresAt: new Date(at + input.expiresInDays * DAY_MS).toISOString(),
      completedAt: null,
      signers: input.signers.map((s) => ({
        ...s,
        token: randomBytes(18).toString('base64url'),
        status: 'PENDING',
        signedAt: null,
        declinedAt: null,
        ip: null,
      })),
    };
    this.byId.set(envelope.id, envelope);
    this.byReference.set(envelope.clientReference, envelope);
    for (const signer of envelope.signers) this.byToken.set(signer.token, { envelope, signer });
    return { envelope, created: true };
  }

  find(id: string): StoredEnvelope | undefined {
    return this.byId.get(id);
  }

  all(): StoredEnvelope[] {
    return [...this.byId.values()];
  }

  byLink(token: string): { envelope: StoredEnvelope; signer: StoredSigner } | undefined {
    return this.byToken.get(token);
  }

  /** The signer with this role signs; the last signature completes the envelope. */
  sign(envelopeId: string, role: string, ip: string | null): WebhookEvent[] {
    const { envelope, signer } = this.actingSigner(envelopeId, role);
    const at = new Date(this.now()).toISOString();
    signer.status = 'SIGNED';
    signer.signedAt = at;
    signer.ip = ip;
    const events = [this.event(envelope, 'signer.signed', at, signer)];
    if (envelope.signers.every((s) => s.status === 'SIGNED')) {
      envelope.status = 'COMPLETED';
      envelope.completedAt = at;
      events[0].envelopeStatus = 'COMPLETED';
      events.push(this.event(envelope, 'envelope.completed', at, null));
    }
    return events;
  }

  /** The signer with this role declines: the envelope is over for everyone. */
  decline(envelopeId: string, role: string, ip: string | null): WebhookEvent[] {
    const { envelope, signer } = this.actingSigner(envelopeId, role);
    const at = new Date(this.now()).toISOString();
    signer.status = 'DECLINED';
    signer.declinedAt = at;
    signer.ip = ip;
    envelope.status = 'DECLINED';
    return [this.event(envelope, 'signer.declined', at, signer), this.event(envelope, 'envelope.declined', at, signer)];
  }

  /** Expires one envelope now, whatever its expiry date (the control API). */
  expire(envelopeId: string): WebhookEvent[] {
    const envelope = this.open(envelopeId);
    return this.expireNow(envelope);
  }

  /** Expires every open envelope past its expiry date (the clock's sweep). */
  expireDue(): WebhookEvent[] {
    const now = this.now();
    return this.all()
      .filter((e) => e.status === 'SENT' && Date.parse(e.expiresAt) <= now)
      .flatMap((e) => this.expireNow(e));
  }

  /** The sender withdraws the envelope; no webhook (the sender knows). */
  void(envelopeId: string): StoredEnvelope {
    const envelope = this.open(envelopeId);
    envelope.status = 'VOIDED';
    return envelope;
  }

  private expireNow(envelope: StoredEnvelope): WebhookEvent[] {
    envelope.status = 'EXPIRED';
    return [this.event(envelope, 'envelope.expired', new Date(this.now()).toISOString(), null)];
  }

  private open(envelopeId: string): StoredEnvelope {
    const envelope = this.byId.get(envelopeId);
    if (!envelope) throw new EnvelopeError(404, 'envelope_not_found', `no envelope ${envelopeId}`);
    if (envelope.status !== 'SENT') throw new EnvelopeError(409, 'envelope_closed', `the envelope is ${envelope.status}`);
    return envelope;
  }

  private actingSigner(envelopeId: string, role: string): { envelope: StoredEnvelope; signer: StoredSigner } {
    const envelope = this.open(envelopeId);
    const signer = envelope.signers.find((s) => s.role === role);
    if (!signer) throw new EnvelopeError(404, 'signer_not_found', `the envelope has no signer with role ${role}`);
    if (signer.status !== 'PENDING')
      throw new EnvelopeError(409, 'already_acted', `the ${role} signer already ${signer.status.toLowerCase()}`);
    return { envelope, signer };
  }

  private event(envelope: StoredEnvelope, type: WebhookType, at: string, signer: StoredSigner | null): WebhookEvent {
    return {
      eventId: `evt_${randomUUID().replace(/-/g, '')}`,
      type,
      envelopeId: envelope.id,
      clientReference: envelope.clientReference,
      role: signer?.role ?? null,
      occurredAt: at,
      ip: signer?.ip ?? null,
      envelopeStatus: envelope.status,
    };
  }
}
