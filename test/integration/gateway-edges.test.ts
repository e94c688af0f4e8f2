/**
 * The gateway's edges as an SRE and a front-end developer meet them, over real HTTP on a whole
 * stack: CORS for CORS_ORIGINS only, /metrics on METRICS_PORT (and not beside /graphql), HTTP-level
 * refusals counted by status and reason, process metrics under their standard names, the rate
 * limit keyed on the verified caller (forged tokens share their address's bucket), and the offline
 * explorer on a browser's GET /graphql.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  type IntrospectionQuery,
  lexicographicSortSchema,
  printSchema,
} from 'graphql';
import { cheapestQuote } from '../../examples/client/cheapest-quote';
import { GraphqlRequestError, request } from '../../examples/client/client';
import { CaseListDocument } from '../../examples/client/generated';
import { startStack, type Stack } from '../support/stack';

const APP = 'http://app.localhost:5173';
let stack: Stack;
beforeAll(async () => {
  // A small limit: the flood below reaches it; every other request here stays well under it.
  stack = await startStack({
    env: { CORS_ORIGINS: `${APP},https://agents.example.com`, METRICS_PORT: '0', RATE_LIMIT: '60', MAX_BODY_BYTES: '4096' },
  });
});
afterAll(() => stack?.stop());

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(stack.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
const metricsText = async () => (await fetch(stack.gateway.metricsUrl!)).text();
const counted = (text: string, status: number, reason: string) =>
  Number(new RegExp(`bga_gateway_http_refusals_total\\{status="${status}",reason="${reason}"\\} (\\d+)`).exec(text)?.[1] ?? 0);

describe('CORS (CORS_ORIGINS)', () => {
  it('answers a listed origin: preflight 204, then the answer readable with its request id', async () => {
    const preflight = await fetch(stack.url, {
      method: 'OPTIONS',
      headers: { origin: APP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(APP);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/authorization.*content-type|content-type.*authorization/);
    const answer = await post(JSON.stringify({ query: '{ carriers { id } }' }), { origin: APP });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe(APP);
    expect(answer.headers.get('access-control-expose-headers')).toContain('x-request-id');
  });

  it('refuses an origin not listed: preflight 403, no CORS header on answers', async () => {
    const preflight = await fetch(stack.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://elsewhere.example.org', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const answer = await post(JSON.stringify({ query: '{ carriers { id } }' }), { origin: 'https://elsewhere.example.org' });
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('metrics on METRICS_PORT', () => {
  it('serves /metrics on its own port, with process metrics under their standard names, and not beside /graphql', async () => {
    expect(stack.gateway.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(new URL(stack.gateway.metricsUrl!).port).not.toBe(String(stack.gateway.port));
    const text = await metricsText();
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
    ])
      expect(text).toMatch(new RegExp(`^${name} `, 'm'));
    expect((await fetch(new URL('/metrics', stack.url))).status).toBe(404);
  });
});

describe('HTTP-level refusals', () => {
  it('counts 401, 413 and 400 by status and reason', async () => {
    const before = await metricsText();
    expect((await post(JSON.stringify({ query: '{ carriers { id } }' }), { authorization: 'Bearer a.b.c' })).status).toBe(401);
    expect((await post(JSON.stringify({ query: `{ carriers { id } } # ${'x'.repeat(5000)}` }))).status).toBe(413);
    expect((await post('{"query": ')).status).toBe(400);
    const after = await metricsText();
    expect(counted(after, 401, 'UNAUTHENTICATED') - counted(before, 401, 'UNAUTHENTICATED')).toBe(1);
    expect(counted(after, 413, 'LIMIT_EXCEEDED') - counted(before, 413, 'LIMIT_EXCEEDED')).toBe(1);
    expect(counted(after, 400, 'BAD_REQUEST') - counted(before, 400, 'BAD_REQUEST')).toBe(1);
  });

  it("counts Apollo Server's own refusals before GraphQL: a cross-site GET, a mutation by GET", async () => {
    const before = await metricsText();
    const url = new URL(stack.url);
    url.searchParams.set('query', '{ carriers { id } }');
    expect((await fetch(url)).status).toBe(400); // no apollo-require-preflight: a CSRF risk
    url.searchParams.set('query', 'mutation { addCaseNote(caseId: "case_000001", note: "x") { type } }');
    expect((await fetch(url, { headers: { 'apollo-require-preflight': 'true' } })).status).toBe(405);
    // A query the schema refuses is GraphQL's answer, counted in bga_gateway_requests_total, not here.
    expect((await post(JSON.stringify({ query: '{ nope }' }))).status).toBe(400);
    const after = await metricsText();
    expect(counted(after, 400, 'BAD_REQUEST') - counted(before, 400, 'BAD_REQUEST')).toBe(1);
    expect(counted(after, 405, 'BAD_REQUEST') - counted(before, 405, 'BAD_REQUEST')).toBe(1);
    expect(after).not.toMatch(/bga_gateway_http_refusals_total\{[^}]*reason="GRAPHQL_VALIDATION_FAILED"/);
  });
});

describe('the offline explorer', () => {
  it("answers a browser's GET /graphql with GraphiQL inlined (no CDN) and the dev token flow", async () => {
    const response = await fetch(stack.url, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html).toContain('bga-graph explorer');
    expect(html).toContain('npm run token -- --role staff');
    // Every script and style is in the page: nothing is loaded from another host.
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+rel="stylesheet"/);
  });

  it('still answers GraphQL by GET to a client that asks for JSON', async () => {
    const url = new URL(stack.url);
    url.searchParams.set('query', '{ carriers { id } }');
    const response = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(200);
  });
});

describe('schema/api.graphql and examples/ against the running gateway', () => {
  const ROOT = join(__dirname, '..', '..');

  it('serves exactly schema/api.graphql', async () => {
    const staff = await stack.token('STAFF');
    const response = await post(JSON.stringify({ query: getIntrospectionQuery({ inputValueDeprecation: true, specifiedByUrl: true }) }), {
      authorization: `Bearer ${staff}`,
    });
    const { data } = (await response.json()) as { data: IntrospectionQuery };
    // Compared sorted: introspection lists types in its own order.
    const served = printSchema(lexicographicSortSchema(buildClientSchema(data)));
    const file = printSchema(lexicographicSortSchema(buildSchema(readFileSync(join(ROOT, 'schema/api.graphql'), 'utf8'))));
    expect(served).toBe(file);
  });

  it('runs every example query with its variables: none refused as invalid', async () => {
    const staff = await stack.token('STAFF');
    const dir = join(ROOT, 'examples/operations');
    const refused: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.graphql'))) {
      const query = readFileSync(join(dir, file), 'utf8');
      if (!/^query /m.test(query)) continue; // mutations would change the shared demo data
      const variablesFile = join(dir, file.replace(/\.graphql$/, '.json'));
      const variables = readdirSync(dir).includes(file.replace(/\.graphql$/, '.json'))
        ? JSON.parse(readFileSync(variablesFile, 'utf8'))
        : {};
      const response = await post(JSON.stringify({ query, variables }), { authorization: `Bearer ${staff}` });
      const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
      const codes = (body.errors ?? []).map((e) => e.extensions?.code);
      if (response.status === 400 || codes.some((code) => code === 'GRAPHQL_VALIDATION_FAILED' || code === 'BAD_USER_INPUT'))
        refused.push(`${file}: ${response.status} ${JSON.stringify(body.errors)}`);
    }
    expect(refused).toEqual([]);
  }, 60_000);
});

describe('the typed example client (examples/client)', () => {
  it('gets typed data through the gateway, and the error codes of a refusal', async () => {
    const quote = await cheapestQuote({ url: stack.url, token: await stack.token('STAFF') });
    expect(quote?.modalPremium).toMatch(/^\d+\.\d{2}$/);
    expect(quote?.carrier.name).toEqual(expect.any(String));
    const cases = await request({ url: stack.url, token: await stack.token('STAFF') }, CaseListDocument, { first: 2 });
    expect(cases.cases.edges.length).toBeLessThanOrEqual(2);
    const refused = await request({ url: stack.url }, CaseListDocument, { first: 2 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GraphqlRequestError);
    expect((refused as GraphqlRequestError).codes).toEqual(['UNAUTHENTICATED']);
  });
});

describe('rate limit keyed on the verified caller (RATE_LIMIT=60 here)', () => {
  it('puts forged tokens in their address bucket, counted as 429; a verified caller keeps its own', async () => {
    const before = await metricsText();
    const statuses: number[] = [];
    for (let i = 0; i < 70; i++) {
      // A fresh forged token each time: with a bucket per token text, none would ever be refused.
      const forged = `Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.forged${i}`;
      statuses.push((await post(JSON.stringify({ query: '{ carriers { id } }' }), { authorization: forged })).status);
    }
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(60);
    // The anonymous caller of that address is in the same bucket...
    expect((await post(JSON.stringify({ query: '{ carriers { id } }' }))).status).toBe(429);
    // ...but a verified staff token from the same address counts on its own subject.
    const staff = await stack.token('STAFF');
    expect((await post(JSON.stringify({ query: '{ carriers { id } }' }), { authorization: `Bearer ${staff}` })).status).toBe(200);
    const after = await metricsText();
    expect(counted(after, 429, 'RATE_LIMITED') - counted(before, 429, 'RATE_LIMITED')).toBeGreaterThan(0);
  });
});
