/**
 * The cases subgraph's operations on the other subgraphs (ports/graphql/*.graphql) are valid against
 * the schema of the subgraph that answers them, as the code builds it (internal @inaccessible fields
 * included: they are asked there directly), each adapter finds every operation it sends, and the
 * client passes the owner's client errors through while every other failure is SERVICE_UNAVAILABLE.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type GraphQLError, type GraphQLSchema, Kind, parse, validate } from 'graphql';
import { DEV_IDENTITY_SECRET } from '../../platform/config';
import { verifyIdentity } from '../../platform/identity';
import { AGENTS_OPERATIONS, AgentsGraphqlAdapter } from '../../subgraphs/cases/ports/graphql/agents.adapter';
import { CARRIERS_OPERATIONS, CarriersGraphqlAdapter } from '../../subgraphs/cases/ports/graphql/carriers.adapter';
import { subgraphByName } from '../../subgraphs/registry';
import { SubgraphClient } from '../../subgraphs/shared/subgraph-client';

const DIR = join(__dirname, '../../subgraphs/cases/ports/graphql');
const OWNERS = [
  { file: 'agents.graphql', owner: 'agents', names: AGENTS_OPERATIONS },
  { file: 'carriers.graphql', owner: 'carriers', names: CARRIERS_OPERATIONS },
] as const;

const schemas = new Map<string, Promise<GraphQLSchema>>();
const schemaOf = (name: string) => {
  if (!schemas.has(name)) schemas.set(name, subgraphByName(name).buildSchema());
  return schemas.get(name)!;
};

describe.each(OWNERS)('$file', ({ file, owner, names }) => {
  const document = parse(readFileSync(join(DIR, file), 'utf8'));

  it(`is valid against the ${owner} subgraph's schema`, async () => {
    expect(validate(await schemaOf(owner), document).map((error) => error.message)).toEqual([]);
  });

  it('names exactly the operations its adapter sends', () => {
    const defined = document.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [d.name?.value] : []));
    expect(defined.sort()).toEqual([...names].sort());
  });
});

it('makes each adapter find its operations at start', () => {
  const client = new SubgraphClient({
    service: 'cases',
    target: 'test',
    url: 'http://127.0.0.1:1/graphql',
    identitySecret: 'x'.repeat(32),
  });
  expect(() => new AgentsGraphqlAdapter(client)).not.toThrow();
  expect(() => new CarriersGraphqlAdapter(client)).not.toThrow();
});

describe('SubgraphClient errors', () => {
  let server: Server;
  let url: string;
  /** What the fake owning subgraph answers next, and the headers it was called with. */
  let answer: { status: number; body: unknown };
  let seen: IncomingHttpHeaders | undefined;

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen = req.headers;
      req.resume();
      req.on('end', () => {
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const client = () =>
    new SubgraphClient({ service: 'cases', target: 'carriers', url, identitySecret: DEV_IDENTITY_SECRET, timeoutMs: 2_000 });
  const failure = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      const { message, extensions } = error as GraphQLError;
      return { message, extensions };
    }
    throw new Error('resolved');
  };

  it('sends the signed SERVICE identity of the calling subgraph and answers the data', async () => {
    answer = { status: 200, body: { data: { ok: true } } };
    await expect(client().request('{ ok }', {}, 'req-1')).resolves.toEqual({ ok: true });
    expect(verifyIdentity(seen!, DEV_IDENTITY_SECRET, 60_000)).toEqual({ sub: 'service:cases', role: 'SERVICE' });
    expect(seen!['x-request-id']).toBe('req-1');
  });

  it.each(['BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT', 'CARRIER_UNAVAILABLE'])(
    'passes %s through with the owner’s message and extensions',
    async (code) => {
      answer = {
        status: 200,
        body: { data: null, errors: [{ message: 'termYears is required for TERM', extensions: { code, reasons: ['r'] } }] },
      };
      expect(await failure(client().request('{ ok }', {}))).toEqual({
        message: 'termYears is required for TERM',
        extensions: { code, reasons: ['r'] },
      });
    },
  );

  it.each([
    ['a bug of the owner', 200, { data: null, errors: [{ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }],
    ['our identity refused', 401, { errors: [{ message: 'unsigned', extensions: { code: 'UNAUTHENTICATED' } }] }],
    ['a role refused', 200, { data: null, errors: [{ message: 'needs role SERVICE', extensions: { code: 'FORBIDDEN' } }] }],
    [
      'an invalid operation of ours',
      400,
      { errors: [{ message: 'Cannot query field', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] },
    ],
    ['no GraphQL answer', 502, 'bad gateway'],
  ])('makes %s SERVICE_UNAVAILABLE', async (_what, status, body) => {
    answer = { status, body };
    expect((await failure(client().request('{ ok }', {}))).extensions).toEqual({ code: 'SERVICE_UNAVAILABLE' });
  });

  it('makes an unreachable subgraph SERVICE_UNAVAILABLE', async () => {
    const gone = new SubgraphClient({
      service: 'cases',
      target: 'agents',
      url: 'http://127.0.0.1:1/graphql',
      identitySecret: DEV_IDENTITY_SECRET,
    });
    expect(await failure(gone.request('{ ok }', {}))).toEqual({
      message: 'the agents subgraph is unreachable from this service',
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    });
  });
});
