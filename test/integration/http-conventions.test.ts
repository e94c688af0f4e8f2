/**
 * GraphQL over HTTP at the gateway: queries by GET (with Apollo's CSRF preflight header), mutations
 * only by POST (405 otherwise), a simple cross-site GET refused, unknown paths 404.
 */
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const get = (query: string, headers: Record<string, string> = { 'apollo-require-preflight': 'true' }) => {
  const url = new URL(stack.url);
  url.searchParams.set('query', query);
  return fetch(url, { headers });
};

describe('GraphQL over HTTP', () => {
  it('answers a query sent by GET', async () => {
    const response = await get('{ carriers { id } }');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(((await response.json()) as { data: { carriers: unknown[] } }).data.carriers.length).toBeGreaterThanOrEqual(12);
  });

  it('refuses a mutation by GET with 405 and a simple cross-site GET as a CSRF risk', async () => {
    expect((await get('mutation { addCaseNote(caseId: "case_000001", note: "x") { type } }')).status).toBe(405);
    expect((await get('{ carriers { id } }', {})).status).toBe(400);
  });

  it('answers 404 off the GraphQL path', async () => {
    expect((await fetch(new URL('/nowhere', stack.url))).status).toBe(404);
  });

  it('exposes Prometheus metrics: requests per operation and outcome, latency, subgraph fetches', async () => {
    await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query CarrierNames { carriers { name } }' }),
    });
    await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query Private { cases { totalCount } }' }),
    });
    const response = await fetch(new URL('/metrics', stack.url));
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(/bga_gateway_requests_total\{operation="CarrierNames",outcome="ok"\} 1/);
    expect(text).toMatch(/bga_gateway_requests_total\{operation="Private",outcome="UNAUTHENTICATED"\} 1/);
    expect(text).toMatch(/bga_gateway_request_duration_seconds_count\{operation="CarrierNames"\} 1/);
    expect(text).toMatch(/bga_gateway_subgraph_fetch_duration_seconds_count\{subgraph="carriers",outcome="ok"\} [1-9]/);
    expect(text).toContain('process_resident_memory_bytes');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    expect(text).not.toContain('bga_gateway_process_');
  });
});
