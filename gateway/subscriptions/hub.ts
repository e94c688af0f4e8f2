import { type DocumentNode, type ExecutionResult, execute, GraphQLError, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { Counter, Gauge, type Registry } from 'prom-client';
import {
  type CaseEventBus,
  type CaseEventMessage,
  type CaseEventPosition,
  comparePositions,
  formatPosition,
  parsePosition,
} from '../../platform/case-event-bus';
import type { Identity } from '../../platform/identity';
import type { Logger } from '../../platform/logger';
import type { SubscriptionConfig } from './config';
import { batchedCaseRun } from './batch';
import { CASE_ID_VARIABLE_NAME, planSubscription, type SubscriptionPlan } from './plan';
import {
  asGraphQLErrors,
  isQuoteComparison,
  planQuoteComparison,
  QUOTE_COMPARISON_FIELD,
  type QuoteComparisonPlan,
  QuoteComparisonStream,
  type RunQuery,
} from './quote-comparison';

export class SubscriptionMetrics {
  readonly open: Gauge;
  readonly delivered: Counter;
  readonly dropped: Counter;
  constructor(registry: Registry) {
    this.open = new Gauge({
      name: 'bga_gateway_subscriptions_open',
      help: 'Open subscriptions on this gateway process, by transport (ws, sse) and field.',
      labelNames: ['transport', 'field'],
      registers: [registry],
    });
    this.delivered = new Counter({
      name: 'bga_gateway_subscription_events_delivered_total',
      help: 'Subscription events delivered to subscribers, by field.',
      labelNames: ['field'],
      registers: [registry],
    });
    this.dropped = new Counter({
      name: 'bga_gateway_subscriptions_ended_total',
      help: 'Subscriptions the gateway ended, by reason (slow: too many events waiting; expired: the token expired; shutdown).',
      labelNames: ['reason'],
      registers: [registry],
    });
  }
}

export interface SubscribeRequest {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variableValues: Record<string, unknown>;
  identity: Identity;
  /** When the caller's token expires (ms since the epoch): the subscription then ends with UNAUTHENTICATED. */
  expiresAt?: number;
  /** The last event id the client saw: every kept event after it is delivered first. */
  lastEventId?: string;
  transport: 'ws' | 'sse';
}

const coded = (message: string, code: string) => new GraphQLError(message, { extensions: { code } });

/** Reads a field by its response key in data the federated path already resolved, else by its name. */
const byResponseKey: GraphQLFieldResolver<unknown, unknown> = (source, _args, _context, info) => {
  if (source === null || typeof source !== 'object') return null;
  const record = source as Record<string, unknown>;
  const key = info.path.key;
  return typeof key === 'string' && key in record ? record[key] : record[info.fieldName];
};

/** Events of a resumed subscription read back from the bus at most (past this, the gap is the client's to refetch). */
const RESUME_MAX = 10_000;

/** An open subscription as the hub holds it: offered each case event, ended at shutdown. */
interface LiveSubscription {
  /** The one case it is about: it is offered that case's events only (undefined: every event). */
  readonly caseId?: string;
  wants(event: CaseEventMessage): boolean;
  push(event: CaseEventMessage): void;
  end(error?: GraphQLError): void;
}

/**
 * The gateway's subscriptions: one listener on the case event bus per process, fanned out to each
 * subscription whose plan wants the event; per subscription a bounded queue (one event more than
 * SUBSCRIPTION_QUEUE_MAX and the subscriber is dropped with LIMIT_EXCEEDED: a slow consumer never
 * holds memory without bound), worked in order: the per-event query runs with the subscriber's
 * identity, an answer the subscriber may not see (null) is skipped, and the rest is shaped into the
 * subscriber's selection and delivered with extensions.eventId.
 */
export class SubscriptionHub {
  private readonly live = new Set<LiveSubscription>();
  /**
   * The live subscriptions by the one case they are about, and those about any case: an event is
   * offered to its case's and the any-case ones, not to every one (2,000 subscriptions of one case
   * each and 2,000 events a second would otherwise be 4 million checks a second).
   */
  private readonly byCase = new Map<string, Set<LiveSubscription>>();
  private readonly anyCase = new Set<LiveSubscription>();
  private readonly perClient = new Map<string, number>();
  private unlisten?: () => void;
  private closed = false;
  /** The per-event queries, those of one selection and identity arriving together run as one operation (batch.ts). */
  readonly resolveCase: ReturnType<typeof batchedCaseRun>;

  constructor(
    readonly options: {
      bus: CaseEventBus;
      run: RunQuery;
      config: SubscriptionConfig;
      metrics: SubscriptionMetrics;
      logger: Logger;
    },
  ) {
    this.resolveCase = batchedCaseRun(options.run, CASE_ID_VARIABLE_NAME);
  }

  get size(): number {
    return this.live.size;
  }

  /** A new subscription's events, or an error result when it is refused (limits, bad operation, shutting down). */
  async subscribe(request: SubscribeRequest): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    if (this.closed) return { errors: [coded('the gateway is shutting down: reconnect to another replica', 'SERVICE_UNAVAILABLE')] };
    const client = request.identity.sub;
    const count = this.perClient.get(client) ?? 0;
    if (count >= this.options.config.perClient) {
      return { errors: [coded(`at most ${this.options.config.perClient} open subscriptions per client`, 'LIMIT_EXCEEDED')] };
    }
    if (request.lastEventId !== undefined && !parsePosition(request.lastEventId)) {
      return { errors: [coded('lastEventId must be an event id as delivered in extensions.eventId', 'BAD_USER_INPUT')] };
    }
    if (isQuoteComparison(request.document, request.operationName)) return this.compareQuotes(request);
    let plan: SubscriptionPlan;
    try {
      plan = planSubscription(request.schema, request.document, request.operationName, request.variableValues);
    } catch (error) {
      return { errors: [error instanceof GraphQLError ? error : coded((error as Error).message, 'BAD_USER_INPUT')] };
    }
    this.unlisten ??= this.options.bus.listen((event) => {
      const ofCase = this.byCase.get(event.caseId);
      if (ofCase) for (const stream of ofCase) if (stream.wants(event)) stream.push(event);
      for (const stream of this.anyCase) if (stream.wants(event)) stream.push(event);
    });
    this.perClient.set(client, count + 1);
    const stream = new EventStream(this, plan, request, () => this.release(stream, client));
    this.live.add(stream);
    this.index(stream, true);
    if (request.lastEventId !== undefined) {
      try {
        await stream.resume(request.lastEventId);
      } catch (error) {
        this.options.logger.warn({ err: error }, 'subscription: cannot read the kept case events to resume');
        stream.end(coded('cannot resume from the last event id now: try again', 'SERVICE_UNAVAILABLE'));
      }
    }
    return stream;
  }

  private index(stream: LiveSubscription, add: boolean): void {
    const caseId = stream.caseId;
    if (caseId === undefined) {
      if (add) this.anyCase.add(stream);
      else this.anyCase.delete(stream);
      return;
    }
    let streams = this.byCase.get(caseId);
    if (add) {
      if (!streams) this.byCase.set(caseId, (streams = new Set()));
      streams.add(stream);
    } else if (streams) {
      streams.delete(stream);
      if (streams.size === 0) this.byCase.delete(caseId);
    }
  }

  /**
   * quoteComparison: the input checked and the carriers chosen by the carriers subgraph (its coded
   * errors are the refusal, as compareQuotes gives them), then one stream of the carriers' answers.
   * It counts against the per-client limit like any subscription while it runs.
   */
  private async compareQuotes(request: SubscribeRequest): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    const { run, metrics, logger, config } = this.options;
    let plan: QuoteComparisonPlan;
    try {
      plan = planQuoteComparison(request.schema, request.document, request.operationName, request.variableValues);
    } catch (error) {
      return { errors: [error instanceof GraphQLError ? error : coded((error as Error).message, 'BAD_USER_INPUT')] };
    }
    let answer: ExecutionResult;
    try {
      answer = await run(plan.carriersQuery, plan.variables, request.identity);
    } catch (error) {
      logger.error({ err: error }, 'quoteComparison: the carriers query failed');
      return { errors: [coded('cannot choose the carriers now', 'INTERNAL_SERVER_ERROR')] };
    }
    const carriers = (answer.data as { quoteCarriers?: { id: string }[] | null } | null | undefined)?.quoteCarriers;
    if (!carriers)
      return {
        errors: answer.errors?.length ? asGraphQLErrors(answer.errors) : [coded('cannot choose the carriers now', 'INTERNAL_SERVER_ERROR')],
      };
    if (this.closed) return { errors: [coded('the gateway is shutting down: reconnect to another replica', 'SERVICE_UNAVAILABLE')] };
    // Counted again after the wait: other subscriptions of this client may have opened meanwhile.
    const client = request.identity.sub;
    const count = this.perClient.get(client) ?? 0;
    if (count >= config.perClient)
      return { errors: [coded(`at most ${config.perClient} open subscriptions per client`, 'LIMIT_EXCEEDED')] };
    this.perClient.set(client, count + 1);
    const labels = { transport: request.transport, field: QUOTE_COMPARISON_FIELD };
    metrics.open.inc(labels);
    const stream: QuoteComparisonStream = new QuoteComparisonStream({
      run,
      logger,
      plan,
      request,
      carrierIds: carriers.map((carrier) => carrier.id),
      onDelivered: () => metrics.delivered.inc({ field: QUOTE_COMPARISON_FIELD }),
      onClose: () => {
        metrics.open.dec(labels);
        this.release(stream, client);
      },
    });
    this.live.add(stream);
    this.index(stream, true);
    return stream;
  }

  private release(stream: LiveSubscription, client: string): void {
    this.live.delete(stream);
    this.index(stream, false);
    const left = (this.perClient.get(client) ?? 1) - 1;
    if (left <= 0) this.perClient.delete(client);
    else this.perClient.set(client, left);
  }

  /** Shutdown: no new subscriptions; each open one ends (clients resume elsewhere with their last event id). */
  async drain(): Promise<void> {
    this.closed = true;
    for (const stream of [...this.live]) {
      this.options.metrics.dropped.inc({ reason: 'shutdown' });
      stream.end(coded('the gateway is shutting down: reconnect with the last event id', 'SERVICE_UNAVAILABLE'));
    }
    this.unlisten?.();
  }
}

/** One subscription's events: an async iterator over a bounded queue, closed by the client (return) or the hub (end). */
class EventStream implements AsyncIterableIterator<ExecutionResult> {
  private readonly queue: CaseEventMessage[] = [];
  /** The position of the last event taken from the queue: any at or before it again is a duplicate. */
  private last?: CaseEventPosition;
  private wake?: () => void;
  private final?: GraphQLError;
  private done = false;
  private readonly expiry?: NodeJS.Timeout;
  private readonly labels: { transport: string; field: string };

  constructor(
    private readonly hub: SubscriptionHub,
    readonly plan: SubscriptionPlan,
    private readonly request: SubscribeRequest,
    private readonly onClose: () => void,
  ) {
    this.labels = { transport: request.transport, field: plan.field };
    hub.options.metrics.open.inc(this.labels);
    if (request.expiresAt !== undefined) {
      const expire = () => {
        hub.options.metrics.dropped.inc({ reason: 'expired' });
        this.end(coded('token expired', 'UNAUTHENTICATED'));
      };
      // Timers hold 2^31-1 ms at most; tokens live hours, and a longer one is checked again per event.
      this.expiry = setTimeout(expire, Math.min(Math.max(0, request.expiresAt - Date.now()), 2 ** 31 - 1));
      this.expiry.unref();
    }
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  wants(event: CaseEventMessage): boolean {
    return this.plan.wants(event);
  }

  get caseId(): string | undefined {
    return this.plan.caseId;
  }

  async resume(lastEventId: string): Promise<void> {
    const after = parsePosition(lastEventId)!;
    this.last = after;
    // A Redis stream that ends before what the client saw is one Redis lost and the relay has not
    // put back yet: reading it now would answer a hole. The client tries again. (The in-process bus
    // loses nothing but with the process, and then the client's events are gone with it.)
    const { bus } = this.hub.options;
    if (bus.kind === 'redis') {
      const newest = await bus.lastPosition();
      if (newest === null || comparePositions(newest, after) < 0) throw new Error('the case event stream is being restored');
    }
    const backlog: CaseEventMessage[] = [];
    let cursor: CaseEventPosition = after;
    while (backlog.length < RESUME_MAX) {
      const page = await this.hub.options.bus.since(cursor, 1_000);
      backlog.push(...page.filter((event) => this.plan.wants(event)));
      if (page.length < 1_000) break;
      cursor = page.at(-1)!;
    }
    // Live events that arrived meanwhile stay after the backlog; duplicates are skipped by position.
    this.queue.unshift(...backlog);
    this.wake?.();
  }

  push(event: CaseEventMessage): void {
    if (this.done) return;
    if (this.queue.length >= this.hub.options.config.queueMax) {
      this.hub.options.metrics.dropped.inc({ reason: 'slow' });
      this.queue.length = 0;
      this.end(coded(`subscriber too slow: more than ${this.hub.options.config.queueMax} events waiting`, 'LIMIT_EXCEEDED'));
      return;
    }
    this.queue.push(event);
    this.wake?.();
  }

  /** Ends the subscription: the error (if any) is its last result. */
  end(error?: GraphQLError): void {
    if (this.done) return;
    this.final = error;
    this.close();
  }

  private close(): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.expiry);
    this.hub.options.metrics.open.dec(this.labels);
    this.onClose();
    this.wake?.();
  }

  async next(): Promise<IteratorResult<ExecutionResult>> {
    for (;;) {
      if (this.done) {
        const final = this.final;
        this.final = undefined;
        return final ? { value: { errors: [final] }, done: false } : { value: undefined, done: true };
      }
      const event = this.queue.shift();
      if (!event) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        this.wake = undefined;
        continue;
      }
      if (this.last && comparePositions(event, this.last) <= 0) continue;
      this.last = { tx: event.tx, id: event.id };
      if (this.request.expiresAt !== undefined && Date.now() >= this.request.expiresAt) {
        this.end(coded('token expired', 'UNAUTHENTICATED'));
        continue;
      }
      const result = await this.resolve(event);
      if (result) {
        this.hub.options.metrics.delivered.inc({ field: this.plan.field });
        return { value: result, done: false };
      }
    }
  }

  /** The event as the subscriber's selection, or null when the subscriber may not see it. */
  private async resolve(event: CaseEventMessage): Promise<ExecutionResult | null> {
    const { logger } = this.hub.options;
    const extensions = { eventId: formatPosition(event) };
    let answer: ExecutionResult;
    try {
      answer = await this.hub.resolveCase(this.plan.query, this.plan.variables, this.request.identity, event.caseId);
    } catch (error) {
      logger.error({ err: error, eventId: extensions.eventId }, 'subscription: the per-event query failed');
      return { errors: [coded('this event could not be resolved', 'INTERNAL_SERVER_ERROR')], extensions };
    }
    const rootValue = this.plan.rootValue(event, answer.data as Record<string, unknown> | null | undefined);
    if (!rootValue) {
      // Not visible, not matching, or the federated path failed: a failure is told, the rest skipped.
      return answer.errors?.length && !answer.data ? { errors: asGraphQLErrors(answer.errors), extensions } : null;
    }
    const shaped = await execute({
      schema: this.request.schema,
      document: this.request.document,
      operationName: this.request.operationName,
      variableValues: this.request.variableValues,
      rootValue,
      fieldResolver: byResponseKey,
    });
    return {
      ...shaped,
      ...(answer.errors?.length ? { errors: [...(shaped.errors ?? []), ...asGraphQLErrors(answer.errors)] } : {}),
      extensions,
    };
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    this.final = undefined;
    this.close();
    return { value: undefined, done: true };
  }

  async throw(error?: unknown): Promise<IteratorResult<ExecutionResult>> {
    this.close();
    throw error;
  }
}
