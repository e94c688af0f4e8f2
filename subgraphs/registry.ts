import { agentsSubgraph } from './agents/agents.subgraph';
import { carriersSubgraph } from './carriers/carriers.subgraph';
import { casesSubgraph } from './cases/cases.subgraph';
import type { SubgraphModule } from './shared/subgraph-server';

/** Every subgraph, by name: the compose script, the launcher and the tests start them from here. */
export const SUBGRAPHS: readonly SubgraphModule[] = [agentsSubgraph, casesSubgraph, carriersSubgraph];

export function subgraphByName(name: string): SubgraphModule {
  const found = SUBGRAPHS.find((s) => s.name === name);
  if (!found) throw new Error(`unknown subgraph "${name}": expected one of ${SUBGRAPHS.map((s) => s.name).join(', ')}`);
  return found;
}
