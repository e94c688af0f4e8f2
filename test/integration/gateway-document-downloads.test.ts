/**
 * The gateway's forwarding of /documents/ to the cases subgraph, against a real HTTP server standing
 * in for it: the path and query go as they are, only the download's headers come back, the body is
 * streamed, and a cases subgraph that is unknown or unreachable is 503 with a JSON error.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer, createHttpServer, listen } from '../../platform/http';
import { DOCUMENTS_PATH, documentDownloads } from '../../gateway/plugins/document-downloads';

const received: { method?: string; url?: string; headers: http.IncomingHttpHeaders }[] = [];
const body = Buffer.alloc(256 * 1024, 7);
const cases = http.createServer((req, res) => {
  received.push({ method: req.method, url: req.url, headers: req.headers });
  res.writeHead(200, {
    'content-type': 'application/pdf',
    'content-length': String(body.length),
    'content-disposition': 'attachment; filename="a.pdf"',
    'cache-control': 'private, no-store',
    'set-cookie': 'internal=1',
    'x-internal': 'not for callers',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
});
const subgraphs = new Map<string, string>();
const gateway = createHttpServer({
  apollo: undefined as never, // only plain routes are asked here
  context: async () => ({}),
  routes: documentDownloads({ subgraphs, timeoutMs: 2_000 }).routes,
});
let base: string;

beforeAll(async () => {
  await listen(cases, 0);
  base = `http://127.0.0.1:${await listen(gateway, 0)}`;
});

afterAll(async () => {
  await closeServer(gateway, 100);
  await closeServer(cases, 100);
});

beforeEach(() => {
  received.length = 0;
  subgraphs.clear();
});

const casesUrl = () => `http://127.0.0.1:${(cases.address() as AddressInfo).port}/graphql`;

it('forwards the path and query as they are and streams back the download with its own headers only', async () => {
  subgraphs.set('cases', casesUrl());
  const response = await fetch(`${base}${DOCUMENTS_PATH}doc_abc?expires=123&signature=xyz`, { headers: { authorization: 'Bearer t' } });
  expect(response.status).toBe(200);
  expect(Buffer.from(await response.arrayBuffer())).toEqual(body);
  expect(received).toHaveLength(1);
  expect(received[0]).toMatchObject({ method: 'GET', url: '/documents/doc_abc?expires=123&signature=xyz' });
  // The caller's token is not passed on: the signature is the authorization.
  expect(received[0].headers.authorization).toBeUndefined();
  expect(response.headers.get('content-type')).toBe('application/pdf');
  expect(response.headers.get('content-disposition')).toBe('attachment; filename="a.pdf"');
  expect(response.headers.get('set-cookie')).toBeNull();
  expect(response.headers.get('x-internal')).toBeNull();
  const head = await fetch(`${base}${DOCUMENTS_PATH}doc_abc?expires=1&signature=s`, { method: 'HEAD' });
  expect([head.status, head.headers.get('content-length')]).toEqual([200, String(body.length)]);
});

it('answers 503 while the cases subgraph is unknown or unreachable, and 405 to anything but GET and HEAD', async () => {
  const unknown = await fetch(`${base}${DOCUMENTS_PATH}doc_abc`);
  expect(unknown.status).toBe(503);
  expect((await unknown.json()).errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
  subgraphs.set('cases', 'http://127.0.0.1:1/graphql');
  const unreachable = await fetch(`${base}${DOCUMENTS_PATH}doc_abc`);
  expect(unreachable.status).toBe(503);
  subgraphs.set('cases', casesUrl());
  expect((await fetch(`${base}${DOCUMENTS_PATH}doc_abc`, { method: 'DELETE' })).status).toBe(405);
  expect(received).toHaveLength(0);
});
