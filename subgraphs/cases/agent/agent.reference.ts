import type { ReferenceResolvers } from '../../shared/federation';

/** An agent is known by its id alone here: Agent.cases needs nothing more, and the agents subgraph answers for the agent. */
export const agentReferences: ReferenceResolvers = {
  Agent: { __resolveReference: (reference: { id: string }) => ({ id: reference.id }) },
};
