/**
 * The Hive Gateway peers of `npm run bench:gateway` (bench/gateway/hive.config.ts), run as the bench
 * runs them (the Hive Gateway CLI, NODE_ENV=production, one process) over two small subgraphs that,
 * like ours, refuse a request without the bench's identity headers and count what they receive:
 * both setups answer the federated query (root field from one subgraph, entity fields from the other)
 * with every subgraph request carrying the headers; router-runtime with --jit is refused at start
 * (graphql-jit would execute a schema without resolvers and call no subgraph).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse } from 'graphql';

const ROOT = join(__dirname, '..', '..');
const HIVE_BIN = join(ROOT, 'node_modules/@graphql-hive/gateway/dist/bin.js');
const CONFIG = join(ROOT, 'bench/gateway/hive.config.ts');
const IDENTITY = { 'x-bga-identity': 'bench-identity', 'x-bga-identity-signature': 't=1,v1=bench' };

const PEOPLE_SDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { people: [Person!]! }
type Person @key(fields: "id") { id: ID! name: String! }`;
const SCORES_SDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Person @key(fields: "id") { id: ID! score: Int! }`;
const PEOPLE = [
  { id: '1', name: 'Ada' },
  { id: '2', name: 'Grace' },
];

interface Counted {
  url: string;
  requests: number;
  withIdentity: number;
  server: Server;
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => resolve(text));
  });

/** A subgraph that counts its requests and answers only those that carry the identity headers. */
async function subgraph(sdl: string, resolvers: any): Promise<Counted> {
  const schema = buildSubgraphSchema({ typeDefs: parse(sdl), resolvers });
  const counted = { requests: 0, withIdentity: 0 } as Counted;
  counted.server = createServer(async (req, res) => {
    const { query, variables } = JSON.parse(await readBody(req));
    counted.requests++;
    const identified = Object.entries(IDENTITY).every(([name, value]) => req.headers[name] === value);
    if (identified) counted.withIdentity++;
    const result = identified
      ? await execute({ schema, document: parse(query), variableValues: variables })
      : { data: null, errors: [{ message: 'unauthenticated', extensions: { code: 'UNAUTHENTICATED' } }] };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
  });
  await new Promise<void>((resolve) => counted.server.listen(0, '127.0.0.1', resolve));
  counted.url = `http://127.0.0.1:${(counted.server.address() as AddressInfo).port}/graphql`;
  return counted;
}

let people: Counted;
let scores: Counted;
let tmp: string;
let supergraphPath: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  people = await subgraph(PEOPLE_SDL, {
    Query: { people: () => PEOPLE },
    Person: { __resolveReference: (ref: { id: string }) => PEOPLE.find((p) => p.id === ref.id) },
  });
  scores = await subgraph(SCORES_SDL, {
    Person: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, score: Number(ref.id) * 10 }) },
  });
  const composed = composeServices([
    { name: 'people', url: people.url, typeDefs: parse(PEOPLE_SDL) },
    { name: 'scores', url: scores.url, typeDefs: parse(SCORES_SDL) },
  ]);
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('; '));
  tmp = mkdtempSync(join(tmpdir(), 'hive-peers-'));
  supergraphPath = join(tmp, 'supergraph.graphql');
  writeFileSync(supergraphPath, composed.supergraphSdl);
});

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

afterAll(async () => {
  await Promise.all([people, scores].map((s) => new Promise((resolve) => s?.server.close(resolve))));
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Starts the Hive Gateway CLI as the bench does; resolves with its URL once it answers, or its output if it exits. */
async function startHive(setup: string, jit: boolean): Promise<{ url?: string; exitCode?: number | null; output: string }> {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
  const child = spawn(
    process.execPath,
    [
      HIVE_BIN,
      'supergraph',
      supergraphPath,
      '--config-path',
      CONFIG,
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--fork',
      '1',
      ...(jit ? ['--jit'] : []),
    ],
    {
      env: { ...process.env, JIT: '', NODE_ENV: 'production', BENCH_HIVE_SETUP: setup, BENCH_IDENTITY_HEADERS: JSON.stringify(IDENTITY) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}/graphql`;
  const deadline = Date.now() + 25_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return { exitCode: child.exitCode, output };
    const ok = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' })
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return { url, output };
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`Hive Gateway (${setup}) did not start:\n${output}`);
}

const QUERY = '{ people { id name score } }';
const EXPECTED = {
  people: [
    { id: '1', name: 'Ada', score: 10 },
    { id: '2', name: 'Grace', score: 20 },
  ],
};

describe.each([
  ['jit', true],
  ['router-runtime', false],
])('Hive Gateway peer, BENCH_HIVE_SETUP=%s (--jit: %s)', (setup, jit) => {
  it('answers the federated query, every subgraph request carrying the identity headers', async () => {
    const before = { people: people.requests, scores: scores.requests, identified: people.withIdentity + scores.withIdentity };
    const hive = await startHive(setup as string, jit as boolean);
    expect(hive.url).toBeDefined();
    for (let i = 0; i < 3; i++) {
      const response = await fetch(hive.url!, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: QUERY }),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ data: EXPECTED });
    }
    const sent = { people: people.requests - before.people, scores: scores.requests - before.scores };
    // One root fetch and one entity fetch per request (3 requests; none deduplicated, they are sequential).
    expect(sent).toEqual({ people: 3, scores: 3 });
    expect(people.withIdentity + scores.withIdentity - before.identified).toBe(6);
  });
});

it('refuses router-runtime with --jit at start, before any subgraph request', async () => {
  const before = people.requests + scores.requests;
  const hive = await startHive('router-runtime', true);
  expect(hive.url).toBeUndefined();
  expect(hive.exitCode).not.toBe(0);
  expect(hive.output).toContain('must run without --jit');
  expect(people.requests + scores.requests).toBe(before);
});
