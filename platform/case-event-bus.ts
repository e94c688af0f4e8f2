import { Cluster, type Redis } from 'ioredis';
import type { Logger } from './logger';

/**
 * The case events as the cases subgraph committed them (cases.case_event), relayed to every gateway
 * replica for subscriptions, in the order the relay reads them: by position (tx, id), the inserting
 * transaction's id then the event's (subgraphs/cases/case-event.cursor.ts), so an event whose
 * transaction committed late, with a lower id than events already relayed, still comes after them.
 */
export interface CaseEventMessage {
  /** The case_event id (a bigint, as text): the id webhooks carry. */
  id: string;
  /** The inserting transaction's id (xid8, as text): the position's first half. */
  tx: string;
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

/** A place in the relay's order: (tx, id), both decimal text. */
export interface CaseEventPosition {
  tx: string;
  id: string;
}

/**
 * A position as text, `<tx>-<id>`: the event id on the wire (SSE `Last-Event-ID`, graphql-ws
 * `extensions.eventId`, increasing in delivery order) and the Redis Stream entry id.
 */
export const formatPosition = (position: CaseEventPosition): string => `${position.tx}-${position.id}`;

/** `<tx>-<id>` back to a position; undefined when the text is not one. */
export function parsePosition(text: string): CaseEventPosition | undefined {
  const match = /^(\d{1,20})-(\d{1,19})$/.exec(text);
  return match ? { tx: match[1], id: match[2] } : undefined;
}

/** Compares two positions in (tx, id) order: negative, zero or positive. */
export function comparePositions(a: CaseEventPosition, b: CaseEventPosition): number {
  const tx = BigInt(a.tx) - BigInt(b.tx);
  if (tx !== 0n) return tx < 0n ? -1 : 1;
  const id = BigInt(a.id) - BigInt(b.id);
  return id === 0n ? 0 : id < 0n ? -1 : 1;
}

/**
 * Where case events travel from the relay (subgraphs/cases/case-event.relay.ts) to the gateways:
 * a Redis Stream (REDIS_URL; every replica reads it, and it keeps the last CASE_EVENT_STREAM_MAX
 * events for resumption), or this process's memory when there is no Redis (the embedded default:
 * a gateway then sees only the events of a cases subgraph in the same process).
 */
export interface CaseEventBus {
  readonly kind: 'redis' | 'memory';
  /**
   * Publishes events in position order; those at or before the newest published are skipped
   * (another relay sent them). Answers `lost: true`, having published nothing more, when the
   * stream is gone (Redis restarted without its data): the publisher then publishes again what it
   * had sent, with `create` (which makes the stream when it is missing).
   */
  publish(events: readonly CaseEventMessage[], options?: { create?: boolean }): Promise<{ lost: boolean }>;
  /**
   * Puts the stream back, all at once, after Redis lost it: these events, in order, become the
   * stream (readers never see it half made). Answers how many were put back.
   */
  restore(pages: AsyncIterable<readonly CaseEventMessage[]>): Promise<number>;
  /** The newest published position, or null when none is kept (on Redis: the stream is missing). */
  lastPosition(): Promise<CaseEventPosition | null>;
  /** Kept events after `after`, oldest first, at most `limit`. */
  since(after: CaseEventPosition, limit: number): Promise<CaseEventMessage[]>;
  /** Every event published from now on, in order; returns the unsubscribe. */
  listen(handler: (event: CaseEventMessage) => void): () => void;
  close(): Promise<void>;
}

/**
 * Entries keyed `<tx>-<id>` (positions). A new key, not the first one's (`case-events`, keyed
 * `<id>-0`): ids and transaction ids are not comparable, so the old entries would refuse the new.
 * The hash tag keeps it in one Redis Cluster slot with its restore key.
 */
const STREAM_KEY = '{case-events}:by-position';
/** Where a stream is rebuilt before it is renamed into place (the same hash slot: `{case-events}`). */
const restoreKey = () => `{case-events}:restore:${process.pid}:${Date.now()}`;

/** The in-process bus: one per process (the subgraph and the gateway of one process share it). */
export class MemoryCaseEventBus implements CaseEventBus {
  readonly kind = 'memory' as const;
  private readonly kept: CaseEventMessage[] = [];
  private readonly handlers = new Set<(event: CaseEventMessage) => void>();

  constructor(private readonly keep: number) {}

  async publish(events: readonly CaseEventMessage[]): Promise<{ lost: boolean }> {
    for (const event of events) {
      const last = this.kept.at(-1);
      if (last && comparePositions(event, last) <= 0) continue;
      this.kept.push(event);
      if (this.kept.length > this.keep) this.kept.shift();
      for (const handler of this.handlers) handler(event);
    }
    return { lost: false };
  }

  async restore(pages: AsyncIterable<readonly CaseEventMessage[]>): Promise<number> {
    let count = 0;
    for await (const page of pages) {
      count += page.length;
      await this.publish(page);
    }
    return count;
  }

  async lastPosition(): Promise<CaseEventPosition | null> {
    const last = this.kept.at(-1);
    return last ? { tx: last.tx, id: last.id } : null;
  }

  async since(after: CaseEventPosition, limit: number): Promise<CaseEventMessage[]> {
    return this.kept.filter((event) => comparePositions(event, after) > 0).slice(0, limit);
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
 * The Redis Stream bus. Each event is XADDed with its position as the entry id (`<tx>-<id>`), so
 * the stream is in the relay's order, a second relay's copy of an event is refused by Redis itself,
 * and `since(position)` is an XRANGE. XADD is NOMKSTREAM unless `create`: a Redis that came back
 * empty answers nil instead of starting a stream the relay's earlier events are missing from, and the
 * relay publishes those again. Listeners share one blocking XREAD loop on a connection of its own,
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

  async publish(events: readonly CaseEventMessage[], options: { create?: boolean } = {}): Promise<{ lost: boolean }> {
    if (events.length === 0) return { lost: false };
    // One round trip for the batch: a relay keeps up with thousands of events a second.
    const pipeline = this.redis.pipeline();
    events.forEach((event, i) => {
      const entry = [formatPosition(event), 'e', JSON.stringify(event)] as const;
      if (i === 0 && options.create) pipeline.xadd(STREAM_KEY, 'MAXLEN', '~', String(this.keep), ...entry);
      else pipeline.xadd(STREAM_KEY, 'NOMKSTREAM', 'MAXLEN', '~', String(this.keep), ...entry);
    });
    let lost = false;
    for (const [error, added] of (await pipeline.exec()) ?? []) {
      // Already there (another relay published it, or this one before a restart): nothing to do.
      if (error && !/equal or smaller/i.test(String(error.message))) throw error;
      if (!error && added === null) lost = true;
    }
    return { lost };
  }

  async restore(pages: AsyncIterable<readonly CaseEventMessage[]>): Promise<number> {
    const key = restoreKey();
    let count = 0;
    try {
      for await (const page of pages) {
        if (page.length === 0) continue;
        const pipeline = this.redis.pipeline();
        for (const event of page) pipeline.xadd(key, formatPosition(event), 'e', JSON.stringify(event));
        for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
        count += page.length;
      }
      if (count > 0) await this.redis.rename(key, STREAM_KEY);
      return count;
    } finally {
      // Gone after the rename; a restore that failed half way leaves nothing behind.
      await this.redis.del(key).catch(() => undefined);
    }
  }

  async lastPosition(): Promise<CaseEventPosition | null> {
    const entries = (await this.redis.xrevrange(STREAM_KEY, '+', '-', 'COUNT', 1)) as Entries;
    return entries[0] ? (parsePosition(entries[0][0]) ?? null) : null;
  }

  async since(after: CaseEventPosition, limit: number): Promise<CaseEventMessage[]> {
    return parseEntries((await this.redis.xrange(STREAM_KEY, `(${formatPosition(after)}`, '+', 'COUNT', limit)) as Entries);
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
