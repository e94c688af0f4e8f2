/**
 * What the gateway fuzz suite (gateway.fuzz.test.ts) found, pinned with the exact inputs: each was a
 * 500, a crashed process, an echo of the variables, a connection left hanging, or memory without
 * bound. The fixes are in gateway/plugins/limits.ts (token limit, operation names, variable errors),
 * gateway/plugins/document-store.ts, gateway/plugins/metrics.ts, gateway/plugins/persisted-queries.ts
 * (APQ version code), platform/http.ts, platform/redact.ts and platform/cache.ts.
 */
import net from 'node:net';
import { MAX_VARIABLE_ERRORS } from '../../gateway/plugins/limits';
import { MAX_OPERATION_LABELS } from '../../gateway/plugins/metrics';
import { codes, graphql } from '../support/graphql';
import { startStack, type Stack } from '../support/stack';
import { collectGarbage, mib, RawClient, settledHeap } from './support/harness';

let stack: Stack;
let client: RawClient;
let staff: string;

beforeAll(async () => {
  stack = await startStack({ env: { RATE_LIMIT: '0' } });
  client = new RawClient(stack.url);
  staff = await stack.token('STAFF');
});
afterAll(async () => {
  client?.close();
  await stack?.stop();
});

const post = async (body: unknown, headers: Record<string, string> = {}) => {
  const reply = await client.post(body, { authorization: `Bearer ${staff}`, ...headers });
  return {
    status: reply.status,
    headers: reply.headers,
    body: JSON.parse(reply.text) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] },
  };
};
const errorCodes = (body: { errors?: { extensions?: { code?: string } }[] }) => (body.errors ?? []).map((e) => e.extensions?.code);

it('answers a syntax error 400 GRAPHQL_VALIDATION_FAILED and a token flood 400 LIMIT_EXCEEDED (both were 500: graphql-armor parsed in a plugin hook)', async () => {
  const syntax = await post({ query: '{ carriers { id }' });
  expect([syntax.status, errorCodes(syntax.body)]).toEqual([400, ['GRAPHQL_VALIDATION_FAILED']]);
  const flood = await post({ query: `{ carriers { ${'id '.repeat(4_000)}} }` });
  expect([flood.status, errorCodes(flood.body)]).toEqual([400, ['LIMIT_EXCEEDED']]);
  expect(flood.body.errors![0].message).toBe('Token limit of 3000 exceeded.');
});

it('answers an operationName that names no operation 400 GRAPHQL_VALIDATION_FAILED (was 500 from the gateway executor)', async () => {
  const two = 'query A { carriers { id } } query B { carriers { name } }';
  for (const body of [
    { query: '{ carriers { id } }', operationName: '' },
    { query: '{ carriers { id } }', operationName: 'Nope' },
    { query: two, operationName: 'Nope' },
    { query: two },
  ]) {
    const response = await post(body);
    expect([response.status, errorCodes(response.body)]).toEqual([400, ['GRAPHQL_VALIDATION_FAILED']]);
  }
  const named = await post({ query: two, operationName: 'B' });
  expect(named.status).toBe(200);
  expect(named.body.data.carriers[0].name).toEqual(expect.any(String));
});

it('refuses JSON nested deeper than 64 levels, by POST and by GET, as 400 LIMIT_EXCEEDED (was 500: a recursive walk overflowed the stack)', async () => {
  const deep = `{"query":"{ carriers { id } }","variables":{"v":${'['.repeat(4_110)}${']'.repeat(4_110)}}}`;
  const posted = await client.send({ body: deep, headers: { 'content-type': 'application/json', authorization: `Bearer ${staff}` } });
  expect(posted.status).toBe(400);
  expect(JSON.parse(posted.text).errors[0].extensions.code).toBe('LIMIT_EXCEEDED');
  const got = await client.send({
    method: 'GET',
    path: `/graphql?query=${encodeURIComponent('{ carriers { id } }')}&variables=${'%5B'.repeat(1_500)}${'%5D'.repeat(1_500)}`,
    headers: { 'apollo-require-preflight': 'true' },
  });
  expect(got.status).toBe(400);
  expect(JSON.parse(got.text).errors[0].extensions.code).toBe('LIMIT_EXCEEDED');
  // Real inputs nest a few levels: untouched.
  const nested = await graphql(
    stack.url,
    'query Q($f: CaseFilter) { cases(first: 1, filter: $f) { totalCount } }',
    { f: { statuses: ['SUBMITTED'], open: true } },
    { token: staff },
  );
  expect(nested.errors).toBeUndefined();
});

it('answers a request target that is no URL 400 and stays up (it was an unhandled rejection: the process exited)', async () => {
  for (const path of ['//[', '//:99999/graphql', '//%zz/graphql']) {
    const reply = await client.send({ method: 'GET', path });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.text).errors[0].extensions.code).toBe('BAD_REQUEST');
  }
  expect((await client.send({ method: 'GET', path: '/health' })).status).toBe(200);
});

it('answers a persisted-query extension of an unknown version or shape with a code (was an uncoded error)', async () => {
  for (const extensions of [{ persistedQuery: 1 }, { persistedQuery: { version: 2, sha256Hash: 'abc' } }]) {
    const response = await post({ query: '{ carriers { id } }', extensions });
    expect(response.status).toBe(400);
    expect(errorCodes(response.body)).toEqual(['BAD_USER_INPUT']);
  }
});

it('closes the connection after refusing a body as too large (it stayed open with the body unread until the request timeout)', async () => {
  const url = new URL(stack.url);
  const socket = net.connect(Number(url.port), url.hostname);
  await new Promise((resolve) => socket.once('connect', resolve));
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString()));
  socket.on('error', () => undefined); // EPIPE once the server has closed: expected
  let timer: NodeJS.Timeout | undefined;
  const closed = new Promise<boolean>((resolve) => {
    socket.once('close', () => resolve(true));
    timer = setTimeout(() => resolve(false), 10_000);
  }).finally(() => clearTimeout(timer));
  socket.write('POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
  const chunk = 'x'.repeat(64 * 1024);
  for (let sent = 0; sent < 3 * 1024 * 1024 && !socket.destroyed; sent += chunk.length) {
    if (!socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`)) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  expect(await closed).toBe(true);
  expect(received).toMatch(/^HTTP\/1\.1 413 /);
  expect(received.toLowerCase()).toContain('connection: close');
});

it(`refuses variables with more than ${MAX_VARIABLE_ERRORS} errors at once (20,000 unknown keys made 20,000 errors, each printing the whole object: gigabytes, the process died)`, async () => {
  const input = Object.fromEntries(Array.from({ length: 20_000 }, (_, k) => [`k${k}`, 'x']));
  const started = performance.now();
  const response = await post({
    query: 'query Q($i: QuoteInput!) { compareQuotes(input: $i) { quotes { annualPremium } } }',
    variables: { i: input },
  });
  expect([response.status, errorCodes(response.body)]).toEqual([400, ['BAD_USER_INPUT']]);
  expect(performance.now() - started).toBeLessThan(5_000);
  // A few errors are still each reported.
  const few = await post({
    query:
      'query Q($a: Int, $b: Boolean!, $c: Date) { carriers @include(if: $b) { id } cases(first: $a, filter: { submittedFrom: $c }) { totalCount } }',
    variables: { a: 'x', b: 'y', c: 'z' },
  });
  expect(errorCodes(few.body)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT']);
});

it('does not repeat an unknown input key that cannot be a field name (was echoed: keys are part of the variables)', async () => {
  const response = await post({
    query: 'query Q($f: AgentFilter) { agents(filter: $f) { totalCount } }',
    variables: { f: { 'pat.jones@example.com': 'x' } },
  });
  expect(errorCodes(response.body)).toEqual(['BAD_USER_INPUT']);
  expect(JSON.stringify(response.body)).not.toContain('pat.jones');
});

it(`keeps at most ${MAX_OPERATION_LABELS} operation names as metric labels (was one series per name a client sent, a few KB each)`, async () => {
  for (let i = 0; i < MAX_OPERATION_LABELS + 30; i++) await client.post({ query: `query Fuzz${i} { __typename }` });
  const metrics = (await client.send({ method: 'GET', path: '/metrics' })).text;
  const operations = new Set([...metrics.matchAll(/^bga_gateway_requests_total\{operation="([^"]*)"/gm)].map((m) => m[1]));
  expect(operations.size).toBeLessThanOrEqual(MAX_OPERATION_LABELS + 1);
  expect(operations.has('other')).toBe(true);
}, 60_000);

it('keeps the heap bounded under distinct documents with large comments (the document store kept every source: 1 MB per request)', async () => {
  const gc = collectGarbage();
  const before = await settledHeap(gc);
  for (let i = 0; i < 200; i++) {
    const reply = await client.post({ query: `{ carriers { id } } # ${i} ${'x'.repeat(400_000)}` });
    expect(reply.status).toBe(200);
  }
  const after = await settledHeap(gc);
  // 80 MB of distinct sources went through; the store keeps at most 32 Mi characters of them.
  expect(after.heapUsed - before.heapUsed).toBeLessThan(56 * 2 ** 20);
  console.log(`[fuzz regressions] 200 distinct 400 KB documents: heapUsed ${mib(before.heapUsed)} -> ${mib(after.heapUsed)}`);
}, 120_000);

it('answers GraphQL over SSE (Accept: text/event-stream) with coded errors: a malformed document, and a query sent where only subscriptions are served (the first was uncoded)', async () => {
  const get = (query: string) =>
    fetch(`${stack.url}?query=${encodeURIComponent(query)}`, {
      headers: { accept: 'text/event-stream', authorization: `Bearer ${staff}`, 'apollo-require-preflight': '1' },
    });
  const malformed = await get('\u0000');
  expect([malformed.status, errorCodes((await malformed.json()) as never)]).toEqual([400, ['GRAPHQL_VALIDATION_FAILED']]);
  const query = await get('{ carriers { id } }');
  expect(query.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const data = (await query.text())
    .split('\n')
    .filter((line) => line.startsWith('data:') && line.length > 6)
    .map((line) => JSON.parse(line.slice(5)));
  expect(data.flatMap(errorCodes)).toEqual(['BAD_REQUEST']);
});

it('still answers the documented queries', async () => {
  const response = await graphql(stack.url, '{ carriers { id name } }', {}, { token: staff });
  expect(codes(response)).toEqual([]);
});
