import type { CasesContext } from './case.loader';

/** How long an agent's scope is reused before the agents subgraph is asked again. */
export const SCOPE_TTL_SECONDS = 60;

/**
 * The agents whose cases the caller may see: for an AGENT, themself and their downline, as the
 * agents subgraph answers (through the supergraph, as SERVICE), cached briefly per agent id; for
 * staff, admins and services, everyone (null). Memoised for the request.
 */
export function visibleAgentIds(ctx: CasesContext): Promise<ReadonlySet<string> | null> {
  const { identity } = ctx;
  if (identity.role !== 'AGENT') return Promise.resolve(null);
  ctx.scope ??= ctx.cached
    .get(
      `scope:v1:${identity.agentId}`,
      SCOPE_TTL_SECONDS,
      async () =>
        (
          await ctx.supergraph.request<{ agentScope: string[] }>(
            'query Scope($id: ID!) { agentScope(agentId: $id) }',
            { id: identity.agentId },
            ctx.requestId,
          )
        ).agentScope,
      ctx.stats,
    )
    .then(({ value }) => new Set(value));
  return ctx.scope;
}

export async function canSeeCase(ctx: CasesContext, row: { agentId: string }): Promise<boolean> {
  const scope = await visibleAgentIds(ctx);
  return scope === null || scope.has(row.agentId);
}
