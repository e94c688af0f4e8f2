import { buildFederatedSchema } from '../shared/federation';
import type { SubgraphModule } from '../shared/subgraph-server';
// type-graphql orders root fields by the order their resolver modules load: these keep the
// schema's Query and Mutation fields in their published order.
import { AgentResolver } from './agent.resolver';
import { AgentScopeResolver } from './agent-scope.resolver';
import { LicenseResolver } from './license.resolver';
import { AppointmentResolver } from './appointment.resolver';
import { AppointmentMetricResolver } from './appointments/appointment-metrics.resolver';
import { createAppointmentFiling } from './appointments/appointment-filing.module';
import { CarrierContractingResolver } from './carrier/carrier-contracting.resolver';
import { AgentEventResolver, AgentEventsFieldResolver } from './events/agent-event.resolver';
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
        AppointmentMetricResolver,
        CarrierContractingResolver,
        AgentEventResolver,
        AgentEventsFieldResolver,
      ],
    },
    { Agent: agentReference, Carrier: carrierReference },
  );

/** The agents subgraph: agents, licenses, appointments, eligibility. Nothing outlives a request. */
export const agentsSubgraph: SubgraphModule = {
  name: 'agents',
  migrations: agentsMigrations,
  buildSchema,
  create: async ({ config, env, pool, logger }) => {
    // Appointments filed with carriers (off when APPOINTMENT_FILING_INTERVAL_MS is 0).
    const filing = createAppointmentFiling({ env, pool, logger, identitySecret: config.identitySecret });
    return {
      schema: await buildSchema(),
      ...(filing ? { background: { start: () => filing.start(), stop: () => filing.stop() } } : {}),
      context: (base) => ({ ...createAgentsContext(base), nudgeAppointmentFiling: () => filing?.nudge() }),
    };
  },
};
