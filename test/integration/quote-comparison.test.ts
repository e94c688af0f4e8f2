/**
 * quoteComparison through the gateway, with graphql-ws's and graphql-sse's own clients against a
 * real stack and the carrier simulators: one event per carrier as it answers, then done; a carrier
 * delayed past its deadline leaves the others' events arriving before that deadline and ends as its
 * TIMEOUT outcome; exactly the carriers compareQuotes asks, each called once; an agent's token
 * works; bad input gets compareQuotes's own coded errors.
 */
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import type pg from 'pg';
import { CARRIERS, carrierById } from '../../subgraphs/carriers/fixtures/carriers.fixture';
import { codes, graphql } from '../support/graphql';
import { startStack, type Stack } from '../support/stack';
import { testPool } from '../support/test-pool';
import { until } from '../support/wait';

/** The carrier deadline: long enough for a loaded 2-core CI machine's warm comparison, short enough to wait for. */
const CARRIER_DEADLINE_MS = 2_000;

let stack: Stack;
let staff: string;
let pool: pg.Pool;
const clients: { dispose(): unknown }[] = [];

const BASE = {
  state: 'TX',
  birthDate: '1990-03-10',
  gender: 'MALE',
  tobacco: false,
  healthClass: 'PREFERRED',
  termYears: 20,
  asOf: '2025-11-24',
};

const SUBSCRIPTION = `subscription($i: QuoteInput!) { quoteComparison(input: $i) {
  carrier { id name } outcome { carrier { id } status message cached quoteCount }
  quotes { carrier { id } product { id code } annualPremium modalPremium } done carriersAnswered carriersAsked } }`;
const COMPARE = `query($i: QuoteInput!) { compareQuotes(input: $i) {
  quotes { carrier { id } product { id code } annualPremium modalPremium } outcomes { carrier { id } status } } }`;

function wsClient(token: string): WsClient {
  const client = createWsClient({
    url: stack.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  clients.push(client);
  return client;
}

interface Collected {
  results: { at: number; value: any }[];
  ended: { error?: unknown; done: boolean; at?: number };
  started: number;
}

/** Every result of one subscription with when it arrived (taken by the client's callback). */
function collectWs(client: WsClient, query: string, variables: Record<string, unknown>): Collected {
  const collected: Collected = { results: [], ended: { done: false }, started: Date.now() };
  client.subscribe(
    { query, variables },
    {
      next: (value) => void collected.results.push({ at: Date.now(), value }),
      error: (error) => Object.assign(collected.ended, { error, done: true, at: Date.now() }),
      complete: () => Object.assign(collected.ended, { done: true, at: Date.now() }),
    },
  );
  return collected;
}

function collectSse(token: string, query: string, variables: Record<string, unknown>): Collected {
  const client = createSseClient({ url: stack.url, headers: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
  clients.push(client);
  const collected: Collected = { results: [], ended: { done: false }, started: Date.now() };
  client.subscribe(
    { query, variables },
    {
      next: (value) => void collected.results.push({ at: Date.now(), value }),
      error: (error) => Object.assign(collected.ended, { error, done: true, at: Date.now() }),
      complete: () => Object.assign(collected.ended, { done: true, at: Date.now() }),
    },
  );
  return collected;
}

const ended = (collected: Collected, timeoutMs = 10_000) =>
  until('the subscription to complete', async () => (collected.ended.done ? true : undefined), timeoutMs);

const quoteCalls = () => Object.fromEntries(CARRIERS.map((c) => [c.code, stack.simulators.control.counts(c.code).quote]));

beforeAll(async () => {
  stack = await startStack({
    env: {
      CARRIER_TIMEOUT_MS: String(CARRIER_DEADLINE_MS),
      COMPARE_TIMEOUT_MS: String(CARRIER_DEADLINE_MS + 1_000),
      // One try per carrier: the call counts below are exact.
      CARRIER_RETRIES: '0',
    },
  });
  staff = await stack.token('STAFF');
  pool = testPool(1);
  // Warm: OAuth tokens and first connections, so the measured comparisons are warm ones.
  const warm = await graphql(stack.url, COMPARE, { i: { ...BASE, faceAmount: 100_000 } }, { token: staff });
  expect(warm.errors).toBeUndefined();
}, 60_000);

afterAll(async () => {
  for (const client of clients) await client.dispose();
  await stack?.stop();
  await pool?.end();
});

afterEach(() => {
  stack.simulators.control.clearFaults();
  stack.simulators.control.setLatency('*', { fixedMs: 0 });
});

describe('quoteComparison over graphql-ws', () => {
  test("a slow carrier: the fast carriers' events arrive before its deadline, it ends as TIMEOUT, completion comes last, each carrier called once", async () => {
    const slow = CARRIERS.find((c) => c.protocol === 'ACORD')!;
    stack.simulators.control.setLatency(slow.code, { fixedMs: CARRIER_DEADLINE_MS + 1_500 });
    const before = quoteCalls();
    const input = { ...BASE, faceAmount: 610_000 };
    const sub = collectWs(wsClient(staff), SUBSCRIPTION, { i: input });
    await ended(sub);
    expect(sub.ended.error).toBeUndefined();
    const events = sub.results.map((r) => r.value);
    for (const event of events) expect(event.errors).toBeUndefined();
    // One event per carrier, then the completion, last.
    expect(events).toHaveLength(CARRIERS.length + 1);
    const last = events.at(-1).data.quoteComparison;
    expect(last).toEqual({
      carrier: null,
      outcome: null,
      quotes: [],
      done: true,
      carriersAnswered: CARRIERS.length,
      carriersAsked: CARRIERS.length,
    });
    const carrierEvents = sub.results.slice(0, -1).map((r) => ({ at: r.at, event: r.value.data.quoteComparison }));
    expect(carrierEvents.map((e) => e.event.done)).toEqual(Array(CARRIERS.length).fill(false));
    expect(carrierEvents.map((e) => e.event.carriersAnswered)).toEqual(CARRIERS.map((_, i) => i + 1));
    expect(new Set(carrierEvents.map((e) => e.event.carrier.id))).toEqual(new Set(CARRIERS.map((c) => c.id)));
    const slowEvent = carrierEvents.find((e) => e.event.carrier.id === slow.id)!;
    const fast = carrierEvents.filter((e) => e !== slowEvent);
    // The fast carriers' quotes reach the client before the slow carrier's deadline passes, and before its event.
    for (const e of fast) {
      expect(e.at - sub.started).toBeLessThan(CARRIER_DEADLINE_MS);
      expect(e.at).toBeLessThanOrEqual(slowEvent.at);
      expect(e.event.outcome.status).toBe('OK');
      expect(e.event.outcome.carrier.id).toBe(e.event.carrier.id);
      expect(e.event.outcome.quoteCount).toBe(e.event.quotes.length);
      expect(e.event.quotes.every((q: { carrier: { id: string } }) => q.carrier.id === e.event.carrier.id)).toBe(true);
    }
    expect(slowEvent.event.outcome.status).toBe('TIMEOUT');
    expect(slowEvent.event.quotes).toEqual([]);
    expect(slowEvent.at - sub.started).toBeGreaterThanOrEqual(CARRIER_DEADLINE_MS - 50);
    expect(sub.ended.at!).toBeGreaterThanOrEqual(sub.results.at(-1)!.at);
    // Counts: one quote call per carrier that is called by network (rate-book carriers price from the book they hold).
    const after = quoteCalls();
    for (const carrier of CARRIERS) {
      const calls = after[carrier.code] - before[carrier.code];
      if (carrier.protocol === 'RATEBOOK') expect([carrier.code, calls <= 1]).toEqual([carrier.code, true]);
      else expect([carrier.code, calls]).toEqual([carrier.code, 1]);
    }
    // The fast carriers' quotes are compareQuotes's for the same input (now from the cache: no carrier call).
    const compared = await graphql(stack.url, COMPARE, { i: input }, { token: staff });
    expect(compared.errors).toBeUndefined();
    const streamed = fast.flatMap((e) => e.event.quotes);
    const fromCompare = compared.data!.compareQuotes.quotes.filter((q: { carrier: { id: string } }) => q.carrier.id !== slow.id);
    const byProduct = (quotes: { product: { id: string } }[]) => [...quotes].sort((a, b) => a.product.id.localeCompare(b.product.id));
    expect(byProduct(streamed)).toEqual(byProduct(fromCompare));
  }, 30_000);

  test('exactly the carriers compareQuotes asks (minAmBestRating, carrierIds), with aliases and fragments kept', async () => {
    const input = { ...BASE, faceAmount: 620_000, minAmBestRating: 'A_PLUS' };
    const compared = await graphql(stack.url, COMPARE, { i: input }, { token: staff });
    expect(compared.errors).toBeUndefined();
    const asked = compared.data!.compareQuotes.outcomes.map((o: { carrier: { id: string } }) => o.carrier.id);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.length).toBeLessThan(CARRIERS.length);
    const sub = collectWs(
      wsClient(staff),
      `subscription Live($i: QuoteInput!, $withQuotes: Boolean!) { live: quoteComparison(input: $i) { ...E } }
       fragment E on QuoteComparisonEvent { who: carrier { id } how: outcome { status } quotes @include(if: $withQuotes) { modalPremium } finished: done n: carriersAsked }`,
      { i: input, withQuotes: false },
    );
    await ended(sub);
    const events = sub.results.map((r) => r.value);
    expect(events.every((e) => e.errors === undefined)).toBe(true);
    expect(events).toHaveLength(asked.length + 1);
    expect(new Set(events.slice(0, -1).map((e) => e.data.live.who.id))).toEqual(new Set(asked));
    expect(events[0].data.live).toEqual({ who: { id: expect.any(String) }, how: { status: 'OK' }, finished: false, n: asked.length });
    expect(events.at(-1).data.live).toEqual({ who: null, how: null, finished: true, n: asked.length });
    // Two carriers named: those two only.
    const two = CARRIERS.slice(0, 2).map((c) => c.id);
    const named = collectWs(wsClient(staff), SUBSCRIPTION, { i: { ...input, minAmBestRating: null, carrierIds: two } });
    await ended(named);
    expect(named.results.at(-1)!.value.data.quoteComparison.carriersAsked).toBe(2);
    expect(new Set(named.results.slice(0, -1).map((r) => r.value.data.quoteComparison.carrier.id))).toEqual(new Set(two));
  }, 30_000);

  test("bad input gets compareQuotes's own coded errors, and no carrier is called", async () => {
    const before = quoteCalls();
    for (const bad of [
      { ...BASE, faceAmount: -5 },
      { ...BASE, faceAmount: 500_000, termYears: 17 },
      { ...BASE, faceAmount: 500_000, carrierIds: ['car_nosuchcarrier'] },
    ]) {
      const compared = await graphql(stack.url, COMPARE, { i: bad }, { token: staff });
      expect(codes(compared)).toEqual(['BAD_USER_INPUT']);
      const sub = collectWs(wsClient(staff), SUBSCRIPTION, { i: bad });
      await ended(sub);
      expect(sub.results).toHaveLength(1);
      const refused = sub.results[0].value;
      expect(refused.data ?? null).toBeNull();
      expect(refused.errors.map((e: { message: string; extensions: { code: string } }) => [e.extensions.code, e.message])).toEqual(
        compared.errors!.map((e) => [e.extensions?.code, e.message]),
      );
    }
    // A shape the schema refuses (a missing required field) is coded too, without echoing the value.
    const { birthDate: _b, ...missing } = { ...BASE, faceAmount: 500_000 };
    const shape = collectWs(wsClient(staff), SUBSCRIPTION, { i: missing });
    await ended(shape);
    const shapeErrors = shape.results.flatMap((r) => r.value.errors ?? []);
    expect(shapeErrors.map((e: { message: string; extensions: { code: string } }) => [e.extensions.code, e.message])).toEqual([
      ['BAD_USER_INPUT', 'Variable "$i" got an invalid value: Field "birthDate" of required type "Date!" was not provided.'],
    ]);
    expect(quoteCalls()).toEqual(before);
  }, 30_000);
});

describe('the carriers subgraph queries quoteComparison runs', () => {
  test('compareQuotesAt: an issue age only this carrier does not take is its outcome, as in the whole comparison; a carrier outside the set is BAD_USER_INPUT', async () => {
    const products = await graphql(stack.url, `{ products(filter: { type: TERM }) { carrier { id } maxIssueAge } }`, {}, { token: staff });
    const maxOf = new Map<string, number>();
    for (const p of products.data!.products as { carrier: { id: string }; maxIssueAge: number }[])
      maxOf.set(p.carrier.id, Math.max(maxOf.get(p.carrier.id) ?? 0, p.maxIssueAge));
    const [young, youngest] = [...maxOf].sort((a, b) => a[1] - b[1])[0];
    expect(Math.max(...maxOf.values())).toBeGreaterThan(youngest + 1);
    // Issue age youngest + 1 on either age basis: born three months past that many years before asOf.
    const birthYear = 2025 - (youngest + 1);
    const input = { ...BASE, birthDate: `${birthYear}-08-24`, faceAmount: 250_000, termYears: 10 };
    const whole = await graphql(stack.url, COMPARE, { i: input }, { token: staff });
    expect(whole.errors).toBeUndefined();
    const expected = whole.data!.compareQuotes.outcomes.find((o: { carrier: { id: string } }) => o.carrier.id === young);
    expect(expected.status).toBe('NO_ELIGIBLE_PRODUCT');
    // compareQuotes asked of that carrier alone refuses the age as input...
    expect(codes(await graphql(stack.url, COMPARE, { i: { ...input, carrierIds: [young] } }, { token: staff }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    // ...its part of the whole comparison answers the outcome the whole comparison gives.
    const AT = `query($i: QuoteInput!, $c: ID!) { compareQuotesAt(input: $i, carrierId: $c) { quotes { product { id } } outcomes { carrier { id } status } } }`;
    const part = await graphql(stack.url, AT, { i: input, c: young }, { token: staff });
    expect(part.errors).toBeUndefined();
    expect(part.data!.compareQuotesAt).toEqual({ quotes: [], outcomes: [expected] });
    const outside = await graphql(
      stack.url,
      AT,
      { i: { ...input, carrierIds: CARRIERS.filter((c) => c.id !== young).map((c) => c.id) }, c: young },
      { token: staff },
    );
    expect(codes(outside)).toEqual(['BAD_USER_INPUT']);
    // quoteCarriers: the carriers compareQuotes asks, by name, no carrier called.
    const before = quoteCalls();
    const listed = await graphql(
      stack.url,
      `query($i: QuoteInput!) { quoteCarriers(input: $i) { id } }`,
      { i: { ...input, minAmBestRating: 'A' } },
      { token: staff },
    );
    const compared = await graphql(stack.url, COMPARE, { i: { ...input, minAmBestRating: 'A' } }, { token: staff });
    expect(listed.data!.quoteCarriers.map((c: { id: string }) => c.id)).toEqual(
      compared.data!.compareQuotes.outcomes.map((o: { carrier: { id: string } }) => o.carrier.id),
    );
    expect(
      codes(
        await graphql(
          stack.url,
          `query($i: QuoteInput!) { quoteCarriers(input: $i) { id } }`,
          { i: { ...input, faceAmount: 0 } },
          { token: staff },
        ),
      ),
    ).toEqual(['BAD_USER_INPUT']);
    expect(quoteCalls()).toEqual(before);
  }, 30_000);
});

describe('quoteComparison over graphql-sse', () => {
  test("an agent's token works: every carrier's event, then done, then complete", async () => {
    const { rows } = await pool.query<{ id: string }>(`SELECT id FROM agents.agent ORDER BY id LIMIT 1`);
    const agent = await stack.agentToken(rows[0].id);
    const sub = collectSse(agent, SUBSCRIPTION, { i: { ...BASE, faceAmount: 630_000 } });
    await ended(sub);
    expect(sub.ended.error).toBeUndefined();
    const events = sub.results.map((r) => r.value);
    expect(events.every((e) => e.errors === undefined)).toBe(true);
    expect(events).toHaveLength(CARRIERS.length + 1);
    expect(events.slice(0, -1).every((e) => e.data.quoteComparison.outcome.status === 'OK')).toBe(true);
    expect(events.slice(0, -1).every((e) => carrierById(e.data.quoteComparison.carrier.id) !== undefined)).toBe(true);
    expect(events.at(-1).data.quoteComparison).toMatchObject({ done: true, carriersAnswered: CARRIERS.length });
  }, 30_000);

  test('bad input is coded over SSE too', async () => {
    const sub = collectSse(staff, SUBSCRIPTION, { i: { ...BASE, faceAmount: -5 } });
    await ended(sub);
    const errors = [...sub.results.flatMap((r) => r.value.errors ?? []), ...((sub.ended.error as any)?.errors ?? [])];
    expect(errors.map((e: { extensions?: { code?: string } }) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  }, 30_000);
});
