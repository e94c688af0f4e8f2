import type { Pool } from 'pg';
import type { Cache } from '../../platform/cache';
import {
  type CaseEventBus,
  type CaseEventMessage,
  type CaseEventPosition,
  comparePositions,
  createCaseEventBus,
} from '../../platform/case-event-bus';
import { type Env, int } from '../../platform/config';
import type { Logger } from '../../platform/logger';
import { NEWEST_SETTLED_SQL, positionOrder, settledAfter } from './case-event.cursor';

export interface CaseEventRelayOptions {
  pool: Pool;
  bus: CaseEventBus;
  logger: Logger;
  /** How often cases.case_event is read for new rows (CASE_EVENT_RELAY_INTERVAL_MS). */
  intervalMs: number;
  /** Events the bus keeps (CASE_EVENT_STREAM_MAX): the most published again when Redis lost the stream. */
  keep?: number;
  batch?: number;
}

const EVENT_COLUMNS = `e.id::text AS id, e.tx::text AS tx, e.case_id AS "caseId",
  to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, e.type, e.from_status AS "fromStatus",
  e.to_status AS "toStatus", e.requirement_code AS "requirementCode", e.requirement_id AS "requirementId", e.actor, e.note`;

/**
 * Relays committed case events (cases.case_event) to the case event bus for the gateways'
 * subscriptions, by polling with a cursor: no trigger, no LISTEN, and the write paths are untouched.
 * The cursor is the webhooks' (case-event.cursor.ts): a position (tx, id), read in that order, over
 * events of transactions older than every one still running, so an event whose transaction commits
 * after a newer one's is relayed after it, never skipped, and nothing waits on an id a rolled-back
 * insert took. Replicas may all run it: on Redis each entry's id is its position, so a second copy of
 * an event is refused by the stream itself. The cursor starts at the newest position already on the
 * bus (else the newest settled in the table: history is not replayed). When Redis comes back without
 * the stream, the relay publishes again what it had relayed since it started (at most `keep`), so a
 * subscriber resuming from its last event id finds what followed it.
 */
export class CaseEventRelay {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private cursor?: CaseEventPosition;
  /** Where this relay started: a stream that Redis lost is published again from here at most. */
  private start_?: CaseEventPosition;
  /** Whether this relay has seen the stream: from then on, a missing stream is one Redis lost. */
  private seen = false;
  private stopped = false;

  constructor(private readonly options: CaseEventRelayOptions) {}

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => void this.runOnce(), this.options.intervalMs);
    this.timer.unref();
  }

  /** One pass now (or the pass in flight); never rejects. */
  runOnce(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.running ??= this.pass()
      .catch((error) => this.options.logger.warn({ err: error }, 'case event relay: pass failed; will try again'))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** The newest settled position in the table, or (0, 0) when there is none. */
  private async newest(): Promise<CaseEventPosition> {
    const { rows } = await this.options.pool.query<CaseEventPosition>(
      `SELECT tx::text AS tx, id::text AS id FROM (${NEWEST_SETTLED_SQL}) n`,
    );
    return rows[0] ?? { tx: '0', id: '0' };
  }

  /**
   * Where to publish again from after Redis lost the stream: the position before the `keep` newest
   * events up to the cursor, but not before where this relay started (it knows nothing older was
   * ever on the stream it published to).
   */
  private async rewind(cursor: CaseEventPosition, floor: CaseEventPosition): Promise<CaseEventPosition> {
    const { rows } = await this.options.pool.query<CaseEventPosition>(
      `SELECT e.tx::text AS tx, e.id::text AS id FROM cases.case_event e
        WHERE e.tx IS NOT NULL AND (e.tx, e.id) <= ($1::xid8, $2::bigint)
        ORDER BY ${positionOrder('e', 'DESC')} OFFSET $3 LIMIT 1`,
      [cursor.tx, cursor.id, this.options.keep ?? 100_000],
    );
    const back = rows[0];
    return back && comparePositions(back, floor) > 0 ? back : floor;
  }

  /** The events after `from` up to the cursor, a page at a time, in order. */
  private async *between(from: CaseEventPosition, to: CaseEventPosition): AsyncGenerator<CaseEventMessage[]> {
    const page = this.options.batch ?? 500;
    let after = from;
    for (;;) {
      const { rows } = await this.options.pool.query<CaseEventMessage>(
        `SELECT ${EVENT_COLUMNS} FROM cases.case_event e
          WHERE ${settledAfter('e', { tx: '$1::xid8', id: '$2::bigint' })} AND (e.tx, e.id) <= ($3::xid8, $4::bigint)
          ORDER BY ${positionOrder('e')} LIMIT $5`,
        [after.tx, after.id, to.tx, to.id, page],
      );
      if (rows.length > 0) yield rows;
      if (rows.length < page) return;
      after = rows.at(-1)!;
    }
  }

  private async pass(): Promise<void> {
    const { pool, bus, logger } = this.options;
    const batch = this.options.batch ?? 500;
    if (this.cursor === undefined) {
      const published = await bus.lastPosition();
      const newest = await this.newest();
      this.cursor = published !== null && comparePositions(published, newest) <= 0 ? published : newest;
      this.start_ = this.cursor;
      this.seen = published !== null;
    } else {
      // Redis may have restarted without its data: the stream is then missing (or, after another
      // relay put it back, ends before this cursor). Published again before anything new, so the
      // stream never has a hole before its newest entry.
      const last = await bus.lastPosition();
      if (last === null && this.seen) {
        const from = await this.rewind(this.cursor, this.start_!);
        const restored = await bus.restore(this.between(from, this.cursor));
        logger.warn({ restored }, 'case event relay: the stream was gone (Redis restarted?); published again since this relay started');
        // Nothing to put back: the next publish makes the stream.
        this.seen = restored > 0;
      } else if (last !== null) {
        this.seen = true;
        if (comparePositions(last, this.cursor) < 0) this.cursor = last;
      }
    }
    const { rows } = await pool.query<CaseEventMessage>(
      `SELECT ${EVENT_COLUMNS} FROM cases.case_event e
        WHERE ${settledAfter('e', { tx: '$1::xid8', id: '$2::bigint' })}
        ORDER BY ${positionOrder('e')} LIMIT $3`,
      [this.cursor.tx, this.cursor.id, batch],
    );
    if (rows.length === 0) return;
    // The stream is made only by this relay's first publish, or by a restore: never by a command
    // that reaches a Redis that came back empty.
    const { lost } = await bus.publish(rows, { create: !this.seen });
    if (lost) {
      setImmediate(() => void this.runOnce());
      return;
    }
    this.seen = true;
    const last = rows.at(-1)!;
    this.cursor = { tx: last.tx, id: last.id };
    // A full batch: more are waiting.
    if (rows.length === batch) setImmediate(() => void this.runOnce());
  }
}

/** Events the bus keeps for resumption (CASE_EVENT_STREAM_MAX): the Redis stream's MAXLEN, or the in-process ring. */
export const caseEventStreamMax = (env: Env) => int(env, 'CASE_EVENT_STREAM_MAX', 100_000, { min: 100 });

/** The relay as the cases subgraph runs it; CASE_EVENT_RELAY_INTERVAL_MS=0 turns it off (undefined). */
export function caseEventRelay({
  pool,
  cache,
  env,
  logger,
}: {
  pool: Pool;
  cache: Cache;
  env: Env;
  logger: Logger;
}): CaseEventRelay | undefined {
  const intervalMs = int(env, 'CASE_EVENT_RELAY_INTERVAL_MS', 100, { min: 0 });
  if (intervalMs === 0) return undefined;
  const bus = createCaseEventBus({ redis: cache.redis, keep: caseEventStreamMax(env), logger });
  if (bus.kind === 'memory') {
    logger.info('no REDIS_URL: case events reach subscriptions only of a gateway in this process (in-process bus)');
  }
  return new CaseEventRelay({ pool, bus, logger, intervalMs, keep: caseEventStreamMax(env) });
}
