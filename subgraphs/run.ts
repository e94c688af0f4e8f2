/** `npm run start:subgraph -- <agents|cases|carriers>`: starts one subgraph by name. */
import { startTracing } from '../platform/tracing';

const name = process.argv[2];
if (!name) {
  console.error('usage: npm run start:subgraph -- <agents|cases|carriers>');
  process.exit(2);
}
// First, before the subgraph's modules load: the SQL and Redis instrumentations hook require.
startTracing(`subgraph-${name}`);
const { runSubgraph } = require('./shared/run-subgraph') as typeof import('./shared/run-subgraph');
const { subgraphByName } = require('./registry') as typeof import('./registry');
void runSubgraph(subgraphByName(name));
