import { deepFreeze, int, url } from '../../../platform/config';

export interface AppointmentsConfig {
  /** CARRIERS_SUBGRAPH_URL: the carriers subgraph's own URL, asked as SERVICE to file appointments (default http://127.0.0.1:4003/graphql). */
  carriersSubgraphUrl: string;
  /** APPOINTMENT_FILING_INTERVAL_MS: how often the filing worker looks for appointments to send or ask about (default 60000; 0 turns it off). */
  filingIntervalMs: number;
  /** APPOINTMENT_STATUS_POLL_MS: how long after one inquiry an undecided appointment is asked about again, an ACTIVE one 24 times that (default 3600000). */
  statusPollMs: number;
}

export function readAppointmentsConfig(env: Record<string, string | undefined> = process.env): Readonly<AppointmentsConfig> {
  return deepFreeze({
    carriersSubgraphUrl: url(env, 'CARRIERS_SUBGRAPH_URL', 'http://127.0.0.1:4003/graphql')!,
    filingIntervalMs: int(env, 'APPOINTMENT_FILING_INTERVAL_MS', 60_000, { min: 0 }),
    statusPollMs: int(env, 'APPOINTMENT_STATUS_POLL_MS', 3_600_000, { min: 0 }),
  });
}
