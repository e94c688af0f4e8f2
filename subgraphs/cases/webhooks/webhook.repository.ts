/** The SQL of webhook subscribers, their cursors over cases.case_event, and their delivery attempts. Functions take the Db to run on. */
import { badInput } from '../../../platform/errors';
import type { Db } from '../../shared/db';
import { decodeCursor, keysetPage, pageSize } from '../../shared/pagination';
import { HORIZON_SQL, NEWEST_SETTLED_SQL, positionOrder, settledAfter } from '../case-event.cursor';
import type { CaseEventType } from '../case-event.type';
import type {
  WebhookDelivery,
  WebhookDeliveryConnection,
  WebhookDeliveryRow,
  WebhookDeliveryStatus,
  WebhookSubscriberRow,
} from './webhook.type';

export const MAX_DELIVERY_PAGE = 200;

const SUBSCRIBER_COLUMNS = `id, url, description, event_types AS "eventTypes", active, created_by AS "createdBy", created_at AS "createdAt",
  updated_at AS "updatedAt", last_event_id AS "lastEventId", head_event_id AS "headEventId", attempts, next_attempt_at AS "nextAttemptAt",
  last_error AS "lastError"`;

/**
 * A new subscriber, its cursor at the present: events of transactions still running or yet to come
 * reach it, those already behind every running transaction do not (the same horizon the claim uses).
 */
export const insertSubscriber = (
  db: Db,
  row: {
    id: string;
    url: string;
    description: string | null;
    eventTypes: readonly CaseEventType[];
    sealedSecret: string;
    createdBy: string;
  },
): Promise<WebhookSubscriberRow | undefined> =>
  db.one<WebhookSubscriberRow>(
    `INSERT INTO cases.webhook_subscriber (id, url, description, event_types, secret, created_by, cursor_tx)
     VALUES ($1, $2, $3, $4, $5, $6, ${HORIZON_SQL}) RETURNING ${SUBSCRIBER_COLUMNS}`,
    [row.id, row.url, row.description, row.eventTypes, row.sealedSecret, row.createdBy],
  );

/**
 * Changes what is given (null leaves a column as it is); undefined when there is no such subscriber.
 * The lease and backoff (next_attempt_at) are left alone: pulling them forward could put a second
 * event in flight beside one a worker is sending.
 */
export const updateSubscriber = (
  db: Db,
  id: string,
  changes: { url?: string | null; description?: string | null; eventTypes?: readonly CaseEventType[] | null; active?: boolean | null },
): Promise<WebhookSubscriberRow | undefined> =>
  db.one<WebhookSubscriberRow>(
    `UPDATE cases.webhook_subscriber SET url = COALESCE($2, url), description = COALESCE($3, description),
        event_types = COALESCE($4, event_types), active = COALESCE($5, active), updated_at = now()
      WHERE id = $1 AND deleted_at IS NULL RETURNING ${SUBSCRIBER_COLUMNS}`,
    [id, changes.url ?? null, changes.description ?? null, changes.eventTypes ?? null, changes.active ?? null],
  );

export const replaceSecret = (db: Db, id: string, sealedSecret: string): Promise<WebhookSubscriberRow | undefined> =>
  db.one<WebhookSubscriberRow>(
    `UPDATE cases.webhook_subscriber SET secret = $2, updated_at = now() WHERE id = $1 AND deleted_at IS NULL RETURNING ${SUBSCRIBER_COLUMNS}`,
    [id, sealedSecret],
  );

/** Deleted subscribers receive nothing more; their delivery attempts stay readable. True when one was deleted. */
export async function deleteSubscriber(db: Db, id: string): Promise<boolean> {
  const row = await db.one<{ id: string }>(
    `UPDATE cases.webhook_subscriber SET deleted_at = now(), active = false, updated_at = now() WHERE id = $1 AND deleted_at IS NULL RETURNING id`,
    [id],
  );
  return Boolean(row);
}

export const listSubscribers = (db: Db): Promise<WebhookSubscriberRow[]> =>
  db.query<WebhookSubscriberRow>(
    `SELECT ${SUBSCRIBER_COLUMNS} FROM cases.webhook_subscriber WHERE deleted_at IS NULL ORDER BY created_at, id`,
  );

export const subscriberById = (db: Db, id: string): Promise<WebhookSubscriberRow | undefined> =>
  db.one<WebhookSubscriberRow>(`SELECT ${SUBSCRIBER_COLUMNS} FROM cases.webhook_subscriber WHERE id = $1 AND deleted_at IS NULL`, [id]);

export const subscriberExists = async (db: Db, id: string): Promise<boolean> =>
  Boolean(await db.one(`SELECT 1 FROM cases.webhook_subscriber WHERE id = $1`, [id]));

/** A page of one subscriber's delivery attempts, newest first (keyset on the attempt id). */
export async function deliveriesPage(
  db: Db,
  args: { subscriberId: string; status?: WebhookDeliveryStatus | null; first?: number | null; after?: string | null },
): Promise<WebhookDeliveryConnection> {
  const limit = pageSize(args.first, MAX_DELIVERY_PAGE);
  const params: unknown[] = [args.subscriberId];
  const where = ['subscriber_id = $1'];
  if (args.status) where.push(`status = $${params.push(args.status)}`);
  if (args.after) {
    const [id] = decodeCursor(args.after, ['number']);
    if (!Number.isSafeInteger(id)) throw badInput('after is not a valid cursor');
    where.push(`id < $${params.push(id)}`);
  }
  const rows = await db.query<WebhookDeliveryRow>(
    `SELECT id, subscriber_id AS "subscriberId", event_id AS "eventId", attempt, status, http_status AS "httpStatus", error,
            duration_ms AS "durationMs", attempted_at AS "attemptedAt"
       FROM cases.webhook_delivery WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $${params.push(limit + 1)}`,
    params,
  );
  return keysetPage(
    rows,
    limit,
    args.after,
    (row) => [row.id],
    (row): WebhookDelivery => ({ ...row, id: String(row.id), eventId: String(row.eventId) }),
  );
}

/** One subscriber claimed with the event it is to receive next. */
export interface ClaimedDelivery {
  subscriberId: string;
  url: string;
  /** Sealed: opened by the worker just before signing. */
  sealedSecret: string;
  /** This attempt's number at this event (1 for the first; a replay counts its own). */
  attempt: number;
  firstAttemptAt: string;
  /** An event an ADMIN queued again after it was dead-lettered (claimDueReplays), not the cursor's next. */
  replay?: boolean;
  event: {
    id: number;
    /** The inserting transaction (xid8, as text): the cursor's first half. */
    tx: string;
    caseId: string;
    at: string;
    type: CaseEventType;
    fromStatus: string | null;
    toStatus: string | null;
    requirementId: string | null;
  };
}

interface ClaimedRow {
  subscriberId: string;
  url: string;
  sealedSecret: string;
  attempt: number;
  firstAttemptAt: string;
  eventId: number;
  tx: string;
  caseId: string;
  at: string;
  type: CaseEventType;
  fromStatus: string | null;
  toStatus: string | null;
  requirementId: string | null;
}

/** What a claim answers: the subscriber after its update, and the event (`source`: the relation the event was read into). */
const CLAIMED_COLUMNS = (source: string) => `s.id AS "subscriberId", s.url, s.secret AS "sealedSecret", s.attempts AS attempt,
  s.first_attempt_at AS "firstAttemptAt", ${source}.${source === 'due' ? 'event_id' : 'id'} AS "eventId", ${source}.tx::text AS tx,
  ${source}.case_id AS "caseId", ${source}.at, ${source}.type, ${source}.from_status AS "fromStatus", ${source}.to_status AS "toStatus",
  ${source}.requirement_id AS "requirementId"`;

const claimedOf = ({ eventId, tx, caseId, at, type, fromStatus, toStatus, requirementId, ...subscriber }: ClaimedRow): ClaimedDelivery => ({
  ...subscriber,
  event: { id: eventId, tx, caseId, at, type, fromStatus, toStatus, requirementId },
});

/**
 * Leases up to `batchSize` due subscribers that have an event to receive, each with its next event,
 * in one statement: FOR UPDATE SKIP LOCKED keeps replicas apart (one event in flight per subscriber),
 * and next_attempt_at pushed ahead by the lease brings a subscriber back if its worker dies. The
 * next event is the first after the cursor in (tx, id) order among events of transactions older
 * than every transaction still running (pg_snapshot_xmin): an event whose transaction is still open
 * is waited for, never skipped. Attempts count per event: a new head starts at 1. With
 * `subscriberId`, that subscriber alone (its next event, right after a delivery).
 */
export async function claimDueDeliveries(
  db: Db,
  leaseSeconds: number,
  batchSize: number,
  subscriberId?: string,
): Promise<ClaimedDelivery[]> {
  const rows = await db.query<ClaimedRow>(
    `WITH horizon AS (SELECT ${HORIZON_SQL} AS xmin),
     due AS (
       SELECT s.id, e.id AS event_id, e.tx, e.case_id, e.at, e.type, e.from_status, e.to_status, e.requirement_id
         FROM cases.webhook_subscriber s
         CROSS JOIN horizon h
         CROSS JOIN LATERAL (
           SELECT e.id, e.tx, e.case_id, e.at, e.type, e.from_status, e.to_status, e.requirement_id
             FROM cases.case_event e
            WHERE ${settledAfter('e', { tx: 's.cursor_tx', id: 's.cursor_id' }, 'h.xmin')}
              AND (cardinality(s.event_types) = 0 OR e.type = ANY (s.event_types))
            ORDER BY ${positionOrder('e')} LIMIT 1) e
        WHERE s.deleted_at IS NULL AND s.active AND s.next_attempt_at <= now() AND ($3::text IS NULL OR s.id = $3)
        ORDER BY s.next_attempt_at
        LIMIT $2
        FOR UPDATE OF s SKIP LOCKED)
     UPDATE cases.webhook_subscriber s
        SET next_attempt_at = now() + make_interval(secs => $1),
            attempts = CASE WHEN s.head_event_id = due.event_id THEN s.attempts + 1 ELSE 1 END,
            first_attempt_at = CASE WHEN s.head_event_id = due.event_id THEN s.first_attempt_at ELSE now() END,
            head_event_id = due.event_id
       FROM due WHERE s.id = due.id
     RETURNING ${CLAIMED_COLUMNS('due')}`,
    [leaseSeconds, batchSize, subscriberId ?? null],
  );
  return rows.map(claimedOf);
}

export interface AttemptOutcome {
  status: WebhookDeliveryStatus;
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
  /** FAILED only: when to try again. */
  retryInSeconds?: number;
}

/**
 * Records an attempt and moves the subscriber on, in one statement: DELIVERED and DEAD_LETTERED
 * advance the cursor past the event and, with `nextLeaseSeconds`, claim the subscriber's next event
 * in the same statement (answered, leased, its attempt 1; undefined when it has none due, or is
 * paused or deleted: it is then due at once for the next pass); FAILED sets the backoff. Nothing
 * moves unless the event is still the subscriber's head (a worker whose lease ran out and whose
 * event another worker already settled changes nothing but the log).
 */
export async function recordAttempt(
  db: Db,
  claimed: ClaimedDelivery,
  outcome: AttemptOutcome,
  nextLeaseSeconds?: number,
): Promise<ClaimedDelivery | undefined> {
  const insert = `INSERT INTO cases.webhook_delivery (subscriber_id, event_id, attempt, status, http_status, error, duration_ms)
                  VALUES ($1, $2, $3, $4, $5, $6, $7)`;
  const params = [
    claimed.subscriberId,
    claimed.event.id,
    claimed.attempt,
    outcome.status,
    outcome.httpStatus,
    outcome.error,
    Math.round(outcome.durationMs),
  ];
  if (outcome.status === 'FAILED') {
    await db.query(
      `WITH attempt AS (${insert})
       UPDATE cases.webhook_subscriber SET next_attempt_at = now() + make_interval(secs => $8), last_error = $6
        WHERE id = $1 AND head_event_id = $2`,
      [...params, outcome.retryInSeconds ?? 1],
    );
    return undefined;
  }
  const rows = await db.query<ClaimedRow>(
    `WITH attempt AS (${insert}),
     nxt AS (
       SELECT e.id, e.tx, e.case_id, e.at, e.type, e.from_status, e.to_status, e.requirement_id
         FROM cases.webhook_subscriber s0
         CROSS JOIN LATERAL (
           SELECT e.id, e.tx, e.case_id, e.at, e.type, e.from_status, e.to_status, e.requirement_id
             FROM cases.case_event e
            WHERE $9::boolean AND s0.active AND s0.deleted_at IS NULL
              AND ${settledAfter('e', { tx: '$8::xid8', id: '$2::bigint' })}
              AND (cardinality(s0.event_types) = 0 OR e.type = ANY (s0.event_types))
            ORDER BY ${positionOrder('e')} LIMIT 1) e
        WHERE s0.id = $1)
     UPDATE cases.webhook_subscriber s
        SET cursor_tx = $8::xid8, cursor_id = $2, last_event_id = $2, last_error = $6, head_event_id = nxt.id,
            attempts = CASE WHEN nxt.id IS NULL THEN 0 ELSE 1 END,
            first_attempt_at = CASE WHEN nxt.id IS NULL THEN NULL ELSE now() END,
            next_attempt_at = CASE WHEN nxt.id IS NULL THEN now() ELSE now() + make_interval(secs => $10) END
       FROM (SELECT 1) AS one LEFT JOIN nxt ON true
      WHERE s.id = $1 AND s.head_event_id = $2
     RETURNING ${CLAIMED_COLUMNS('nxt')}`,
    [...params, claimed.event.tx, nextLeaseSeconds !== undefined, nextLeaseSeconds ?? 0],
  );
  const next = rows[0];
  return next?.eventId == null ? undefined : claimedOf(next);
}

/**
 * Moves the cursor of every subscriber with nothing in flight to the latest event behind the
 * horizon, when none of the events in between is of a type it takes: the claim's look for the next
 * event then starts there, not at the last event it received. Nothing a subscriber takes is ever
 * passed over (the NOT EXISTS), paused subscribers included. One statement; returns how many moved.
 */
export async function fastForwardCursors(db: Db): Promise<number> {
  const rows = await db.query<{ id: string }>(
    `WITH latest AS (${NEWEST_SETTLED_SQL})
     UPDATE cases.webhook_subscriber s SET cursor_tx = latest.tx, cursor_id = latest.id
       FROM latest
      WHERE s.deleted_at IS NULL AND s.head_event_id IS NULL AND cardinality(s.event_types) > 0
        AND (s.cursor_tx, s.cursor_id) < (latest.tx, latest.id)
        AND NOT EXISTS (
          SELECT 1 FROM cases.case_event e
           WHERE e.tx IS NOT NULL AND (e.tx, e.id) > (s.cursor_tx, s.cursor_id) AND (e.tx, e.id) <= (latest.tx, latest.id)
             AND e.type = ANY (s.event_types))
     RETURNING s.id`,
  );
  return rows.length;
}

/** The most dead-lettered events one replay request queues (call again for the rest). */
export const MAX_REPLAY = 10_000;

/**
 * Queues again, for one subscriber, the events dead-lettered to it at or after `since` that it has
 * not received since (no DELIVERED attempt after the dead letter) and that are not already queued:
 * calling it twice queues nothing more. Answers how many it queued now and how many wait in all.
 */
export async function queueReplays(
  db: Db,
  args: { subscriberId: string; since: string; requestedBy: string },
): Promise<{ queued: number; waiting: number }> {
  const rows = await db.query<{ queued: number; waiting: number }>(
    `WITH dead AS (
       SELECT DISTINCT d.event_id FROM cases.webhook_delivery d
        WHERE d.subscriber_id = $1 AND d.status = 'DEAD_LETTERED' AND d.attempted_at >= $2::timestamptz
          AND NOT EXISTS (SELECT 1 FROM cases.webhook_delivery ok
                           WHERE ok.subscriber_id = d.subscriber_id AND ok.event_id = d.event_id AND ok.status = 'DELIVERED' AND ok.id > d.id)
          AND NOT EXISTS (SELECT 1 FROM cases.webhook_replay r WHERE r.subscriber_id = d.subscriber_id AND r.event_id = d.event_id)
        ORDER BY d.event_id LIMIT $4),
     queued AS (
       INSERT INTO cases.webhook_replay (subscriber_id, event_id, requested_by)
       SELECT $1, event_id, $3 FROM dead ON CONFLICT DO NOTHING RETURNING event_id)
     SELECT (SELECT count(*)::int FROM queued) AS queued,
            -- The statement does not see its own inserts: those waiting before it, and those it queued.
            (SELECT count(*)::int FROM cases.webhook_replay WHERE subscriber_id = $1) + (SELECT count(*)::int FROM queued) AS waiting`,
    [args.subscriberId, args.since, args.requestedBy, MAX_REPLAY],
  );
  return rows[0];
}

/**
 * Leases up to `batchSize` due replays of active subscribers, with their events, in one statement
 * (FOR UPDATE SKIP LOCKED keeps replicas apart; next_attempt_at pushed ahead is the lease).
 */
export async function claimDueReplays(db: Db, leaseSeconds: number, batchSize: number): Promise<ClaimedDelivery[]> {
  const rows = await db.query<ClaimedRow>(
    `WITH due AS (
       SELECT r.subscriber_id, r.event_id FROM cases.webhook_replay r
         JOIN cases.webhook_subscriber s ON s.id = r.subscriber_id AND s.deleted_at IS NULL AND s.active
        WHERE r.next_attempt_at <= now()
        ORDER BY r.next_attempt_at, r.event_id LIMIT $2
        FOR UPDATE OF r SKIP LOCKED),
     leased AS (
       UPDATE cases.webhook_replay r SET next_attempt_at = now() + make_interval(secs => $1), attempts = r.attempts + 1,
              first_attempt_at = COALESCE(r.first_attempt_at, now())
         FROM due WHERE r.subscriber_id = due.subscriber_id AND r.event_id = due.event_id
       RETURNING r.subscriber_id, r.event_id, r.attempts, r.first_attempt_at)
     SELECT s.id AS "subscriberId", s.url, s.secret AS "sealedSecret", l.attempts AS attempt, l.first_attempt_at AS "firstAttemptAt",
            e.id AS "eventId", e.tx::text AS tx, e.case_id AS "caseId", e.at, e.type, e.from_status AS "fromStatus",
            e.to_status AS "toStatus", e.requirement_id AS "requirementId"
       FROM leased l JOIN cases.webhook_subscriber s ON s.id = l.subscriber_id JOIN cases.case_event e ON e.id = l.event_id`,
    [leaseSeconds, batchSize],
  );
  return rows.map(claimedOf);
}

/**
 * Records a replay's attempt, in one statement: DELIVERED and DEAD_LETTERED take the event off the
 * queue, FAILED sets its backoff. The attempt's record is written as any other (webhookDeliveries).
 */
export async function recordReplayAttempt(db: Db, claimed: ClaimedDelivery, outcome: AttemptOutcome): Promise<void> {
  const params = [
    claimed.subscriberId,
    claimed.event.id,
    claimed.attempt,
    outcome.status,
    outcome.httpStatus,
    outcome.error,
    Math.round(outcome.durationMs),
  ];
  const insert = `INSERT INTO cases.webhook_delivery (subscriber_id, event_id, attempt, status, http_status, error, duration_ms)
                  VALUES ($1, $2, $3, $4, $5, $6, $7)`;
  if (outcome.status === 'FAILED')
    await db.query(
      `WITH attempt AS (${insert})
       UPDATE cases.webhook_replay SET next_attempt_at = now() + make_interval(secs => $8) WHERE subscriber_id = $1 AND event_id = $2`,
      [...params, outcome.retryInSeconds ?? 1],
    );
  else await db.query(`WITH attempt AS (${insert}) DELETE FROM cases.webhook_replay WHERE subscriber_id = $1 AND event_id = $2`, params);
}
