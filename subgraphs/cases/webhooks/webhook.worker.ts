/**
 * Delivers case and requirement events to webhook subscribers. The outbox is cases.case_event
 * itself, read through a durable cursor per subscriber (webhook.repository.ts claimDueDeliveries):
 * every committed event reaches every subscriber whose types it matches, in order, one in flight
 * per subscriber, and the cursor moves past an event only after a 2xx (or once the event is
 * dead-lettered). At least once, and once per event id at a receiver that deduplicates by it: a
 * worker that dies after the POST and before recording it leaves the event to be sent again.
 *
 * Each POST is JSON of the event without personal data (id, type, case id, status change,
 * requirement id, when), signed the Stripe way: `Bga-Signature: t=<unix seconds>,v1=<hex
 * HMAC-SHA256 of "<t>.<body>">` (platform/webhook-signature.ts signWebhook). One statement per
 * attempt once a subscriber is being served: the attempt's record, which claims its next event
 * (plus a pass's claim, shared by the subscribers it finds due).
 */
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { Agent, request } from 'undici';
import type { Logger } from '../../../platform/logger';
import type { PersonalDataVault } from '../../../platform/personal-data';
import type { RequestStats } from '../../../platform/stats';
import { signWebhook } from '../../../platform/webhook-signature';
import { Db, type Pool } from '../../shared/db';
import { PollingJob, PollingWorker } from '../../shared/polling-worker';
import { backoffMs, type WebhookConfig } from './webhook.config';
import { webhookAttempts, webhookDeliveryLag } from './webhook.metrics';
import {
  type AttemptOutcome,
  type ClaimedDelivery,
  claimDueDeliveries,
  claimDueReplays,
  fastForwardCursors,
  recordAttempt,
  recordReplayAttempt,
} from './webhook.repository';
import { isInternalAddress, publicOnlyLookup } from './webhook-url';

/** The vault's field for a subscriber's signing secret (scripts/personal-data/rotate.ts lists it). */
export const WEBHOOK_SECRET_FIELD = 'webhook_subscriber.secret';

/** A new signing secret: 32 random bytes, base64url, with a prefix that says what it is. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

/** The signature header every POST carries. */
export const SIGNATURE_HEADER = 'Bga-Signature';

/** What a subscriber receives: the event, never personal data. */
export interface WebhookPayload {
  /** The case history entry's id: a subscription's eventId is <tx>-<this id>; receivers deduplicate by it. */
  id: string;
  type: string;
  caseId: string;
  fromStatus: string | null;
  toStatus: string | null;
  requirementId: string | null;
  occurredAt: string;
}

export const payloadOf = (event: ClaimedDelivery['event']): WebhookPayload => ({
  id: String(event.id),
  type: event.type,
  caseId: event.caseId,
  fromStatus: event.fromStatus,
  toStatus: event.toStatus,
  requirementId: event.requirementId,
  occurredAt: event.at,
});

export interface WebhookWorkerOptions {
  pool: Pool;
  logger: Logger;
  vault: PersonalDataVault;
  config: Readonly<WebhookConfig>;
  /** Subscribers per pass (default 50). */
  batchSize?: number;
  /** Counts the worker's SQL statements (tests). */
  stats?: RequestStats;
  /** The clock (tests). */
  now?: () => number;
  /** How often, at most, an idle pass moves caught-up cursors past events of types their subscribers do not take (default 60000 ms). */
  fastForwardMs?: number;
  /** How often, at most, a pass looks for replays an ADMIN queued (replayWebhookDeliveries; default 5000 ms, 0: every pass). */
  replayPollMs?: number;
}

export class WebhookWorker extends PollingJob<ClaimedDelivery> {
  private readonly db: Db;
  protected readonly worker: PollingWorker<ClaimedDelivery>;
  private readonly dispatcher: Agent;
  private readonly refuseInternal: boolean;
  private closed = false;
  private stopping = false;
  private leaseSeconds: number;
  private readonly serving = new Set<Promise<void>>();
  private fastForwardedAt = 0;
  private replaysCheckedAt: number;
  /** Attempts made by this worker (metrics and tests): delivered, failed, dead-lettered. */
  readonly counts = { DELIVERED: 0, FAILED: 0, DEAD_LETTERED: 0 };

  constructor(private readonly options: WebhookWorkerOptions) {
    super();
    const { config } = options;
    this.db = new Db(options.pool, options.stats);
    this.replaysCheckedAt = (options.now ?? Date.now)();
    this.refuseInternal = config.production && !config.allowPrivateUrls;
    this.dispatcher = new Agent({
      connect: { timeout: config.timeoutMs, ...(this.refuseInternal ? { lookup: publicOnlyLookup } : {}) },
      headersTimeout: config.timeoutMs,
      bodyTimeout: config.timeoutMs,
    });
    // The lease outlives the longest POST, so a live worker never loses its subscriber to another.
    this.leaseSeconds = Math.ceil(config.timeoutMs / 1000) + 30;
    const batchSize = options.batchSize ?? 50;
    this.worker = new PollingWorker<ClaimedDelivery>({
      name: 'webhooks',
      intervalMs: config.pollMs || 1_000,
      logger: options.logger,
      claim: async () => {
        // Subscribers being served by this worker stay leased; room for the others up to the batch size.
        const room = batchSize - this.serving.size;
        const claimed = room > 0 ? await claimDueDeliveries(this.db, this.leaseSeconds, room) : [];
        const at = (options.now ?? Date.now)();
        // Now and then: dead-lettered events an ADMIN queued again, beside the subscribers' cursors.
        if (room > claimed.length && at - this.replaysCheckedAt >= (options.replayPollMs ?? 5_000)) {
          this.replaysCheckedAt = at;
          for (const replay of await claimDueReplays(this.db, this.leaseSeconds, room - claimed.length))
            claimed.push({ ...replay, replay: true });
        }
        // Now and then, when idle: cursors of caught-up subscribers move past the events of types
        // they do not take, so a subscriber of rare types is not offered a long run of others to
        // look through at every claim.
        if (claimed.length === 0 && this.serving.size === 0 && at - this.fastForwardedAt >= (options.fastForwardMs ?? 60_000)) {
          this.fastForwardedAt = at;
          await fastForwardCursors(this.db);
        }
        return claimed;
      },
      // Each claimed subscriber is served on its own, event after event while it answers 2xx: a
      // slow or failing receiver holds up no other subscriber, and the next pass does not wait.
      work: async (claimed) => {
        for (const delivery of claimed) {
          const serving = this.serve(delivery).finally(() => this.serving.delete(serving));
          this.serving.add(serving);
        }
      },
    });
  }

  /** One pass now, and the subscribers it claimed served until each is caught up or failing (tests). */
  override async runOnce(): Promise<number> {
    const claimed = await super.runOnce();
    await this.settled();
    return claimed;
  }

  /** Resolves once every subscriber this worker is serving is caught up or failing. */
  async settled(): Promise<void> {
    while (this.serving.size) await Promise.all([...this.serving]);
  }

  override async stop(): Promise<void> {
    this.stopping = true;
    await super.stop();
    await this.settled();
    if (this.closed) return;
    this.closed = true;
    await this.dispatcher.close();
  }

  /**
   * Delivers a subscriber's events one after another: the record of each 2xx (or dead letter)
   * claims its next event for it alone in the same statement (renewing the lease), until it has
   * none due, fails, or the worker stops. Never rejects: a database failure leaves the lease to
   * bring the subscriber back.
   */
  private async serve(first: ClaimedDelivery): Promise<void> {
    if (first.replay) return this.replay(first);
    let claimed: ClaimedDelivery | undefined = first;
    while (claimed) claimed = await this.deliver(claimed);
  }

  /** One attempt at a replayed event, recorded; it leaves the queue once delivered or dead-lettered again. */
  private async replay(claimed: ClaimedDelivery): Promise<void> {
    const outcome = await this.attempt(claimed);
    try {
      await recordReplayAttempt(this.db, claimed, outcome);
    } catch (recordError) {
      this.options.logger.warn(
        { err: recordError, subscriberId: claimed.subscriberId, eventId: claimed.event.id },
        'webhooks: cannot record a replay attempt',
      );
      return;
    }
    this.counted(claimed, outcome, 'replay');
  }

  /** One attempt, recorded; answers the subscriber's next event when this one is settled and another is due. */
  private async deliver(claimed: ClaimedDelivery): Promise<ClaimedDelivery | undefined> {
    const { logger } = this.options;
    const outcome = await this.attempt(claimed);
    let next: ClaimedDelivery | undefined;
    try {
      next = await recordAttempt(this.db, claimed, outcome, this.stopping ? undefined : this.leaseSeconds);
    } catch (recordError) {
      // The lease brings the subscriber back and the event goes again: at least once, never lost.
      logger.warn(
        { err: recordError, subscriberId: claimed.subscriberId, eventId: claimed.event.id },
        'webhooks: cannot record an attempt',
      );
      return undefined;
    }
    this.counted(claimed, outcome);
    return next;
  }

  /** Counters, the delivery lag and the log line of a recorded attempt. */
  private counted(claimed: ClaimedDelivery, outcome: AttemptOutcome, kind: 'event' | 'replay' = 'event'): void {
    const { logger } = this.options;
    const now = this.options.now ?? Date.now;
    const error = outcome.error;
    this.counts[outcome.status]++;
    webhookAttempts.inc({ status: outcome.status });
    if (outcome.status === 'DELIVERED' && kind === 'event')
      webhookDeliveryLag.observe(Math.max(0, (now() - Date.parse(claimed.event.at)) / 1000));
    if (outcome.status === 'DEAD_LETTERED')
      logger.warn(
        { subscriberId: claimed.subscriberId, eventId: claimed.event.id, attempts: claimed.attempt, error, kind },
        'webhooks: event dead-lettered',
      );
    else
      logger.debug(
        { subscriberId: claimed.subscriberId, eventId: claimed.event.id, status: outcome.status, error, kind },
        'webhooks: attempt',
      );
  }

  /** POSTs the event, signed, and judges the answer: DELIVERED, FAILED (with its backoff) or DEAD_LETTERED. */
  private async attempt(claimed: ClaimedDelivery): Promise<AttemptOutcome> {
    const { config } = this.options;
    const now = this.options.now ?? Date.now;
    const started = performance.now();
    let httpStatus: number | null = null;
    let error: string | null = null;
    try {
      const secret = this.options.vault.open(WEBHOOK_SECRET_FIELD, claimed.sealedSecret).plaintext;
      const url = new URL(claimed.url);
      const host = url.hostname.replace(/^\[|\]$/g, '');
      if (this.refuseInternal && (host === 'localhost' || (isIP(host) && isInternalAddress(host))))
        throw Object.assign(new Error('webhook URL is a loopback or private address'), { code: 'EADDRNOTALLOWED' });
      const body = JSON.stringify(payloadOf(claimed.event));
      const timestamp = String(Math.floor(now() / 1000));
      const response = await request(url, {
        method: 'POST',
        dispatcher: this.dispatcher,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'bga-graph-webhooks/1',
          'bga-event-id': String(claimed.event.id),
          'bga-event-type': claimed.event.type,
          'bga-delivery-attempt': String(claimed.attempt),
          [SIGNATURE_HEADER.toLowerCase()]: `t=${timestamp},v1=${signWebhook(secret, timestamp, body)}`,
        },
        // Redirects are not followed (undici follows none without its redirect interceptor): a 3xx is a failure.
        body,
        signal: AbortSignal.timeout(config.timeoutMs),
      });
      httpStatus = response.statusCode;
      // The body is not read into anything: only drained, so the connection can be reused.
      await response.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
      if (httpStatus < 200 || httpStatus >= 300) error = `HTTP ${httpStatus}`;
    } catch (caught) {
      const { code, name, message } = caught as { code?: string; name?: string; message?: string };
      error = (code ?? (name === 'TimeoutError' || name === 'AbortError' ? 'TIMEOUT' : (name ?? 'ERROR'))).slice(0, 60);
      if (code === undefined && message) error = `${error}: ${message.slice(0, 200)}`;
    }
    const durationMs = performance.now() - started;
    if (error === null) return { status: 'DELIVERED', httpStatus, error, durationMs };
    const age = (now() - Date.parse(claimed.firstAttemptAt)) / 1000;
    const giveUp = claimed.attempt >= config.maxAttempts || age >= config.deadLetterAfterSeconds;
    return giveUp
      ? { status: 'DEAD_LETTERED', httpStatus, error, durationMs }
      : { status: 'FAILED', httpStatus, error, durationMs, retryInSeconds: backoffMs(config, claimed.attempt) / 1000 };
  }
}
