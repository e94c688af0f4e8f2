/** Entry point of the carriers subgraph process: `node dist/subgraphs/carriers/main.js`. */
import { startTracing } from '../../platform/tracing';

// First, before the subgraph's modules load: the SQL and Redis instrumentations hook require.
startTracing('subgraph-carriers');
const { runSubgraph } = require('../shared/run-subgraph') as typeof import('../shared/run-subgraph');
const { carriersSubgraph } = require('./carriers.subgraph') as typeof import('./carriers.subgraph');

void runSubgraph(carriersSubgraph);
