import type { Db } from '../../shared/db';
import type { AgentEventTypeCode } from '../../shared/vocabulary';

/** One agent event to append. Never updated or deleted once written. */
export interface NewAgentEvent {
  agentId: string;
  type: AgentEventTypeCode;
  /** Who or what made the change: a user id, or a job's name (e.g. 'producer-database-sync'). */
  actor: string;
  at?: string;
  carrierId?: string | null;
  state?: string | null;
  fromStatus?: string | null;
  toStatus?: string | null;
  /** Free text for staff; never personal data (no names, birth dates, bank or license numbers). */
  note?: string | null;
}

/** A row of agents.agent_event. */
export interface AgentEventRow {
  id: string;
  agentId: string;
  at: string;
  type: AgentEventTypeCode;
  actor: string;
  carrierId: string | null;
  state: string | null;
  fromStatus: string | null;
  toStatus: string | null;
  note: string | null;
}

const EVENT_COLUMNS = `id::text AS id, agent_id AS "agentId", at, type, actor, carrier_id AS "carrierId", state,
  from_status AS "fromStatus", to_status AS "toStatus", note`;

/** Appends events in one statement (call it inside the transaction that made the change). */
export async function appendAgentEvents(tx: Db, events: readonly NewAgentEvent[]): Promise<void> {
  if (events.length === 0) return;
  const now = new Date().toISOString();
  await tx.query(
    `INSERT INTO agents.agent_event (agent_id, at, type, actor, carrier_id, state, from_status, to_status, note)
     SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])`,
    [
      events.map((e) => e.agentId),
      events.map((e) => e.at ?? now),
      events.map((e) => e.type),
      events.map((e) => e.actor),
      events.map((e) => e.carrierId ?? null),
      events.map((e) => e.state ?? null),
      events.map((e) => e.fromStatus ?? null),
      events.map((e) => e.toStatus ?? null),
      events.map((e) => e.note ?? null),
    ],
  );
}

/**
 * The last `limit` events of each agent, newest first: one statement for the whole batch. Ordered by
 * the table's bigint id (e.id): a bare `id` would be the text alias of the select list, and "9" > "10".
 */
export async function agentEventsByAgentIds(db: Db, agentIds: readonly string[], limit: number): Promise<AgentEventRow[]> {
  return db.query<AgentEventRow>(
    `SELECT e.* FROM unnest($1::text[]) AS a(id)
     CROSS JOIN LATERAL (SELECT ${EVENT_COLUMNS} FROM agents.agent_event e WHERE e.agent_id = a.id ORDER BY e.id DESC LIMIT $2) e`,
    [agentIds, limit],
  );
}
