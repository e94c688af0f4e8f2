/**
 * The gateway's subgraph client against a real local HTTP server: identical in-flight queries of
 * one identity share a fetch, nothing else does; sockets per subgraph stay bounded; a fetch past
 * its deadline fails.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSubgraphFetcher, type SubgraphFetcher } from '../subgraph-fetcher';

let server: Server;
let url: string;
let received = 0;
const sockets = new Set<unknown>();
let delayMs = 50;

beforeAll(async () => {
  server = createServer((req, res) => {
    received++;
    sockets.add(req.socket);
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () =>
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=60, public' });
        res.end(JSON.stringify({ data: { echo: body.length, n: received } }));
      }, delayMs),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

let fetcher: SubgraphFetcher;
beforeEach(() => {
  received = 0;
  sockets.clear();
  delayMs = 50;
});
afterEach(() => fetcher?.close());

const query = JSON.stringify({ query: 'query { carriers { id } }', variables: {} });
const mutation = JSON.stringify({ query: 'mutation { addCaseNote(caseId: "case_1", note: "x") { type } }', variables: {} });
const call = (body: string, identity = 'staff-1', extra: Record<string, string> = {}) =>
  fetcher.fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-bga-identity': identity, ...extra }, body });

describe('subgraph fetcher', () => {
  it('merges identical in-flight queries of one identity into one fetch, each caller with its own parsed copy', async () => {
    fetcher = createSubgraphFetcher({ timeoutMs: 5_000, maxSockets: 8, dedupe: true });
    const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => call(query, 'staff-1', { 'x-request-id': `r${i}` })));
    expect(received).toBe(1);
    expect(fetcher.counts).toEqual({ sent: 1, deduplicated: 9 });
    const bodies = await Promise.all(responses.map((r) => r.json()));
    expect(bodies[0]).toEqual(bodies[9]);
    expect(bodies[0]).not.toBe(bodies[9]); // never shared objects: the gateway merges into them
    expect(responses[0].headers.get('cache-control')).toBe('max-age=60, public');
  });

  it('never merges across identities, different bodies, mutations, or once the first has finished', async () => {
    fetcher = createSubgraphFetcher({ timeoutMs: 5_000, maxSockets: 8, dedupe: true });
    await Promise.all([call(query, 'staff-1'), call(query, 'agent-7'), call(query.replace('id', 'name'), 'staff-1')]);
    expect(received).toBe(3);
    await Promise.all([call(mutation), call(mutation)]);
    expect(received).toBe(5);
    await call(query);
    await call(query);
    expect(received).toBe(7);
  });

  it('does not merge when switched off', async () => {
    fetcher = createSubgraphFetcher({ timeoutMs: 5_000, maxSockets: 8, dedupe: false });
    await Promise.all(Array.from({ length: 4 }, () => call(query)));
    expect(received).toBe(4);
  });

  it('keeps at most maxSockets connections to a subgraph and reuses them', async () => {
    fetcher = createSubgraphFetcher({ timeoutMs: 5_000, maxSockets: 2, dedupe: false });
    const distinct = Array.from({ length: 12 }, (_, i) => JSON.stringify({ query: `query { q${i} }` }));
    await Promise.all(distinct.map((body) => call(body)));
    await Promise.all(distinct.map((body) => call(body)));
    expect(received).toBe(24);
    expect(sockets.size).toBeLessThanOrEqual(2);
  });

  it('fails a fetch past its deadline', async () => {
    fetcher = createSubgraphFetcher({ timeoutMs: 100, maxSockets: 2, dedupe: true });
    delayMs = 1_000;
    await expect(call(query)).rejects.toThrow(/abort|timeout/i);
  });
});
