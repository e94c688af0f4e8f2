import type { ReferenceResolvers } from '../shared/federation';
import type { AgentsContext } from './agent.loader';
import { canSeeAgent } from './agent-scope';

/** Entities other subgraphs point at: Case.agent, CaseMetricsGroup.agent; Carrier for its contracting data. */
export const agentReferences: ReferenceResolvers = {
  Agent: {
    // Unknown ids, and agents outside an agent caller's scope, resolve to null: existence never leaks.
    __resolveReference: async (reference: { id: string }, ctx: AgentsContext) => {
      const row = await ctx.loaders.agent.load(reference.id);
      return row && (await canSeeAgent(ctx, row.id)) ? row : null;
    },
  },
  Carrier: {
    __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
  },
};
