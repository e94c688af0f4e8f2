import { buildFederatedSchema } from '../shared/federation';
import { Db } from '../shared/db';
import { SubgraphClient } from '../shared/subgraph-client';
import type { Background, SubgraphModule } from '../shared/subgraph-server';
import { AgentCasesResolver } from './agent/agent-cases.resolver';
import { agentReferences } from './agent/agent.reference';
import { CaseMetricsResolver } from './case-metrics.resolver';
import { createSyncWorker } from './case-sync.worker';
import { createCaseLoaders } from './case.loader';
import { caseReferences } from './case.reference';
import { CaseResolver } from './case.resolver';
import { readCasesConfig } from './cases.config';
import type { CasesContext } from './cases.context';
import { casesMigrations } from './cases.migrations';
import { ESIGN_WEBHOOK_PATH, esignWebhookRoute } from './esign-webhook.route';
import { OutboxWorker } from './outbox.worker';
import { PersonalDataAccessResolver } from './personal-data-access.resolver';
import { AgentsGraphqlAdapter } from './ports/graphql/agents.adapter';
import { CarriersGraphqlAdapter } from './ports/graphql/carriers.adapter';
import { EsignAdapter } from './ports/esign/esign.adapter';
import { RequirementResolver } from './requirement.resolver';

const buildSchema = () =>
  buildFederatedSchema(
    { resolvers: [CaseResolver, RequirementResolver, AgentCasesResolver, CaseMetricsResolver, PersonalDataAccessResolver] },
    { ...caseReferences, ...agentReferences },
  );

/** The cases subgraph: cases, requirements, history, Agent.cases, metrics, the personal data access log, and the outbox to carriers. */
export const casesSubgraph: SubgraphModule = {
  name: 'cases',
  migrations: casesMigrations,
  buildSchema,
  async create({ config: common, env, pool, cache, logger }) {
    const config = readCasesConfig(env);
    // The other subgraphs, each on its own URL, asked as SERVICE through the ports.
    const client = (target: string, url: string) =>
      new SubgraphClient({ service: 'cases', target, url, identitySecret: common.identitySecret });
    const agents = new AgentsGraphqlAdapter(client('agents', config.agentsSubgraphUrl));
    const carriers = new CarriersGraphqlAdapter(client('carriers', config.carriersSubgraphUrl));
    const signatures = new EsignAdapter({ baseUrl: config.esign.url, apiKey: config.esign.apiKey });
    // The provider's signed webhook: each verified event updates its envelope once.
    const esignWebhook = esignWebhookRoute({
      db: new Db(pool),
      secret: config.esign.webhookSecret,
      toleranceSeconds: config.esign.webhookToleranceSeconds,
      logger: logger.child({ route: ESIGN_WEBHOOK_PATH }),
    });
    // Applications go out through the outbox worker (polling, and nudged after each submission);
    // the sync worker pulls carrier status for open cases.
    const outbox = config.outboxPollMs
      ? new OutboxWorker({ pool, cache, logger, agents, carriers, pollMs: config.outboxPollMs })
      : undefined;
    const sync = config.syncIntervalMs ? createSyncWorker({ pool, cache, logger, carriers, intervalMs: config.syncIntervalMs }) : undefined;
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
      routes: { [ESIGN_WEBHOOK_PATH]: esignWebhook },
      context: (base): CasesContext => ({
        ...base,
        loaders: createCaseLoaders(base.db),
        agents,
        carriers,
        signatures,
        nudgeOutbox: () => outbox?.nudge(),
      }),
    };
  },
};
