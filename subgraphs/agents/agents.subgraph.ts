import { PersonalDataVault } from '../../platform/personal-data';
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
        CarrierContractingResolver,
        AgentEventResolver,
        AgentEventsFieldResolver,
        OnboardingResolver,
      ],
    },
    { Agent: agentReference, Carrier: carrierReference },
  );

/** The agents subgraph: agents, licenses, appointments, eligibility, onboarding; the E&O lapse job is its one background work. */
export const agentsSubgraph: SubgraphModule = {
  name: 'agents',
  migrations: agentsMigrations,
  buildSchema,
  async create({ env, pool, logger }) {
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
    return {
      schema: await buildSchema(),
      context: (base) => createAgentsContext(base, onboarding),
      routes: {
        [AGREEMENT_WEBHOOK_PATH]: agreementWebhookRoute({
          db: new Db(pool),
          secret: esign.webhookSecret,
          toleranceSeconds: esign.webhookToleranceSeconds,
          logger: logger.child({ route: AGREEMENT_WEBHOOK_PATH }),
        }),
      },
      background: eoLapse && { start: () => eoLapse.start(), stop: () => eoLapse.stop() },
    };
  },
};
