/**
 * POST /webhooks/carriers/<carrierId>: a carrier's pushed status notification (an ACORD TXLife 1125
 * status notification, or a REST / rate-book carrier's JSON event), applied like a carrier sync so
 * the case moves within seconds of the carrier rather than at the next poll.
 *
 * Nothing is believed before the signature is: the HMAC-SHA256 of `${timestamp}.${rawBody}` with
 * CARRIER_PUSH_SECRET (one per deployment, given to each carrier) must match `X-Carrier-Signature`
 * (constant-time), and `X-Carrier-Timestamp` must be within the tolerance of our clock either way (a
 * replayed old delivery, or one dated ahead, is 401 and changes nothing). Even then the body is only
 * a nudge: the carrier reference is read from it, and the carrier is ASKED now (the carriers port's
 * caseSnapshots for that one reference, as the sync does); its answer is applied with applySnapshot
 * in one transaction per case. A duplicate or late push re-applies the carrier's current view, which
 * changes nothing. Nothing personal is in a push, and only ids are logged.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { XMLParser } from 'fast-xml-parser';
import type { Cache } from '../../platform/cache';
import { DEV_CARRIER_PUSH_SECRET, devSecret, int } from '../../platform/config';
import { type Route, sendJson } from '../../platform/http';
import type { Logger } from '../../platform/logger';
import { headerValue as header, readRawBody, verifyWebhookSignature, WebhookRefusal as Refusal } from '../../platform/webhook-signature';
import { type Db, isDatabaseUnavailable } from '../shared/db';
import { bumpMetricsGeneration } from './case-metrics.cache';
import { applySnapshot } from './case-sync.worker';
import type { CarriersPort } from './ports/carriers.port';

/** A prefix route: the carrier's id follows it. */
export const CARRIER_PUSH_PATH = '/webhooks/carriers/';
export const CARRIER_PUSH_SIGNATURE_HEADER = 'x-carrier-signature';
export const CARRIER_PUSH_TIMESTAMP_HEADER = 'x-carrier-timestamp';

export interface CarrierPushConfig {
  /** CARRIER_PUSH_SECRET: the secret carriers sign their pushes with (a development default; refused when NODE_ENV=production). */
  secret: string;
  /** CARRIER_PUSH_TOLERANCE_S: how far a push's timestamp may be from our clock, either way, in seconds (default 300). */
  toleranceSeconds: number;
}

export function readCarrierPushConfig(env: Record<string, string | undefined>): CarrierPushConfig {
  return {
    secret: devSecret(env, 'CARRIER_PUSH_SECRET', DEV_CARRIER_PUSH_SECRET),
    toleranceSeconds: int(env, 'CARRIER_PUSH_TOLERANCE_S', 300, { min: 1, max: 86_400 }),
  };
}

export interface CarrierPushOptions extends CarrierPushConfig {
  db: Db;
  cache: Cache;
  carriers: CarriersPort;
  logger: Logger;
  /** Largest body accepted (default 256 KiB: a holding with its requirements). */
  maxBodyBytes?: number;
  now?: () => number;
}

/** Throws 401 unless the push is signed with our secret and dated within the tolerance (the shared Stripe-style check). */
export function verifyCarrierPush(
  rawBody: Buffer,
  timestamp: string | undefined,
  signature: string | undefined,
  secret: string,
  toleranceSeconds: number,
  nowMs: number,
): void {
  verifyWebhookSignature({ rawBody, timestamp, signature }, secret, toleranceSeconds, nowMs);
}

const xml = new XMLParser({ ignoreAttributes: true, parseTagValue: false, removeNSPrefix: true });
const REFERENCE = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The carrier's reference of the application a push is about: an ACORD notification's
 * Holding/Policy/ApplicationInfo/TrackingID, or a JSON event's application.applicationId (REST) or
 * submission.submissionId (rate book). 400 when none can be read (the carrier's bug, signed by it).
 */
export function pushedReference(rawBody: Buffer, contentType: string | undefined): string {
  const body = rawBody.toString('utf8');
  let reference: unknown;
  if (/xml/i.test(contentType ?? '') || body.trimStart().startsWith('<')) {
    let doc: Record<string, unknown>;
    try {
      doc = xml.parse(body) as Record<string, unknown>;
    } catch {
      throw new Refusal(400, 'BAD_REQUEST', 'the push is not XML');
    }
    const at = (node: unknown, name: string): unknown => {
      const value = node && typeof node === 'object' ? (node as Record<string, unknown>)[name] : undefined;
      return Array.isArray(value) ? value[0] : value;
    };
    const policy = at(at(at(at(at(doc, 'TXLife'), 'TXLifeRequest'), 'OLifE'), 'Holding'), 'Policy');
    reference = at(at(policy, 'ApplicationInfo'), 'TrackingID');
  } else {
    let json: Record<string, Record<string, unknown> | undefined>;
    try {
      json = JSON.parse(body) as typeof json;
    } catch {
      throw new Refusal(400, 'BAD_REQUEST', 'the push is neither XML nor JSON');
    }
    reference = json?.application?.applicationId ?? json?.submission?.submissionId;
  }
  if (typeof reference !== 'string' || !REFERENCE.test(reference))
    throw new Refusal(400, 'BAD_REQUEST', 'the push names no application reference we can read');
  return reference;
}

export function carrierPushRoute(options: CarrierPushOptions): Route {
  const limit = options.maxBodyBytes ?? 256 * 1024;
  const now = options.now ?? Date.now;
  return async (req: IncomingMessage, res: ServerResponse) => {
    let carrierId = '';
    try {
      if (req.method !== 'POST') throw new Refusal(405, 'METHOD_NOT_ALLOWED', 'POST only');
      carrierId = decodeURIComponent(new URL(req.url ?? '/', 'http://push').pathname.slice(CARRIER_PUSH_PATH.length));
      if (!/^car_[a-z0-9_]{1,60}$/.test(carrierId)) throw new Refusal(404, 'NOT_FOUND', 'no such carrier');
      const rawBody = await readRawBody(req, limit);
      verifyCarrierPush(
        rawBody,
        header(req, CARRIER_PUSH_TIMESTAMP_HEADER),
        header(req, CARRIER_PUSH_SIGNATURE_HEADER),
        options.secret,
        options.toleranceSeconds,
        now(),
      );
      const reference = pushedReference(rawBody, header(req, 'content-type'));
      // One case per carrier reference in practice (carriers number their applications); each one is brought in line.
      const targets = await options.db.query<{ id: string }>(
        `SELECT id FROM cases."case" WHERE carrier_id = $1 AND carrier_reference = $2 ORDER BY id`,
        [carrierId, reference],
      );
      if (!targets.length) {
        // Not ours (or its acceptance is still being recorded): the periodic sync will see it.
        options.logger.warn({ carrierId }, 'carrier push for an application we have no case for');
        return sendJson(res, 404, { error: 'UNKNOWN_APPLICATION' });
      }
      // The push says something changed; the carrier says what, now (as a sync asks it).
      const [snapshot] = await options.carriers.caseSnapshots(carrierId, [reference]);
      let written = 0;
      if (snapshot)
        for (const target of targets) written += await applySnapshot(options.db, target.id, snapshot, options.logger, options.carriers);
      if (written > 0) await bumpMetricsGeneration(options.cache);
      options.logger.info({ carrierId, caseIds: targets.map((t) => t.id), events: written }, 'carrier push applied');
      sendJson(res, 200, { received: true, caseIds: targets.map((t) => t.id), events: written });
    } catch (error) {
      if (error instanceof Refusal) {
        if (error.status === 401) options.logger.warn({ carrierId, reason: error.message }, 'carrier push refused');
        return sendJson(res, error.status, { error: error.code, message: error.message }, { connection: 'close' });
      }
      const unavailable =
        isDatabaseUnavailable(error) ||
        ['SERVICE_UNAVAILABLE', 'CARRIER_UNAVAILABLE'].includes((error as { extensions?: { code?: string } }).extensions?.code ?? '');
      options.logger.error({ err: unavailable ? undefined : error, carrierId }, 'carrier push failed: the carrier will push again');
      sendJson(res, unavailable ? 503 : 500, { error: unavailable ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_SERVER_ERROR' });
    }
  };
}
