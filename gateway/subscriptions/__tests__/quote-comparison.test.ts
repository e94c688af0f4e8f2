import { buildSchema, type ExecutionResult, parse } from 'graphql';
import { Registry } from 'prom-client';
import { MemoryCaseEventBus } from '../../../platform/case-event-bus';
import { createLogger } from '../../../platform/logger';
import type { SubscriptionConfig } from '../config';
import { SubscriptionHub, SubscriptionMetrics } from '../hub';
import { planQuoteComparison } from '../quote-comparison';
import { subscriptionSchema } from '../schema';

/** The few public types quoteComparison needs, as the supergraph's API schema has them. */
const schema = subscriptionSchema(
  buildSchema(`
  type Query { compareQuotesAt(input: QuoteInput!, carrierId: ID!): QuoteComparison! quoteCarriers(input: QuoteInput!): [Carrier!]! }
  type QuoteComparison { quotes: [Quote!]! outcomes: [CarrierOutcome!]! }
  type Carrier { id: ID! name: String! }
  type Quote { premium: String! carrier: Carrier! }
  type CarrierOutcome { status: String! carrier: Carrier! }
  type Case { id: ID! requirements: [Requirement!]! }
  type Requirement { id: ID! }
  type CaseEvent { at: String! }
  input CaseFilter { open: Boolean }
  input QuoteInput { faceAmount: Int! asOf: String birthDate: String! }
`),
);
const config: SubscriptionConfig = {
  perConnection: 5,
  perClient: 2,
  idleTimeoutMs: 60_000,
  queueMax: 3,
  keepAliveMs: 12_000,
  streamMax: 1_000,
};
const STAFF = { sub: 'user:staff', role: 'STAFF' as const };
const SUBSCRIPTION = `subscription($i: QuoteInput!) { q: quoteComparison(input: $i) { ...E } }
  fragment E on QuoteComparisonEvent { c: carrier { id } outcome { status } quotes { premium } done carriersAnswered carriersAsked }`;

/** A fake federated path: each carrier answers after its own delay (ms), in the shape the plan's query asks. */
function setup(delays: Record<string, number>) {
  const queries: { query: string; variables: Record<string, unknown>; at: number }[] = [];
  const started = Date.now();
  const run = async (query: string, variables: Record<string, unknown>): Promise<ExecutionResult> => {
    queries.push({ query, variables, at: Date.now() - started });
    const input = variables.bgaQuoteInput as { faceAmount: number };
    if (query.includes('quoteCarriers')) {
      if (input.faceAmount <= 0)
        return {
          errors: [{ message: 'faceAmount must be a positive whole number of dollars', extensions: { code: 'BAD_USER_INPUT' } }] as never,
        };
      return { data: { quoteCarriers: Object.keys(delays).map((id) => ({ id })) } };
    }
    const id = variables.bgaCarrierId as string;
    await new Promise((r) => setTimeout(r, delays[id]));
    const outcome = { status: delays[id] > 100 ? 'TIMEOUT' : 'OK', carrier: { id } };
    const quotes = outcome.status === 'OK' ? [{ premium: `${delays[id]}.00` }] : [];
    return { data: { bgaPart: { bgaOutcome: [outcome], outcome: [outcome], c: [outcome], quotes } } };
  };
  const registry = new Registry();
  const hub = new SubscriptionHub({
    bus: new MemoryCaseEventBus(10),
    run,
    config,
    metrics: new SubscriptionMetrics(registry),
    logger: createLogger('test', 'silent'),
  });
  const subscribe = (variables: Record<string, unknown>, sub = STAFF.sub) =>
    hub.subscribe({ schema, document: parse(SUBSCRIPTION), variableValues: variables, identity: { ...STAFF, sub }, transport: 'sse' });
  const metric = async (name: string) => (await registry.getSingleMetric(name)?.get())?.values ?? [];
  return { hub, queries, subscribe, metric };
}

const drain = async (events: AsyncIterableIterator<ExecutionResult>) => {
  const all: ExecutionResult[] = [];
  for await (const result of events) all.push(result);
  return all;
};

test('one event per carrier in the order they answer, each shaped into the selection, then done; every carrier asked at once', async () => {
  const { queries, subscribe, hub, metric } = setup({ car_slow: 150, car_fast: 5, car_mid: 40 });
  const events = (await subscribe({ i: { faceAmount: 500_000, birthDate: '1990-03-10' } })) as AsyncIterableIterator<ExecutionResult>;
  expect(hub.size).toBe(1);
  const all = await drain(events);
  expect(all.map((r) => r.data?.q)).toEqual([
    { c: { id: 'car_fast' }, outcome: { status: 'OK' }, quotes: [{ premium: '5.00' }], done: false, carriersAnswered: 1, carriersAsked: 3 },
    { c: { id: 'car_mid' }, outcome: { status: 'OK' }, quotes: [{ premium: '40.00' }], done: false, carriersAnswered: 2, carriersAsked: 3 },
    { c: { id: 'car_slow' }, outcome: { status: 'TIMEOUT' }, quotes: [], done: false, carriersAnswered: 3, carriersAsked: 3 },
    { c: null, outcome: null, quotes: [], done: true, carriersAnswered: 3, carriersAsked: 3 },
  ]);
  // One query for the carriers, then one per carrier, all started together.
  expect(queries).toHaveLength(4);
  expect(queries[0].query).toContain('quoteCarriers(input: $bgaQuoteInput)');
  const parts = queries.slice(1);
  expect(parts.map((q) => q.variables.bgaCarrierId).sort()).toEqual(['car_fast', 'car_mid', 'car_slow']);
  expect(Math.max(...parts.map((q) => q.at)) - Math.min(...parts.map((q) => q.at))).toBeLessThan(20);
  expect(parts[0].query).toContain('bgaPart: compareQuotesAt(input: $bgaQuoteInput, carrierId: $bgaCarrierId)');
  expect(hub.size).toBe(0);
  expect(await metric('bga_gateway_subscription_events_delivered_total')).toEqual([
    expect.objectContaining({ labels: { field: 'quoteComparison' }, value: 4 }),
  ]);
  expect((await metric('bga_gateway_subscriptions_open')).every((v) => v.value === 0)).toBe(true);
});

test('bad input: the carriers query errors are the refusal, coded; no carrier query runs', async () => {
  const { queries, subscribe } = setup({ car_a: 1 });
  const refused = (await subscribe({ i: { faceAmount: -5, birthDate: '1990-03-10' } })) as ExecutionResult;
  expect(refused.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([
    ['faceAmount must be a positive whole number of dollars', 'BAD_USER_INPUT'],
  ]);
  expect(queries).toHaveLength(1);
  // A shape the schema refuses: BAD_USER_INPUT, the value not echoed.
  const shape = (await subscribe({ i: { faceAmount: 5, birthDate: 19900310 } })) as ExecutionResult;
  expect(shape.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  expect(shape.errors?.[0].message).toBe('Variable "$i" got an invalid value at "i.birthDate"');
  const missing = (await subscribe({ i: { faceAmount: 5 } })) as ExecutionResult;
  expect(missing.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([
    ['Variable "$i" got an invalid value: Field "birthDate" of required type "String!" was not provided.', 'BAD_USER_INPUT'],
  ]);
  expect(queries).toHaveLength(1);
});

test('the per-client limit counts a running comparison; closing it early frees its place', async () => {
  const { subscribe } = setup({ car_a: 200 });
  const input = { i: { faceAmount: 1, birthDate: '1990-03-10' } };
  const a = (await subscribe(input)) as AsyncIterableIterator<ExecutionResult>;
  await subscribe(input);
  expect(((await subscribe(input)) as ExecutionResult).errors?.[0].extensions?.code).toBe('LIMIT_EXCEEDED');
  await a.return?.();
  expect(Symbol.asyncIterator in (await subscribe(input))).toBe(true);
});

test('asOf is pinned to one day for every carrier when omitted; the input is only ever a variable', () => {
  const plan = planQuoteComparison(schema, parse(SUBSCRIPTION), undefined, { i: { faceAmount: 1, birthDate: '1990-03-10' } }, '2026-12-07');
  expect(plan.variables.bgaQuoteInput).toEqual({ faceAmount: 1, birthDate: '1990-03-10', asOf: '2026-12-07' });
  expect(plan.carrierQuery).not.toContain('1990-03-10');
  expect(plan.carriersQuery).not.toContain('1990-03-10');
  const given = planQuoteComparison(schema, parse(SUBSCRIPTION), undefined, {
    i: { faceAmount: 1, birthDate: '1990-03-10', asOf: '2025-01-02' },
  });
  expect((given.variables.bgaQuoteInput as { asOf: string }).asOf).toBe('2025-01-02');
});

test('a drain ends a running comparison with SERVICE_UNAVAILABLE and frees its place', async () => {
  const { hub, subscribe } = setup({ car_a: 5, car_b: 300 });
  const events = (await subscribe({ i: { faceAmount: 1, birthDate: '1990-03-10' } })) as AsyncIterableIterator<ExecutionResult>;
  expect((await events.next()).value.data.q.c).toEqual({ id: 'car_a' });
  await hub.drain();
  expect((await events.next()).value.errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
  expect((await events.next()).done).toBe(true);
  expect(hub.size).toBe(0);
});
