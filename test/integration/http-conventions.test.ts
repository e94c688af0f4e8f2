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
});
