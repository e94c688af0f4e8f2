/** Entry point of the carriers subgraph process: `node dist/subgraphs/carriers/main.js`. */
import { runSubgraph } from '../run';

void runSubgraph('carriers');
