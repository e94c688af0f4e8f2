import { buildFederatedSchema } from '../shared/federation';
import type { SubgraphModule } from '../shared/subgraph-server';
// type-graphql orders root fields by the order their resolver modules load: these keep the
// schema's Query and Mutation fields in their published order.
import { AgentResolver } from './agent.resolver';
import { AgentScopeResolver } from './agent-scope.resolver';
import { LicenseResolver } from './license.resolver';
import { AppointmentResolver } from './appointment.resolver';
import { CarrierContractingResolver } from './carrier/carrier-contracting.resolver';
import { AgentEventResolver, AgentEventsFieldResolver } from './events/agent-event.resolver';
import { AgentContractFieldsResolver, AgentContractsResolver, UplinePeriodResolver } from './contracts/contract.resolver';
import { CarrierContractsResolver } from './contracts/carrier-contracts.resolver';
import { CommissionChainResolver } from './contracts/commission-chain.resolver';
import { agentReference } from './agent.reference';
import { carrierReference } from './carrier/carrier.reference';
import { createAgentsContext } from './agents.context';
import { agentsMigrations } from './agents.migrations';

const buildSchema = () =>
  buildFederatedSchema(
    {
      resolvers: [
        AgentResolver,
        AgentScopeResolver,
        LicenseResolver,
        AppointmentResolver,
        CarrierContractingResolver,
        AgentEventResolver,
        AgentEventsFieldResolver,
        AgentContractsResolver,
        AgentContractFieldsResolver,
        UplinePeriodResolver,
        CarrierContractsResolver,
        CommissionChainResolver,
      ],
    },
    { Agent: agentReference, Carrier: carrierReference },
  );

/** The agents subgraph: agents, licenses, appointments, eligibility. Nothing outlives a request. */
export const agentsSubgraph: SubgraphModule = {
  name: 'agents',
  migrations: agentsMigrations,
  buildSchema,
  create: async () => ({
    schema: await buildSchema(),
    context: createAgentsContext,
  }),
};
