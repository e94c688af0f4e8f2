import { readCommonConfig } from '../../platform/config';
import { buildFederatedSchema } from '../shared/federation';
import { SupergraphClient } from '../shared/supergraph-client';
import type { SubgraphDefinition } from '../shared/subgraph-server';
import { CaseMetricsResolver } from './case-metrics.resolver';
import { CaseMutationResolver } from './case.mutation';
import { createCaseLoaders, type CasesContext } from './case.loader';
import { caseReferences } from './case.reference';
import { AgentCasesResolver, CaseResolver, RequirementResolver } from './case.resolver';
import { readCasesConfig, type CasesConfig } from './cases.config';
import { casesMigrations } from './cases.migrations';
import { SyncWorker } from './case.sync';
import { OutboxWorker } from './outbox.worker';

/** The cases subgraph: cases, requirements, history, Agent.cases, metrics, and the outbox to carriers. */
export function createCasesSubgraph(env: Record<string, string | undefined> = process.env): SubgraphDefinition<CasesContext> {
  // Set when the subgraph starts (schema() runs first): configuration is read once, then kept.
  let config: Readonly<CasesConfig> | undefined;
  let supergraph: SupergraphClient | undefined;
  let outbox: OutboxWorker | undefined;
  return {
    name: 'cases',
    migrations: casesMigrations,
    schema: () => {
      config = readCasesConfig(env);
      const { gatewayUrl } = config;
      const { identitySecret } = readCommonConfig({ DATABASE_URL: 'checked-by-the-server', ...env });
      supergraph = new SupergraphClient({ service: 'cases', url: () => gatewayUrl, identitySecret });
      return buildFederatedSchema(
        { resolvers: [CaseResolver, RequirementResolver, AgentCasesResolver, CaseMutationResolver, CaseMetricsResolver] },
        caseReferences,
      );
    },
    // Applications go out through the outbox worker (polling, and nudged after each submission);
    // the sync worker pulls carrier status for open cases.
    background: ({ pool, cache, logger }) => {
      const workers: { start(): void; stop(): Promise<void> }[] = [];
      if (config?.outboxPollMs)
        workers.push((outbox = new OutboxWorker({ pool, cache, logger, supergraph: () => supergraph!, pollMs: config.outboxPollMs })));
      if (config?.syncIntervalMs)
        workers.push(new SyncWorker({ pool, cache, logger, supergraph: () => supergraph!, intervalMs: config.syncIntervalMs }));
      for (const worker of workers) worker.start();
      return { stop: () => Promise.all(workers.map((w) => w.stop())).then(() => undefined) };
    },
    context: (base) => ({
      ...base,
      loaders: createCaseLoaders(base.db),
      supergraph: supergraph!,
      nudgeOutbox: () => void outbox?.runOnce(),
    }),
  };
}

export const casesSubgraph: SubgraphDefinition<CasesContext> = createCasesSubgraph();
