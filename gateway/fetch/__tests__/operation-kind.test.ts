/**
 * The operation kind of each subgraph fetch, read from what gateway-js really hands a data source
 * (a small supergraph planned by gateway-js itself), and what the fetch path does with it: a
 * mutation is never merged with another caller's, however alike the two are.
 */
import { composeServices } from '@apollo/composition';
import { ApolloGateway, type GraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { OperationTypeNode } from 'graphql';
import gql from 'graphql-tag';
import { ANONYMOUS } from '../../../platform/identity';
import type { GatewayContext } from '../../gateway.context';
import { GatewayMetrics } from '../../plugins/metrics';
import { readGatewayConfig } from '../../gateway.config';
import type { HttpTransport } from '../http-transport';
import { FETCH_DOCUMENTS, operationKindOf } from '../operation-kind';
import { fetchPath } from '../../pipeline';
import { SubgraphDataSource } from '../subgraph-datasource';
import type { WireRequest } from '../subgraph-fetch';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';
const composed = composeServices([
  {
    name: 'notes',
    url: 'http://notes.invalid/graphql',
    typeDefs: gql`
      ${LINK}
      type Query { note(id: ID!): Note }
      type Mutation { addNote(text: String!): Note! }
      type Note @key(fields: "id") { id: ID! text: String! author: User! }
      type User @key(fields: "id", resolvable: false) { id: ID! }
    `,
  },
  {
    name: 'users',
    url: 'http://users.invalid/graphql',
    typeDefs: gql`
      ${LINK}
      type User @key(fields: "id") { id: ID! name: String! }
    `,
  },
]);
if (!composed.supergraphSdl) throw new Error(`composition failed: ${composed.errors?.map((e) => e.message).join('; ')}`);
const supergraphSdl = composed.supergraphSdl;

const answers: Record<string, (options: GraphQLDataSourceProcessOptions) => GatewayGraphQLResponse> = {
  notes: (options) => ({
    data:
      operationKindOf(options) === OperationTypeNode.MUTATION
        ? { addNote: { __typename: 'Note', id: 'n1', text: 'hi', author: { __typename: 'User', id: 'u1' } } }
        : { note: { __typename: 'Note', id: 'n1', text: 'hi', author: { __typename: 'User', id: 'u1' } } },
  }),
  users: () => ({ data: { _entities: [{ __typename: 'User', name: 'Ann' }] } }),
};

/** Runs one operation through gateway-js and returns the kind of each fetch it made, by subgraph. */
async function kindsOf(query: string, planner: Partial<typeof FETCH_DOCUMENTS>): Promise<[string, OperationTypeNode][]> {
  const seen: [string, OperationTypeNode][] = [];
  const gateway = new ApolloGateway({
    supergraphSdl,
    ...planner,
    buildService: ({ name }): GraphQLDataSource => ({
      async process(options) {
        seen.push([name, operationKindOf(options)]);
        return answers[name](options);
      },
    }),
  });
  const server = new ApolloServer({ gateway });
  await server.start();
  try {
    const response = await server.executeOperation({ query });
    expect(response.body.kind === 'single' && response.body.singleResult.errors).toBeFalsy();
  } finally {
    await server.stop();
  }
  return seen;
}

const MUTATION = 'mutation { addNote(text: "hi") { id author { name } } }';
const QUERY = '{ note(id: "n1") { id author { name } } }';

describe('the operation kind of a subgraph fetch', () => {
  it("is the fetch's own, from the plan's document: a mutation's root fields are a mutation, the entities it returns a query", async () => {
    expect(await kindsOf(MUTATION, FETCH_DOCUMENTS)).toEqual([
      ['notes', OperationTypeNode.MUTATION],
      ['users', OperationTypeNode.QUERY],
    ]);
    expect(await kindsOf(QUERY, FETCH_DOCUMENTS)).toEqual([
      ['notes', OperationTypeNode.QUERY],
      ['users', OperationTypeNode.QUERY],
    ]);
  });

  it("without the plan's documents, is a query only for a client query: every fetch of anything else counts as a mutation", async () => {
    expect(await kindsOf(MUTATION, {})).toEqual([
      ['notes', OperationTypeNode.MUTATION],
      ['users', OperationTypeNode.MUTATION],
    ]);
    expect(await kindsOf(QUERY, {})).toEqual([
      ['notes', OperationTypeNode.QUERY],
      ['users', OperationTypeNode.QUERY],
    ]);
  });

  it("is a query for gateway-js's own fetches (health checks)", () => {
    expect(operationKindOf({ kind: 'health check', request: { query: '{ __typename }' }, context: {} } as never)).toBe(
      OperationTypeNode.QUERY,
    );
  });
});

describe('the fetch path and the operation kind', () => {
  /** A transport that answers after a while and keeps what it was sent. */
  function slowTransport(): HttpTransport & { requests: WireRequest[] } {
    const requests: WireRequest[] = [];
    return {
      requests,
      counts: { sent: 0 },
      close: async () => undefined,
      async send(request) {
        requests.push(request);
        await new Promise((resolve) => setTimeout(resolve, 20));
        return { status: 200, headers: { 'content-type': 'application/json' }, text: '{"data":{"addNote":{"id":"n1"}}}' };
      },
    };
  }

  const config = readGatewayConfig({});
  const context = (): GatewayContext => ({
    identity: { ...ANONYMOUS, role: 'STAFF', sub: 'user:1' },
    requestId: 'request-1',
    debugStats: false,
    stats: {},
    operation: { type: null, name: null },
  });
  /** Options as gateway-js builds them for a fetch of a client request whose operation is `kind`. */
  const options = (kind: OperationTypeNode, query: string) =>
    ({
      kind: 'incoming operation',
      request: { query, variables: {} },
      incomingRequestContext: { operation: { operation: kind } },
      context: context(),
      document: gql(query),
    }) as unknown as GraphQLDataSourceProcessOptions<GatewayContext>;

  it('never merges two identical mutations in flight; identical queries share one exchange', async () => {
    const transport = slowTransport();
    const source = new SubgraphDataSource(
      'notes',
      'http://notes.invalid/graphql',
      fetchPath({ config: { ...config, subgraphDedupe: true }, metrics: new GatewayMetrics(), entities: undefined, transport }),
    );
    const mutation = 'mutation{addNote(text:"hi"){id}}';
    await Promise.all([
      source.process(options(OperationTypeNode.MUTATION, mutation)),
      source.process(options(OperationTypeNode.MUTATION, mutation)),
    ]);
    expect(transport.requests.map((r) => r.kind)).toEqual([OperationTypeNode.MUTATION, OperationTypeNode.MUTATION]);
    const query = '{note(id:"n1"){id}}';
    await Promise.all([source.process(options(OperationTypeNode.QUERY, query)), source.process(options(OperationTypeNode.QUERY, query))]);
    expect(transport.requests).toHaveLength(3);
  });
});
