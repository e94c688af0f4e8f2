/**
 * The sending side of signed webhooks, shared by the simulated providers (the e-signature provider,
 * the exam and APS vendors) and by the vendors' results deliveries to the carriers. Each event is
 * POSTed to its URL with headers the provider signs afresh on every attempt (a timestamp and an
 * HMAC, each provider in its own header style). A receiver that answers anything but 2xx, or cannot
 * be reached, gets the same event (same eventId) again after a backoff that doubles, so an outage
 * of the receiver loses nothing. Events with the same order key (an envelope, a vendor order) are
 * delivered in order: the next waits until the one before is delivered or given up.
 */
import { createHmac } from 'node:crypto';

/** The hex HMAC-SHA256 of `${timestamp}.${rawBody}`: what every simulated provider signs (Stripe style). */
export const hmacSignature = (secret: string, timestamp: string, rawBody: string): string =>
  createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');

export interface WebhookRetrySettings {
  /** First wait after a failed attempt; doubles per attempt up to maxDelayMs. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** Attempts before an event is given up (a real provider keeps trying for days). */
  maxAttempts: number;
  /** How long one attempt may take before it counts as failed. */
  timeoutMs: number;
}

/** What the delivery log records of every attempt, besides what the sender's `describe` adds. */
export interface AttemptFacts {
  eventId: string;
  attempt: number;
  /** The receiver's HTTP status; 0 when it could not be reached or timed out. */
  status: number;
  at: string;
}

/** One attempt as the delivery log shows it (tests assert on it): no body, no personal data. */
export type DeliveryAttempt<D extends object> = D & AttemptFacts;

export interface WebhookSenderOptions<E extends { eventId: string }, D extends object> {
  retry: WebhookRetrySettings;
  /** Events with the same key are delivered one after the other, in the order sent. */
  orderKey: (event: E) => string;
  /** What the log keeps of an event beside its id (type, the order it is about): never personal data. */
  describe: (event: E) => D;
  /** The body and its content type (default: the event as JSON). */
  encode?: (event: E) => { body: string; contentType: string };
  /** The headers that sign one attempt, from the unix-seconds timestamp and the raw body (default: none). */
  sign?: (timestamp: string, rawBody: string) => Record<string, string>;
  now?: () => number;
}

const asJson = (event: unknown) => ({ body: JSON.stringify(event), contentType: 'application/json' });

export class WebhookSender<E extends { eventId: string }, D extends object = Record<never, never>> {
  readonly log: DeliveryAttempt<D>[] = [];
  /** Events given up after maxAttempts. */
  readonly abandoned: E[] = [];
  retry: WebhookRetrySettings;
  private readonly chains = new Map<string, Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly wakers = new Set<() => void>();
  private readonly now: () => number;
  private stopped = false;

  constructor(private readonly options: WebhookSenderOptions<E, D>) {
    this.retry = options.retry;
    this.now = options.now ?? Date.now;
  }

  /** Queues an event behind the earlier ones with its order key. */
  send(url: string, event: E): void {
    const key = this.options.orderKey(event);
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.then(() => this.deliver(url, event));
    this.chains.set(key, next);
    void next.finally(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
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

  /** No more attempts: what is waiting is given up at once (a stopped provider sends nothing). */
  stop(): void {
    this.stopped = true;
    this.retryNow();
  }

  private async deliver(url: string, event: E): Promise<void> {
    const { body, contentType } = (this.options.encode ?? asJson)(event);
    for (let attempt = 1; attempt <= this.retry.maxAttempts && !this.stopped; attempt++) {
      const status = await this.attempt(url, body, contentType);
      this.log.push({
        ...this.options.describe(event),
        eventId: event.eventId,
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

  private async attempt(url: string, body: string, contentType: string): Promise<number> {
    const timestamp = String(Math.floor(this.now() / 1000));
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': contentType, ...this.options.sign?.(timestamp, body) },
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
