/**
 * bench:webhooks — webhook delivery on PostgreSQL (issue #17, item 2). A database of its own
 * (bga_bench_webhooks: the demo book of 2,000 cases, and a history grown to BENCH_WEBHOOK_HISTORY
 * events, 1,000,000 by default, so the cursors' index is a real one), BENCH_WEBHOOK_SUBSCRIBERS (10) subscribers at one
 * node:http receiver (each on its own path, verifying every signature), and two webhook workers in
 * this process as two replicas would run them.
 *
 * 1. Steady: events appended at BENCH_WEBHOOK_RATE (50) a second, each in its own transaction, for BENCH_WEBHOOK_SECONDS (10);
 *    every subscriber receives every one. Latency from the event's commit to its receipt (p50, p99), SQL
 *    statements and CPU per delivery.
 * 2. Catch-up: the receiver answers 503 while BENCH_WEBHOOK_BACKLOG (1,000) events are appended, then 2xx; how long every
 *    subscriber takes to receive them all (deliveries a second), in order, once each.
 * Results go to bench/RESULTS.md ("Webhooks on PostgreSQL (bench:webhooks)").
 */
import 'reflect-metadata';
import http from 'node:http';
import { cpus, loadavg } from 'node:os';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { createLogger } from '../platform/logger';
import { PersonalDataVault } from '../platform/personal-data';
import { newStats } from '../platform/stats';
import { parseStripeSignature, verifyWebhookSignature } from '../platform/webhook-signature';
import { seedDatabase } from '../scripts/seed/seed';
import { newId } from '../platform/ids';
import { readWebhookConfig } from '../subgraphs/cases/webhooks/webhook.config';
import { insertSubscriber } from '../subgraphs/cases/webhooks/webhook.repository';
import { newWebhookSecret, WEBHOOK_SECRET_FIELD, WebhookWorker } from '../subgraphs/cases/webhooks/webhook.worker';
import { Db } from '../subgraphs/shared/db';
import { cpuStopwatch, machineLine, ms, percentile, writeResultsSection } from './bench-support';

const DATABASE = 'bga_bench_webhooks';
const env = process.env;
const SUBSCRIBERS = Number(env.BENCH_WEBHOOK_SUBSCRIBERS ?? 10);
const RATE = Number(env.BENCH_WEBHOOK_RATE ?? 50);
const SECONDS = Number(env.BENCH_WEBHOOK_SECONDS ?? 10);
const BACKLOG = Number(env.BENCH_WEBHOOK_BACKLOG ?? 1_000);
const HISTORY = Number(env.BENCH_WEBHOOK_HISTORY ?? 1_000_000);

async function benchDatabase(adminUrl: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const exists = (await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [DATABASE])).rowCount;
  if (!exists) await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${DATABASE}`;
  return url.toString();
}

interface Receipt {
  eventId: number;
  at: number;
}

async function main() {
  if (!env.DATABASE_URL)
    throw new Error('bench:webhooks measures PostgreSQL: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)');
  const url = await benchDatabase(env.DATABASE_URL);
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  await seedDatabase(pool, { cases: 2_000, agents: 200, seed: 17 });
  const caseIds = (await pool.query<{ id: string }>(`SELECT id FROM cases."case" ORDER BY id`)).rows.map((r) => r.id);
  const [{ n: history }] = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases.case_event`)).rows;
  if (history < HISTORY) {
    const started = Date.now();
    await pool.query(
      `INSERT INTO cases.case_event (case_id, at, type, actor, note)
       SELECT ($1::text[])[1 + (g % $2)], now() - make_interval(secs => $3 - g), 'NOTE', 'system:bench', NULL FROM generate_series(1, $3) AS g`,
      [caseIds, caseIds.length, HISTORY - history],
    );
    await pool.query('VACUUM ANALYZE cases.case_event');
    console.log(`history grown to ${HISTORY} events in ${Math.round((Date.now() - started) / 1000)} s`);
  }
  // Subscribers of earlier runs stop; this run's start at the present.
  await pool.query(`UPDATE cases.webhook_subscriber SET deleted_at = now(), active = false WHERE deleted_at IS NULL`);

  // The receiver: one server, a path per subscriber, every signature verified.
  const vault = PersonalDataVault.fromEnv({});
  const secrets = new Map<string, string>();
  const receipts = new Map<string, Receipt[]>();
  let mode: 'ok' | 'fail' = 'ok';
  let badSignatures = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (mode === 'fail') return void res.writeHead(503).end();
      const id = req.url!.slice(1);
      const rawBody = Buffer.concat(chunks);
      const { timestamp, signature } = parseStripeSignature(req.headers['bga-signature'] as string);
      try {
        verifyWebhookSignature({ rawBody, timestamp, signature }, secrets.get(id)!, 300, Date.now());
      } catch {
        badSignatures++;
        return void res.writeHead(401).end();
      }
      receipts.get(id)!.push({ eventId: Number(JSON.parse(rawBody.toString('utf8')).id), at: Date.now() });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const db = new Db(pool);
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const id = newId('webhookSubscriber');
    const secret = newWebhookSecret();
    secrets.set(id, secret);
    receipts.set(id, []);
    await insertSubscriber(db, {
      id,
      url: `http://127.0.0.1:${port}/${id}`,
      description: 'bench',
      eventTypes: [],
      sealedSecret: vault.seal(WEBHOOK_SECRET_FIELD, secret),
      createdBy: 'system:bench',
    });
  }
  const stats = newStats();
  const config = readWebhookConfig({ WEBHOOK_POLL_MS: '100', WEBHOOK_BACKOFF_BASE_MS: '200', WEBHOOK_BACKOFF_MAX_MS: '1000' });
  const logger = createLogger('bench-webhooks', 'silent');
  const workers = [0, 1].map(() => new WebhookWorker({ pool, logger, vault, config, stats }));
  for (const worker of workers) worker.start();
  const delivered = () => workers.reduce((n, w) => n + w.counts.DELIVERED, 0);

  // 1. Steady.
  const committedAt = new Map<number, number>();
  const append = async () => {
    const caseId = caseIds[Math.floor(Math.random() * caseIds.length)];
    const { rows } = await pool.query<{ id: number }>(
      `INSERT INTO cases.case_event (case_id, at, type, from_status, to_status, actor) VALUES ($1, now(), 'CARRIER_SYNC', 'SUBMITTED', 'APPROVED', 'system:bench') RETURNING id`,
      [caseId],
    );
    committedAt.set(Number(rows[0].id), Date.now());
    return Number(rows[0].id);
  };
  const cpu = cpuStopwatch();
  stats.sql = 0;
  const before = delivered();
  const steadyIds: number[] = [];
  const start = Date.now();
  for (let i = 0; i < RATE * SECONDS; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    steadyIds.push(await append());
  }
  const expected = steadyIds.length * SUBSCRIBERS;
  const deadline = Date.now() + 60_000;
  while (delivered() - before < expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  const steadyCpu = cpu();
  const steadySql = stats.sql;
  const steadyDelivered = delivered() - before;
  const lags: number[] = [];
  for (const list of receipts.values()) for (const r of list) lags.push(r.at - committedAt.get(r.eventId)!);
  const inOrderOnce = [...receipts.values()].every((list) => list.map((r) => r.eventId).join() === steadyIds.join());

  // 2. Catch-up after an outage.
  for (const list of receipts.values()) list.length = 0;
  mode = 'fail';
  const backlogIds: number[] = [];
  for (let i = 0; i < BACKLOG; i++) backlogIds.push(await append());
  await new Promise((resolve) => setTimeout(resolve, 1_500)); // failed attempts, backing off
  const beforeCatchUp = delivered();
  const catchUpStarted = Date.now();
  mode = 'ok';
  const catchUpDeadline = Date.now() + 300_000;
  while (delivered() - beforeCatchUp < BACKLOG * SUBSCRIBERS && Date.now() < catchUpDeadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
  const catchUpMs = Date.now() - catchUpStarted;
  const caughtUpInOrderOnce = [...receipts.values()].every((list) => list.map((r) => r.eventId).join() === backlogIds.join());
  for (const worker of workers) await worker.stop();
  server.close();
  await pool.end();

  const body = `Command: \`DATABASE_URL=postgres://… npm run bench:webhooks\` (database ${DATABASE}: 2,000 cases, a history of ${HISTORY.toLocaleString('en-US')} events before the run; ${SUBSCRIBERS} subscribers of every event type at one node:http receiver on loopback that verifies each signature; two webhook workers in the bench process as two replicas, WEBHOOK_POLL_MS=100; PostgreSQL 15 local, fsync off).
${machineLine()}

| measure | value |
|---|---|
| steady: ${RATE} events/s for ${SECONDS} s, each to ${SUBSCRIBERS} subscribers | ${steadyDelivered} of ${expected} delivered |
| latency from an event's commit to its receipt, p50 / p99 / max | ${ms(percentile(lags, 50))} / ${ms(percentile(lags, 99))} / ${ms(Math.max(...lags))} |
| SQL statements per delivery (the record that claims the next, plus the passes' claims) | ${(steadySql / Math.max(1, steadyDelivered)).toFixed(2)} |
| CPU of the bench process (workers, receiver, writer) per delivery | ${ms(steadyCpu / Math.max(1, steadyDelivered))} |
| every subscriber got every event once, in order | ${inOrderOnce ? 'yes' : '**no**'} |
| catch-up: ${BACKLOG} events appended while the receiver answered 503, then 2xx | all ${BACKLOG * SUBSCRIBERS} deliveries in ${(catchUpMs / 1000).toFixed(1)} s (${Math.round((BACKLOG * SUBSCRIBERS) / (catchUpMs / 1000))}/s; ${Math.round(BACKLOG / (catchUpMs / 1000))}/s per subscriber) |
| after the outage, every subscriber got every event once, in order | ${caughtUpInOrderOnce ? 'yes' : '**no**'} |
| signatures refused by the receiver | ${badSignatures} |

One event in flight per subscriber: a subscriber's rate is bounded by one POST and one statement (the record, which claims its next event) per event; subscribers are served side by side, each on its own.

Load average (1 min) on the machine's ${cpus().length} CPUs after the run: ${loadavg()[0].toFixed(2)}.`;
  writeResultsSection('Webhooks on PostgreSQL (bench:webhooks)', body);
  console.log(body);
  if (!inOrderOnce || !caughtUpInOrderOnce || badSignatures)
    throw new Error('webhooks: not every event was delivered once, in order, signed');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
