/** Entry point of the cases subgraph process: `node dist/subgraphs/cases/main.js`. */
import { runSubgraph } from '../shared/run-subgraph';
import { casesSubgraph } from './cases.subgraph';

void runSubgraph(casesSubgraph);
