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
import { LicenseSyncChangeResolver, LicenseSyncResultResolver, LicensingResolver } from './licensing/licensing.resolver';
import { LicenseSyncJob } from './licensing/license-sync.job';
import { AgentLicenseSyncResolver } from './licensing/license-sync-status.resolver';
import { readLicensingConfig } from './licensing/licensing.config';
import { PdbXmlAdapter } from './ports/pdb/pdb-xml.adapter';
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
        LicensingResolver,
        LicenseSyncChangeResolver,
        LicenseSyncResultResolver,
        AgentLicenseSyncResolver,
      ],
    },
    { Agent: agentReference, Carrier: carrierReference },
  );

/** The agents subgraph: agents, licenses, appointments, eligibility. Nothing outlives a request. */
export const agentsSubgraph: SubgraphModule = {
  name: 'agents',
  migrations: agentsMigrations,
  buildSchema,
  async create({ env, pool, logger }) {
    // The national producer database: licenses and appointments by NPN (licensing/), on demand and on a schedule.
    const licensing = readLicensingConfig(env);
    const pdb = new PdbXmlAdapter({
      baseUrl: licensing.producerDatabase.url,
      user: licensing.producerDatabase.user,
      password: licensing.producerDatabase.password,
      deadlineMs: licensing.producerDatabase.timeoutMs,
    });
    const sync = licensing.sync.intervalMs
      ? new LicenseSyncJob({
          pool,
          logger,
          pdb,
          intervalMs: licensing.sync.intervalMs,
          batchSize: licensing.sync.batchSize,
          staleSeconds: licensing.sync.staleSeconds,
        })
      : undefined;
    return {
      schema: await buildSchema(),
      background: sync && { start: () => sync.start(), stop: () => sync.stop() },
      context: (base) => ({ ...createAgentsContext(base), licensing: { pdb } }),
    };
  },
};
