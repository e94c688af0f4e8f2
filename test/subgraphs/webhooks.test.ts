/**
 * Webhooks for partner systems, against a real receiver (a node:http server standing in for the
 * partner): subscribers managed by ADMIN through the cases subgraph (others refused, the secret
 * answered once and sealed at rest), and the delivery worker over the case history. The receiver
 * is down (connection refused), then failing (503), then up: every event committed meanwhile
 * arrives, signed (verified in the receiver), once per event id, in order, after attempts spaced by
 * the backoff; SQL statements per delivery are counted. An event whose transaction commits after a
 * later one is not skipped (PostgreSQL only: PGlite has one session).
 */
import 'reflect-metadata';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { DEV_IDENTITY_SECRET, readCommonConfig } from '../../platform/config';
import { signIdentity, type Identity } from '../../platform/identity';
import { createLogger } from '../../platform/logger';
import { PersonalDataVault } from '../../platform/personal-data';
import { newStats } from '../../platform/stats';
import { parseStripeSignature, readRawBody, verifyWebhookSignature } from '../../platform/webhook-signature';
import { casesSubgraph } from '../../subgraphs/cases/cases.subgraph';
import { readWebhookConfig } from '../../subgraphs/cases/webhooks/webhook.config';
import { WebhookWorker, type WebhookPayload, type WebhookWorkerOptions } from '../../subgraphs/cases/webhooks/webhook.worker';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/shared/subgraph-server';
import { codes, graphql } from '../support/graphql';
import { until } from '../support/wait';
import { testPool } from '../support/test-pool';

const ADMIN: Identity = { sub: 'user:test-hooks-admin', role: 'ADMIN' };
const STAFF: Identity = { sub: 'user:test-hooks-staff', role: 'STAFF' };
const AGENT: Identity = { sub: 'agt_0001', role: 'AGENT', agentId: 'agt_0001' };
const PGLITE = Boolean(process.env.BGA_TEST_PGLITE_DATABASES);

/** The partner system: verifies each POST's signature, keeps every delivery (duplicates too). */
class Receiver {
  mode: 'ok' | 'fail' = 'ok';
  /** How long to wait before answering (a slow receiver). */
  delayMs = 0;
  /** Events answered 503 whatever the mode. */
  readonly failIds = new Set<string>();
  secret = '';
  readonly received: { payload: WebhookPayload; headers: http.IncomingHttpHeaders }[] = [];
  readonly refusedSignatures: string[] = [];
  failures = 0;
  private server?: http.Server;
  port = 0;

  async listen(port = 0): Promise<void> {
    this.server = http.createServer(async (req, res) => {
      const rawBody = await readRawBody(req, 64 * 1024);
      if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      if (this.mode === 'fail' || this.failIds.has(String(req.headers['bga-event-id']))) {
        this.failures++;
        res.writeHead(503).end('try later');
        return;
      }
      const { timestamp, signature } = parseStripeSignature(req.headers['bga-signature'] as string | undefined);
      try {
        verifyWebhookSignature({ rawBody, timestamp, signature }, this.secret, 300, Date.now());
      } catch (error) {
        this.refusedSignatures.push((error as Error).message);
        res.writeHead(401).end();
        return;
      }
      this.received.push({ payload: JSON.parse(rawBody.toString('utf8')) as WebhookPayload, headers: req.headers });
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server!.address() as AddressInfo).port;
  }

  /** Down: nothing listens on the port any more (connections are refused). */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  ids(): string[] {
    return this.received.map((entry) => entry.payload.id);
  }
}

let subgraph: RunningSubgraph;
let pool: pg.Pool;
let caseId: string;
const logger = createLogger('test-webhooks', 'silent');
const vault = PersonalDataVault.fromEnv({});
const workers: WebhookWorker[] = [];
const receivers: Receiver[] = [];

const ask = (query: string, variables: Record<string, unknown> = {}, identity: Identity | null = ADMIN) =>
  graphql(subgraph.url, query, variables, { headers: identity ? signIdentity(identity, DEV_IDENTITY_SECRET) : {} });

const CREATE = `mutation($input: CreateWebhookSubscriberInput!) {
  createWebhookSubscriber(input: $input) { secret subscriber { id url description eventTypes active lastEventId pendingEventId pendingAttempts } } }`;
const DELIVERIES = `query($id: ID!, $status: WebhookDeliveryStatus, $first: Int, $after: String) {
  webhookDeliveries(subscriberId: $id, status: $status, first: $first, after: $after) {
    edges { cursor node { id subscriberId eventId attempt status httpStatus error durationMs attemptedAt } }
    pageInfo { hasNextPage endCursor } } }`;

async function subscribe(url: string, eventTypes?: string[]): Promise<{ id: string; secret: string }> {
  const response = await ask(CREATE, { input: { url, eventTypes, description: 'partner test' } });
  expect(response.errors).toBeUndefined();
  const { secret, subscriber } = response.data!.createWebhookSubscriber;
  return { id: subscriber.id, secret };
}

/** One committed event of the case, as any write path appends it (the tx column is its default). */
async function appendEvent(type = 'NOTE', status?: [string, string]): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO cases.case_event (case_id, at, type, from_status, to_status, actor, note) VALUES ($1, now(), $2, $3, $4, 'user:test', 'x') RETURNING id::text`,
    [caseId, type, status?.[0] ?? null, status?.[1] ?? null],
  );
  return rows[0].id;
}

function worker(env: Record<string, string> = {}, stats = newStats(), extra: Partial<WebhookWorkerOptions> = {}) {
  const made = new WebhookWorker({
    pool,
    logger,
    vault,
    stats,
    ...extra,
    config: readWebhookConfig({
      WEBHOOK_POLL_MS: '50',
      WEBHOOK_TIMEOUT_MS: '1000',
      WEBHOOK_BACKOFF_BASE_MS: '200',
      WEBHOOK_BACKOFF_MAX_MS: '800',
      ...env,
    }),
  });
  workers.push(made);
  return { worker: made, stats };
}

/** Passes until one claims nothing (the worker's own nudges may run some of them). */
async function drain(target: WebhookWorker): Promise<void> {
  for (let pass = 0; pass < 200; pass++) if ((await target.runOnce()) === 0 && (await target.runOnce()) === 0) return;
  throw new Error('the worker never ran dry');
}

beforeAll(async () => {
  subgraph = await startSubgraph(
    casesSubgraph,
    readCommonConfig({ DATABASE_URL: process.env.DATABASE_URL, LOG_LEVEL: 'silent' }),
    0,
    '127.0.0.1',
    {
      // The subgraph's own webhook worker stays off: each test drives its own, with its own settings.
      env: { ...process.env, WEBHOOK_POLL_MS: '0' },
    },
  );
  pool = testPool(3);
  caseId = (await pool.query<{ id: string }>(`SELECT id FROM cases."case" ORDER BY id LIMIT 1`)).rows[0].id;
});

afterAll(async () => {
  for (const made of workers) await made.stop();
  for (const receiver of receivers) await receiver.close();
  await subgraph.stop();
  await pool.end();
});

describe('webhook subscribers (ADMIN)', () => {
  it('refuses everyone but ADMIN', async () => {
    const input = { url: 'http://127.0.0.1:9/hooks' };
    expect(codes(await ask(CREATE, { input }, STAFF))).toEqual(['FORBIDDEN']);
    expect(codes(await ask(CREATE, { input }, AGENT))).toEqual(['FORBIDDEN']);
    expect(codes(await ask(CREATE, { input }, null))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await ask(`{ webhookSubscribers { id } }`, {}, STAFF))).toEqual(['FORBIDDEN']);
    expect(codes(await ask(DELIVERIES, { id: 'whk_x' }, AGENT))).toEqual(['FORBIDDEN']);
    expect(codes(await ask(`mutation { rotateWebhookSecret(id: "whk_x") { secret } }`, {}, STAFF))).toEqual(['FORBIDDEN']);
    expect(codes(await ask(`mutation { deleteWebhookSubscriber(id: "whk_x") }`, {}, STAFF))).toEqual(['FORBIDDEN']);
  });

  it('refuses URLs that are not http(s), or carry credentials', async () => {
    for (const url of ['ftp://example.com/x', 'file:///etc/passwd', 'not a url', 'http://user:pw@example.com/'])
      expect(codes(await ask(CREATE, { input: { url } }))).toEqual(['BAD_USER_INPUT']);
  });

  it('answers the secret once and keeps it sealed: never in the table in clear, never in a query', async () => {
    const { id, secret } = await subscribe('http://127.0.0.1:9/hooks', ['STATUS_CHANGED']);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const { rows } = await pool.query<{ secret: string }>(`SELECT secret FROM cases.webhook_subscriber WHERE id = $1`, [id]);
    expect(rows[0].secret.startsWith('pd1.')).toBe(true);
    expect(rows[0].secret).not.toContain(secret.slice(6));
    const everything = await pool.query(`SELECT row_to_json(s)::text AS row FROM cases.webhook_subscriber s WHERE id = $1`, [id]);
    expect(everything.rows[0].row).not.toContain(secret.slice(6));
    const listed = await ask(`{ webhookSubscribers { id url eventTypes active } }`);
    expect(listed.data!.webhookSubscribers).toContainEqual({
      id,
      url: 'http://127.0.0.1:9/hooks',
      eventTypes: ['STATUS_CHANGED'],
      active: true,
    });
    expect(JSON.stringify(listed)).not.toContain(secret);
    // Rotation answers a new secret, once.
    const rotated = await ask(`mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret subscriber { id } } }`, { id });
    expect(rotated.data!.rotateWebhookSecret.secret).toMatch(/^whsec_/);
    expect(rotated.data!.rotateWebhookSecret.secret).not.toBe(secret);
    const updated = await ask(
      `mutation($id: ID!) { updateWebhookSubscriber(id: $id, input: { active: false, eventTypes: [] }) { active eventTypes } }`,
      { id },
    );
    expect(updated.data!.updateWebhookSubscriber).toEqual({ active: false, eventTypes: [] });
    expect((await ask(`mutation($id: ID!) { deleteWebhookSubscriber(id: $id) }`, { id })).data!.deleteWebhookSubscriber).toBe(true);
    expect((await ask(`mutation($id: ID!) { deleteWebhookSubscriber(id: $id) }`, { id })).data!.deleteWebhookSubscriber).toBe(false);
    expect(codes(await ask(`mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`, { id }))).toEqual(['NOT_FOUND']);
  });
});

describe('delivery', () => {
  it('delivers every event committed while the receiver was down, signed, once per event id, in order, after backed-off retries', async () => {
    const receiver = new Receiver();
    receivers.push(receiver);
    await receiver.listen();
    const port = receiver.port;
    await receiver.close(); // down: connections refused
    const subscriber = await subscribe(`http://127.0.0.1:${port}/hooks`);
    receiver.secret = subscriber.secret;
    const ids = [await appendEvent('NOTE'), await appendEvent('STATUS_CHANGED', ['SUBMITTED', 'APPROVED'])];
    // An event appended by the subgraph's own write path (addCaseNote) is delivered the same way.
    const note = await ask(`mutation($caseId: ID!) { addCaseNote(caseId: $caseId, note: "webhook test") { at } }`, { caseId }, STAFF);
    expect(note.errors).toBeUndefined();
    ids.push(
      (await pool.query<{ id: string }>(`SELECT max(id)::text AS id FROM cases.case_event WHERE case_id = $1 AND type = 'NOTE'`, [caseId]))
        .rows[0].id,
    );
    const { worker: running } = worker();
    running.start();

    // Down: refused connections, retried with backoff (200 ms, 400, 800, 800 …, each halved at most by jitter).
    await until('four failed attempts', async () => (running.counts.FAILED >= 4 ? true : undefined), 20_000);
    // Up, but failing for a while.
    receiver.mode = 'fail';
    await receiver.listen(port);
    await until('the receiver to answer 503', async () => (receiver.failures >= 1 ? true : undefined), 20_000);
    ids.push(await appendEvent('REQUIREMENT_ORDERED'));
    receiver.mode = 'ok';
    await until('every event', async () => (receiver.received.length >= ids.length ? true : undefined), 20_000);
    ids.push(await appendEvent('CARRIER_SYNC', ['APPROVED', 'ISSUED']));
    await until('the last event', async () => (receiver.received.length >= ids.length ? true : undefined), 20_000);
    await running.stop();

    // Every event, once, in order, signed (the receiver verified each), without personal data.
    expect(receiver.refusedSignatures).toEqual([]);
    expect(receiver.ids()).toEqual(ids);
    expect(receiver.received[1].payload).toEqual({
      id: ids[1],
      type: 'STATUS_CHANGED',
      caseId,
      fromStatus: 'SUBMITTED',
      toStatus: 'APPROVED',
      requirementId: null,
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(receiver.received[0].headers['bga-event-id']).toBe(ids[0]);
    expect(receiver.received[0].headers['bga-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);

    // The attempts, queryable: the first event failed several times (refused, then 503), then each was delivered once.
    const all = await ask(DELIVERIES, { id: subscriber.id, first: 200 });
    expect(all.errors).toBeUndefined();
    const attempts = all.data!.webhookDeliveries.edges.map((edge: { node: Record<string, any> }) => edge.node).reverse();
    const delivered = attempts.filter((a: { status: string }) => a.status === 'DELIVERED');
    expect(delivered.map((a: { eventId: string }) => a.eventId)).toEqual(ids);
    const failed = attempts.filter((a: { status: string }) => a.status === 'FAILED');
    expect(failed.length).toBe(running.counts.FAILED);
    expect(failed.every((a: { eventId: string }) => a.eventId === ids[0])).toBe(true);
    expect(failed.map((a: { attempt: number }) => a.attempt)).toEqual(failed.map((_: unknown, i: number) => i + 1));
    expect(failed.some((a: { httpStatus: number | null }) => a.httpStatus === 503)).toBe(true);
    expect(failed[0]).toMatchObject({ httpStatus: null, error: 'ECONNREFUSED' });
    // Backoff: each wait at least half of base × 2^(n−1) (capped at 800 ms): 100, 200, 400, 400 … ms.
    for (let n = 1; n < failed.length; n++) {
      const waited = Date.parse(failed[n].attemptedAt) - Date.parse(failed[n - 1].attemptedAt);
      expect(waited).toBeGreaterThanOrEqual(Math.min(800, 200 * 2 ** (n - 1)) / 2 - 5);
    }
    const failedOnly = await ask(DELIVERIES, { id: subscriber.id, status: 'FAILED', first: 2 });
    expect(failedOnly.data!.webhookDeliveries.edges).toHaveLength(2);
    expect(failedOnly.data!.webhookDeliveries.pageInfo.hasNextPage).toBe(failed.length > 2);
    const state = await ask(`{ webhookSubscribers { id lastEventId pendingEventId pendingAttempts lastError } }`);
    expect(state.data!.webhookSubscribers).toContainEqual({
      id: subscriber.id,
      lastEventId: ids.at(-1),
      pendingEventId: null,
      pendingAttempts: 0,
      lastError: null,
    });
  }, 60_000);

  it('takes one SQL statement per delivery: the record of the attempt, which claims the next', async () => {
    const receiver = new Receiver();
    receivers.push(receiver);
    await receiver.listen();
    const subscriber = await subscribe(`http://127.0.0.1:${receiver.port}/hooks`, ['NOTE']);
    receiver.secret = subscriber.secret;
    const { worker: idle, stats } = worker();
    // Only this subscriber is counted: the others are paused (their events wait).
    await pool.query(`UPDATE cases.webhook_subscriber SET active = false WHERE id <> $1`, [subscriber.id]);
    await drain(idle);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push(await appendEvent('NOTE'));
    await appendEvent('STATUS_CHANGED', ['ISSUED', 'PLACED']); // not a type it takes: skipped, not sent
    stats.sql = 0;
    await drain(idle);
    expect(receiver.ids()).toEqual(ids);
    // The pass's claim, then one statement per event: its record, which claims the subscriber's next
    // (the last finds none); then the drain's two idle claims.
    expect(stats.sql).toBe(1 + 10 + 2);
  });

  it('dead-letters an event after its attempts and moves on to the next', async () => {
    const receiver = new Receiver();
    receivers.push(receiver);
    await receiver.listen();
    const subscriber = await subscribe(`http://127.0.0.1:${receiver.port}/hooks`, ['REQUIREMENT_WAIVED']);
    receiver.secret = subscriber.secret;
    const { worker: strict } = worker({ WEBHOOK_MAX_ATTEMPTS: '2', WEBHOOK_BACKOFF_BASE_MS: '1', WEBHOOK_BACKOFF_MAX_MS: '1' });
    const first = await appendEvent('REQUIREMENT_WAIVED');
    const second = await appendEvent('REQUIREMENT_WAIVED');
    receiver.failIds.add(first);
    strict.start();
    await until('the second event', async () => (receiver.received.length >= 1 ? true : undefined));
    await strict.stop();
    expect(receiver.ids()).toEqual([second]);
    const dead = await ask(DELIVERIES, { id: subscriber.id, status: 'DEAD_LETTERED' });
    expect(
      dead.data!.webhookDeliveries.edges.map((e: { node: { eventId: string; attempt: number } }) => [e.node.eventId, e.node.attempt]),
    ).toEqual([[first, 2]]);
  });

  it('replays, for an ADMIN, the events dead-lettered since an instant: once each, signed, same ids; asking again queues nothing', async () => {
    const REPLAY = `mutation($id: ID!, $since: DateTime!) {
      replayWebhookDeliveries(subscriberId: $id, since: $since) { queued waiting subscriber { id } } }`;
    const receiver = new Receiver();
    receivers.push(receiver);
    await receiver.listen();
    const subscriber = await subscribe(`http://127.0.0.1:${receiver.port}/hooks`, ['REQUIREMENT_ESCALATED']);
    receiver.secret = subscriber.secret;
    const { worker: strict, stats } = worker({ WEBHOOK_MAX_ATTEMPTS: '1' }, newStats(), { replayPollMs: 0 });
    const since = new Date(Date.now() - 1_000).toISOString();
    // The receiver is down longer than the retries last: both events are dead-lettered.
    receiver.mode = 'fail';
    const dead = [await appendEvent('REQUIREMENT_ESCALATED'), await appendEvent('REQUIREMENT_ESCALATED')];
    await drain(strict);
    expect(receiver.received).toEqual([]);
    receiver.mode = 'ok';
    const later = await appendEvent('REQUIREMENT_ESCALATED');
    await drain(strict);
    expect(receiver.ids()).toEqual([later]);

    expect(codes(await ask(REPLAY, { id: subscriber.id, since }, STAFF))).toEqual(['FORBIDDEN']);
    expect(codes(await ask(REPLAY, { id: 'whk_nobody', since }))).toEqual(['NOT_FOUND']);
    expect(codes(await ask(REPLAY, { id: subscriber.id, since: 'yesterday' }))).toEqual(['BAD_USER_INPUT']);
    // A later instant than the dead letters: nothing to replay.
    const none = await ask(REPLAY, { id: subscriber.id, since: new Date(Date.now() + 60_000).toISOString() });
    expect(none.data!.replayWebhookDeliveries).toEqual({ queued: 0, waiting: 0, subscriber: { id: subscriber.id } });

    const replay = await ask(REPLAY, { id: subscriber.id, since });
    expect(replay.data!.replayWebhookDeliveries).toEqual({ queued: 2, waiting: 2, subscriber: { id: subscriber.id } });
    const again = await ask(REPLAY, { id: subscriber.id, since });
    expect(again.data!.replayWebhookDeliveries).toMatchObject({ queued: 0, waiting: 2 });

    stats.sql = 0;
    await drain(strict);
    // Each dead-lettered event once more, signed (the receiver verified it), with its own id, after the later one.
    expect(receiver.ids()).toEqual([later, ...dead]);
    expect(receiver.received.slice(1).map((r) => r.headers['bga-event-id'])).toEqual(dead);
    // The pass's two claims (cursor and replays), one record per replay, then the drain's idle passes (two claims each).
    expect(stats.sql).toBe(2 + 2 + 2 * 2);
    const delivered = await ask(DELIVERIES, { id: subscriber.id, status: 'DELIVERED' });
    expect(delivered.data!.webhookDeliveries.edges.map((e: { node: { eventId: string } }) => e.node.eventId).sort()).toEqual(
      [later, ...dead].sort(),
    );
    // Delivered since their dead letter: asking again replays nothing, and nothing more is sent.
    const done = await ask(REPLAY, { id: subscriber.id, since });
    expect(done.data!.replayWebhookDeliveries).toMatchObject({ queued: 0, waiting: 0 });
    await drain(strict);
    expect(receiver.received).toHaveLength(3);
  });

  it('keeps one event in flight per subscriber across replicas: two workers, every event once, in order', async () => {
    const receiver = new Receiver();
    receivers.push(receiver);
    await receiver.listen();
    const subscriber = await subscribe(`http://127.0.0.1:${receiver.port}/hooks`, ['REQUIREMENT_FOLLOW_UP']);
    receiver.secret = subscriber.secret;
    const replicas = [worker({ WEBHOOK_POLL_MS: '20' }).worker, worker({ WEBHOOK_POLL_MS: '20' }).worker];
    for (const replica of replicas) replica.start();
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await appendEvent('REQUIREMENT_FOLLOW_UP'));
    await until('twenty events', async () => (receiver.received.length >= 20 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 200)); // time for a duplicate to show, were there one
    for (const replica of replicas) await replica.stop();
    expect(receiver.ids()).toEqual(ids);
    expect(replicas[0].counts.DELIVERED + replicas[1].counts.DELIVERED).toBeGreaterThanOrEqual(20);
    const attempts = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases.webhook_delivery WHERE subscriber_id = $1`, [
      subscriber.id,
    ]);
    expect(attempts.rows[0].n).toBe(20);
  });

  it('serves each subscriber on its own: a slow receiver holds up no other subscriber', async () => {
    const fast = new Receiver();
    const slow = new Receiver();
    receivers.push(fast, slow);
    await fast.listen();
    await slow.listen();
    slow.delayMs = 1_500;
    const a = await subscribe(`http://127.0.0.1:${fast.port}/hooks`, ['CHANGE_REQUESTED']);
    const b = await subscribe(`http://127.0.0.1:${slow.port}/hooks`, ['CHANGE_REQUESTED']);
    fast.secret = a.secret;
    slow.secret = b.secret;
    const { worker: both } = worker({ WEBHOOK_TIMEOUT_MS: '5000' });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await appendEvent('CHANGE_REQUESTED'));
    both.start();
    await until('the fast receiver has every event', async () => (fast.received.length >= 5 ? true : undefined));
    expect(slow.received.length).toBeLessThanOrEqual(1);
    await both.stop();
    expect(fast.ids()).toEqual(ids);
  });

  it('in production, refuses at the socket a subscriber URL on loopback (saved before the policy)', async () => {
    const receiver = new Receiver();
    receivers.push(receiver);
    await receiver.listen();
    const subscriber = await subscribe(`http://localhost:${receiver.port}/hooks`, ['REQUIREMENT_ESCALATED']);
    receiver.secret = subscriber.secret;
    await pool.query(`UPDATE cases.webhook_subscriber SET active = false WHERE id <> $1`, [subscriber.id]);
    const { worker: guarded } = worker({ NODE_ENV: 'production' });
    await appendEvent('REQUIREMENT_ESCALATED');
    await guarded.runOnce();
    expect(receiver.received).toEqual([]);
    const attempts = await ask(DELIVERIES, { id: subscriber.id });
    expect(attempts.data!.webhookDeliveries.edges.map((e: { node: { status: string; error: string } }) => e.node)).toMatchObject([
      { status: 'FAILED', error: 'EADDRNOTALLOWED' },
    ]);
  });

  it('moves an idle cursor past events of types its subscriber does not take, never past one it does', async () => {
    const receiver = new Receiver();
    receivers.push(receiver);
    await receiver.listen();
    const subscriber = await subscribe(`http://127.0.0.1:${receiver.port}/hooks`, ['REQUIREMENT_SENT_TO_VENDOR']);
    receiver.secret = subscriber.secret;
    await pool.query(`UPDATE cases.webhook_subscriber SET active = false WHERE id = $1`, [subscriber.id]);
    const wanted = await appendEvent('REQUIREMENT_SENT_TO_VENDOR');
    const others: string[] = [];
    for (let i = 0; i < 5; i++) others.push(await appendEvent('NOTE'));
    const cursor = async () =>
      (await pool.query<{ id: string }>(`SELECT cursor_id::text AS id FROM cases.webhook_subscriber WHERE id = $1`, [subscriber.id]))
        .rows[0].id;
    const made = new WebhookWorker({ pool, logger, vault, config: readWebhookConfig({ WEBHOOK_POLL_MS: '50' }), fastForwardMs: 0 });
    workers.push(made);
    // Paused with an event it takes waiting: the cursor stays before it.
    await made.runOnce();
    expect(Number(await cursor())).toBeLessThan(Number(wanted));
    await pool.query(`UPDATE cases.webhook_subscriber SET active = true WHERE id = $1`, [subscriber.id]);
    await drain(made);
    expect(receiver.ids()).toEqual([wanted]);
    // Caught up, with only other types after it: an idle pass moves the cursor to the last of them.
    await made.runOnce();
    expect(await cursor()).toBe(others.at(-1));
    const next = await appendEvent('REQUIREMENT_SENT_TO_VENDOR');
    await drain(made);
    expect(receiver.ids()).toEqual([wanted, next]);
  });

  (PGLITE ? it.skip : it)(
    'waits for an event whose transaction commits after a later one, and delivers both in order (PostgreSQL)',
    async () => {
      const receiver = new Receiver();
      receivers.push(receiver);
      await receiver.listen();
      const subscriber = await subscribe(`http://127.0.0.1:${receiver.port}/hooks`, ['REQUIREMENT_RECEIVED']);
      receiver.secret = subscriber.secret;
      const { worker: careful } = worker();
      const slow = await pool.connect();
      try {
        await slow.query('BEGIN');
        const early = (
          await slow.query<{ id: string }>(
            `INSERT INTO cases.case_event (case_id, at, type, actor) VALUES ($1, now(), 'REQUIREMENT_RECEIVED', 'user:test') RETURNING id::text`,
            [caseId],
          )
        ).rows[0].id;
        const late = await appendEvent('REQUIREMENT_RECEIVED'); // a higher id, committed first
        expect(Number(late)).toBeGreaterThan(Number(early));
        await drain(careful);
        expect(receiver.ids()).toEqual([]); // not skipped past the open transaction's event: waited for
        await slow.query('COMMIT');
        await drain(careful);
        expect(receiver.ids()).toEqual([early, late]);
      } finally {
        slow.release();
      }
    },
  );
});
