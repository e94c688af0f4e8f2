import type { Db } from '../shared/db';
import type { AgentRow } from './agent.type';
import type { AgentStatus } from '../shared/enums';

/** The agents.agent columns, named as AgentRow names them. */
const AGENT_COLUMNS = `id, npn, first_name AS "firstName", last_name AS "lastName", email, resident_state AS "residentState", status,
  upline_id AS "uplineId", eo_expires_on AS "eoExpiresOn", aml_trained_on AS "amlTrainedOn"`;

/** Which agents a list holds: every condition given must hold. */
export interface AgentListFilter {
  /** Only these ids (the caller's scope); every agent when absent. */
  ids?: readonly string[];
  statuses?: readonly AgentStatus[];
  residentState?: string;
  /** An NPN prefix or the start of a last name, case-insensitive; matched literally (no wildcards). */
  search?: string;
}

/** The WHERE clause of a filter, its parameters numbered from $1. */
function listWhere(filter: AgentListFilter): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.ids) where.push(`id = ANY($${params.push([...filter.ids])})`);
  if (filter.statuses?.length) where.push(`status = ANY($${params.push(filter.statuses)})`);
  if (filter.residentState) where.push(`resident_state = $${params.push(filter.residentState)}`);
  if (filter.search) {
    const term = filter.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`);
    where.push(`(npn LIKE $${params.push(`${term}%`)} OR lower(last_name) LIKE lower($${params.length}))`);
  }
  return { where, params };
}

const whereClause = (where: readonly string[]) => (where.length ? `WHERE ${where.join(' AND ')}` : '');

export async function agentsByIds(db: Db, ids: readonly string[]): Promise<AgentRow[]> {
  return db.query<AgentRow>(`SELECT ${AGENT_COLUMNS} FROM agents.agent WHERE id = ANY($1)`, [ids]);
}

export async function agentByNpn(db: Db, npn: string): Promise<AgentRow | undefined> {
  return db.one<AgentRow>(`SELECT ${AGENT_COLUMNS} FROM agents.agent WHERE npn = $1`, [npn]);
}

/** The agents directly below any of these, ordered by id. */
export async function agentsByUplineIds(db: Db, uplineIds: readonly string[]): Promise<AgentRow[]> {
  return db.query<AgentRow>(`SELECT ${AGENT_COLUMNS} FROM agents.agent WHERE upline_id = ANY($1) ORDER BY id`, [uplineIds]);
}

/** The agent and everyone below them, at most maxDepth levels down, by a recursive query over upline links; ordered by id. */
export async function downlineIds(db: Db, agentId: string, maxDepth: number): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `WITH RECURSIVE scope(id, depth) AS (
       SELECT id, 0 FROM agents.agent WHERE id = $1
       UNION
       SELECT a.id, s.depth + 1 FROM agents.agent a JOIN scope s ON a.upline_id = s.id WHERE s.depth < $2
     ) SELECT DISTINCT id FROM scope ORDER BY id`,
    [agentId, maxDepth],
  );
  return rows.map((r) => r.id);
}

/** At most limit agents matching the filter with an id after afterId (keyset paging), ordered by id. */
export async function listAgents(db: Db, filter: AgentListFilter, page: { afterId?: string; limit: number }): Promise<AgentRow[]> {
  const { where, params } = listWhere(filter);
  if (page.afterId !== undefined) where.push(`id > $${params.push(page.afterId)}`);
  return db.query<AgentRow>(
    `SELECT ${AGENT_COLUMNS} FROM agents.agent ${whereClause(where)} ORDER BY id LIMIT $${params.push(page.limit)}`,
    params,
  );
}

/** How many agents match the filter, over all pages. */
export async function countAgents(db: Db, filter: AgentListFilter): Promise<number> {
  const { where, params } = listWhere(filter);
  const row = await db.one<{ n: number }>(`SELECT count(*)::int AS n FROM agents.agent ${whereClause(where)}`, params);
  return row!.n;
}

/** A new agent, as stored: PENDING until contracting completes. */
export interface NewAgent {
  id: string;
  npn: string;
  firstName: string;
  lastName: string;
  email: string;
  residentState: string;
  uplineId: string | null;
}

/** Inserts a PENDING agent; null when an agent with this NPN exists already. */
export async function insertAgent(db: Db, agent: NewAgent): Promise<AgentRow | null> {
  // ON CONFLICT rather than catching the violation: inside a transaction a failed statement aborts it.
  const row = await db.one<AgentRow>(
    `INSERT INTO agents.agent (id, npn, first_name, last_name, email, resident_state, status, upline_id)
     VALUES ($1, $2, $3, $4, $5, $6, 'PENDING', $7) ON CONFLICT (npn) DO NOTHING RETURNING ${AGENT_COLUMNS}`,
    [agent.id, agent.npn, agent.firstName, agent.lastName, agent.email, agent.residentState, agent.uplineId],
  );
  return row ?? null;
}
