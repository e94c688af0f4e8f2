import type { AgentsContext } from './agents.context';
import { canSeeAgent } from './agent-scope.loader';

/**
 * Agent as other subgraphs point at it (Case.agent, CaseMetricsGroup.agent). Unknown ids, and agents
 * outside an agent caller's scope, resolve to null: existence never leaks.
 */
export const agentReference = {
  __resolveReference: async (reference: { id: string }, ctx: AgentsContext) => {
    const row = await ctx.loaders.agent.load(reference.id);
    return row && (await canSeeAgent(ctx, row.id)) ? row : null;
  },
};
