import { deepFreeze, int, url } from '../../platform/config';

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
}

export function readCasesConfig(env: Record<string, string | undefined> = process.env): Readonly<CasesConfig> {
  return deepFreeze({
    agentsSubgraphUrl: url(env, 'AGENTS_SUBGRAPH_URL', 'http://127.0.0.1:4001/graphql')!,
    carriersSubgraphUrl: url(env, 'CARRIERS_SUBGRAPH_URL', 'http://127.0.0.1:4003/graphql')!,
    outboxPollMs: int(env, 'OUTBOX_POLL_MS', 1_000, { min: 0 }),
    syncIntervalMs: int(env, 'SYNC_INTERVAL_MS', 300_000, { min: 0 }),
  });
}
