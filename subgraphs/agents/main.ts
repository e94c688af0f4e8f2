/** Entry point of the agents subgraph process: `node dist/subgraphs/agents/main.js`. */
import { runSubgraph } from '../shared/run-subgraph';
import { agentsSubgraph } from './agents.subgraph';

void runSubgraph(agentsSubgraph);
