/** Entry point of the cases subgraph process: `node dist/subgraphs/cases/main.js`. */
import { runSubgraph } from '../run';

void runSubgraph('cases');
