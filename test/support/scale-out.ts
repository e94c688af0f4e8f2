/**
 * Scale-out on top of a running stack (test/support/stack.ts), for the tests that show replicas
 * share what they must through Redis and nothing else:
 * - startGatewayFor: one more gateway process-equivalent (its own Apollo Server, its own Redis
 *   client) over the stack's subgraphs, or over replicas of them;
 * - startSubgraphReplicas: a second instance of every subgraph (own pool, own cache client, own
 *   carrier runtime and workers) on the same database and the same Redis.
 * Both read the settings the stack put into process.env while it runs, so start them after the
 * stack and stop them before it.
 */
import 'reflect-metadata';
import { machineLine, table, writeResultsSection } from '../../bench/bench-support';
import { readGatewayConfig } from '../../gateway/gateway.config';
import { startGateway, type RunningGateway } from '../../gateway/gateway';
import { composeSupergraph } from '../../scripts/compose';
import { SUBGRAPHS } from '../../subgraphs/registry';
import { readCommonConfig } from '../../platform/config';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/shared/subgraph-server';
import type { Stack } from './stack';

/** The settings the stack gives its own processes, plus the caller's. */
const settings = (env: Record<string, string> = {}) => ({ ...process.env, DEBUG_STATS: 'true', LOG_LEVEL: 'silent', ...env });

let supergraph: Promise<string> | undefined;

/**
 * Another gateway over the stack's subgraphs (or over `subgraphs`, e.g. replicas): the same
 * configuration as the stack's gateway, on its own free port. The caller stops it.
 */
export async function startGatewayFor(
  stack: Stack,
  options: { subgraphs?: Record<string, Pick<RunningSubgraph, 'url'>>; env?: Record<string, string> } = {},
): Promise<RunningGateway> {
  supergraph ??= composeSupergraph().then((composed) => composed.supergraph);
  const subgraphs = options.subgraphs ?? stack.subgraphs;
  return startGateway(
    readGatewayConfig({
      ...settings(options.env),
      PORT: '0',
      AGENTS_URL: subgraphs.agents?.url,
      CASES_URL: subgraphs.cases?.url,
      CARRIERS_URL: subgraphs.carriers?.url,
    }),
    undefined,
    await supergraph,
  );
}

export interface SubgraphReplicas {
  subgraphs: Record<string, RunningSubgraph>;
  stop(): Promise<void>;
}

/**
 * A second instance of each subgraph (each start makes its own runtime: the cases outbox, the
 * carriers adapters and breakers), on the database and Redis the stack uses.
 */
export async function startSubgraphReplicas(options: { env?: Record<string, string> } = {}): Promise<SubgraphReplicas> {
  const env = settings(options.env);
  const common = readCommonConfig(env);
  const subgraphs: Record<string, RunningSubgraph> = {};
  for (const definition of SUBGRAPHS) subgraphs[definition.name] = await startSubgraph(definition, common, 0, '127.0.0.1', { env });
  return {
    subgraphs,
    async stop() {
      for (const subgraph of Object.values(subgraphs)) await subgraph.stop();
    },
  };
}

/**
 * With SCALE_RESULTS=1 (`npm run test:scale`), a scale test file writes its section of
 * bench/RESULTS.md after its tests: one row per test that passed, with what it measured (a failed
 * test adds no row, and the file's tests fail as usual). Without it, nothing is written.
 */
export interface ScaleResults {
  /** A passed check and what it measured; call it at the end of the test. */
  record(check: string, measured: string): void;
  /** Writes the section (SCALE_RESULTS=1 and at least one row); call it in afterAll. */
  write(): void;
}

export function scaleResults(title: string, setup: string): ScaleResults {
  const rows: string[][] = [];
  return {
    record: (check, measured) => void rows.push([check, measured]),
    write() {
      if (process.env.SCALE_RESULTS !== '1' || rows.length === 0) return;
      const redis = process.env.REDIS_URL ? 'REDIS_URL=redis://… ' : '';
      writeResultsSection(
        title,
        `Command: \`${redis}npm run test:scale\` (${setup}).\n${machineLine()}\n\nEach row is a test that passed (a failed test adds none); the counts are what the tests assert, the times are single requests on loopback.\n\n${table(['check', 'measured'], rows)}`,
      );
    },
  };
}
