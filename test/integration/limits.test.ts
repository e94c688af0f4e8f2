/**
 * Request-shape limits at the gateway: too deep, too many aliases, too many tokens, too costly,
 * batched operations and oversized bodies are refused as LIMIT_EXCEEDED (or 4xx) before any subgraph
 * is asked, while the documented queries pass.
 */
import { codes, graphql } from '../support/graphql';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let token: string;

beforeAll(async () => {
  stack = await startStack();
  token = await stack.token('STAFF');
});
afterAll(() => stack?.stop());

describe('gateway limits', () => {
  it('refuses a query nested deeper than MAX_DEPTH without fetching anything', async () => {
    const deep = `{ agents(first: 1) { edges { node { ${'downline { '.repeat(12)}id${' }'.repeat(12)} } } } }`;
    const response = await graphql(stack.url, deep, {}, { token });
    expect(codes(response)).toEqual(['LIMIT_EXCEEDED']);
    expect(response.status).toBe(400);
    expect(response.extensions?.stats ?? {}).toEqual({});
  });

  it('refuses an alias bomb and a token flood', async () => {
    const aliases = `{ ${Array.from({ length: 40 }, (_, i) => `c${i}: carriers { id }`).join(' ')} }`;
    expect(codes(await graphql(stack.url, aliases, {}, { token }))).toEqual(['LIMIT_EXCEEDED']);
    const tokens = `{ carriers { ${Array.from({ length: 4_000 }, () => 'id').join(' ')} } }`;
    expect(codes(await graphql(stack.url, tokens, {}, { token }))).toEqual(['LIMIT_EXCEEDED']);
  });

  it('refuses batched operations and oversized bodies', async () => {
    const batched = await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify([{ query: '{ carriers { id } }' }, { query: '{ carriers { id } }' }]),
    });
    expect(batched.status).toBe(400);
    const huge = await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ carriers { id } } #${'x'.repeat(1_100_000)}` }),
    });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('LIMIT_EXCEEDED');
  });

  it('admits the documented dashboard query', async () => {
    const response = await graphql(
      stack.url,
      `{ cases(first: 200) { totalCount edges { node { caseNumber status agent { npn lastName licenses { state } } carrier { name amBestRating } product { name } requirements { code status } } } } }`,
      {},
      { token },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.cases.edges).toHaveLength(200);
  });
});

describe('per-client rate limit', () => {
  let limited: Stack;
  beforeAll(async () => {
    // A long window: six requests never straddle a window boundary.
    limited = await startStack({ env: { RATE_LIMIT: '5', RATE_LIMIT_WINDOW_S: '3600' } });
  });
  afterAll(() => limited?.stop());

  it('answers 429 RATE_LIMITED with Retry-After past the limit, per client', async () => {
    const staff = await limited.token('STAFF');
    const admin = await limited.token('ADMIN');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await graphql(limited.url, '{ carriers { id } }', {}, { token: staff, debugStats: false })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const refused = await fetch(limited.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${staff}` },
      body: JSON.stringify({ query: '{ carriers { id } }' }),
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('RATE_LIMITED');
    // Another client has its own count.
    expect((await graphql(limited.url, '{ carriers { id } }', {}, { token: admin })).status).toBe(200);
  });
});
