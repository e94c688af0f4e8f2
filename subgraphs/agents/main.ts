/** Entry point of the agents subgraph process: `node dist/subgraphs/agents/main.js`. */
import { runSubgraph } from '../run';

void runSubgraph('agents');
