import { Cluster, type Redis } from 'ioredis';
import type { Logger } from './logger';

/**
 * The case events as the cases subgraph committed them (cases.case_event), relayed to every gateway
 * replica for subscriptions. `id` is the case_event id (a bigint, as text): it is the event id on the
 * wire (SSE `Last-Event-ID`, graphql-ws `extensions.eventId`), and a subscriber that comes back with
 * the last id it saw is given every event after it.
 */
export interface CaseEventMessage {
  id: string;
  caseId: string;
  at: string;
  type: string;
  fromStatus: string | null;
  toStatus: string | null;
  requirementCode: string | null;
  requirementId: string | null;
  actor: string;
  note: string | null;
}

/**
 * Where case events travel from the relay (subgraphs/cases/case-event.relay.ts) to the gateways:
 * a Redis Stream (REDIS_URL; every replica reads it, and it keeps the last CASE_EVENT_STREAM_MAX
 * events for resumption), or this process's memory when there is no Redis (the embedded default:
 * a gateway then sees only the events of a cases subgraph in the same process).
 */
export interface CaseEventBus {
  readonly kind: 'redis' | 'memory';
  /** Publishes events in id order; ids at or below the newest published are skipped (another relay sent them). */
  publish(events: readonly CaseEventMessage[]): Promise<void>;
  /** The newest published id, or null when none is kept. */
  lastId(): Promise<string | null>;
  /** Kept events after `afterId`, oldest first, at most `limit`. */
  since(afterId: string, limit: number): Promise<CaseEventMessage[]>;
  /** Every event published from now on, in order; returns the unsubscribe. */
  listen(handler: (event: CaseEventMessage) => void): () => void;
  close(): Promise<void>;
}

const STREAM_KEY = 'case-events';
const later = (a: string, b: string) => BigInt(a) > BigInt(b);

/** The in-process bus: one per process (the subgraph and the gateway of one process share it). */
export class MemoryCaseEventBus implements CaseEventBus {
  readonly kind = 'memory' as const;
  private readonly kept: CaseEventMessage[] = [];
  private readonly handlers = new Set<(event: CaseEventMessage) => void>();

  constructor(private readonly keep: number) {}

  async publish(events: readonly CaseEventMessage[]): Promise<void> {
    for (const event of events) {
      const last = this.kept.at(-1);
      if (last && !later(event.id, last.id)) continue;
      this.kept.push(event);
      if (this.kept.length > this.keep) this.kept.shift();
      for (const handler of this.handlers) handler(event);
    }
  }

  async lastId(): Promise<string | null> {
    return this.kept.at(-1)?.id ?? null;
  }

  async since(afterId: string, limit: number): Promise<CaseEventMessage[]> {
    const after = BigInt(afterId);
    return this.kept.filter((event) => BigInt(event.id) > after).slice(0, limit);
  }

  listen(handler: (event: CaseEventMessage) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async close(): Promise<void> {}
}

const processBus = globalThis as { __bgaCaseEventBus?: MemoryCaseEventBus };

/** This process's in-memory bus (created on first use). */
export function memoryCaseEventBus(keep = 10_000): MemoryCaseEventBus {
  processBus.__bgaCaseEventBus ??= new MemoryCaseEventBus(keep);
  return processBus.__bgaCaseEventBus;
}

type Entries = [string, string[]][];

const parseEntries = (entries: Entries | null): CaseEventMessage[] =>
  (entries ?? []).map(([, fields]) => JSON.parse(fields[fields.indexOf('e') + 1]) as CaseEventMessage);

/**
 * The Redis Stream bus. Each event is XADDed with its case_event id as the entry id (`<id>-0`), so
 * the stream is in case-event order, a second relay's copy of an event is refused by Redis itself,
 * and `since(id)` is an XRANGE. Listeners share one blocking XREAD loop on a connection of its own,
 * which resumes from the last entry it read after Redis comes back (nothing kept is skipped).
 */
export class RedisCaseEventBus implements CaseEventBus {
  readonly kind = 'redis' as const;
  private readonly handlers = new Set<(event: CaseEventMessage) => void>();
  private reader?: Redis | Cluster;
  private stopped = false;
  private loop?: Promise<void>;

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly keep: number,
    private readonly logger?: Logger,
  ) {}

  async publish(events: readonly CaseEventMessage[]): Promise<void> {
    for (const event of events) {
      try {
        await this.redis.xadd(STREAM_KEY, 'MAXLEN', '~', String(this.keep), `${event.id}-0`, 'e', JSON.stringify(event));
      } catch (error) {
        // Already there (another relay published it, or this one before a restart): nothing to do.
        if (!/equal or smaller/i.test(String((error as Error).message))) throw error;
      }
    }
  }

  async lastId(): Promise<string | null> {
    const entries = (await this.redis.xrevrange(STREAM_KEY, '+', '-', 'COUNT', 1)) as Entries;
    return entries[0] ? entries[0][0].split('-')[0] : null;
  }

  async since(afterId: string, limit: number): Promise<CaseEventMessage[]> {
    return parseEntries((await this.redis.xrange(STREAM_KEY, `(${afterId}-0`, '+', 'COUNT', limit)) as Entries);
  }

  listen(handler: (event: CaseEventMessage) => void): () => void {
    this.handlers.add(handler);
    this.loop ??= this.read();
    return () => this.handlers.delete(handler);
  }

  private async read(): Promise<void> {
    // A blocking read needs its own connection, without the shared client's short command timeout.
    this.reader =
      this.redis instanceof Cluster
        ? this.redis.duplicate(undefined, {
            enableOfflineQueue: true,
            redisOptions: { ...this.redis.options.redisOptions, commandTimeout: undefined },
          })
        : this.redis.duplicate({ commandTimeout: undefined, enableOfflineQueue: true });
    this.reader.on('error', () => {});
    let last: string | undefined;
    let failures = 0;
    while (!this.stopped) {
      try {
        if (last === undefined)
          last = (await this.redis.xrevrange(STREAM_KEY, '+', '-', 'COUNT', 1).then((e) => (e as Entries)[0]?.[0])) ?? '0-0';
        const answer = (await (this.reader as Redis).xread('COUNT', 500, 'BLOCK', 2_000, 'STREAMS', STREAM_KEY, last)) as
          | [string, Entries][]
          | null;
        failures = 0;
        const entries = answer?.[0]?.[1] ?? [];
        if (entries.length === 0) continue;
        last = entries.at(-1)![0];
        for (const event of parseEntries(entries)) for (const handler of this.handlers) handler(event);
      } catch (error) {
        if (this.stopped) break;
        if (failures++ === 0) this.logger?.warn({ err: error }, 'case events: cannot read the Redis stream; retrying');
        await new Promise((resolve) => setTimeout(resolve, Math.min(100 * failures, 2_000)));
      }
    }
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.reader?.disconnect();
    await this.loop?.catch(() => {});
  }
}

export function createCaseEventBus(options: { redis?: Redis | Cluster; keep: number; logger?: Logger }): CaseEventBus {
  return options.redis ? new RedisCaseEventBus(options.redis, options.keep, options.logger) : memoryCaseEventBus(options.keep);
}
