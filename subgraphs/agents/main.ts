/** Entry point of the agents subgraph process: `node dist/subgraphs/agents/main.js`. */
import { startTracing } from '../../platform/tracing';

// First, before the subgraph's modules load: the SQL and Redis instrumentations hook require.
startTracing('subgraph-agents');
const { runSubgraph } = require('../shared/run-subgraph') as typeof import('../shared/run-subgraph');
const { agentsSubgraph } = require('./agents.subgraph') as typeof import('./agents.subgraph');

void runSubgraph(agentsSubgraph);
