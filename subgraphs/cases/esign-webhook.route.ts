/**
 * POST /webhooks/esign: the e-signature provider's signed webhook. Nothing is believed before the
 * signature is: the HMAC-SHA256 of `${timestamp}.${rawBody}` with the shared secret must match
 * `X-Esign-Signature` (compared in constant time) and `X-Esign-Timestamp` must be within the
 * tolerance of our clock, either way (an old delivery replayed, or one dated ahead, is 401). Then,
 * in ONE transaction: the event id is claimed (a redelivery answers 200 and changes nothing), the
 * envelope is updated, and the application's handler runs; any failure rolls all of it back and
 * answers 5xx, so the provider delivers the event again. Nothing personal is in an event, and
 * nothing but ids and types is logged.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Route, sendJson } from '../../platform/http';
import type { Logger } from '../../platform/logger';
import { headerValue as header, readRawBody, verifyWebhookSignature, WebhookRefusal as Refusal } from '../../platform/webhook-signature';
import { type Db, isDatabaseUnavailable } from '../shared/db';
import { SIGNER_ROLES, type SignerRole } from './domain/application';
import type { SignatureEvent, SignatureEventType } from './ports/signature-provider.port';
import { applySignatureEvent, claimSignatureEvent, type SignatureEnvelopeRecord } from './signature-envelope.repository';

export const ESIGN_WEBHOOK_PATH = '/webhooks/esign';
export const ESIGN_SIGNATURE_HEADER = 'x-esign-signature';
export const ESIGN_TIMESTAMP_HEADER = 'x-esign-timestamp';

/**
 * What the application makes of a verified, first-time event, inside the event's transaction
 * (e.g. the application becomes SIGNED when its envelope completes). `envelope` is the envelope
 * after the event.
 */
export type SignatureEventHandler = (tx: Db, event: SignatureEvent, envelope: SignatureEnvelopeRecord) => Promise<void>;

export interface EsignWebhookOptions {
  db: Db;
  secret: string;
  toleranceSeconds: number;
  logger: Logger;
  onSignatureEvent?: SignatureEventHandler;
  /** Largest body accepted (default 64 KiB; an event is a few hundred bytes). */
  maxBodyBytes?: number;
  now?: () => number;
}

/** The provider's event types in ours. */
const EVENT_TYPES: Readonly<Record<string, SignatureEventType>> = {
  'signer.signed': 'SIGNER_SIGNED',
  'signer.declined': 'SIGNER_DECLINED',
  'envelope.completed': 'ENVELOPE_COMPLETED',
  'envelope.declined': 'ENVELOPE_DECLINED',
  'envelope.expired': 'ENVELOPE_EXPIRED',
};

/** Verifies a delivery's signature and timestamp (platform/webhook-signature.ts); throws a 401 refusal otherwise. */
export function verifyEsignSignature(
  rawBody: Buffer,
  timestamp: string | undefined,
  signature: string | undefined,
  secret: string,
  toleranceSeconds: number,
  nowMs: number,
): void {
  verifyWebhookSignature({ rawBody, timestamp, signature }, secret, toleranceSeconds, nowMs);
}

/** A verified event of a type we do not use (a provider may add types): acknowledged, so it is not resent, and ignored. */
class IgnoredType extends Error {}

/** The verified body as our event; 400 when it is not one (signed by the provider, so its bug, not an attack). */
function parseEvent(rawBody: Buffer): SignatureEvent {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(rawBody.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new Refusal(400, 'BAD_REQUEST', 'the webhook body is not JSON');
  }
  const text = (value: unknown, field: string, max = 200): string => {
    if (typeof value !== 'string' || value === '' || value.length > max)
      throw new Refusal(400, 'BAD_REQUEST', `the webhook's ${field} is missing or malformed`);
    return value;
  };
  const type = EVENT_TYPES[text(body.type, 'type')];
  if (!type) throw new IgnoredType();
  let role: SignerRole | null = null;
  if (body.role !== null && body.role !== undefined) {
    role = text(body.role, 'role').toUpperCase() as SignerRole;
    if (!SIGNER_ROLES.includes(role)) throw new Refusal(400, 'BAD_REQUEST', 'unknown signer role');
  }
  const at = text(body.occurredAt, 'occurredAt', 40);
  if (Number.isNaN(Date.parse(at))) throw new Refusal(400, 'BAD_REQUEST', "the webhook's occurredAt is not a time");
  return {
    eventId: text(body.eventId, 'eventId'),
    type,
    envelopeId: text(body.envelopeId, 'envelopeId'),
    reference: text(body.clientReference, 'clientReference'),
    role,
    at: new Date(at).toISOString(),
    ip: body.ip === null || body.ip === undefined ? null : text(body.ip, 'ip', 64),
  };
}

type Outcome = { applied: true; envelope: SignatureEnvelopeRecord } | { applied: false; reason: 'DUPLICATE' | 'UNKNOWN_ENVELOPE' };

class UnknownEnvelope extends Error {}

export function esignWebhookRoute(options: EsignWebhookOptions): Route {
  const limit = options.maxBodyBytes ?? 64 * 1024;
  const now = options.now ?? Date.now;
  return async (req: IncomingMessage, res: ServerResponse) => {
    try {
      if (req.method !== 'POST') throw new Refusal(405, 'METHOD_NOT_ALLOWED', 'POST only');
      const rawBody = await readRawBody(req, limit);
      verifyEsignSignature(
        rawBody,
        header(req, ESIGN_TIMESTAMP_HEADER),
        header(req, ESIGN_SIGNATURE_HEADER),
        options.secret,
        options.toleranceSeconds,
        now(),
      );
      let event: SignatureEvent;
      try {
        event = parseEvent(rawBody);
      } catch (error) {
        if (!(error instanceof IgnoredType)) throw error;
        options.logger.info('e-signature webhook of a type we do not use: acknowledged and ignored');
        return sendJson(res, 200, { received: true, ignored: true });
      }
      const outcome = await options.db
        .transaction<Outcome>(async (tx) => {
          if (!(await claimSignatureEvent(tx, event))) return { applied: false, reason: 'DUPLICATE' };
          const envelope = await applySignatureEvent(tx, event);
          // Not ours yet (its record may still be committing): roll back the claim so a redelivery applies it.
          if (!envelope) throw new UnknownEnvelope();
          await options.onSignatureEvent?.(tx, event, envelope);
          return { applied: true, envelope };
        })
        .catch((error: unknown) => {
          if (error instanceof UnknownEnvelope) return { applied: false, reason: 'UNKNOWN_ENVELOPE' } as const;
          throw error;
        });
      const log = { eventId: event.eventId, type: event.type, envelopeId: event.envelopeId };
      if (!outcome.applied && outcome.reason === 'UNKNOWN_ENVELOPE') {
        options.logger.warn(log, 'e-signature webhook for an envelope we have not recorded: the provider will deliver it again');
        return sendJson(res, 404, { error: 'UNKNOWN_ENVELOPE' });
      }
      options.logger.info({ ...log, duplicate: !outcome.applied }, 'e-signature webhook received');
      sendJson(res, 200, { received: true, duplicate: !outcome.applied });
    } catch (error) {
      if (error instanceof Refusal) {
        if (error.status === 401) options.logger.warn({ reason: error.message }, 'e-signature webhook refused');
        // A refused body is left unread: close the connection rather than keep it with the rest in it.
        return sendJson(res, error.status, { error: error.code, message: error.message }, { connection: 'close' });
      }
      const unavailable =
        isDatabaseUnavailable(error) || (error as { extensions?: { code?: string } }).extensions?.code === 'SERVICE_UNAVAILABLE';
      options.logger.error({ err: unavailable ? undefined : error }, 'e-signature webhook failed: the provider will deliver it again');
      sendJson(res, unavailable ? 503 : 500, { error: unavailable ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_SERVER_ERROR' });
    }
  };
}
