/** Entry point of the gateway process: `npm run start:gateway` (production topology). */
import { createLogger } from '../subgraphs/shared/logger';
import { readGatewayConfig } from './gateway.config';
import { startGateway, type RunningGateway } from './gateway';

async function main(): Promise<void> {
  const logger = createLogger('gateway');
  let running: RunningGateway;
  try {
    const config = readGatewayConfig();
    running = await startGateway(config, createLogger('gateway', config.logLevel));
  } catch (error) {
    logger.fatal({ err: (error as Error).message }, 'gateway failed to start');
    process.exit(1);
  }
  // Graceful shutdown: stop taking connections, finish what is in flight, then exit.
  const stop = () => void running.stop().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();
