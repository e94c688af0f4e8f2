/**
 * The whole graph inside one test process, on free loopback ports: the three subgraphs (each its
 * own HTTP server, as in production), the carrier simulators, and the gateway over a supergraph
 * composed from the code. Nothing is mocked; stop() shuts everything down.
 */
import 'reflect-metadata';
import { readGatewayConfig } from '../../gateway/gateway.config';
import { startGateway, type RunningGateway } from '../../gateway/gateway';
import { mintDevToken } from '../../gateway/plugins/authentication';
import { composeSupergraph } from '../../scripts/compose';
import { DEV_JWT_SECRET, readCommonConfig } from '../../platform/config';
import { SUBGRAPHS } from '../../subgraphs/registry';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/shared/subgraph-server';
import { freePort } from '../../scripts/embedded/redis-server';
import { startSimulators, type RunningSimulators, type SimulatorOptions } from '../../simulators/simulators';
import { TEST_SEED } from './global-setup';

export interface Stack {
  gateway: RunningGateway;
  subgraphs: Record<string, RunningSubgraph>;
  simulators: RunningSimulators;
  url: string;
  token(role: 'STAFF' | 'ADMIN'): Promise<string>;
  agentToken(agentId: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startStack(options: { env?: Record<string, string>; simulators?: SimulatorOptions } = {}): Promise<Stack> {
  // The producer database knows the agents of the test database's world (global-setup.ts seeds it today).
  const pdbWorld = { agents: TEST_SEED.agents, seed: TEST_SEED.seed };
  const simulators = await startSimulators({ host: '127.0.0.1', pdb: { world: pdbWorld }, ...options.simulators });
  const gatewayPort = await freePort();
  // Every subgraph's port is chosen first: the cases subgraph asks the agents and carriers subgraphs on their own URLs.
  const ports: Record<string, number> = {};
  for (const definition of SUBGRAPHS) ports[definition.name] = await freePort();
  const extra: Record<string, string> = {
    AGENTS_SUBGRAPH_URL: `http://127.0.0.1:${ports.agents}/graphql`,
    CARRIERS_SUBGRAPH_URL: `http://127.0.0.1:${ports.carriers}/graphql`,
    // Download URLs name the gateway, as front ends reach it.
    PUBLIC_URL: `http://127.0.0.1:${gatewayPort}`,
    ...simulators.env,
    // The vendor poll claims stale orders of any case in the file's database, and a file may run
    // several stacks: a stack only polls when its test asks for it (VENDOR_POLL_INTERVAL_MS in options.env).
    VENDOR_POLL_INTERVAL_MS: '0',
    // Likewise the scheduled license sync, which takes any agent due: tests run it themselves (LicenseSyncJob).
    PDB_SYNC_INTERVAL_MS: '0',
    // Likewise the appointment filing worker claims any agent's appointments: off unless a test asks (APPOINTMENT_FILING_INTERVAL_MS).
    APPOINTMENT_FILING_INTERVAL_MS: '0',
    // The commission job books any placed case in the database: tests run their own (commissions tests).
    COMMISSION_INTERVAL_MS: '0',
    ESIGN_CALLBACK_URL: `http://127.0.0.1:${ports.cases}/webhooks/esign`,
    AGENTS_ESIGN_CALLBACK_URL: `http://127.0.0.1:${ports.agents}/webhooks/esign-agreements`,
    VENDOR_CALLBACK_BASE_URL: `http://127.0.0.1:${ports.cases}`,
    ...options.env,
  };
  const env = { ...process.env, DEBUG_STATS: 'true', LOG_LEVEL: 'silent', ...extra };
  // Subgraphs read their own settings from process.env when they start: set them for this run.
  const saved = { ...process.env };
  Object.assign(process.env, extra);
  const common = readCommonConfig(env);
  const subgraphs: Record<string, RunningSubgraph> = {};
  for (const definition of SUBGRAPHS) subgraphs[definition.name] = await startSubgraph(definition, common, ports[definition.name]);
  const { supergraph } = await composeSupergraph();
  const gateway = await startGateway(
    readGatewayConfig({
      ...env,
      PORT: String(gatewayPort),
      AGENTS_URL: subgraphs.agents?.url,
      CASES_URL: subgraphs.cases?.url,
      CARRIERS_URL: subgraphs.carriers?.url,
    }),
    undefined,
    supergraph,
  );
  return {
    gateway,
    subgraphs,
    simulators,
    url: gateway.url,
    token: (role) => mintDevToken(DEV_JWT_SECRET, { sub: `user:test-${role.toLowerCase()}`, role }),
    agentToken: (agentId) => mintDevToken(DEV_JWT_SECRET, { sub: `user:${agentId}`, role: 'AGENT', agentId }),
    async stop() {
      await gateway.stop();
      for (const subgraph of Object.values(subgraphs)) await subgraph.stop();
      await simulators.stop();
      for (const key of Object.keys(extra)) {
        if (key in saved) process.env[key] = saved[key];
        else delete process.env[key];
      }
    },
  };
}
