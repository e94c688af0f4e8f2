import { bool, deepFreeze, int } from '../../../platform/config';

/** The webhook delivery worker's settings (README, configuration). */
export interface WebhookConfig {
  /** WEBHOOK_POLL_MS: how often the worker looks for events to deliver (default 1000; 0 turns it off). */
  pollMs: number;
  /** WEBHOOK_TIMEOUT_MS: how long one POST may take, connection included, before it counts as failed (default 10000). */
  timeoutMs: number;
  /** WEBHOOK_MAX_ATTEMPTS: attempts at one event before it is dead-lettered and the subscriber moves on (default 30). */
  maxAttempts: number;
  /** WEBHOOK_DEAD_LETTER_AFTER_S: how long after its first attempt an undelivered event is dead-lettered (default 86400, a day). */
  deadLetterAfterSeconds: number;
  /** WEBHOOK_BACKOFF_BASE_MS: the wait after the first failed attempt; doubled after each (default 1000). */
  backoffBaseMs: number;
  /** WEBHOOK_BACKOFF_MAX_MS: the longest wait between two attempts (default 900000, 15 minutes). */
  backoffMaxMs: number;
  /** WEBHOOK_ALLOW_PRIVATE_URLS: in production, allow subscriber URLs on loopback and private networks (default false; outside production they are allowed). */
  allowPrivateUrls: boolean;
  /** NODE_ENV=production: private addresses are refused unless allowPrivateUrls. */
  production: boolean;
}

export function readWebhookConfig(env: Record<string, string | undefined> = process.env): Readonly<WebhookConfig> {
  const backoffBaseMs = int(env, 'WEBHOOK_BACKOFF_BASE_MS', 1_000, { min: 1, max: 3_600_000 });
  return deepFreeze({
    pollMs: int(env, 'WEBHOOK_POLL_MS', 1_000, { min: 0 }),
    timeoutMs: int(env, 'WEBHOOK_TIMEOUT_MS', 10_000, { min: 100, max: 120_000 }),
    maxAttempts: int(env, 'WEBHOOK_MAX_ATTEMPTS', 30, { min: 1, max: 1_000 }),
    deadLetterAfterSeconds: int(env, 'WEBHOOK_DEAD_LETTER_AFTER_S', 86_400, { min: 1, max: 30 * 86_400 }),
    backoffBaseMs,
    backoffMaxMs: int(env, 'WEBHOOK_BACKOFF_MAX_MS', 900_000, { min: backoffBaseMs, max: 86_400_000 }),
    allowPrivateUrls: bool(env, 'WEBHOOK_ALLOW_PRIVATE_URLS', false),
    production: env.NODE_ENV === 'production',
  });
}

/**
 * The wait before attempt `attempts + 1` after `attempts` failures: exponential (base × 2^(n−1),
 * capped), with "equal jitter" (half fixed, half random) so subscribers that failed together do not
 * all come back at once. `random` is Math.random unless a test fixes it.
 */
export function backoffMs(config: Pick<WebhookConfig, 'backoffBaseMs' | 'backoffMaxMs'>, attempts: number, random = Math.random): number {
  const ceiling = Math.min(config.backoffMaxMs, config.backoffBaseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
