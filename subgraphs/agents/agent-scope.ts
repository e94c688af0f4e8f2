import type { AgentsContext } from './agent.loader';

/** How long an agent's visible scope (self + downline) is reused before it is read again. */
export const SCOPE_TTL_SECONDS = 60;

/**
 * The agent ids an AGENT caller may see: themself and everyone below them in the hierarchy, by a
 * recursive query over upline links. Staff, admins and services see everything (null). Cached
 * briefly under the agent id (an id, never personal data) and memoised for the request.
 */
export async function visibleAgentIds(ctx: AgentsContext): Promise<ReadonlySet<string> | null> {
  const { identity } = ctx;
  if (identity.role !== 'AGENT') return null;
  ctx.scope ??= ctx.cached
    .get(`scope:v1:${identity.agentId}`, SCOPE_TTL_SECONDS, () => downlineIds(ctx, identity.agentId!), ctx.stats)
    .then(({ value }) => new Set(value));
  return ctx.scope;
}

export async function downlineIds(ctx: Pick<AgentsContext, 'db'>, agentId: string): Promise<string[]> {
  const rows = await ctx.db.query<{ id: string }>(
    `WITH RECURSIVE scope(id, depth) AS (
       SELECT id, 0 FROM agents.agent WHERE id = $1
       UNION
       SELECT a.id, s.depth + 1 FROM agents.agent a JOIN scope s ON a.upline_id = s.id WHERE s.depth < 20
     ) SELECT DISTINCT id FROM scope ORDER BY id`,
    [agentId],
  );
  return rows.map((r) => r.id);
}

/** True when the caller may see this agent. */
export async function canSeeAgent(ctx: AgentsContext, agentId: string): Promise<boolean> {
  const scope = await visibleAgentIds(ctx);
  return scope === null || scope.has(agentId);
}
