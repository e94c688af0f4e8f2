/**
 * Entry point of the gateway process: `npm run start:gateway` (production topology).
 *
 * GATEWAY_WORKERS > 1 runs that many gateway processes on one port (node:cluster; the primary
 * hands out connections and restarts a worker that dies). One Node process plans and executes
 * on one core: workers are how a gateway uses the machine's other cores. Shared state lives in
 * Redis (rate limits, persisted queries, response cache), so workers behave as one gateway.
 */
import cluster from 'node:cluster';
import { int } from '../platform/config';
import { createLogger } from '../platform/logger';
import { startTracing, stopTracing } from '../platform/tracing';
import type { RunningGateway } from './gateway';

async function serve(): Promise<void> {
  // First, before the gateway's modules load: the Redis instrumentation hooks require, and @apollo/gateway takes its tracer as it loads.
  startTracing('gateway');
  const logger = createLogger('gateway');
  let running: RunningGateway;
  try {
    // Loaded here, not at the top: the primary of a cluster only supervises and stays small.
    const { readGatewayConfig } = require('./gateway.config') as typeof import('./gateway.config');
    const { startGateway } = require('./gateway') as typeof import('./gateway');
    const config = readGatewayConfig();
    running = await startGateway(config, createLogger('gateway', config.logLevel));
  } catch (error) {
    logger.fatal({ err: error }, 'gateway failed to start');
    process.exit(1);
  }
  // Graceful shutdown: stop taking connections, finish what is in flight, then exit.
  let stopping: Promise<void> | undefined;
  const stop = () => void (stopping ??= running.stop().finally(() => stopTracing().finally(() => process.exit(0))));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

function supervise(workers: number): void {
  const logger = createLogger('gateway-primary');
  let stopping = false;
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal }, 'gateway worker died: starting another');
    // A worker that cannot even start (bad configuration) would loop: give up after a start failure.
    if (code === 1) process.exit(1);
    cluster.fork();
  });
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  logger.info({ workers }, 'gateway primary started its workers');
}

const workers = int(process.env, 'GATEWAY_WORKERS', 1, { min: 1, max: 64 });
if (workers > 1 && cluster.isPrimary) supervise(workers);
else void serve();
