/** Entry point of the cases subgraph process: `node dist/subgraphs/cases/main.js`. */
import { startTracing } from '../../platform/tracing';

// First, before the subgraph's modules load: the SQL and Redis instrumentations hook require.
startTracing('subgraph-cases');
const { runSubgraph } = require('../shared/run-subgraph') as typeof import('../shared/run-subgraph');
const { casesSubgraph } = require('./cases.subgraph') as typeof import('./cases.subgraph');

void runSubgraph(casesSubgraph);
