/**
 * Gateways are stateless and scale out behind a load balancer: whatever one replica learned, another
 * must see, through the one shared Redis and nothing else. Gateway A is the stack's; the second
 * gateway is either
 *  - B: another gateway over the same subgraphs (its own Apollo Server, its own Redis client), or
 *  - C: a gateway over a second replica of every subgraph (own pools, caches, carrier runtime),
 *    where only Redis and the database are shared.
 * Through either: a quote comparison cached via A is a cache hit (no carrier is called again); a case
 * written via A makes caseMetrics read via the other fresh at once; and a query registered via A by
 * automatic persisted queries (Apollo's APQ protocol) is served by the other given only its hash.
 * Needs REDIS_URL: without Redis every process caches alone, and these properties do not hold.
 */
import { createHash, randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { RunningGateway } from '../../gateway/gateway';
import { CARRIERS } from '../../subgraphs/carriers/fixtures/carriers.fixture';
import { graphql, type GraphqlResponse } from '../support/graphql';
import { scaleResults, startGatewayFor, startSubgraphReplicas, type SubgraphReplicas } from '../support/scale-out';
import { startStack, type Stack } from '../support/stack';
import { eligibleTargets, submission } from '../support/submissions';
import { testPool } from '../support/test-pool';

const redisUrl = process.env.REDIS_URL;
if (!redisUrl)
  console.log(
    '[test] no REDIS_URL: the two-gateway scale-out tests are skipped (replicas share quotes, metrics and persisted queries only through Redis)',
  );
const describeRedis = redisUrl ? describe : describe.skip;

const COMPARE = `query($i: QuoteInput!) { compareQuotes(input: $i) {
  quotes { carrier { id } product { id } annualPremium modalPremium }
  outcomes { carrier { id } status cached } } }`;
const METRICS = `query($f: CaseFilter) { caseMetrics(filter: $f) { totals { submitted open } byStatus { status count } } }`;
const SUBMIT = `mutation($input: SubmitCaseInput!) { submitCase(input: $input) { id status } }`;
const MOVE = `mutation($id: ID!, $c: CaseStatusChangeInput!) { updateCaseStatus(id: $id, change: $c) { status } }`;

let stack: Stack;
let gatewayB: RunningGateway;
let replicas: SubgraphReplicas;
let gatewayC: RunningGateway;
let pool: pg.Pool;
let staff: string;
const results = scaleResults(
  'Scale-out: two gateways sharing one Redis (test:scale)',
  "test/scale/two-gateways.test.ts; gateway A is the stack's, B another gateway over the same subgraphs, C a gateway over a second replica of every subgraph; only Redis and the database shared; PGlite, 12 simulated carriers, all in the test process on loopback",
);

/**
 * A question no earlier run asked (Redis outlives test runs, and quotes live 15 minutes there): one
 * of some 28,000 (age, gender, face amount) combinations, all of which every carrier quotes.
 */
const newQuestion = () => ({
  state: 'TX',
  birthDate: `${1975 + Math.floor(Math.random() * 20)}-05-20`,
  gender: Math.random() < 0.5 ? 'FEMALE' : 'MALE',
  tobacco: false,
  healthClass: 'PREFERRED',
  faceAmount: 300_000 + 1_000 * Math.floor(Math.random() * 700),
  termYears: 20,
});

beforeAll(async () => {
  if (!redisUrl) return;
  stack = await startStack();
  gatewayB = await startGatewayFor(stack);
  replicas = await startSubgraphReplicas();
  gatewayC = await startGatewayFor(stack, { subgraphs: replicas.subgraphs });
  pool = testPool(1);
  staff = await stack.token('STAFF');
}, 60_000);

afterAll(async () => {
  results.write();
  await gatewayC?.stop();
  await replicas?.stop();
  await gatewayB?.stop();
  await stack?.stop();
  await pool?.end();
});

/** Calls at the simulated carriers, once nothing is moving (a replica refreshes its catalog at start). */
async function quietCounts() {
  const snapshot = () => JSON.stringify(CARRIERS.map((c) => [c.code, stack.simulators.control.counts(c.code)]));
  let previous = snapshot();
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const current = snapshot();
    if (current === previous) return current;
    previous = current;
  }
  throw new Error('the simulated carriers kept receiving calls');
}

/** Apollo's automatic persisted queries: a POST with extensions.persistedQuery, with or without the query. */
async function persisted(url: string, hash: string, query?: string): Promise<GraphqlResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${staff}` },
    body: JSON.stringify({ ...(query ? { query } : {}), variables: {}, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

const pairs = () =>
  [
    ['B, over the same subgraphs', () => gatewayB.url],
    ['C, over replicas of every subgraph', () => gatewayC.url],
  ] as const;

const since = (started: number) => `${(performance.now() - started).toFixed(0)} ms`;

describeRedis.each(pairs())('two gateways sharing one Redis: A and %s', (name, other) => {
  it('answers through the other gateway, from the cache, a comparison A already made', async () => {
    const input = newQuestion();
    const askedA = performance.now();
    const first = await graphql(stack.url, COMPARE, { i: input }, { token: staff });
    const firstTook = since(askedA);
    expect(first.errors).toBeUndefined();
    // Asked for the first time: every carrier that is called over the network was called (a rate-book
    // carrier prices locally from a book it already holds, which also counts as "cached").
    const outcomes = new Map(
      first.data!.compareQuotes.outcomes.map((o: { carrier: { id: string }; status: string; cached: boolean }) => [o.carrier.id, o]),
    );
    expect(CARRIERS.map((c) => (outcomes.get(c.id) as { status: string })?.status)).toEqual(CARRIERS.map(() => 'OK'));
    expect(CARRIERS.filter((c) => c.protocol !== 'RATEBOOK').every((c) => !(outcomes.get(c.id) as { cached: boolean }).cached)).toBe(true);
    expect(first.extensions!.stats.carriers.cacheHits).toBe(0);
    const before = await quietCounts();
    const askedOther = performance.now();
    const again = await graphql(other(), COMPARE, { i: input }, { token: staff });
    const againTook = since(askedOther);
    expect(again.errors).toBeUndefined();
    expect(again.data!.compareQuotes.quotes).toEqual(first.data!.compareQuotes.quotes);
    expect(again.data!.compareQuotes.outcomes.every((o: { cached: boolean }) => o.cached)).toBe(true);
    expect(again.extensions!.stats.carriers).toMatchObject({ carrierCalls: 0, cacheHits: CARRIERS.length, cacheMisses: 0 });
    // Not one call reached any carrier for it.
    expect(await quietCounts()).toBe(before);
    results.record(
      `A and ${name}: a quote comparison made through A, asked through the other`,
      `through A ${firstTook} (every carrier called); through the other ${againTook}, ${CARRIERS.length} of ${CARRIERS.length} carriers from the shared cache, 0 carrier calls`,
    );
  });

  it('makes caseMetrics read through the other gateway fresh as soon as A writes a case', async () => {
    const [target] = await eligibleTargets(pool);
    const filter = { agentIds: [target.agentId], carrierIds: [target.carrierId] };
    type Figures = { totals: { submitted: number; open: number }; byStatus: { status: string; count: number }[] };
    const read = async () => {
      const response = await graphql(other(), METRICS, { f: filter }, { token: staff });
      expect(response.errors).toBeUndefined();
      return {
        figures: response.data!.caseMetrics as Figures,
        stats: response.extensions!.stats.cases as { sql: number; cacheHits: number },
      };
    };
    /** Reads until an answer comes from the cache: other test files write cases too, and each write starts a new generation. */
    const readCached = async () => {
      for (let i = 0; i < 10; i++) {
        const answer = await read();
        if (answer.stats.cacheHits === 1) return answer;
      }
      throw new Error('caseMetrics never came from the cache');
    };
    const count = (figures: Figures, status: string) => figures.byStatus.find((s) => s.status === status)?.count ?? 0;

    await read();
    const before = (await readCached()).figures;

    // A new case, written through gateway A.
    const submitted = await graphql(stack.url, SUBMIT, { input: submission(target, `scale-${randomUUID()}`) }, { token: staff });
    expect(submitted.errors).toBeUndefined();
    const { id } = submitted.data!.submitCase;

    // Through the other gateway: computed afresh (not the entry cached before the write), with the new case in it.
    const readAfter = performance.now();
    const afterSubmit = await read();
    const afterSubmitTook = since(readAfter);
    expect(afterSubmit.stats.cacheHits).toBe(0);
    expect(afterSubmit.stats.sql).toBeGreaterThan(0);
    expect(afterSubmit.figures.totals).toEqual({ submitted: before.totals.submitted + 1, open: before.totals.open + 1 });
    expect(count(afterSubmit.figures, 'SUBMITTED')).toBe(count(before, 'SUBMITTED') + 1);
    expect((await readCached()).figures).toEqual(afterSubmit.figures);

    // A status change through gateway A: the other gateway's next read closes the case.
    const moved = await graphql(stack.url, MOVE, { id, c: { status: 'WITHDRAWN', note: 'scale-out test' } }, { token: staff });
    expect(moved.errors).toBeUndefined();
    const afterMove = await read();
    expect(afterMove.stats.cacheHits).toBe(0);
    expect(afterMove.figures.totals).toEqual({
      submitted: afterSubmit.figures.totals.submitted,
      open: afterSubmit.figures.totals.open - 1,
    });
    expect(count(afterMove.figures, 'SUBMITTED')).toBe(count(afterSubmit.figures, 'SUBMITTED') - 1);
    expect(count(afterMove.figures, 'WITHDRAWN')).toBe(count(afterSubmit.figures, 'WITHDRAWN') + 1);
    results.record(
      `A and ${name}: caseMetrics through the other after a write through A`,
      `the first read after the write is fresh (${before.totals.submitted} → ${afterSubmit.figures.totals.submitted} submitted; recomputed with ${afterSubmit.stats.sql} SQL statements in ${afterSubmitTook}), and again after a status change`,
    );
  });

  it('serves by hash alone a persisted query that was registered through A (automatic persisted queries)', async () => {
    // A query text no run has registered before, so its hash is unknown everywhere until A learns it.
    const query = `query ScaleOutApq { carriers { id name } } # ${randomUUID()}`;
    const hash = createHash('sha256').update(query).digest('hex');
    const unknown = await persisted(other(), hash);
    expect(unknown.errors?.map((e) => e.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);

    const registered = await persisted(stack.url, hash, query);
    expect(registered.errors).toBeUndefined();
    expect(registered.data!.carriers).toHaveLength(CARRIERS.length);

    const byHash = await persisted(other(), hash);
    expect(byHash.errors).toBeUndefined();
    expect(byHash.data).toEqual(registered.data);
    results.record(
      `A and ${name}: a persisted query registered through A`,
      'served through the other by its hash alone (PERSISTED_QUERY_NOT_FOUND there before)',
    );
  });
});
