import { downlineIds } from './agent.repository';
import type { AgentsContext } from './agents.context';
import { type AgentScope, inScope, MAX_HIERARCHY_DEPTH, scopeRoot } from './domain/agent-scope';

/** How long an agent's visible scope (self + downline) is reused before it is read again. */
export const SCOPE_TTL_SECONDS = 60;

/**
 * The agent ids the caller may see (null: every agent). An agent's downline is cached briefly under
 * the agent id (an id, never personal data) and memoised for the request.
 */
export async function visibleAgentIds(ctx: AgentsContext): Promise<AgentScope> {
  const root = scopeRoot(ctx.identity);
  if (root === null) return null;
  ctx.scope ??= ctx.cached
    .get(`scope:v1:${root}`, SCOPE_TTL_SECONDS, () => downlineIds(ctx.db, root, MAX_HIERARCHY_DEPTH), ctx.stats)
    .then(({ value }) => new Set(value));
  return ctx.scope;
}

/** True when the caller may see this agent. */
export async function canSeeAgent(ctx: AgentsContext, agentId: string): Promise<boolean> {
  return inScope(await visibleAgentIds(ctx), agentId);
}
