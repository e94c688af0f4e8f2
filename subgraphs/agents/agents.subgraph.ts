import { PersonalDataVault } from '../../platform/personal-data';
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
import { AgentContractFieldsResolver, AgentContractsResolver, UplinePeriodResolver } from './contracts/contract.resolver';
import { CarrierContractsResolver } from './contracts/carrier-contracts.resolver';
import { CommissionChainResolver } from './contracts/commission-chain.resolver';
import { LicenseSyncChangeResolver, LicenseSyncResultResolver, LicensingResolver } from './licensing/licensing.resolver';
import { LicenseSyncJob } from './licensing/license-sync.job';
import { AgentLicenseSyncResolver } from './licensing/license-sync-status.resolver';
import { readLicensingConfig } from './licensing/licensing.config';
import { PdbXmlAdapter } from './ports/pdb/pdb-xml.adapter';
import { OnboardingResolver } from './onboarding/onboarding.resolver';
import { EoLapseJob } from './onboarding/eo-lapse.job';
import { readOnboardingConfig } from './onboarding/onboarding.config';
import { AGREEMENT_WEBHOOK_PATH, agreementWebhookRoute } from './onboarding/agreement-webhook.route';
import { EsignAgreementAdapter } from './onboarding/esign-agreement.adapter';
import { Db } from '../shared/db';
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
        AgentContractsResolver,
        AgentContractFieldsResolver,
        UplinePeriodResolver,
        CarrierContractsResolver,
        CommissionChainResolver,
        LicensingResolver,
        LicenseSyncChangeResolver,
        LicenseSyncResultResolver,
        AgentLicenseSyncResolver,
        OnboardingResolver,
      ],
    },
    { Agent: agentReference, Carrier: carrierReference },
  );

/**
 * The agents subgraph: agents, licenses, appointments, eligibility, onboarding, contracts. Background
 * work: the producer-database license sync, the E&O lapse job and the appointment filing worker.
 */
export const agentsSubgraph: SubgraphModule = {
  name: 'agents',
  migrations: agentsMigrations,
  buildSchema,
  async create({ config, env, pool, logger }) {
    // Appointments filed with carriers (off when APPOINTMENT_FILING_INTERVAL_MS is 0).
    const filing = createAppointmentFiling({ env, pool, logger, identitySecret: config.identitySecret });
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
    const onboardingConfig = readOnboardingConfig(env);
    // Sealed onboarding steps (TIN, bank account, background answers); refuses the development key in production.
    const { esign } = onboardingConfig;
    const onboarding = {
      vault: PersonalDataVault.fromEnv(env),
      eoMinimumPerClaim: onboardingConfig.eoMinimumPerClaim,
      // The BGA agreement goes out for e-signature; the provider's signed webhook completes it.
      signatures: new EsignAgreementAdapter({ baseUrl: esign.url, apiKey: esign.apiKey }),
      esignCallbackUrl: esign.callbackUrl,
    };
    // E&O lapse: an ACTIVE agent whose recorded coverage ended is SUSPENDED (leased, safe with replicas).
    const eoLapse = onboardingConfig.eoLapseIntervalMs
      ? new EoLapseJob({ pool, logger, intervalMs: onboardingConfig.eoLapseIntervalMs })
      : undefined;
    const jobs = [sync, eoLapse, filing].filter((job) => job !== undefined);
    return {
      schema: await buildSchema(),
      context: (base) => ({
        ...createAgentsContext(base, onboarding),
        licensing: { pdb },
        nudgeAppointmentFiling: () => filing?.nudge(),
      }),
      routes: {
        [AGREEMENT_WEBHOOK_PATH]: agreementWebhookRoute({
          db: new Db(pool),
          secret: esign.webhookSecret,
          toleranceSeconds: esign.webhookToleranceSeconds,
          logger: logger.child({ route: AGREEMENT_WEBHOOK_PATH }),
        }),
      },
      background: jobs.length
        ? {
            start: () => {
              for (const job of jobs) job.start();
            },
            stop: async () => {
              await Promise.all(jobs.map((job) => job.stop()));
            },
          }
        : undefined,
    };
  },
};
