/**
 * The one rule by which readers of cases.case_event move a cursor over it: the webhook subscribers'
 * cursors (webhooks/webhook.repository.ts) and the case event relay to the subscriptions' stream
 * (case-event.relay.ts).
 *
 * An identity id is taken at INSERT, not at COMMIT, so a transaction that commits after a newer one
 * makes ids appear out of order: an id cursor that moved past the newer event would skip the older
 * one for good. Each event therefore carries its transaction's id (`tx`, xid8, the column's default
 * since migration 17), and a cursor is a pair (tx, id), read in (tx, id) order, taking only events of
 * transactions older than every transaction still running (pg_snapshot_xmin): those are all settled
 * (committed and visible, or rolled back and gone), and any event still to come belongs to a
 * transaction at or after the horizon, so after every pair already read. Nothing is waited on but a
 * transaction that is really still open, and nothing is ever skipped. Rows older than migration 17
 * (tx NULL) are outside every cursor.
 */

/** SQL: the oldest transaction still running (every older one is settled). */
export const HORIZON_SQL = 'pg_snapshot_xmin(pg_current_snapshot())';

/**
 * SQL: event row `e` is settled and after the cursor (`tx` and `id`, SQL expressions: columns or
 * parameters); `horizon`, an SQL expression of the horizon read once by the statement (HORIZON_SQL
 * unless the statement already has it). Rows are to be read ORDER BY `positionOrder(e)`.
 */
export const settledAfter = (e: string, cursor: { tx: string; id: string }, horizon = HORIZON_SQL): string =>
  `${e}.tx IS NOT NULL AND ${e}.tx < ${horizon} AND (${e}.tx, ${e}.id) > (${cursor.tx}, ${cursor.id})`;

/** SQL: the (tx, id) order of event row `e` (append DESC for the newest first). */
export const positionOrder = (e: string, direction: 'ASC' | 'DESC' = 'ASC'): string => `${e}.tx ${direction}, ${e}.id ${direction}`;

/** The newest settled event's position, columns tx (xid8) and id (no row when there is none): where a cursor starts at the present. */
export const NEWEST_SETTLED_SQL = `SELECT e.tx, e.id FROM cases.case_event e
   WHERE e.tx IS NOT NULL AND e.tx < ${HORIZON_SQL} ORDER BY ${positionOrder('e', 'DESC')} LIMIT 1`;
