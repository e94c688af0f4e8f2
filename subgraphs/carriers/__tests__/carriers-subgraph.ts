/**
 * The carriers subgraph alone on a free port, over the test database, with no carrier configured
 * (no CARRIER_<CODE>_URL): what the subgraph tests that need no carrier start.
 */
import pino from 'pino';
import { readCommonConfig } from '../../../platform/config';
import { startSubgraph, type RunningSubgraph } from '../../shared/subgraph-server';
import { createCarriersRuntime } from '../carriers.runtime';
import { createCarriersSubgraph } from '../carriers.subgraph';

export function startCarriersSubgraph(): Promise<RunningSubgraph> {
  const definition = createCarriersSubgraph({
    runtime: (cache, _logger, _env, carriers) => createCarriersRuntime({ cache, logger: pino({ level: 'silent' }), env: {}, carriers }),
  });
  return startSubgraph(
    definition,
    readCommonConfig({ DATABASE_URL: process.env.DATABASE_URL, DEBUG_STATS: 'true', LOG_LEVEL: 'silent' }),
    0,
  );
}
