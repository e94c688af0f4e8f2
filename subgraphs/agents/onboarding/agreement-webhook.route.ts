/**
 * POST /webhooks/esign-agreements: the e-signature provider's signed webhook for BGA agreements.
 * Nothing is believed before the signature is (platform/webhook-signature.ts: HMAC-SHA256 of
 * `${timestamp}.${rawBody}`, timestamp within the tolerance). `envelope.completed` completes the
 * agreement step (onboarding.service.ts completeAgreementSignature, one transaction);
 * `envelope.declined` and `envelope.expired` put it back to NOT_STARTED (a new request sends a new
 * envelope); other event types are acknowledged and ignored; a redelivery changes nothing. Nothing personal is in an
 * event, and nothing but ids and types is logged.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Route, sendJson } from '../../../platform/http';
import type { Logger } from '../../../platform/logger';
import { headerValue, readRawBody, verifyWebhookSignature, WebhookRefusal } from '../../../platform/webhook-signature';
import { type Db, isDatabaseUnavailable } from '../../shared/db';
import { abandonAgreementSignature, completeAgreementSignature } from './onboarding.service';

/** The envelope-level events the agreement follows; signer events are acknowledged and ignored. */
const ENVELOPE_EVENTS = new Set(['envelope.completed', 'envelope.declined', 'envelope.expired']);

export const AGREEMENT_WEBHOOK_PATH = '/webhooks/esign-agreements';

export function agreementWebhookRoute(options: {
  db: Db;
  secret: string;
  toleranceSeconds: number;
  logger: Logger;
  now?: () => number;
}): Route {
  const now = options.now ?? Date.now;
  return async (req: IncomingMessage, res: ServerResponse) => {
    try {
      if (req.method !== 'POST') throw new WebhookRefusal(405, 'METHOD_NOT_ALLOWED', 'POST only');
      const rawBody = await readRawBody(req, 64 * 1024);
      verifyWebhookSignature(
        { rawBody, timestamp: headerValue(req, 'x-esign-timestamp'), signature: headerValue(req, 'x-esign-signature') },
        options.secret,
        options.toleranceSeconds,
        now(),
      );
      let event: { eventId?: unknown; type?: unknown; envelopeId?: unknown; occurredAt?: unknown };
      try {
        event = JSON.parse(rawBody.toString('utf8')) as typeof event;
      } catch {
        throw new WebhookRefusal(400, 'BAD_REQUEST', 'the webhook body is not JSON');
      }
      if (!ENVELOPE_EVENTS.has(String(event.type))) return sendJson(res, 200, { received: true, ignored: true });
      if (typeof event.envelopeId !== 'string' || typeof event.occurredAt !== 'string' || Number.isNaN(Date.parse(event.occurredAt)))
        throw new WebhookRefusal(400, 'BAD_REQUEST', 'the webhook has no envelopeId or occurredAt');
      const applied =
        event.type === 'envelope.completed'
          ? await completeAgreementSignature(options.db, event.envelopeId, new Date(event.occurredAt).toISOString())
          : await abandonAgreementSignature(options.db, event.envelopeId);
      options.logger.info({ envelopeId: event.envelopeId, applied }, 'agreement e-signature webhook received');
      sendJson(res, 200, { received: true, applied });
    } catch (error) {
      if (error instanceof WebhookRefusal) {
        if (error.status === 401) options.logger.warn({ reason: error.message }, 'agreement e-signature webhook refused');
        return sendJson(res, error.status, { error: error.code, message: error.message }, { connection: 'close' });
      }
      const unavailable = isDatabaseUnavailable(error);
      options.logger.error(
        { err: unavailable ? undefined : error },
        'agreement e-signature webhook failed: the provider will deliver it again',
      );
      sendJson(res, unavailable ? 503 : 500, { error: unavailable ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_SERVER_ERROR' });
    }
  };
}
