import { deepFreeze, int, url } from '../../platform/config';

export interface CasesConfig {
  /** GATEWAY_URL: where this subgraph asks the rest of the graph, as SERVICE (default http://127.0.0.1:4000/graphql). */
  gatewayUrl: string;
  /** OUTBOX_POLL_MS: how often the outbox worker looks for applications to send (default 1000; 0 turns the worker off). */
  outboxPollMs: number;
  /** SYNC_INTERVAL_MS: how often open cases are synced from their carriers (default 300000; 0 turns the periodic sync off). */
  syncIntervalMs: number;
}

export function readCasesConfig(env: Record<string, string | undefined> = process.env): Readonly<CasesConfig> {
  return deepFreeze({
    gatewayUrl: url(env, 'GATEWAY_URL', 'http://127.0.0.1:4000/graphql')!,
    outboxPollMs: int(env, 'OUTBOX_POLL_MS', 1_000, { min: 0 }),
    syncIntervalMs: int(env, 'SYNC_INTERVAL_MS', 300_000, { min: 0 }),
  });
}
