/**
 * The HTTP layer's edges, without GraphQL behind it: CORS preflights answered for the listed origins
 * only, refusals reported (with the cause of a 500, for the log) and a 500 answered without its
 * stack or message.
 */
import type { Server } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { createHttpServer, HttpError, listen } from '../http';

const refusals: { status: number; code: string; cause?: unknown }[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  server = createHttpServer({
    // Never reached: every request below is answered before GraphQL runs.
    apollo: {} as ApolloServer,
    corsOrigins: ['https://app.example.com'],
    beforeGraphql: (req) => {
      if (req.headers['x-test'] === 'limit') throw new HttpError(429, 'RATE_LIMITED', 'too many requests');
    },
    context: async (req) => {
      if (req.headers['x-test'] === 'crash') throw new Error('secret detail at /srv/app/thing.ts:12');
      throw new HttpError(401, 'UNAUTHENTICATED', 'invalid token');
    },
    onRefusal: (_req, refusal, cause) => refusals.push({ status: refusal.status, code: refusal.code, cause }),
  });
  base = `http://127.0.0.1:${await listen(server, 0)}/graphql`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const preflight = (origin: string) =>
  fetch(base, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
  });

describe('CORS at /graphql', () => {
  it('answers the preflight of a listed origin', async () => {
    const response = await preflight('https://app.example.com');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(response.headers.get('vary')).toBe('Origin');
  });

  it('refuses the preflight of any other origin, with no CORS header', async () => {
    const response = await preflight('https://evil.example.net');
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it("lets a listed origin read the gateway's refusals too (a 401 a browser app must see)", async () => {
    const listed = await fetch(base, { method: 'POST', headers: { origin: 'https://app.example.com' }, body: '{}' });
    expect(listed.status).toBe(401);
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const other = await fetch(base, { method: 'POST', headers: { origin: 'https://evil.example.net' }, body: '{}' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    // Answers vary by Origin even without one: a shared cache must not hand a same-origin answer to a browser app.
    expect((await fetch(base, { method: 'POST', body: '{}' })).headers.get('vary')).toBe('Origin');
  });
});

describe('refusals', () => {
  it('reports each refusal with its status and code; a 500 with its cause, answered without it', async () => {
    refusals.length = 0;
    expect((await fetch(base, { method: 'POST', body: '{}' })).status).toBe(401);
    expect((await fetch(base, { method: 'POST', headers: { 'x-test': 'limit' }, body: '{}' })).status).toBe(429);
    expect((await fetch(base, { method: 'POST', body: 'x'.repeat(2 * 1024 * 1024) }).catch(() => ({ status: 413 }))).status).toBe(413);
    const crash = await fetch(base, { method: 'POST', headers: { 'x-test': 'crash' }, body: '{}' });
    expect(crash.status).toBe(500);
    const text = await crash.text();
    expect(text).not.toContain('secret detail');
    expect(text).not.toMatch(/\.ts:\d+|at .*\(/);
    expect(JSON.parse(text)).toEqual({ errors: [{ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    expect(refusals.map((r) => [r.status, r.code])).toEqual([
      [401, 'UNAUTHENTICATED'],
      [429, 'RATE_LIMITED'],
      [413, 'LIMIT_EXCEEDED'],
      [500, 'INTERNAL_SERVER_ERROR'],
    ]);
    expect((refusals[3].cause as Error).stack).toContain('secret detail');
  });
});
