/**
 * The agents subgraph's appointment filing, made once when the subgraph starts: the carriers port
 * (GraphQL on the carriers subgraph's own URL, as SERVICE) and the filing worker, or nothing when
 * APPOINTMENT_FILING_INTERVAL_MS is 0.
 */
import type { Logger } from '../../../platform/logger';
import type { Pool } from '../../shared/db';
import { SubgraphClient } from '../../shared/subgraph-client';
import { CarriersGraphqlAdapter } from '../ports/graphql/carriers.adapter';
import { AppointmentFilingWorker } from './appointment-filing.worker';
import { readAppointmentsConfig } from './appointments.config';

export function createAppointmentFiling(options: {
  env: Record<string, string | undefined>;
  pool: Pool;
  logger: Logger;
  identitySecret: string;
}): AppointmentFilingWorker | undefined {
  const config = readAppointmentsConfig(options.env);
  if (!config.filingIntervalMs) return undefined;
  const carriers = new CarriersGraphqlAdapter(
    new SubgraphClient({ service: 'agents', target: 'carriers', url: config.carriersSubgraphUrl, identitySecret: options.identitySecret }),
  );
  return new AppointmentFilingWorker({
    pool: options.pool,
    logger: options.logger.child({ job: 'appointment-filing' }),
    carriers,
    intervalMs: config.filingIntervalMs,
    statusPollMs: config.statusPollMs,
  });
}
