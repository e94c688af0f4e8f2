import { buildFederatedSchema } from '../shared/federation';
import type { SubgraphDefinition } from '../shared/subgraph-server';
import { createAgentLoaders, type AgentsContext } from './agent.loader';
import { agentReferences } from './agent.reference';
import { AgentResolver, AppointmentResolver, CarrierContractingResolver } from './agent.resolver';
import { agentsMigrations } from './agents.migrations';

export const agentsSubgraph: SubgraphDefinition<AgentsContext> = {
  name: 'agents',
  migrations: agentsMigrations,
  schema: () => buildFederatedSchema({ resolvers: [AgentResolver, AppointmentResolver, CarrierContractingResolver] }, agentReferences),
  context: (base) => ({ ...base, loaders: createAgentLoaders(base.db) }),
};
