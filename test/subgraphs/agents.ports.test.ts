/**
 * The agents subgraph's operations on the carriers subgraph (ports/graphql/carriers.graphql) are
 * valid against the carriers subgraph's schema as the code builds it (internal @inaccessible fields
 * included: they are asked there directly), and the adapter finds every operation it sends.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, validate } from 'graphql';
import { CARRIERS_OPERATIONS, CarriersGraphqlAdapter } from '../../subgraphs/agents/ports/graphql/carriers.adapter';
import { subgraphByName } from '../../subgraphs/registry';
import { SubgraphClient } from '../../subgraphs/shared/subgraph-client';

const document = parse(readFileSync(join(__dirname, '../../subgraphs/agents/ports/graphql/carriers.graphql'), 'utf8'));

it("carriers.graphql is valid against the carriers subgraph's schema", async () => {
  expect(validate(await subgraphByName('carriers').buildSchema(), document).map((error) => error.message)).toEqual([]);
});

it('carriers.graphql names exactly the operations its adapter sends, and the adapter finds them at start', () => {
  const defined = document.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [d.name?.value] : []));
  expect(defined.sort()).toEqual([...CARRIERS_OPERATIONS].sort());
  const client = new SubgraphClient({
    service: 'agents',
    target: 'test',
    url: 'http://127.0.0.1:1/graphql',
    identitySecret: 'x'.repeat(32),
  });
  expect(() => new CarriersGraphqlAdapter(client)).not.toThrow();
});
