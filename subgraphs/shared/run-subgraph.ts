import 'reflect-metadata';
import { int, readCommonConfig } from '../../platform/config';
import { createLogger } from '../../platform/logger';
import { stopTracing } from '../../platform/tracing';
import { startSubgraph, type RunningSubgraph, type SubgraphModule } from './subgraph-server';

/** Default loopback ports of the production topology: agents 4001, cases 4002, carriers 4003. */
export const SUBGRAPH_PORTS: Readonly<Record<string, number>> = { agents: 4001, cases: 4002, carriers: 4003 };

/**
 * The entry point of one subgraph process (production topology): reads and validates its
 * configuration (a bad value stops the process naming the variable), starts, and on SIGTERM or
 * SIGINT drains requests in flight before exiting. Each subgraph's main.ts passes its own module,
 * so a process loads no other subgraph's code.
 */
export async function runSubgraph(module: SubgraphModule): Promise<void> {
  const logger = createLogger(`subgraph-${module.name}`);
  let running: RunningSubgraph;
  try {
    const config = readCommonConfig();
    const port = int(process.env, 'PORT', SUBGRAPH_PORTS[module.name] ?? 0, { min: 0, max: 65535 });
    running = await startSubgraph(module, config, port, process.env.HOST ?? '127.0.0.1', { logger });
  } catch (error) {
    logger.fatal({ err: error }, `subgraph ${module.name} failed to start`);
    process.exit(1);
  }
  const stop = () => void running.stop().finally(() => stopTracing().finally(() => process.exit(0)));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
