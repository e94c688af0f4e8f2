import type { Pool } from 'pg';
import type { Cache } from '../../platform/cache';
import { type CaseEventBus, type CaseEventMessage, createCaseEventBus } from '../../platform/case-event-bus';
import { type Env, int } from '../../platform/config';
import type { Logger } from '../../platform/logger';

/** The least a gap is waited on, even when no transaction that could fill it is running. */
const SETTLE_MS = 50;

export interface CaseEventRelayOptions {
  pool: Pool;
  bus: CaseEventBus;
  logger: Logger;
  /** How often cases.case_event is read for new rows (CASE_EVENT_RELAY_INTERVAL_MS). */
  intervalMs: number;
  /**
   * How long a missing id holds back the events after it (CASE_EVENT_RELAY_GAP_MS): an identity
   * value is taken at INSERT, so a transaction that commits later than a newer one leaves a gap for
   * a moment; a rolled-back one leaves it for good, and is skipped after this long.
   */
  gapMs: number;
  batch?: number;
}

/**
 * Relays committed case events (cases.case_event, append-only, bigint identity ids) to the case event
 * bus for the gateways' subscriptions, in id order, by polling with an id cursor: no trigger, no
 * LISTEN, and the write paths are untouched. Replicas may all run it: on Redis each entry's id is the
 * case_event id, so a second copy of an event is refused by the stream itself. The cursor starts at
 * the newest id already on the bus (else the newest in the table: history is not replayed).
 */
export class CaseEventRelay {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private cursor?: bigint;
  /** The missing id the relay waits on, and since when. */
  private gap?: { id: bigint; since: number; horizon: bigint };
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

  /** pg_current_snapshot()'s xmin (the oldest transaction still running) or xmax (the next transaction id). */
  private async snapshot(bound: 'xmin' | 'xmax'): Promise<bigint> {
    const { rows } = await this.options.pool.query<{ v: string }>(`SELECT pg_snapshot_${bound}(pg_current_snapshot())::text AS v`);
    return BigInt(rows[0].v);
  }

  /**
   * Whether a missing id will never commit: every transaction running when the gap was first seen
   * has ended since (the oldest running one is past the then next transaction id), and a moment has
   * passed (an INSERT takes its id an instant before its transaction id); or gapMs has passed anyway.
   */
  private async settled(gap: { since: number; horizon: bigint }): Promise<boolean> {
    const age = Date.now() - gap.since;
    if (age >= this.options.gapMs) return true;
    return age >= SETTLE_MS && (await this.snapshot('xmin')) >= gap.horizon;
  }

  private async pass(): Promise<void> {
    const { pool, bus } = this.options;
    if (this.cursor === undefined) {
      const published = await bus.lastId();
      const { rows } = await pool.query<{ max: string | null }>('SELECT max(id)::text AS max FROM cases.case_event');
      const newest = BigInt(rows[0].max ?? '0');
      this.cursor = published !== null && BigInt(published) <= newest ? BigInt(published) : newest;
    }
    const { rows } = await pool.query<Omit<CaseEventMessage, 'id'> & { id: string }>(
      `SELECT id::text AS id, case_id AS "caseId", to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, type,
              from_status AS "fromStatus", to_status AS "toStatus", requirement_code AS "requirementCode",
              requirement_id AS "requirementId", actor, note
         FROM cases.case_event WHERE id > $1 ORDER BY id LIMIT $2`,
      [this.cursor.toString(), this.options.batch ?? 500],
    );
    const ready: CaseEventMessage[] = [];
    let next = this.cursor + 1n;
    for (const row of rows) {
      const id = BigInt(row.id);
      if (id !== next) {
        if (this.gap?.id !== next) this.gap = { id: next, since: Date.now(), horizon: await this.snapshot('xmax') };
        if (!(await this.settled(this.gap))) break;
        this.options.logger.info({ from: next.toString(), to: (id - 1n).toString() }, 'case event relay: ids never committed; skipped');
      }
      ready.push(row);
      next = id + 1n;
    }
    if (ready.length === 0) return;
    await bus.publish(ready);
    this.cursor = BigInt(ready.at(-1)!.id);
    this.gap = undefined;
    // A full batch: more are waiting.
    if (rows.length === (this.options.batch ?? 500) && ready.length === rows.length) setImmediate(() => void this.runOnce());
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
  return new CaseEventRelay({ pool, bus, logger, intervalMs, gapMs: int(env, 'CASE_EVENT_RELAY_GAP_MS', 2_000, { min: 0 }) });
}
