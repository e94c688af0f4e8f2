/**
 * SQL and Redis spans, in a real Node process: the pg and ioredis instrumentations hook `require`,
 * which jest's module loader bypasses, so a child process loads platform/tracing.ts (compiled by swc,
 * as the build does) and then pg, as a subgraph's main does, and runs statements inside a span of
 * ours; the OTLP receiver here checks the SQL spans arrive under it, without their parameters.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { transformFileSync } from '@swc/core';
import { freePort, redisServerOnPath, startEmbeddedRedis } from '../../scripts/embedded/redis-server';

const ROOT = join(__dirname, '../..');
const OUT = join(ROOT, 'dist/tracing-probe');
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: { key: string; value: { stringValue?: string } }[];
}
const spans: OtlpSpan[] = [];
let receiver: Server;
let endpoint: string;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      for (const resource of JSON.parse(body).resourceSpans) for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      res.end('{}');
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => receiver.listen(port, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${port}`;
  // platform/tracing.ts as `npm run build` compiles it (its imports are packages only).
  const swcrc = JSON.parse(readFileSync(join(ROOT, '.swcrc'), 'utf8'));
  delete swcrc.$schema;
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'tracing.js'), transformFileSync(join(ROOT, 'platform/tracing.ts'), { ...swcrc, swcrc: false }).code);
});
afterAll(() => new Promise((resolve) => receiver?.close(resolve)));

const REDIS_CHILD = `
const { startTracing, stopTracing, withSpan } = require('./tracing.js');
startTracing('tracing-probe');
const Redis = require('ioredis'); // after startTracing, as the gateway's main orders it
(async () => {
  const redis = new Redis(process.env.PROBE_REDIS_URL);
  await withSpan('probe.redis', {}, async () => {
    await redis.set('probe:key', 'a-value-never-exported');
    await redis.get('probe:key');
  });
  redis.disconnect();
  await stopTracing();
})().catch((error) => { console.error(error); process.exit(1); });
`;

const CHILD = `
const { startTracing, stopTracing, withSpan } = require('./tracing.js');
startTracing('tracing-probe');
const pg = require('pg'); // after startTracing, as a subgraph's main orders it
(async () => {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
  await withSpan('probe.request', {}, async () => {
    await pool.query('SELECT $1::text AS secret', ['a-parameter-never-exported']);
  });
  await pool.query('SELECT 2'); // outside any span: not traced (requireParentSpan)
  await pool.end();
  await stopTracing();
})().catch((error) => { console.error(error); process.exit(1); });
`;

it('records SQL on PostgreSQL as spans under the request, without the parameters', async () => {
  writeFileSync(join(OUT, 'child.js'), CHILD);
  await promisify(execFile)(process.execPath, [join(OUT, 'child.js')], {
    cwd: OUT,
    env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint },
    timeout: 20_000,
  });
  const parent = spans.find((span) => span.name === 'probe.request')!;
  expect(parent).toBeDefined();
  const sql = spans.filter((span) => span.attributes?.some((a) => a.key === 'db.system' || a.key === 'db.system.name'));
  const statements = sql.filter((span) => span.traceId === parent.traceId);
  expect(statements.length).toBeGreaterThanOrEqual(1);
  const query = statements.find((span) => JSON.stringify(span.attributes).includes('SELECT $1::text'))!;
  expect(query).toBeDefined();
  // Its parent chain reaches the request's span (the pool's connect span may sit between).
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  let ancestor = byId.get(query.parentSpanId ?? '');
  while (ancestor && ancestor !== parent) ancestor = byId.get(ancestor.parentSpanId ?? '');
  expect(ancestor).toBe(parent);
  expect(JSON.stringify(spans)).not.toContain('a-parameter-never-exported');
  expect(spans.some((span) => JSON.stringify(span.attributes).includes('SELECT 2'))).toBe(false);
});

// A throwaway redis-server of its own (from PATH): the instrumentation is what is tested, not a shared Redis.
(redisServerOnPath() ? it : it.skip)(
  'records Redis commands as spans under the request (skipped without redis-server on PATH)',
  async () => {
    const redis = (await startEmbeddedRedis())!;
    try {
      writeFileSync(join(OUT, 'redis-child.js'), REDIS_CHILD);
      await promisify(execFile)(process.execPath, [join(OUT, 'redis-child.js')], {
        cwd: OUT,
        env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, PROBE_REDIS_URL: redis.url },
        timeout: 20_000,
      });
    } finally {
      await redis.stop();
    }
    const parent = spans.find((span) => span.name === 'probe.redis')!;
    expect(parent).toBeDefined();
    const commands = spans.filter((span) => span.parentSpanId === parent.spanId).map((span) => span.name);
    expect(commands).toEqual(expect.arrayContaining(['set', 'get']));
    expect(JSON.stringify(spans)).not.toContain('a-value-never-exported');
  },
);
