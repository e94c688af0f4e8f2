import type { ReferenceResolvers } from '../shared/federation';
import type { AgentsContext } from './agent.loader';

/** Entities other subgraphs point at: Case.agent, CaseMetricsGroup.agent; Carrier for its contracting data. */
export const agentReferences: ReferenceResolvers = {
  Agent: {
    // Unknown or malformed ids resolve to null, never to an error: the reference came from our own data.
    __resolveReference: (reference: { id: string }, ctx: AgentsContext) => ctx.loaders.agent.load(reference.id).then((row) => row ?? null),
  },
  Carrier: {
    __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
  },
};
