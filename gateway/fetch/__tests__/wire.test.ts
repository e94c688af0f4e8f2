/**
 * The fetch path's wire against a real local HTTP server (the exchange, dedupe, the deadline and the
 * undici transport, as pipeline.ts chains them): identical in-flight queries of one identity share a
 * fetch, nothing else does (a mutation never); sockets per subgraph stay bounded; a fetch past its
 * deadline fails.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OperationTypeNode } from 'graphql';
import { deadline } from '../deadline';
import { dedupe } from '../dedupe';
import { graphqlExchange } from '../graphql-exchange';
import { createHttpTransport, type HttpTransport } from '../http-transport';
import { composeWire, type FetchNext } from '../subgraph-fetch';

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

/** The wire as the gateway chains it, with what the transport sent and what dedupe saved. */
interface Fetcher {
  fetch: FetchNext;
  counts: { sent: number; deduplicated: number };
  close(): Promise<void>;
}

function createSubgraphFetcher(options: { timeoutMs: number; maxSockets: number; dedupe: boolean }): Fetcher {
  const transport: HttpTransport = createHttpTransport({ maxSockets: options.maxSockets });
  const counts = {
    deduplicated: 0,
    get sent() {
      return transport.counts.sent;
    },
  };
  const wire = composeWire([dedupe(options.dedupe, () => counts.deduplicated++), deadline(options.timeoutMs)], (request) =>
    transport.send(request),
  );
  return { fetch: graphqlExchange(wire), counts, close: () => transport.close() };
}

let fetcher: Fetcher;
beforeEach(() => {
  received = 0;
  sockets.clear();
  delayMs = 50;
});
afterEach(() => fetcher?.close());

interface Operation {
  query: string;
  kind: OperationTypeNode;
}
const query: Operation = { query: 'query { carriers { id } }', kind: OperationTypeNode.QUERY };
const mutation: Operation = { query: 'mutation { addCaseNote(caseId: "case_1", note: "x") { type } }', kind: OperationTypeNode.MUTATION };
const call = (operation: Operation, identity = 'staff-1', extra: Record<string, string> = {}) =>
  fetcher.fetch({
    subgraph: 'test',
    url,
    kind: operation.kind,
    request: { query: operation.query, variables: {} },
    headers: { 'content-type': 'application/json', 'x-bga-identity': identity, ...extra },
  });

describe('subgraph fetcher', () => {
  it('merges identical in-flight queries of one identity into one fetch, each caller with its own parsed copy', async () => {
    fetcher = createSubgraphFetcher({ timeoutMs: 5_000, maxSockets: 8, dedupe: true });
    const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => call(query, 'staff-1', { 'x-request-id': `r${i}` })));
    expect(received).toBe(1);
    expect({ ...fetcher.counts }).toEqual({ sent: 1, deduplicated: 9 });
    const bodies = responses.map((r) => r.data);
    expect(bodies[0]).toEqual(bodies[9]);
    expect(bodies[0]).not.toBe(bodies[9]); // never shared objects: the gateway merges into them
    expect(responses[0].http?.headers.get('cache-control')).toBe('max-age=60, public');
  });

  it('never merges across identities, different bodies, mutations, or once the first has finished', async () => {
    fetcher = createSubgraphFetcher({ timeoutMs: 5_000, maxSockets: 8, dedupe: true });
    await Promise.all([
      call(query, 'staff-1'),
      call(query, 'agent-7'),
      call({ ...query, query: query.query.replace('id', 'name') }, 'staff-1'),
    ]);
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
    const distinct = Array.from({ length: 12 }, (_, i): Operation => ({ query: `query { q${i} }`, kind: OperationTypeNode.QUERY }));
    await Promise.all(distinct.map((operation) => call(operation)));
    await Promise.all(distinct.map((operation) => call(operation)));
    expect(received).toBe(24);
    expect(sockets.size).toBeLessThanOrEqual(2);
  });

  it('fails a fetch past its deadline', async () => {
    fetcher = createSubgraphFetcher({ timeoutMs: 100, maxSockets: 2, dedupe: true });
    delayMs = 1_000;
    await expect(call(query)).rejects.toThrow(/abort|timeout/i);
  });
});
