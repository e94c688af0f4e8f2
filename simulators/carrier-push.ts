/**
 * A simulated carrier's push of status notifications: when one of its applications changes (status,
 * requirements, terms), the carrier POSTs a notification in its protocol's shape (ACORD: a TXLife
 * 1125-style status notification carrying the holding; REST and rate book: a JSON event carrying the
 * status report) to the webhook URL it was given, signed the way the cases subgraph checks it:
 * `X-Carrier-Timestamp: <unix seconds>` and `X-Carrier-Signature: <hex HMAC-SHA256(secret,
 * "<timestamp>.<rawBody>")>`. A delivery that fails is retried with doubling backoff (a few times),
 * then dropped: the BGA's periodic sync still catches up. Off until a URL is set and it is enabled
 * (control API `setPush`, or startSimulators' `carrierPush`).
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { StoredApplication } from './carrier-store';

export const CARRIER_PUSH_TIMESTAMP_HEADER = 'x-carrier-timestamp';
export const CARRIER_PUSH_SIGNATURE_HEADER = 'x-carrier-signature';

/** Where and how a carrier pushes. */
export interface PushSettings {
  /** The webhook URL (the BGA's /webhooks/carriers/<carrierId>); null = nowhere. */
  url: string | null;
  /** The shared secret the notifications are signed with. */
  secret: string;
  /** Off: changes are not pushed (the BGA polls). */
  enabled: boolean;
  /** Attempts per notification before it is dropped (default 4). */
  attempts?: number;
  /** The first retry's delay, doubled for each next one (default 100 ms). */
  retryDelayMs?: number;
}

/** One notification as its protocol renders it. */
export interface PushBody {
  contentType: string;
  body: string;
}

/** A delivery attempt, for tests: what was sent, and the answer (0 when the connection failed). */
export interface PushDelivery {
  eventId: string;
  carrierReference: string;
  status: number;
  at: string;
}

export function signPush(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class CarrierPusher {
  settings: PushSettings;
  readonly deliveries: PushDelivery[] = [];
  private readonly pending = new Set<Promise<void>>();

  constructor(
    settings: PushSettings,
    /** The protocol's rendering of a notification (set by the carrier's server). */
    public render: (application: StoredApplication, eventId: string) => PushBody,
  ) {
    this.settings = { ...settings };
  }

  /** Pushes this application's current state now (asynchronously): nothing when off. */
  notify(application: StoredApplication): void {
    const { url, enabled } = this.settings;
    if (!url || !enabled) return;
    const eventId = randomUUID();
    const rendered = this.render(application, eventId);
    const delivery = this.deliver(url, eventId, application.carrierReference, rendered).finally(() => this.pending.delete(delivery));
    this.pending.add(delivery);
  }

  /** Waits for the deliveries under way (tests; shutdown). */
  async settle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  private async deliver(url: string, eventId: string, carrierReference: string, rendered: PushBody): Promise<void> {
    const attempts = this.settings.attempts ?? 4;
    let delay = this.settings.retryDelayMs ?? 100;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const timestamp = String(Math.floor(Date.now() / 1000));
      let status = 0;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': rendered.contentType,
            [CARRIER_PUSH_TIMESTAMP_HEADER]: timestamp,
            [CARRIER_PUSH_SIGNATURE_HEADER]: signPush(this.settings.secret, timestamp, rendered.body),
          },
          body: rendered.body,
          signal: AbortSignal.timeout(5_000),
        });
        status = response.status;
        await response.arrayBuffer();
      } catch {
        status = 0;
      }
      this.deliveries.push({ eventId, carrierReference, status, at: new Date().toISOString() });
      // 2xx: delivered; 4xx but 408/429: the receiver refuses it for good (a bad signature will not get better).
      if (status >= 200 && status < 300) return;
      if (status >= 400 && status < 500 && status !== 408 && status !== 429) return;
      if (attempt < attempts) await sleep(delay);
      delay *= 2;
    }
  }
}
