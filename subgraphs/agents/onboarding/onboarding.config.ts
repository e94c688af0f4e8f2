import { DEV_ESIGN_API_KEY, DEV_ESIGN_WEBHOOK_SECRET, devSecret, int, url } from '../../../platform/config';
import type { PersonalDataVault } from '../../../platform/personal-data';
import { DEFAULT_EO_MINIMUM_PER_CLAIM } from '../domain/onboarding';
import type { AgreementSignatures } from './agreement-signature.port';

type Env = Readonly<Record<string, string | undefined>>;

/** The onboarding settings, read once at start. */
export interface OnboardingConfig {
  /** ONBOARDING_EO_MINIMUM_PER_CLAIM: the BGA's minimum E&O limit per claim, whole dollars (default 1,000,000). */
  eoMinimumPerClaim: number;
  /** EO_LAPSE_INTERVAL_MS: how often the E&O lapse job looks for coverage that has ended (0: off). */
  eoLapseIntervalMs: number;
  /** The e-signature provider, as the cases subgraph reaches it (the same ESIGN_* variables). */
  esign: {
    url: string;
    apiKey: string;
    webhookSecret: string;
    webhookToleranceSeconds: number;
    /** AGENTS_ESIGN_CALLBACK_URL: this subgraph's /webhooks/esign-agreements as the provider reaches it. */
    callbackUrl: string;
  };
}

export function readOnboardingConfig(env: Env): OnboardingConfig {
  return Object.freeze({
    eoMinimumPerClaim: int(env, 'ONBOARDING_EO_MINIMUM_PER_CLAIM', DEFAULT_EO_MINIMUM_PER_CLAIM, { min: 1 }),
    eoLapseIntervalMs: int(env, 'EO_LAPSE_INTERVAL_MS', 3_600_000, { min: 0 }),
    esign: Object.freeze({
      url: url(env, 'ESIGN_URL', 'http://127.0.0.1:4090')!,
      apiKey: devSecret(env, 'ESIGN_API_KEY', DEV_ESIGN_API_KEY),
      webhookSecret: devSecret(env, 'ESIGN_WEBHOOK_SECRET', DEV_ESIGN_WEBHOOK_SECRET),
      webhookToleranceSeconds: int(env, 'ESIGN_WEBHOOK_TOLERANCE_S', 300, { min: 1, max: 86_400 }),
      callbackUrl: url(env, 'AGENTS_ESIGN_CALLBACK_URL', 'http://127.0.0.1:4001/webhooks/esign-agreements')!,
    }),
  });
}

/** What the onboarding resolvers need for the life of the process: the vault for sealed steps and the E&O minimum. */
export interface OnboardingDeps {
  vault: PersonalDataVault;
  eoMinimumPerClaim: number;
  /** The BGA agreement's e-signature: the provider port and where its webhooks come back. */
  signatures: AgreementSignatures;
  esignCallbackUrl: string;
}
