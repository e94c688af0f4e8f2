import 'reflect-metadata';
import { int, readCommonConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { startSubgraph, type RunningSubgraph } from './shared/subgraph-server';
import { subgraphByName } from './registry';

/** Default loopback ports of the production topology: agents 4001, cases 4002, carriers 4003. */
export const SUBGRAPH_PORTS: Record<string, number> = { agents: 4001, cases: 4002, carriers: 4003 };

/**
 * The entry point of one subgraph process (production topology): reads and validates its
 * configuration (a bad value stops the process naming the variable), starts, and on SIGTERM or
 * SIGINT drains requests in flight before exiting.
 */
export async function runSubgraph(name: string): Promise<void> {
  const logger = createLogger(`subgraph-${name}`);
  let running: RunningSubgraph;
  try {
    const config = readCommonConfig();
    const port = int(process.env, 'PORT', SUBGRAPH_PORTS[name] ?? 0, { min: 0, max: 65535 });
    running = await startSubgraph(subgraphByName(name), config, port, process.env.HOST ?? '127.0.0.1', { logger });
  } catch (error) {
    logger.fatal({ err: (error as Error).message }, `subgraph ${name} failed to start`);
    process.exit(1);
  }
  const stop = () => void running.stop().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (require.main === module) {
  const name = process.argv[2];
  if (!name) {
    console.error('usage: npm run start:subgraph -- <agents|cases|carriers>');
    process.exit(2);
  }
  void runSubgraph(name);
}
