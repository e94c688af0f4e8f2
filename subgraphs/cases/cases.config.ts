import { ConfigError, DEV_ESIGN_API_KEY, DEV_ESIGN_WEBHOOK_SECRET, deepFreeze, int, str, url } from '../../platform/config';

export interface CasesConfig {
  /**
   * AGENTS_SUBGRAPH_URL: the agents subgraph's own URL, asked as SERVICE for scopes, eligibility and
   * appointments (default http://127.0.0.1:4001/graphql, its production port on loopback). Not the
   * gateway: the internal fields it needs are not in the public API.
   */
  agentsSubgraphUrl: string;
  /** CARRIERS_SUBGRAPH_URL: the carriers subgraph's own URL, asked as SERVICE for prices, sends and statuses (default http://127.0.0.1:4003/graphql). */
  carriersSubgraphUrl: string;
  /** OUTBOX_POLL_MS: how often the outbox worker looks for applications to send (default 1000; 0 turns the worker off). */
  outboxPollMs: number;
  /** SYNC_INTERVAL_MS: how often open cases are synced from their carriers (default 300000; 0 turns the periodic sync off). */
  syncIntervalMs: number;
  /** The e-signature provider. */
  esign: {
    /** ESIGN_URL: the provider's API (default http://127.0.0.1:4090, where no simulator listens unless told; npm start and the tests set it). */
    url: string;
    /** ESIGN_API_KEY: our key at the provider (default the development key the simulator accepts; refused when NODE_ENV=production). */
    apiKey: string;
    /** ESIGN_WEBHOOK_SECRET: the secret the provider signs its webhooks with (default the development secret; refused when NODE_ENV=production). */
    webhookSecret: string;
    /** ESIGN_CALLBACK_URL: where the provider POSTs its webhooks, this subgraph's /webhooks/esign as the provider reaches it (default http://127.0.0.1:4002/webhooks/esign). */
    callbackUrl: string;
    /** ESIGN_WEBHOOK_TOLERANCE_S: how far a webhook's timestamp may be from our clock, either way, in seconds (default 300). */
    webhookToleranceSeconds: number;
  };
}

/** A development secret is fine on a laptop and a hole in production. */
function secret(env: Record<string, string | undefined>, name: string, fallback: string): string {
  const value = str(env, name, fallback);
  if (env.NODE_ENV === 'production' && value === fallback)
    throw new ConfigError(name, 'must be set to a real secret when NODE_ENV=production');
  return value;
}

export function readCasesConfig(env: Record<string, string | undefined> = process.env): Readonly<CasesConfig> {
  return deepFreeze({
    agentsSubgraphUrl: url(env, 'AGENTS_SUBGRAPH_URL', 'http://127.0.0.1:4001/graphql')!,
    carriersSubgraphUrl: url(env, 'CARRIERS_SUBGRAPH_URL', 'http://127.0.0.1:4003/graphql')!,
    outboxPollMs: int(env, 'OUTBOX_POLL_MS', 1_000, { min: 0 }),
    syncIntervalMs: int(env, 'SYNC_INTERVAL_MS', 300_000, { min: 0 }),
    esign: {
      url: url(env, 'ESIGN_URL', 'http://127.0.0.1:4090')!,
      apiKey: secret(env, 'ESIGN_API_KEY', DEV_ESIGN_API_KEY),
      webhookSecret: secret(env, 'ESIGN_WEBHOOK_SECRET', DEV_ESIGN_WEBHOOK_SECRET),
      callbackUrl: url(env, 'ESIGN_CALLBACK_URL', 'http://127.0.0.1:4002/webhooks/esign')!,
      webhookToleranceSeconds: int(env, 'ESIGN_WEBHOOK_TOLERANCE_S', 300, { min: 1, max: 86_400 }),
    },
  });
}
