/**
 * CSV exports through the gateway: the same bearer token as /graphql, verified by the gateway and
 * passed to the cases subgraph as the signed identity; an agent's export holds their scope only, the
 * same cases their metrics count; no token or a bad one is 401; over the rate limit, 429.
 */
import type pg from 'pg';
import { exportDownloads } from '../../gateway/plugins/exports';
import { closeServer, createHttpServer, HttpError, listen } from '../../platform/http';
import { graphql } from '../support/graphql';
import { startStack, type Stack } from '../support/stack';
import { testPool } from '../support/test-pool';

let stack: Stack;
let pool: pg.Pool;
let agencyA: string;
let agencyB: string;
let tokens: { agentA: string; staff: string };

beforeAll(async () => {
  stack = await startStack();
  pool = testPool(1);
  [agencyA, agencyB] = (
    await pool.query(
      `SELECT a.id FROM agents.agent a WHERE a.upline_id IS NULL AND EXISTS (SELECT 1 FROM cases."case" c WHERE c.agent_id = a.id) ORDER BY a.id LIMIT 2`,
    )
  ).rows.map((r) => r.id as string);
  tokens = { agentA: await stack.agentToken(agencyA), staff: await stack.token('STAFF') };
});

afterAll(async () => {
  await stack?.stop();
  await pool?.end();
});

const download = async (path: string, token?: string) => {
  const response = await fetch(new URL(path, stack.url), { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
};
const rows = (body: string) => body.split('\r\n').filter(Boolean).slice(1);

it("streams an agent's own scope through the gateway: the cases their metrics count, no other branch's", async () => {
  const metrics = await graphql(stack.url, '{ caseMetrics { totals { submitted } } }', {}, { token: tokens.agentA });
  const expected = metrics.data!.caseMetrics.totals.submitted as number;
  expect(expected).toBeGreaterThan(0);
  const exported = await download('/export/cases.csv', tokens.agentA);
  expect(exported.status).toBe(200);
  expect(exported.type).toBe('text/csv; charset=utf-8');
  expect(exported.body.startsWith('id,caseNumber,status,agentId,')).toBe(true);
  expect(rows(exported.body)).toHaveLength(expected);
  // Asking for another branch's cases by filter gives nothing, not an error that says they exist.
  const other = await download(`/export/cases.csv?agentIds=${agencyB}`, tokens.agentA);
  expect(other.status).toBe(200);
  expect(rows(other.body)).toHaveLength(0);
  expect(rows((await download(`/export/cases.csv?agentIds=${agencyB}`, tokens.staff)).body).length).toBeGreaterThan(0);
});

it('exports a metrics question with the figures the graph answers for the same caller', async () => {
  const funnel = (await graphql(stack.url, '{ caseFunnel { submitted placed } }', {}, { token: tokens.agentA })).data!.caseFunnel;
  const csv = await download('/export/metrics.csv?query=funnel', tokens.agentA);
  expect(csv.status).toBe(200);
  const lines = rows(csv.body);
  expect(lines).toContain(`SUBMITTED,${funnel.submitted}`);
  expect(lines).toContain(`PLACED,${funnel.placed}`);
});

it('refuses a request without a token or with a bad one (401), as /graphql does', async () => {
  const none = await download('/export/cases.csv');
  expect(none.status).toBe(401);
  expect(JSON.parse(none.body).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  expect((await download('/export/cases.csv', 'not-a-jwt')).status).toBe(401);
});

it('takes a rate-limit permit before anything else: a caller over the limit gets 429 with Retry-After', async () => {
  const plugin = exportDownloads({
    subgraphs: new Map(),
    identify: async () => ({ sub: 'user:x', role: 'STAFF' }),
    identitySecret: 'unused',
    timeoutMs: 1_000,
    permit: () => {
      throw new HttpError(429, 'RATE_LIMITED', 'too many requests', { 'retry-after': '7' });
    },
  });
  const server = createHttpServer({ apollo: undefined as never, context: async () => ({}), routes: plugin.routes });
  const port = await listen(server, 0);
  try {
    const response = await fetch(`http://127.0.0.1:${port}/export/cases.csv`);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('RATE_LIMITED');
  } finally {
    await closeServer(server, 100);
  }
});
