/**
 * POST /webhooks/vendors/pulse and /webhooks/vendors/chartwell: the requirement vendors' signed
 * webhooks. Nothing is believed before the signature is: each vendor's adapter verifies it
 * (platform/webhook-signature.ts; wrong, missing, old or future → 401, nothing changed) and reads
 * the body as our VendorEvent. Then vendor-event.service.ts applies it in one transaction: a
 * redelivered event answers 200 and changes nothing; an order we have not recorded yet answers
 * 404 so the vendor delivers it again; any failure rolls back and answers 5xx (redelivered too).
 * Nothing but ids, the vendor and the stage is logged.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Route, sendJson } from '../../platform/http';
import type { Logger } from '../../platform/logger';
import { readRawBody, WebhookRefusal } from '../../platform/webhook-signature';
import { type Db, isDatabaseUnavailable } from '../shared/db';
import type { VendorCode } from './domain/requirement-vendors';
import type { RequirementVendor } from './ports/requirement-vendor.port';
import { applyVendorEvent } from './vendor-event.service';

/** Where a vendor's webhooks arrive: `/webhooks/vendors/pulse`, `/webhooks/vendors/chartwell`. */
export const vendorWebhookPath = (vendor: VendorCode) => `/webhooks/vendors/${vendor.toLowerCase()}`;

export interface VendorWebhookOptions {
  db: Db;
  vendor: RequirementVendor;
  logger: Logger;
  /** Largest body accepted (default 64 KiB; an event is well under 4 KiB). */
  maxBodyBytes?: number;
  now?: () => number;
}

export function vendorWebhookRoute(options: VendorWebhookOptions): Route {
  const limit = options.maxBodyBytes ?? 64 * 1024;
  const now = options.now ?? Date.now;
  const vendor = options.vendor.code;
  return async (req: IncomingMessage, res: ServerResponse) => {
    try {
      if (req.method !== 'POST') throw new WebhookRefusal(405, 'METHOD_NOT_ALLOWED', 'POST only');
      const rawBody = await readRawBody(req, limit);
      const event = options.vendor.parseWebhook({ rawBody, headers: req.headers }, now());
      const outcome = await applyVendorEvent(options.db, vendor, event);
      const log = { vendor, eventId: event.eventId, orderId: event.orderId, stage: event.stage, sequence: event.sequence };
      if (outcome.result === 'UNKNOWN_ORDER') {
        options.logger.warn(log, 'vendor webhook for an order we have not recorded: the vendor will deliver it again');
        return sendJson(res, 404, { error: 'UNKNOWN_ORDER' });
      }
      options.logger.info({ ...log, result: outcome.result }, 'vendor webhook received');
      sendJson(res, 200, { received: true, duplicate: outcome.result === 'DUPLICATE', applied: outcome.result === 'APPLIED' });
    } catch (error) {
      if (error instanceof WebhookRefusal) {
        if (error.status === 401) options.logger.warn({ vendor, reason: error.message }, 'vendor webhook refused');
        // A refused body may be left unread: close the connection rather than keep it with the rest in it.
        return sendJson(res, error.status, { error: error.code, message: error.message }, { connection: 'close' });
      }
      const unavailable = isDatabaseUnavailable(error);
      options.logger.error({ vendor, err: unavailable ? undefined : error }, 'vendor webhook failed: the vendor will deliver it again');
      sendJson(res, unavailable ? 503 : 500, { error: unavailable ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_SERVER_ERROR' });
    }
  };
}
