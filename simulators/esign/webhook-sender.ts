/**
 * The provider's side of its signed webhooks, Stripe-style: each event is POSTed as JSON to the
 * envelope's callback URL with `X-Esign-Timestamp` (unix seconds) and `X-Esign-Signature` (hex
 * HMAC-SHA256 of `${timestamp}.${rawBody}` with the shared secret), signed afresh on every attempt.
 * A receiver that answers anything but 2xx, or cannot be reached, gets the same event (same eventId)
 * again after a backoff that doubles, so an outage of the receiver loses nothing. Events of one
 * envelope are delivered in order: the next waits until the one before is delivered or given up.
 */
import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-esign-signature';
export const TIMESTAMP_HEADER = 'x-esign-timestamp';

/** The hex HMAC-SHA256 a delivery carries; the receiver computes the same over the raw body it read. */
export const webhookSignature = (secret: string, timestamp: string, rawBody: string): string =>
  createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');

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

export interface WebhookRetrySettings {
  /** First wait after a failed attempt; doubles per attempt up to maxDelayMs. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** Attempts before an event is given up (a real provider keeps trying for days). */
  maxAttempts: number;
  /** How long one attempt may take before it counts as failed. */
  timeoutMs: number;
}

/** One attempt, as the delivery log shows it (tests assert on it; no body, no personal data). */
export interface DeliveryAttempt {
  eventId: string;
  type: WebhookType;
  envelopeId: string;
  attempt: number;
  /** The receiver's HTTP status; 0 when it could not be reached or timed out. */
  status: number;
  at: string;
}

export class WebhookSender {
  readonly log: DeliveryAttempt[] = [];
  /** Events given up after maxAttempts. */
  readonly abandoned: WebhookEvent[] = [];
  private readonly chains = new Map<string, Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly wakers = new Set<() => void>();
  private stopped = false;

  constructor(
    private readonly secret: string,
    public retry: WebhookRetrySettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** Queues an event behind the envelope's earlier ones. */
  send(callbackUrl: string, event: WebhookEvent): void {
    const previous = this.chains.get(event.envelopeId) ?? Promise.resolve();
    const next = previous.then(() => this.deliver(callbackUrl, event));
    this.chains.set(event.envelopeId, next);
    void next.finally(() => {
      if (this.chains.get(event.envelopeId) === next) this.chains.delete(event.envelopeId);
    });
  }

  /** Resolves when every queued event is delivered or given up. */
  async idle(): Promise<void> {
    while (this.chains.size > 0) await Promise.all([...this.chains.values()]);
  }

  /** Cuts every backoff short: the waiting deliveries try again now. */
  retryNow(): void {
    for (const wake of [...this.wakers]) wake();
  }

  stop(): void {
    this.stopped = true;
    this.retryNow();
  }

  private async deliver(callbackUrl: string, event: WebhookEvent): Promise<void> {
    const body = JSON.stringify(event);
    for (let attempt = 1; attempt <= this.retry.maxAttempts && !this.stopped; attempt++) {
      const status = await this.attempt(callbackUrl, body);
      this.log.push({
        eventId: event.eventId,
        type: event.type,
        envelopeId: event.envelopeId,
        attempt,
        status,
        at: new Date(this.now()).toISOString(),
      });
      if (status >= 200 && status < 300) return;
      if (attempt < this.retry.maxAttempts)
        await this.wait(Math.min(this.retry.maxDelayMs, this.retry.initialDelayMs * 2 ** (attempt - 1)));
    }
    this.abandoned.push(event);
  }

  private async attempt(callbackUrl: string, body: string): Promise<number> {
    const timestamp = String(Math.floor(this.now() / 1000));
    try {
      const response = await fetch(callbackUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: webhookSignature(this.secret, timestamp, body),
        },
        body,
        signal: AbortSignal.timeout(this.retry.timeoutMs),
      });
      await response.arrayBuffer();
      return response.status;
    } catch {
      return 0;
    }
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.timers.delete(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      this.timers.add(timer);
      this.wakers.add(done);
    });
  }
}
