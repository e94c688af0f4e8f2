/**
 * Subscriptions through the gateway, with graphql-ws's and graphql-sse's own clients against a real
 * stack and a second gateway replica: a change made through one gateway reaches a subscriber of the
 * other (through Redis when REDIS_URL is set; without it both gateways share this process's
 * in-process bus), each event's selection is resolved across subgraphs with the subscriber's
 * identity (an agent never receives another agent's case), a client that reconnects with its last
 * event id loses nothing, and a token that expires ends the subscription with UNAUTHENTICATED.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { RunningGateway } from '../../gateway/gateway';
import { mintDevToken } from '../../gateway/plugins/authentication';
import { DEV_JWT_SECRET } from '../../platform/config';
import { graphql } from '../support/graphql';
import { startGatewayFor } from '../support/scale-out';
import { startStack, type Stack } from '../support/stack';
import { until as waitFor } from '../support/wait';
import { testPool } from '../support/test-pool';

if (!process.env.REDIS_URL) {
  console.log(
    '[test] no REDIS_URL: subscriptions run over the in-process bus (both gateways in this process); with it, over the Redis stream',
  );
}

let stack: Stack;
let gatewayB: RunningGateway;
let pool: pg.Pool;
let staff: string;
const clients: { dispose(): unknown }[] = [];

const wsUrl = (httpUrl: string) => httpUrl.replace(/^http/, 'ws');

function wsClient(token: string): WsClient {
  const client = createWsClient({
    url: wsUrl(stack.url),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  clients.push(client);
  return client;
}

/** Results of one subscription as they arrive, with when each arrived. */
function collect(client: WsClient, query: string, variables: Record<string, unknown> = {}) {
  const results: { at: number; value: any }[] = [];
  const ended: { error?: unknown; done: boolean } = { done: false };
  const dispose = client.subscribe(
    { query, variables },
    {
      next: (value) => void results.push({ at: Date.now(), value }),
      error: (error) => Object.assign(ended, { error, done: true }),
      complete: () => Object.assign(ended, { done: true }),
    },
  );
  return { results, ended, dispose };
}

/** Until `check` holds (the arrival times above are taken by the clients, not by this poll). */
const until = (check: () => boolean, timeoutMs = 5_000) =>
  waitFor('subscription results', async () => (check() ? true : undefined), timeoutMs);

const NOTE = `mutation($caseId: ID!, $note: String!) { addCaseNote(caseId: $caseId, note: $note) { type } }`;
const MOVE = `mutation($id: ID!, $c: CaseStatusChangeInput!) { updateCaseStatus(id: $id, change: $c) { status } }`;

/** A leaf agent (no downline) with an open case, and an open case of another agent that the leaf may not see. */
async function twoBranches() {
  const { rows } = await pool.query<{ id: string; agentId: string }>(
    `SELECT c.id, c.agent_id AS "agentId" FROM cases."case" c
      WHERE c.closed_at IS NULL AND NOT EXISTS (SELECT 1 FROM agents.agent d WHERE d.upline_id = c.agent_id)
      ORDER BY c.id LIMIT 50`,
  );
  const mine = rows[0];
  const agent = await stack.agentToken(mine.agentId);
  for (const other of rows.filter((r) => r.agentId !== mine.agentId)) {
    const seen = await graphql(stack.url, `query($id: ID!) { case(id: $id) { id } }`, { id: other.id }, { token: agent });
    if (seen.data?.case === null) return { mine, other, agent };
  }
  throw new Error('no case of another branch found');
}

beforeAll(async () => {
  stack = await startStack({ env: { CASE_EVENT_RELAY_INTERVAL_MS: '50' } });
  gatewayB = await startGatewayFor(stack, { env: { CASE_EVENT_RELAY_INTERVAL_MS: '50' } });
  pool = testPool(1);
  staff = await stack.token('STAFF');
}, 60_000);

afterAll(async () => {
  for (const client of clients) await client.dispose();
  await gatewayB?.stop();
  await stack?.stop();
  await pool?.end();
});

describe('subscriptions over graphql-ws', () => {
  test("an agent's subscription receives their case's status change made through the other replica within 1 s, across subgraphs, and never another branch's case", async () => {
    const { mine, other, agent } = await twoBranches();
    const client = wsClient(agent);
    const one = collect(client, `subscription($id: ID) { caseUpdated(caseId: $id) { id status agent { id lastName } carrier { name } } }`, {
      id: mine.id,
    });
    const all = collect(client, `subscription { updated: caseUpdated { id ...S } } fragment S on Case { status }`);
    await new Promise((r) => setTimeout(r, 300)); // both subscribed
    const allowed = await graphql(
      gatewayB.url,
      `query($id: ID!) { case(id: $id) { allowedNextStatuses } }`,
      { id: mine.id },
      { token: staff },
    );
    const next = allowed.data!.case.allowedNextStatuses[0] as string;
    // Another branch's case changes first, through the other gateway, then the agent's own.
    expect((await graphql(gatewayB.url, NOTE, { caseId: other.id, note: 'not for this agent' }, { token: staff })).errors).toBeUndefined();
    const moved = await graphql(gatewayB.url, MOVE, { id: mine.id, c: { status: next, note: 'subscription test' } }, { token: staff });
    expect(moved.errors).toBeUndefined();
    const changedAt = Date.now();
    await until(() => one.results.length >= 1 && all.results.length >= 1);
    const event = one.results[0];
    expect(event.at - changedAt).toBeLessThanOrEqual(1_000);
    expect(event.value.errors).toBeUndefined();
    expect(event.value.data.caseUpdated).toMatchObject({ id: mine.id, status: next, agent: { id: mine.agentId } });
    expect(typeof event.value.data.caseUpdated.agent.lastName).toBe('string');
    expect(typeof event.value.data.caseUpdated.carrier.name).toBe('string');
    expect(event.value.extensions.eventId).toMatch(/^\d+-\d+$/); // its position: <transaction>-<case event id>
    // Aliases and fragments come back as asked.
    expect(all.results[0].value.data.updated).toEqual({ id: mine.id, status: next });
    await new Promise((r) => setTimeout(r, 500));
    expect(all.results.map((r) => r.value.data.updated.id)).toEqual([mine.id]);
    one.dispose();
    all.dispose();
  });

  test('requirementUpdated and caseEvents (with a filter) resolve the requirement and the event', async () => {
    const { mine } = await twoBranches();
    const client = wsClient(staff);
    const requirements = collect(client, `subscription($id: ID) { requirementUpdated(caseId: $id) { id code status case { id } } }`, {
      id: mine.id,
    });
    const events = collect(
      client,
      `subscription($f: CaseFilter) { caseEvents(filter: $f) { eventId caseId event { type note } case { id caseNumber } } }`,
      { f: { agentIds: [mine.agentId] } },
    );
    const elsewhere = collect(client, `subscription { caseEvents(filter: { agentIds: ["nobody"] }) { eventId } }`);
    await new Promise((r) => setTimeout(r, 300));
    const ordered = await graphql(
      stack.url,
      `mutation($caseId: ID!) { orderRequirement(caseId: $caseId, code: DELIVERY_RECEIPT, idempotencyKey: "${randomUUID()}") { id } }`,
      { caseId: mine.id },
      { token: staff },
    );
    expect(ordered.errors).toBeUndefined();
    await until(() => requirements.results.length >= 1);
    expect(requirements.results[0].value.data.requirementUpdated).toEqual({
      id: ordered.data!.orderRequirement.id,
      code: 'DELIVERY_RECEIPT',
      status: 'ORDERED',
      case: { id: mine.id },
    });
    await until(() => events.results.length >= 1);
    const notice = events.results[0].value.data.caseEvents;
    expect(notice).toMatchObject({ caseId: mine.id, case: { id: mine.id } });
    expect(notice.eventId).toBe(events.results[0].value.extensions.eventId);
    expect(elsewhere.results).toEqual([]);
    requirements.dispose();
    events.dispose();
    elsewhere.dispose();
  });

  test('a token that expires ends the subscription with UNAUTHENTICATED', async () => {
    const shortLived = await mintDevToken(DEV_JWT_SECRET, { sub: 'user:test-staff-short', role: 'STAFF' }, 2);
    const sub = collect(wsClient(shortLived), `subscription { caseUpdated { id } }`);
    await until(() => sub.ended.done || sub.results.length > 0, 5_000);
    const last = sub.results.at(-1)?.value;
    expect(last.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    await until(() => sub.ended.done, 2_000);
  });

  test('queries over the WebSocket are refused: only subscriptions are served there', async () => {
    const sub = collect(wsClient(staff), `{ carriers { id } }`);
    await until(() => sub.results.length > 0 || sub.ended.done);
    expect(sub.results[0].value.errors[0].extensions.code).toBe('BAD_REQUEST');
  });
});

test('a subscriber whose events pile up past SUBSCRIPTION_QUEUE_MAX is dropped with LIMIT_EXCEEDED; a connection with no subscription is closed when idle', async () => {
  const strict = await startGatewayFor(stack, {
    env: { SUBSCRIPTION_QUEUE_MAX: '5', SUBSCRIPTION_IDLE_TIMEOUT_MS: '1000', CASE_EVENT_RELAY_INTERVAL_MS: '50' },
  });
  try {
    const { mine } = await twoBranches();
    const client = createWsClient({
      url: wsUrl(strict.url),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${staff}` },
      retryAttempts: 0,
    });
    clients.push(client);
    const flooded = collect(client, `subscription($id: ID) { caseUpdated(caseId: $id) { id status } }`, { id: mine.id });
    await new Promise((r) => setTimeout(r, 300));
    // A burst of 40 events for the case arrives at once (appended as the write paths append them):
    // each needs its query, so more than five wait, and the subscriber is dropped.
    await pool.query(
      `INSERT INTO cases.case_event (case_id, at, type, actor, note) SELECT $1, now(), 'NOTE', 'user:test', 'burst ' || n FROM generate_series(1, 40) n`,
      [mine.id],
    );
    await until(() => flooded.ended.done, 5_000);
    const last = flooded.results.at(-1)!.value;
    expect(last.errors[0].extensions.code).toBe('LIMIT_EXCEEDED');
    expect(flooded.results.length).toBeLessThan(40);
    const text = await (await fetch(strict.url.replace('/graphql', '/metrics'))).text();
    expect(text).toMatch(/bga_gateway_subscriptions_ended_total\{reason="slow"\} 1/);
    // A connection that holds no subscription is closed once idle for SUBSCRIPTION_IDLE_TIMEOUT_MS.
    const idle = createWsClient({
      url: wsUrl(strict.url),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${staff}` },
      lazy: false,
      retryAttempts: 0,
      onNonLazyError: () => {},
    });
    clients.push(idle);
    const closed = new Promise<number>((resolve) => idle.on('closed', (event) => resolve((event as { code: number }).code)));
    expect(await closed).toBe(4408);
  } finally {
    await strict.stop();
  }
});

describe('subscriptions over graphql-sse', () => {
  test('a client that reconnects with Last-Event-ID receives every event it missed, in order', async () => {
    const { mine } = await twoBranches();
    const subscription = `subscription { caseEvents { eventId caseId event { note } } }`;
    const first = createSseClient({ url: stack.url, headers: { authorization: `Bearer ${staff}` }, retryAttempts: 0 });
    clients.push(first);
    const seen: any[] = [];
    const iterator = first.iterate({ query: subscription })[Symbol.asyncIterator]();
    await new Promise((r) => setTimeout(r, 300));
    await graphql(stack.url, NOTE, { caseId: mine.id, note: 'sse one' }, { token: staff });
    seen.push((await iterator.next()).value);
    expect(seen[0].data.caseEvents.event.note).toBe('sse one');
    const lastEventId = seen[0].extensions.eventId as string;
    await iterator.return?.();
    // While disconnected: two more events, through the other gateway.
    await graphql(gatewayB.url, NOTE, { caseId: mine.id, note: 'sse two' }, { token: staff });
    await graphql(gatewayB.url, NOTE, { caseId: mine.id, note: 'sse three' }, { token: staff });
    await new Promise((r) => setTimeout(r, 300)); // relayed and kept
    const again = createSseClient({
      url: gatewayB.url,
      headers: { authorization: `Bearer ${staff}`, 'last-event-id': lastEventId },
      retryAttempts: 0,
    });
    clients.push(again);
    const resumed = again.iterate({ query: subscription })[Symbol.asyncIterator]();
    const a = (await resumed.next()).value;
    const b = (await resumed.next()).value;
    expect([a.data.caseEvents.event.note, b.data.caseEvents.event.note]).toEqual(['sse two', 'sse three']);
    // Positions increase in delivery order: <transaction>-<id>, compared as pairs.
    const position = (text: string) => text.split('-').map(BigInt) as [bigint, bigint];
    const later = (x: string, y: string) =>
      position(x)[0] > position(y)[0] || (position(x)[0] === position(y)[0] && position(x)[1] > position(y)[1]);
    expect(later(a.extensions.eventId, lastEventId)).toBe(true);
    expect(later(b.extensions.eventId, a.extensions.eventId)).toBe(true);
    await resumed.return?.();
  });

  test('a subscription sent as a plain POST is refused (400 BAD_REQUEST), and introspection shows the Subscription root', async () => {
    const plain = await graphql(stack.url, 'subscription { caseUpdated { id } }', {}, { token: staff });
    expect([plain.status, plain.errors?.[0].extensions?.code]).toEqual([400, 'BAD_REQUEST']);
    const root = await graphql(stack.url, '{ __schema { subscriptionType { fields { name } } } }', {}, { token: staff });
    expect(root.data!.__schema.subscriptionType.fields.map((f: { name: string }) => f.name)).toEqual([
      'caseUpdated',
      'caseEvents',
      'requirementUpdated',
      'quoteComparison',
    ]);
  });

  test('an SSE subscription without valid credentials is refused with 401', async () => {
    const response = await fetch(stack.url, {
      method: 'POST',
      headers: { accept: 'text/event-stream', 'content-type': 'application/json', authorization: 'Bearer a.b.c' },
      body: JSON.stringify({ query: 'subscription { caseUpdated { id } }' }),
    });
    expect(response.status).toBe(401);
    expect((await response.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});

test('open subscriptions and delivered events are counted in /metrics', async () => {
  const text = await (await fetch(stack.url.replace('/graphql', '/metrics'))).text();
  expect(text).toMatch(/bga_gateway_subscription_events_delivered_total\{field="caseUpdated"\} [1-9]/);
  expect(text).toContain('bga_gateway_subscriptions_open');
});
