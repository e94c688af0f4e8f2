import { buildSchema, type ExecutionResult, parse } from 'graphql';
import { Registry } from 'prom-client';
import { type CaseEventMessage, MemoryCaseEventBus } from '../../../platform/case-event-bus';
import { createLogger } from '../../../platform/logger';
import type { SubscriptionConfig } from '../config';
import { SubscriptionHub, SubscriptionMetrics } from '../hub';
import { subscriptionSchema } from '../schema';

/** The few public types the Subscription root needs, as the supergraph's API schema has them. */
const api = buildSchema(`
  type Query { case(id: ID!): Case }
  type Case { id: ID! status: String! requirements: [Requirement!]! }
  type Requirement { id: ID! code: String! }
  type CaseEvent { at: String! type: String! note: String }
  input CaseFilter { statuses: [String!] agentIds: [ID!] open: Boolean }
  type Carrier { id: ID! }
  type Quote { id: ID! }
  type CarrierOutcome { status: String! }
  input QuoteInput { faceAmount: Int! }
`);
const schema = subscriptionSchema(api);
const config: SubscriptionConfig = {
  perConnection: 5,
  perClient: 2,
  idleTimeoutMs: 60_000,
  queueMax: 3,
  keepAliveMs: 12_000,
  streamMax: 1_000,
};
const STAFF = { sub: 'user:staff', role: 'STAFF' as const };

/** Event `id` of transaction 700 + id (positions `<tx>-<id>`). */
const event = (id: number, caseId = 'case-1', tx = 700 + id): CaseEventMessage => ({
  id: String(id),
  tx: String(tx),
  caseId,
  at: '2026-12-07T00:00:00.000Z',
  type: 'NOTE',
  fromStatus: null,
  toStatus: null,
  requirementCode: null,
  requirementId: null,
  actor: 'user:staff',
  note: `note ${id}`,
});

function setup() {
  const bus = new MemoryCaseEventBus(100);
  const queries: { query: string; variables: Record<string, unknown> }[] = [];
  const run = async (query: string, variables: Record<string, unknown>): Promise<ExecutionResult> => {
    queries.push({ query, variables });
    const caseId = variables.bgaEventCaseId as string;
    // case-2 is not visible to the caller: the query answers null, as the cases subgraph does.
    const visible = caseId !== 'case-2';
    return { data: visible ? { c: { id: caseId, status: 'SUBMITTED' }, bgaGate: { status: 'SUBMITTED' } } : { c: null, bgaGate: null } };
  };
  const registry = new Registry();
  const hub = new SubscriptionHub({ bus, run, config, metrics: new SubscriptionMetrics(registry), logger: createLogger('test', 'silent') });
  const subscribe = (query: string, extra: { lastEventId?: string; sub?: string } = {}) =>
    hub.subscribe({
      schema,
      document: parse(query),
      variableValues: {},
      identity: { ...STAFF, sub: extra.sub ?? STAFF.sub },
      lastEventId: extra.lastEventId,
      transport: 'ws',
    }) as Promise<AsyncIterableIterator<ExecutionResult>>;
  const metric = async (name: string) => (await registry.getSingleMetric(name)?.get())?.values ?? [];
  return { bus, hub, queries, subscribe, metric };
}

test('each event runs the subscriber selection as one case(id) query; cases the caller may not see are skipped', async () => {
  const { bus, queries, subscribe } = setup();
  const events = await subscribe('subscription { c: caseUpdated { id status } }');
  await bus.publish([event(1, 'case-2'), event(2, 'case-1')]);
  const first = await events.next();
  expect(first.value).toEqual({ data: { c: { id: 'case-1', status: 'SUBMITTED' } }, extensions: { eventId: '702-2' } });
  expect(queries.map((q) => q.variables.bgaEventCaseId)).toEqual(['case-2', 'case-1']);
  expect(queries[0].query).toContain('c: case(id: $bgaEventCaseId)');
  await events.return?.();
});

test("a subscription about one case is offered that case's events only; one about any case, all of them", async () => {
  const { bus, queries, subscribe } = setup();
  const one = await subscribe('subscription { c: caseUpdated(caseId: "case-3") { id } }');
  const any = await subscribe('subscription { c: caseUpdated { id } }', { sub: 'user:other' });
  await bus.publish([event(1, 'case-1'), event(2, 'case-3'), event(3, 'case-4')]);
  expect((await one.next()).value.extensions).toEqual({ eventId: '702-2' });
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push((await any.next()).value.extensions.eventId);
  expect(ids).toEqual(['701-1', '702-2', '703-3']);
  // One per-event query for the one-case subscription, three for the other.
  expect(queries.map((q) => q.variables.bgaEventCaseId).sort()).toEqual(['case-1', 'case-3', 'case-3', 'case-4']);
  await one.return?.();
  await any.return?.();
});

test('a slow consumer is dropped with LIMIT_EXCEEDED once more than SUBSCRIPTION_QUEUE_MAX events wait, and nothing is kept for it', async () => {
  const { bus, hub, subscribe, metric } = setup();
  const events = await subscribe('subscription { caseUpdated { id } }');
  // The consumer reads nothing while four events arrive (the queue holds three).
  await bus.publish([event(1), event(2), event(3), event(4)]);
  expect(hub.size).toBe(0);
  expect((await events.next()).value.errors[0].extensions.code).toBe('LIMIT_EXCEEDED');
  expect((await events.next()).done).toBe(true);
  expect(await metric('bga_gateway_subscriptions_ended_total')).toEqual([
    expect.objectContaining({ labels: { reason: 'slow' }, value: 1 }),
  ]);
  expect((await metric('bga_gateway_subscriptions_open')).every((v) => v.value === 0)).toBe(true);
});

test('subscriptions per client are limited; closing one frees its place', async () => {
  const { subscribe, hub } = setup();
  const a = await subscribe('subscription { caseUpdated { id } }');
  await subscribe('subscription { caseUpdated { id } }');
  const refused = (await subscribe('subscription { caseUpdated { id } }')) as unknown as ExecutionResult;
  expect(refused.errors?.[0].extensions.code).toBe('LIMIT_EXCEEDED');
  expect(Symbol.asyncIterator in (await subscribe('subscription { caseUpdated { id } }', { sub: 'user:other' }))).toBe(true);
  await a.return?.();
  expect(Symbol.asyncIterator in (await subscribe('subscription { caseUpdated { id } }'))).toBe(true);
  expect(hub.size).toBe(3);
});

test('resuming from a last event id delivers the kept events after it first, each once, then live ones', async () => {
  const { bus, subscribe } = setup();
  await bus.publish([event(1), event(2), event(3)]);
  const events = await subscribe('subscription { caseEvents { eventId event { note } } }', { lastEventId: '701-1' });
  await bus.publish([event(4)]);
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push((await events.next()).value.data.caseEvents.eventId);
  expect(ids).toEqual(['702-2', '703-3', '704-4']);
  await events.return?.();
});

test('event ids follow the relay order (tx, id): an event whose transaction committed late, with a lower id, is delivered after, and resumed from', async () => {
  const { bus, subscribe } = setup();
  const live = await subscribe('subscription { caseEvents { eventId event { note } } }');
  // Event 5's transaction (710) began first and committed last: the relay publishes it after event 6.
  await bus.publish([event(6, 'case-1', 705), event(5, 'case-1', 710), event(7, 'case-1', 711)]);
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push((await live.next()).value.data.caseEvents.eventId);
  expect(ids).toEqual(['705-6', '710-5', '711-7']);
  await live.return?.();
  const resumed = await subscribe('subscription { caseEvents { eventId } }', { lastEventId: '705-6' });
  expect((await resumed.next()).value.data.caseEvents.eventId).toBe('710-5');
  expect((await resumed.next()).value.data.caseEvents.eventId).toBe('711-7');
  await resumed.return?.();
});

test('a last event id the Redis stream has not reached (Redis lost it, not yet put back) ends with SERVICE_UNAVAILABLE: try again; not an id: BAD_USER_INPUT', async () => {
  const { bus, subscribe } = setup();
  // The Redis bus's behaviour, on the in-process one.
  Object.defineProperty(bus, 'kind', { value: 'redis' });
  await bus.publish([event(1)]);
  const early = await subscribe('subscription { caseEvents { eventId } }', { lastEventId: '799-9' });
  expect((await early.next()).value.errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
  const bad = (await subscribe('subscription { caseEvents { eventId } }', { lastEventId: '12' })) as unknown as ExecutionResult;
  expect(bad.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
});

test('drain ends every subscription with SERVICE_UNAVAILABLE and refuses new ones', async () => {
  const { hub, subscribe } = setup();
  const events = await subscribe('subscription { caseUpdated { id } }');
  const waiting = events.next();
  await hub.drain();
  expect((await waiting).value.errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
  const refused = (await subscribe('subscription { caseUpdated { id } }')) as unknown as ExecutionResult;
  expect(refused.errors?.[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
});

test("the federated path's errors reach the subscriber as GraphQLErrors (graphql-ws serializes them with toJSON), code kept", async () => {
  const bus = new MemoryCaseEventBus(100);
  const run = async (): Promise<ExecutionResult> =>
    ({ errors: [{ message: 'cases is unavailable', extensions: { code: 'SERVICE_UNAVAILABLE' } }] }) as never;
  const hub = new SubscriptionHub({
    bus,
    run,
    config,
    metrics: new SubscriptionMetrics(new Registry()),
    logger: createLogger('test', 'silent'),
  });
  const events = (await hub.subscribe({
    schema,
    document: parse('subscription { caseUpdated { id } }'),
    variableValues: {},
    identity: STAFF,
    transport: 'ws',
  })) as AsyncIterableIterator<ExecutionResult>;
  await bus.publish([event(1)]);
  const failed = (await events.next()).value as ExecutionResult;
  expect(failed.errors?.map((e) => e.toJSON())).toEqual([{ message: 'cases is unavailable', extensions: { code: 'SERVICE_UNAVAILABLE' } }]);
  await events.return?.();
});
