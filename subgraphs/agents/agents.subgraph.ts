import { buildFederatedSchema } from '../shared/federation';
import type { SubgraphModule } from '../shared/subgraph-server';
import { createAgentLoaders } from './agent.loader';
import { agentReferences } from './agent.reference';
import { AgentResolver, AppointmentResolver, CarrierContractingResolver } from './agent.resolver';
import { agentsMigrations } from './agents.migrations';

const buildSchema = () =>
  buildFederatedSchema({ resolvers: [AgentResolver, AppointmentResolver, CarrierContractingResolver] }, agentReferences);

/** The agents subgraph: agents, licenses, appointments, eligibility. Nothing outlives a request. */
export const agentsSubgraph: SubgraphModule = {
  name: 'agents',
  migrations: agentsMigrations,
  buildSchema,
  create: async () => ({
    schema: await buildSchema(),
    context: (base) => ({ ...base, loaders: createAgentLoaders(base.db) }),
  }),
};
