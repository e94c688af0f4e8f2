/** Entry point of the carriers subgraph process: `node dist/subgraphs/carriers/main.js`. */
import { runSubgraph } from '../shared/run-subgraph';
import { carriersSubgraph } from './carriers.subgraph';

void runSubgraph(carriersSubgraph);
