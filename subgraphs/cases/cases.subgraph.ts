import { readCommonConfig } from '../shared/config';
import { buildFederatedSchema } from '../shared/federation';
import { SupergraphClient } from '../shared/supergraph-client';
import type { SubgraphDefinition } from '../shared/subgraph-server';
import { createCaseLoaders, type CasesContext } from './case.loader';
import { caseReferences } from './case.reference';
import { CaseMetricsResolver } from './case-metrics.resolver';
import { CaseMutationResolver } from './case.mutation';
import { AgentCasesResolver, CaseResolver, RequirementResolver } from './case.resolver';
import { readCasesConfig } from './cases.config';
import { casesMigrations } from './cases.migrations';

/** The cases subgraph: cases, requirements, history, and Agent.cases. */
export function createCasesSubgraph(env: Record<string, string | undefined> = process.env): SubgraphDefinition<CasesContext> {
  let supergraph: SupergraphClient | undefined;
  return {
    name: 'cases',
    migrations: casesMigrations,
    schema: () => {
      // Configuration is read at start-up (when the schema is built), validated, and kept.
      const { gatewayUrl } = readCasesConfig(env);
      const { identitySecret } = readCommonConfig({ DATABASE_URL: 'checked-by-the-server', ...env });
      supergraph = new SupergraphClient({ service: 'cases', url: () => gatewayUrl, identitySecret });
      return buildFederatedSchema({ resolvers: [CaseResolver, RequirementResolver, AgentCasesResolver, CaseMutationResolver, CaseMetricsResolver] }, caseReferences);
    },
    context: (base) => ({ ...base, loaders: createCaseLoaders(base.db), supergraph: supergraph! }),
  };
}

export const casesSubgraph: SubgraphDefinition<CasesContext> = createCasesSubgraph();
