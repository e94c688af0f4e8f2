import { buildFederatedSchema } from '../shared/federation';
import { SupergraphClient } from '../shared/supergraph-client';
import type { Background, SubgraphModule } from '../shared/subgraph-server';
import { CaseMetricsResolver } from './case-metrics.resolver';
import { CaseMutationResolver } from './case.mutation';
import { createCaseLoaders, type CasesContext } from './case.loader';
import { caseReferences } from './case.reference';
import { AgentCasesResolver, CaseResolver, RequirementResolver } from './case.resolver';
import { readCasesConfig } from './cases.config';
import { casesMigrations } from './cases.migrations';
import { SyncWorker } from './case.sync';
import { OutboxWorker } from './outbox.worker';

const buildSchema = () =>
  buildFederatedSchema(
    { resolvers: [CaseResolver, RequirementResolver, AgentCasesResolver, CaseMutationResolver, CaseMetricsResolver] },
    caseReferences,
  );

/** The cases subgraph: cases, requirements, history, Agent.cases, metrics, and the outbox to carriers. */
export const casesSubgraph: SubgraphModule = {
  name: 'cases',
  migrations: casesMigrations,
  buildSchema,
  async create({ config: common, env, pool, cache, logger }) {
    const config = readCasesConfig(env);
    const supergraph = new SupergraphClient({ service: 'cases', url: () => config.gatewayUrl, identitySecret: common.identitySecret });
    // Applications go out through the outbox worker (polling, and nudged after each submission);
    // the sync worker pulls carrier status for open cases.
    const outbox = config.outboxPollMs
      ? new OutboxWorker({ pool, cache, logger, supergraph: () => supergraph, pollMs: config.outboxPollMs })
      : undefined;
    const sync = config.syncIntervalMs
      ? new SyncWorker({ pool, cache, logger, supergraph: () => supergraph, intervalMs: config.syncIntervalMs })
      : undefined;
    const workers = [outbox, sync].filter((worker) => worker !== undefined);
    const background: Background = {
      start: () => {
        for (const worker of workers) worker.start();
      },
      stop: () => Promise.all(workers.map((worker) => worker.stop())).then(() => undefined),
    };
    return {
      schema: await buildSchema(),
      background,
      context: (base): CasesContext => ({
        ...base,
        loaders: createCaseLoaders(base.db),
        supergraph,
        nudgeOutbox: () => void outbox?.runOnce(),
      }),
    };
  },
};
