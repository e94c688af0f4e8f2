import { int } from '../../../platform/config';
import type { PersonalDataVault } from '../../../platform/personal-data';
import { DEFAULT_EO_MINIMUM_PER_CLAIM } from '../domain/onboarding';

type Env = Readonly<Record<string, string | undefined>>;

/** The onboarding settings, read once at start. */
export interface OnboardingConfig {
  /** ONBOARDING_EO_MINIMUM_PER_CLAIM: the BGA's minimum E&O limit per claim, whole dollars (default 1,000,000). */
  eoMinimumPerClaim: number;
  /** EO_LAPSE_INTERVAL_MS: how often the E&O lapse job looks for coverage that has ended (0: off). */
  eoLapseIntervalMs: number;
}

export function readOnboardingConfig(env: Env): OnboardingConfig {
  return Object.freeze({
    eoMinimumPerClaim: int(env, 'ONBOARDING_EO_MINIMUM_PER_CLAIM', DEFAULT_EO_MINIMUM_PER_CLAIM, { min: 1 }),
    eoLapseIntervalMs: int(env, 'EO_LAPSE_INTERVAL_MS', 3_600_000, { min: 0 }),
  });
}

/** What the onboarding resolvers need for the life of the process: the vault for sealed steps and the E&O minimum. */
export interface OnboardingDeps {
  vault: PersonalDataVault;
  eoMinimumPerClaim: number;
}
