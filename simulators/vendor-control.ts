/**
 * What the two simulated requirement vendors (PULSE, exams: simulators/exam/; CHARTWELL, APS:
 * simulators/aps/) have in common, whatever their wire protocol: their orders and each order's
 * stage, sequence and history; moves between stages by the control API (`advance`) or on their own
 * (`autoProgressMs`); a signed webhook per stage change, with webhook faults (drop, duplicate,
 * reorder); the results POSTed to the carrier when an order reaches the carrier stage; latency and
 * API faults; counts of API calls by kind. The in-process control object of each vendor is a
 * `VendorControl`; the HTTP form under `/_control/` (handleVendorControl) acts on the same state:
 *
 *   GET    /_control/orders[?reference=<ours>]   the orders (no personal data is kept)
 *   GET    /_control/orders/<orderId>            one of them
 *   POST   /_control/orders/<orderId>/advance    {"stage"?, "details"?}: the next happy-path stage when no stage is named
 *   PUT    /_control/auto-progress               {"ms"}: each open order moves on every ms (0 = only advance)
 *   GET    /_control/counts | DELETE             API calls received by kind
 *   PUT    /_control/latency                     {"fixedMs", "jitterMs"?}
 *   PUT    /_control/fault                       {"fault": "hang"|"5xx"|"malformed", "times"?, "kinds"?}
 *   DELETE /_control/fault
 *   PUT    /_control/webhook-fault               {"fault": "drop"|"duplicate"|"reorder", "times"?}
 *   DELETE /_control/webhook-fault
 *   GET    /_control/webhooks                    the webhook delivery log (event id, order, stage, sequence, attempt, status)
 *   GET    /_control/results                     the carrier deliveries' log
 *   POST   /_control/webhooks/retry              retry waiting deliveries now
 *   POST   /_control/webhooks/release            deliver webhooks a reorder fault still holds back
 *   POST   /_control/reset                       latency, faults, counts, logs and auto progress back to their start values
 */
import { randomUUID } from 'node:crypto';
import { type DeliveryAttempt, WebhookSender, type WebhookRetrySettings } from './webhook-sender';

export const API_FAULTS = ['hang', '5xx', 'malformed'] as const;
/** What an API fault does to a call: never answer, 503, or a 200 whose body cannot be read. */
export type ApiFault = (typeof API_FAULTS)[number];
export const WEBHOOK_FAULTS = ['drop', 'duplicate', 'reorder'] as const;
/**
 * What a webhook fault does to the next stage changes' webhooks: never sent; sent twice (same
 * eventId); held back and sent after the order's next webhook.
 */
export type WebhookFault = (typeof WEBHOOK_FAULTS)[number];

export const DEFAULT_WEBHOOK_RETRY: WebhookRetrySettings = {
  initialDelayMs: 1_000,
  maxDelayMs: 60_000,
  maxAttempts: 12,
  timeoutMs: 10_000,
};

/** The carrier's side of an order: where the vendor sends the results, and what the carrier calls it. */
export interface CarrierOrderRef {
  /** The carrier's code (e.g. SUMMIT): the vendor delivers to that carrier. */
  code: string;
  /** The carrier's application reference. */
  policyReference: string;
  /** The carrier's requirement id, when the carrier has one. */
  requirementId: string | null;
}

/** One stage an order went through. */
export interface StageChange<S extends string> {
  stage: S;
  sequence: number;
  at: string;
}

/** An order as a vendor keeps it: what it needs to do the work and report it, nothing personal. */
export interface VendorOrder<S extends string, D extends object> {
  orderId: string;
  /** The BGA's reference (our requirement id). */
  reference: string;
  stage: S;
  /** 1 at ORDERED, one more at each stage change. */
  sequence: number;
  createdAt: string;
  updatedAt: string;
  history: StageChange<S>[];
  callbackUrl: string;
  carrier: CarrierOrderRef;
  /** The requirement code the carrier receives results for (PARAMED_EXAM, BLOOD_URINE, EKG, APS). */
  resultsCode: string;
  /** What the vendor tells beyond the stage (appointment; the provider's expected date and fee). */
  details: D;
}

/** A stage change as the vendor reports it: by webhook, in its own encoding. */
export interface VendorEvent<S extends string, D extends object> {
  eventId: string;
  orderId: string;
  reference: string;
  stage: S;
  sequence: number;
  occurredAt: string;
  details: D;
  /** The carrier's side of the order (CHARTWELL reports its policy and requirement ids in each push). */
  carrier: CarrierOrderRef;
}

/** The JSON a vendor POSTs to `<carrier base url>/_vendors/results` when an order reaches the carrier stage. */
export interface VendorResults {
  policyReference: string;
  requirementId: string | null;
  reference: string;
  code: string;
  vendor: string;
  orderId: string;
  /** The day the exam was done or the records were received, YYYY-MM-DD. */
  completedOn: string;
}

/** The stage rules and wire encoding one vendor gives the shared machinery. */
export interface VendorSpec<S extends string, D extends object, K extends string> {
  vendor: 'PULSE' | 'CHARTWELL';
  stages: readonly S[];
  /** The happy path: an order starts at its first stage and ends at the carrier stage, its last. */
  path: readonly S[];
  cancelled: S;
  /** Moves off the happy path beside cancelling, by stage (e.g. SCHEDULED → NO_SHOW, NO_SHOW → SCHEDULED). */
  sideMoves: Partial<Record<S, readonly S[]>>;
  /** Where an order at a stage off the path goes next (NO_SHOW → SCHEDULED). */
  sideNext: Partial<Record<S, S>>;
  /** The stage whose date the carrier receives as completedOn (the exam done, the records received). */
  completedStage: S;
  callKinds: readonly K[];
  /** The details before any stage brought some. */
  initialDetails(): D;
  /** What entering `stage` sets when the control API gives nothing (an appointment, an expected date). */
  defaultDetails(stage: S, order: VendorOrder<S, D>, now: Date): Partial<D>;
  /** Checks (and normalises) the details given to advance; throws a RangeError naming what is wrong. */
  checkDetails(details: Record<string, unknown>): Partial<D>;
  /** The webhook body as the vendor encodes it. */
  encode(event: VendorEvent<S, D>): { body: string; contentType: string };
  /** The headers that sign a webhook attempt. */
  sign(secret: string, timestamp: string, body: string): Record<string, string>;
}

export interface VendorControlOptions {
  webhookSecret: string;
  retry?: Partial<WebhookRetrySettings>;
  latency?: { fixedMs: number; jitterMs?: number };
  /** Milliseconds per stage of an order's automatic progress (default 0: only advance moves orders). */
  autoProgressMs?: number;
  /** The carrier simulators' base URLs by carrier code; undefined for a carrier the vendor does not deliver to. */
  carrierUrl?: (code: string) => string | undefined;
  now?: () => number;
}

/** One webhook as the delivery log describes it. */
export interface WebhookDescription {
  orderId: string;
  stage: string;
  sequence: number;
}

/** One results delivery to a carrier as its log describes it. */
export interface ResultsDescription {
  orderId: string;
  carrierCode: string;
}

type ResultsDelivery = VendorResults & { eventId: string; carrierCode: string };

export class VendorOrderError extends Error {
  constructor(
    readonly status: 404 | 409,
    readonly code: 'order_not_found' | 'order_final' | 'invalid_move',
    message: string,
  ) {
    super(message);
  }
}

const ISO_DATE = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** One vendor's state and the control API over it. */
export class VendorControl<S extends string, D extends object, K extends string> {
  readonly webhooks: WebhookSender<VendorEvent<S, D>, WebhookDescription>;
  /** The vendor's deliveries of results to carriers, retried like its webhooks. */
  readonly results: WebhookSender<ResultsDelivery, ResultsDescription>;
  counts: Record<K, number>;
  latency: { fixedMs: number; jitterMs: number };
  autoProgressMs: number;
  /** Event ids a drop fault swallowed. */
  readonly dropped: string[] = [];
  /** Orders whose carrier has no URL here: their results went nowhere. */
  readonly undeliverable: string[] = [];
  private readonly orders = new Map<string, VendorOrder<S, D>>();
  private readonly byKey = new Map<string, string>();
  private readonly held = new Map<string, { url: string; event: VendorEvent<S, D> }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private apiFault: { fault: ApiFault; remaining: number | null; kinds: readonly K[] | null } | null = null;
  private webhookFault: { fault: WebhookFault; remaining: number | null } | null = null;
  private readonly defaultLatency: { fixedMs: number; jitterMs: number };
  private readonly defaultAutoProgressMs: number;
  private readonly now: () => number;
  private stopped = false;

  constructor(
    readonly spec: VendorSpec<S, D, K>,
    private readonly options: VendorControlOptions,
  ) {
    this.now = options.now ?? Date.now;
    const retry = { ...DEFAULT_WEBHOOK_RETRY, ...options.retry };
    this.webhooks = new WebhookSender({
      retry,
      orderKey: (event) => event.orderId,
      describe: (event) => ({ orderId: event.orderId, stage: event.stage, sequence: event.sequence }),
      encode: (event) => spec.encode(event),
      sign: (timestamp, body) => spec.sign(options.webhookSecret, timestamp, body),
    });
    this.results = new WebhookSender({
      retry,
      orderKey: (delivery) => delivery.orderId,
      describe: (delivery) => ({ orderId: delivery.orderId, carrierCode: delivery.carrierCode }),
      encode: ({ eventId: _eventId, carrierCode: _carrierCode, ...results }) => ({
        body: JSON.stringify(results),
        contentType: 'application/json',
      }),
    });
    this.defaultLatency = { fixedMs: options.latency?.fixedMs ?? 0, jitterMs: options.latency?.jitterMs ?? 0 };
    this.latency = { ...this.defaultLatency };
    this.defaultAutoProgressMs = options.autoProgressMs ?? 0;
    this.autoProgressMs = this.defaultAutoProgressMs;
    this.counts = this.zeroCounts();
  }

  /** Whether the vendor delivers results to this carrier (unknown when no carrier URLs were given: then any). */
  knowsCarrier(code: string): boolean {
    return !this.options.carrierUrl || this.options.carrierUrl(code) !== undefined;
  }

  /** A new order at the first stage, or the existing one for an idempotency key seen before. */
  create(
    input: { reference: string; callbackUrl: string; carrier: CarrierOrderRef; resultsCode: string; idempotencyKey: string | null },
    newId: () => string,
  ): { order: VendorOrder<S, D>; created: boolean } {
    if (input.idempotencyKey !== null) {
      const existing = this.byKey.get(input.idempotencyKey);
      if (existing) return { order: this.orders.get(existing)!, created: false };
    }
    let orderId = newId();
    while (this.orders.has(orderId)) orderId = newId();
    const at = new Date(this.now()).toISOString();
    const stage = this.spec.path[0];
    const order: VendorOrder<S, D> = {
      orderId,
      reference: input.reference,
      stage,
      sequence: 1,
      createdAt: at,
      updatedAt: at,
      history: [{ stage, sequence: 1, at }],
      callbackUrl: input.callbackUrl,
      carrier: { ...input.carrier },
      resultsCode: input.resultsCode,
      details: this.spec.initialDetails(),
    };
    this.orders.set(orderId, order);
    if (input.idempotencyKey !== null) this.byKey.set(input.idempotencyKey, orderId);
    this.schedule(order);
    return { order, created: true };
  }

  order(orderId: string): VendorOrder<S, D> | undefined {
    return this.orders.get(orderId);
  }

  /** The order with our reference (the one placed under it as idempotency key first). */
  orderByReference(reference: string): VendorOrder<S, D> | undefined {
    const keyed = this.orders.get(this.byKey.get(reference) ?? '');
    return keyed?.reference === reference ? keyed : [...this.orders.values()].find((o) => o.reference === reference);
  }

  all(): VendorOrder<S, D>[] {
    return [...this.orders.values()];
  }

  isFinal(stage: S): boolean {
    return stage === this.spec.cancelled || stage === this.carrierStage;
  }

  get carrierStage(): S {
    return this.spec.path[this.spec.path.length - 1];
  }

  /** The stage `advance` without a stage moves an order to; null from a final stage. */
  nextStage(order: VendorOrder<S, D>): S | null {
    if (this.isFinal(order.stage)) return null;
    const side = this.spec.sideNext[order.stage];
    if (side) return side;
    const i = this.spec.path.indexOf(order.stage);
    return i >= 0 && i + 1 < this.spec.path.length ? this.spec.path[i + 1] : null;
  }

  /**
   * Moves an order to `stage` (the next happy-path stage when omitted): forward along the path,
   * possibly past stages (as a vendor that reports late does), a side move, or CANCELLED. Emits
   * the webhook; at the carrier stage, sends the results to the carrier.
   */
  advance(orderId: string, stage?: S, details: Partial<D> = {}): VendorOrder<S, D> {
    const order = this.found(orderId);
    if (this.isFinal(order.stage)) throw new VendorOrderError(409, 'order_final', `order ${orderId} is ${order.stage}: it moves no more`);
    const target = stage ?? this.nextStage(order);
    if (!target || !this.spec.stages.includes(target))
      throw new RangeError(`unknown stage ${String(target)}: expected one of ${this.spec.stages.join(', ')}`);
    if (!this.allowed(order.stage, target))
      throw new VendorOrderError(409, 'invalid_move', `order ${orderId} cannot move from ${order.stage} to ${target}`);
    const given = this.spec.checkDetails(stripUndefined(details));
    const now = new Date(this.now());
    order.details = { ...order.details, ...this.spec.defaultDetails(target, order, now), ...given };
    order.stage = target;
    order.sequence++;
    order.updatedAt = now.toISOString();
    order.history.push({ stage: target, sequence: order.sequence, at: order.updatedAt });
    this.emit(order);
    if (target === this.carrierStage) this.deliverResults(order);
    this.schedule(order);
    return order;
  }

  /** Cancels an order (the API's cancel and the control's); 409 when it is already final. */
  cancel(orderId: string): VendorOrder<S, D> {
    return this.advance(orderId, this.spec.cancelled);
  }

  /** Orders move on their own every ms along the happy path (0: only advance moves them). */
  setAutoProgress(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('auto progress must be non-negative milliseconds');
    this.autoProgressMs = ms;
    for (const order of this.orders.values()) this.schedule(order);
  }

  setLatency(latency: { fixedMs: number; jitterMs?: number }): void {
    if (!(latency.fixedMs >= 0) || !((latency.jitterMs ?? 0) >= 0)) throw new RangeError('latency must be non-negative milliseconds');
    this.latency = { fixedMs: latency.fixedMs, jitterMs: latency.jitterMs ?? 0 };
  }

  delayMs(): number {
    const { fixedMs, jitterMs } = this.latency;
    return fixedMs + (jitterMs > 0 ? Math.random() * jitterMs : 0);
  }

  /** A fault on API calls (the control API never fails); null heals. */
  setFault(fault: ApiFault | null, options: { times?: number; kinds?: K[] } = {}): void {
    if (fault === null) {
      this.apiFault = null;
      return;
    }
    if (!API_FAULTS.includes(fault)) throw new RangeError(`unknown fault ${String(fault)}: expected one of ${API_FAULTS.join(', ')}`);
    checkTimes(options.times);
    for (const kind of options.kinds ?? [])
      if (!this.spec.callKinds.includes(kind))
        throw new RangeError(`unknown call kind ${String(kind)}: expected some of ${this.spec.callKinds.join(', ')}`);
    this.apiFault = { fault, remaining: options.times ?? null, kinds: options.kinds ?? null };
  }

  /** The fault this call suffers, if any; each use counts against `times`. */
  takeFault(kind: K): ApiFault | null {
    const active = this.apiFault;
    if (!active || (active.kinds && !active.kinds.includes(kind))) return null;
    if (active.remaining !== null && --active.remaining <= 0) this.apiFault = null;
    return active.fault;
  }

  /** A fault on the next webhooks (each stage change's webhook counts once against `times`); null heals. */
  setWebhookFault(fault: WebhookFault | null, options: { times?: number } = {}): void {
    if (fault === null) {
      this.webhookFault = null;
      return;
    }
    if (!WEBHOOK_FAULTS.includes(fault))
      throw new RangeError(`unknown webhook fault ${String(fault)}: expected one of ${WEBHOOK_FAULTS.join(', ')}`);
    checkTimes(options.times);
    this.webhookFault = { fault, remaining: options.times ?? null };
  }

  record(kind: K): void {
    this.counts[kind]++;
  }

  /** Every webhook attempt so far. */
  deliveries(): DeliveryAttempt<WebhookDescription>[] {
    return [...this.webhooks.log];
  }

  /** Every attempt to deliver results to a carrier so far. */
  resultsDeliveries(): DeliveryAttempt<ResultsDescription>[] {
    return [...this.results.log];
  }

  /** Sends the webhooks a reorder fault holds back (an order's last change has no next one to wait for). */
  releaseHeld(): void {
    for (const [orderId, { url, event }] of [...this.held]) {
      this.held.delete(orderId);
      this.webhooks.send(url, event);
    }
  }

  /** Resolves when every webhook and results delivery is delivered or given up (held ones are not waited for). */
  async idle(): Promise<void> {
    await Promise.all([this.webhooks.idle(), this.results.idle()]);
  }

  retryNow(): void {
    this.webhooks.retryNow();
    this.results.retryNow();
  }

  /** Latency, faults, counts, logs and auto progress back to their start values; held webhooks are sent; orders stay. */
  reset(): void {
    this.latency = { ...this.defaultLatency };
    this.apiFault = null;
    this.webhookFault = null;
    this.counts = this.zeroCounts();
    this.releaseHeld();
    this.webhooks.log.length = 0;
    this.results.log.length = 0;
    this.dropped.length = 0;
    this.setAutoProgress(this.defaultAutoProgressMs);
  }

  /** No more timers or deliveries. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.held.clear();
    this.webhooks.stop();
    this.results.stop();
  }

  private found(orderId: string): VendorOrder<S, D> {
    const order = this.orders.get(orderId);
    if (!order) throw new VendorOrderError(404, 'order_not_found', `no order ${orderId}`);
    return order;
  }

  private allowed(from: S, to: S): boolean {
    if (to === this.spec.cancelled) return true;
    if (this.spec.sideMoves[from]?.includes(to)) return true;
    const i = this.spec.path.indexOf(from);
    return i >= 0 && this.spec.path.indexOf(to) > i;
  }

  private zeroCounts(): Record<K, number> {
    return Object.fromEntries(this.spec.callKinds.map((kind) => [kind, 0])) as Record<K, number>;
  }

  /** The order's next automatic move, replacing any pending one. */
  private schedule(order: VendorOrder<S, D>): void {
    const pending = this.timers.get(order.orderId);
    if (pending) clearTimeout(pending);
    this.timers.delete(order.orderId);
    if (this.stopped || this.autoProgressMs <= 0 || this.nextStage(order) === null) return;
    const timer = setTimeout(() => {
      this.timers.delete(order.orderId);
      if (!this.stopped && this.nextStage(order) !== null) this.advance(order.orderId);
    }, this.autoProgressMs);
    // A simulator must never keep a test process or a CLI alive by its timers.
    timer.unref();
    this.timers.set(order.orderId, timer);
  }

  private emit(order: VendorOrder<S, D>): void {
    const event: VendorEvent<S, D> = {
      eventId: `evt_${randomUUID()}`,
      orderId: order.orderId,
      reference: order.reference,
      stage: order.stage,
      sequence: order.sequence,
      occurredAt: order.updatedAt,
      details: { ...order.details },
      carrier: { ...order.carrier },
    };
    const url = order.callbackUrl;
    const held = this.held.get(order.orderId);
    this.held.delete(order.orderId);
    const fault = this.takeWebhookFault();
    if (fault === 'drop') this.dropped.push(event.eventId);
    else if (fault === 'duplicate') {
      this.webhooks.send(url, event);
      this.webhooks.send(url, event);
    } else if (fault === 'reorder' && !held) this.held.set(order.orderId, { url, event });
    else this.webhooks.send(url, event);
    // A held webhook goes out after the one that followed it.
    if (held) this.webhooks.send(held.url, held.event);
  }

  private takeWebhookFault(): WebhookFault | null {
    const active = this.webhookFault;
    if (!active) return null;
    if (active.remaining !== null && --active.remaining <= 0) this.webhookFault = null;
    return active.fault;
  }

  private deliverResults(order: VendorOrder<S, D>): void {
    const base = this.options.carrierUrl?.(order.carrier.code);
    if (!base) {
      this.undeliverable.push(order.orderId);
      return;
    }
    const completed = order.history.find((change) => change.stage === this.spec.completedStage)?.at;
    const delivery: ResultsDelivery = {
      eventId: `res_${order.orderId}`,
      carrierCode: order.carrier.code,
      policyReference: order.carrier.policyReference,
      requirementId: order.carrier.requirementId,
      reference: order.reference,
      code: order.resultsCode,
      vendor: this.spec.vendor,
      orderId: order.orderId,
      completedOn: completed ? completed.slice(0, 10) : ISO_DATE(this.now()),
    };
    this.results.send(`${base.replace(/\/+$/, '')}/_vendors/results`, delivery);
  }
}

function checkTimes(times: number | undefined): void {
  if (times !== undefined && (!Number.isInteger(times) || times < 1)) throw new RangeError('times must be a positive integer');
}

function stripUndefined(value: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
