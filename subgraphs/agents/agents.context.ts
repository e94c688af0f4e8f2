import { todayUtc } from '../../platform/dates';
import type { BaseSubgraphContext } from '../shared/context';
import { createAgentLoaders } from './agent.loader';
import { createAppointmentLoader } from './appointment.loader';
import { createPreAppointmentStatesLoader } from './carrier/carrier-contracting.loader';
import { createContractLoaders } from './contracts/contract.loader';
import type { AgentScope } from './domain/agent-scope';
import { createAgentEventsLoader } from './events/agent-event.loader';
import { createLicenseLoader } from './license.loader';
import type { ProducerDatabase } from './ports/producer-database.port';
import type { OnboardingDeps } from './onboarding/onboarding.config';
import { createOnboardingStepsLoader } from './onboarding/onboarding.loader';

/** What every agents resolver gets: the base context and this request's loaders. */
export interface AgentsContext extends BaseSubgraphContext {
  loaders: AgentsLoaders;
  /** The caller's visible agent ids, computed once per request (agent-scope.loader.ts). */
  scope?: Promise<AgentScope>;
  /** The national producer database (licensing/): absent where the subgraph was created without one. */
  licensing?: { pdb: ProducerDatabase };
  /** The vault and settings of onboarding (made once at start). */
  onboarding?: OnboardingDeps;
  /** Asks the appointment filing worker for a pass now (after a request), when it runs in this process. */
  nudgeAppointmentFiling?: () => void;
}

export type AgentsLoaders = ReturnType<typeof createAgentsLoaders>;

/**
 * The agents subgraph's per-request loaders: one SQL statement per table per batch. Created fresh
 * for every request so nothing leaks between callers; licenses are active or not as of today (UTC).
 */
function createAgentsLoaders(base: BaseSubgraphContext) {
  return {
    ...createAgentLoaders(base.db),
    licenses: createLicenseLoader(base.db, todayUtc()),
    appointments: createAppointmentLoader(base.db),
    preAppointmentStates: createPreAppointmentStatesLoader(base.db),
    events: createAgentEventsLoader(base.db),
    ...createContractLoaders(base.db),
    onboardingSteps: createOnboardingStepsLoader(base.db),
  };
}

export function createAgentsContext(base: BaseSubgraphContext, onboarding?: OnboardingDeps): AgentsContext {
  return { ...base, loaders: createAgentsLoaders(base), onboarding };
}
