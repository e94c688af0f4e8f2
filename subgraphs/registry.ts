import { agentsSubgraph } from './agents/agents.subgraph';
import { carriersSubgraph } from './carriers/carriers.subgraph';
import { casesSubgraph } from './cases/cases.subgraph';
import type { BaseSubgraphContext } from './shared/context';
import type { SubgraphDefinition } from './shared/subgraph-server';

/** Every subgraph, by name: the compose script, the launcher and the tests start them from here. */
export const SUBGRAPHS: readonly SubgraphDefinition<BaseSubgraphContext>[] = [
  agentsSubgraph as unknown as SubgraphDefinition<BaseSubgraphContext>,
  casesSubgraph as unknown as SubgraphDefinition<BaseSubgraphContext>,
  carriersSubgraph as unknown as SubgraphDefinition<BaseSubgraphContext>,
];

export function subgraphByName(name: string): SubgraphDefinition<BaseSubgraphContext> {
  const found = SUBGRAPHS.find((s) => s.name === name);
  if (!found) throw new Error(`unknown subgraph "${name}": expected one of ${SUBGRAPHS.map((s) => s.name).join(', ')}`);
  return found;
}
