/** `npm run start:subgraph -- <agents|cases|carriers>`: starts one subgraph by name. */
import { runSubgraph } from './shared/run-subgraph';
import { subgraphByName } from './registry';

const name = process.argv[2];
if (!name) {
  console.error('usage: npm run start:subgraph -- <agents|cases|carriers>');
  process.exit(2);
}
void runSubgraph(subgraphByName(name));
