/**
 * Hostile input against the real gateway over real HTTP (issue #6): property-based and grammar-based
 * fuzzing with fast-check. Whatever arrives — random documents over the API schema, attacks on the
 * request shape, broken bytes, protocol corners, noise — the gateway answers with a 4xx or a 200,
 * every GraphQL error carries a contract code, nothing leaks (stack traces, planted personal data
 * from the variables), the process stays up and its memory stays bounded.
 *
 * FUZZ_RUNS scales the inputs per category (default sized for CI; `npm run test:fuzz` runs 200 and,
 * with FUZZ_RESULTS=1, writes its section of bench/RESULTS.md). FUZZ_SEED replays a run: the summary
 * line prints the seed, and fast-check prints the shrunk input of a failure. FUZZ_VERBOSE=1 prints
 * the statuses, codes and sample messages per category; FUZZ_TRACE=1 each input as it is sent.
 */
import fc from 'fast-check';
import { buildClientSchema, getIntrospectionQuery, type GraphQLSchema, type IntrospectionQuery } from 'graphql';
import { mintDevToken } from '../../gateway/plugins/authentication';
import { machineLine, table, writeResultsSection } from '../../bench/bench-support';
import { DEV_JWT_SECRET } from '../../platform/config';
import { graphql } from '../support/graphql';
import { startStack, type Stack } from '../support/stack';
import { attacks, randomHttp, type Attack } from './support/attacks';
import { documents, type Pools } from './support/grammar';
import { check, collectGarbage, mib, RawClient, settledHeap, Tally } from './support/harness';

const RUNS = Math.max(1, Number(process.env.FUZZ_RUNS ?? 25));
/** One seed per run (category i uses SEED + i): printed in the summary, FUZZ_SEED replays it. */
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
/** Generous per-test deadline: a few seconds per run is already a finding (the client times out at 15 s). */
const TIMEOUT = 60_000 + RUNS * 2_000;
/**
 * Heap growth (after GC) allowed over the whole run: what the bounded caches may fill with distinct
 * inputs (parsed documents and the in-process cache, 32 Mi characters each; query plans, 30 MiB by
 * Apollo's estimate) and a margin. A leak per request is the replay test's business, below.
 */
const HEAP_GROWTH_LIMIT = 256 * 2 ** 20;
/** Heap growth allowed when the same inputs are sent a second time: nothing new to cache, so ~0. */
const REPLAY_GROWTH_LIMIT = 24 * 2 ** 20;

let stack: Stack;
let client: RawClient;
let schema: GraphQLSchema;
let pools: Pools;
let auth: fc.Arbitrary<string | undefined>;
let authStaff: string;
const tally = new Tally();
const gc = collectGarbage();
let baseline: { heapUsed: number; rss: number };
const started = Date.now();
const crashes: string[] = [];
const onCrash = (kind: string) => (error: unknown) => crashes.push(`${kind}: ${error instanceof Error ? error.stack : String(error)}`);
const onRejection = onCrash('unhandledRejection');
const onException = onCrash('uncaughtException');
/** Categories whose property failed, for the results section. */
const failed: string[] = [];
/** Inputs per caller: staff, agent, anonymous, bad credentials. */
const callers = new Map<string, number>();
let agentToken: string;

beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  // The fuzzer sends thousands of requests with one token: the rate limit would answer 429 to most
  // of them and hide everything behind it (it has its own test in limits.test.ts).
  stack = await startStack({ env: { RATE_LIMIT: '0' } });
  client = new RawClient(stack.url);
  authStaff = await stack.token('STAFF');
  const introspection = await graphql<IntrospectionQuery>(stack.url, getIntrospectionQuery(), {}, { token: authStaff, debugStats: false });
  expect(introspection.errors).toBeUndefined();
  schema = buildClientSchema(introspection.data!);
  const seen = await graphql(
    stack.url,
    '{ carriers { id products { id } } agents(first: 5) { edges { node { id npn } } } cases(first: 5) { edges { node { id caseNumber requirements { id } } } } }',
    {},
    { token: authStaff, debugStats: false },
  );
  const data = seen.data!;
  const agents = data.agents.edges.map((e: { node: { id: string; npn: string } }) => e.node);
  const cases = data.cases.edges.map((e: { node: { id: string; caseNumber: string; requirements: { id: string }[] } }) => e.node);
  pools = {
    ids: [
      ...data.carriers.slice(0, 4).map((c: { id: string }) => c.id),
      ...data.carriers.flatMap((c: { products: { id: string }[] }) => c.products.map((p) => p.id)).slice(0, 4),
      ...agents.map((a: { id: string }) => a.id),
      ...cases.map((c: { id: string }) => c.id),
      ...cases.flatMap((c: { requirements: { id: string }[] }) => c.requirements.map((r) => r.id)).slice(0, 4),
    ],
    strings: [...agents.map((a: { npn: string }) => a.npn), ...cases.map((c: { caseNumber: string }) => c.caseNumber)],
  };
  agentToken = await stack.agentToken(agents[0].id);
  const expired = await mintDevToken(DEV_JWT_SECRET, { sub: 'user:late', role: 'STAFF' }, -3600);
  const serviceClaim = await mintDevToken(DEV_JWT_SECRET, { sub: 'user:sneaky', role: 'SERVICE' });
  // Mostly staff (the widest reach); agents, anonymous callers and bad credentials now and then.
  auth = fc.oneof(
    { arbitrary: fc.constant(`Bearer ${authStaff}`), weight: 14 },
    { arbitrary: fc.constant(`Bearer ${agentToken}`), weight: 3 },
    { arbitrary: fc.constant(undefined), weight: 3 },
    {
      arbitrary: fc.constantFrom(
        `Bearer ${expired}`,
        `Bearer ${serviceClaim}`,
        `Bearer ${authStaff.slice(0, -4)}AAAA`,
        'Bearer a.b.c',
        'Bearer',
        'Basic dXNlcjpwYXNz',
        `Bearer ${'x'.repeat(6000)}`,
        `bearer ${authStaff}`,
      ),
      weight: 1,
    },
  );
  // Warm every path once (schema, plans, pools, JIT) before the baseline is taken.
  for (const arbitrary of [
    grammar({ shape: 0, value: 0 }, 0),
    grammar({ shape: 0.03, value: 0.2 }, 0),
    ...Object.values(attacks(auth, stackMaxBody())),
    randomHttp(auth),
  ]) {
    for (const sample of fc.sample(arbitrary, { numRuns: 3, seed: 1 })) await client.send(sample.request).catch(() => undefined);
  }
  baseline = await settledHeap(gc);
}, 120_000);

afterAll(async () => {
  process.off('unhandledRejection', onRejection);
  process.off('uncaughtException', onException);
  client?.close();
  await stack?.stop();
});

function stackMaxBody(): number {
  return 1024 * 1024; // MAX_BODY_BYTES default: the stack runs with it
}

function asRequest(
  document: { query: string; variables: Record<string, unknown>; operationName?: string },
  authorization: string | undefined,
) {
  return {
    method: 'POST',
    path: '/graphql',
    // Half of them ask for extensions.stats (a different response path), chosen by the document so that a seed replays.
    headers: {
      'content-type': 'application/json',
      ...(authorization ? { authorization } : {}),
      ...(document.query.length % 2 ? { 'x-debug-stats': '1' } : {}),
    },
    body: JSON.stringify({
      query: document.query,
      variables: document.variables,
      ...(document.operationName ? { operationName: document.operationName } : {}),
    }),
  };
}

/** Runs one category: every input through the oracle, counted; the gateway must still be alive after. */
let categoryIndex = 0;
/** What the replay test saw, for the summary. */
let replay = 'replay not run';

async function fuzz(category: string, arbitrary: fc.Arbitrary<Attack>, runs: number): Promise<void> {
  const seed = SEED + categoryIndex++;
  try {
    await exercise(category, arbitrary, runs, seed);
  } catch (error) {
    failed.push(category);
    throw error;
  }
}

async function exercise(category: string, arbitrary: fc.Arbitrary<Attack>, runs: number, seed: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(arbitrary.map(printable), async (attack) => {
      const caller = callerOf(attack.request.headers?.authorization);
      callers.set(caller, (callers.get(caller) ?? 0) + 1);
      const sent = performance.now();
      if (process.env.FUZZ_TRACE)
        process.stderr.write(`[fuzz trace] ${category} ${attack.label.slice(0, 120)} heap ${mib(process.memoryUsage().heapUsed)}\n`);
      const reply = await client.send(attack.request);
      const verdict = check(reply, {
        markers: attack.markers,
        mayClose: attack.mayClose,
        head: attack.request.method === 'HEAD',
        path: attack.request.path,
      });
      tally.record(category, reply, verdict, performance.now() - sent, attack.markers?.length ?? 0);
      if (attack.meantValid && verdict.codes.includes('GRAPHQL_VALIDATION_FAILED'))
        verdict.violations.push('a well-typed document was refused as invalid');
      if (verdict.violations.length) {
        throw new Error(
          `${category} / ${attack.label}: ${verdict.violations.join('; ')}\n  -> ${reply.status} ${reply.text.slice(0, 600)}`,
        );
      }
    }),
    { numRuns: runs, seed, interruptAfterTimeLimit: TIMEOUT - 10_000, markInterruptAsFailure: false },
  );
  await expectAlive();
  expect(crashes).toEqual([]);
}

function callerOf(authorization: string | string[] | undefined): string {
  if (authorization === undefined) return 'anonymous';
  if (authorization === `Bearer ${authStaff}`) return 'staff';
  if (authorization === `Bearer ${agentToken}`) return 'agent';
  return 'bad credentials';
}

/** A counterexample as fast-check prints it: the request, with bodies cut short (some are megabytes). */
function printable(attack: Attack): Attack {
  const { method = 'POST', path = '/graphql', headers = {}, body, chunks } = attack.request;
  const size = body !== undefined ? Buffer.byteLength(body) : chunks ? chunks.reduce((n, c) => n + c.length, 0) : 0;
  const preview = body !== undefined ? Buffer.from(body).subarray(0, 400).toString('utf8') : chunks ? `${chunks.length} chunks` : '';
  const shown = { ...headers, ...(headers.authorization ? { authorization: `${String(headers.authorization).slice(0, 16)}…` } : {}) };
  return Object.assign(attack, {
    [fc.toStringMethod]: () =>
      `${attack.label}\n    ${method} ${path.slice(0, 300)} ${JSON.stringify(shown)}\n    body (${size} bytes): ${JSON.stringify(preview)}`,
  });
}

async function expectAlive(): Promise<void> {
  const health = await client.send({ method: 'GET', path: '/health' });
  expect(health.status).toBe(200);
  const ready = await client.send({ method: 'GET', path: '/ready' });
  expect(JSON.parse(ready.text).status).toBe('ready');
  const simple = await graphql(stack.url, '{ carriers { id } }', {}, { token: authStaff, debugStats: false });
  expect(simple.errors).toBeUndefined();
}

const grammar = (chaos: { shape: number; value: number }, mutations: number) =>
  fc.tuple(documents(schema, pools, { chaos, mutations }), auth).map(
    ([document, authorization]): Attack => ({
      label: `${document.operation} ${document.query.slice(0, 300)} variables ${JSON.stringify(document.variables).slice(0, 200)}`,
      markers: document.markers,
      meantValid: document.meantValid,
      request: asRequest(document, authorization),
    }),
  );

describe('grammar-based documents over the API schema', () => {
  it(
    'well-typed documents: answered, never a 5xx or an uncoded error',
    () => fuzz('grammar-valid', grammar({ shape: 0, value: 0 }, 0.1), RUNS * 4),
    TIMEOUT,
  );
  it(
    'documents with wrong fields, arguments, variable types and values: refused cleanly, no echo of the variables',
    () => fuzz('grammar-wrong', grammar({ shape: 0.03, value: 0.2 }, 0.15), RUNS * 4),
    TIMEOUT,
  );
});

describe('attacks', () => {
  const categories = Object.keys(attacks(fc.constant(undefined), stackMaxBody()));
  it.each(categories)('%s', (category) => fuzz(category, attacks(auth, stackMaxBody())[category], RUNS), TIMEOUT);
});

describe('random HTTP', () => {
  it('any method, path, headers and body', () => fuzz('random-http', randomHttp(auth), RUNS * 3), TIMEOUT);
});

describe('after all of it', () => {
  it(
    'keeps nothing per request: the same inputs sent again leave the heap where the first time left it',
    async () => {
      // A fixed sample of every category, big bodies included: the first pass fills the caches, the
      // second finds everything cached, so whatever it adds was kept per request.
      const sample = [
        grammar({ shape: 0, value: 0 }, 0.1),
        grammar({ shape: 0.03, value: 0.2 }, 0.15),
        ...Object.values(attacks(auth, stackMaxBody())),
        randomHttp(auth),
      ].flatMap((arbitrary) => fc.sample(arbitrary, { numRuns: 8, seed: SEED }));
      const violations: string[] = [];
      const pass = async () => {
        for (const attack of sample) {
          const reply = await client.send(attack.request);
          const verdict = check(reply, {
            markers: attack.markers,
            mayClose: attack.mayClose,
            head: attack.request.method === 'HEAD',
            path: attack.request.path,
          });
          violations.push(...verdict.violations.map((v) => `${attack.label.slice(0, 100)}: ${v}`));
        }
        return settledHeap(gc);
      };
      const first = await pass();
      const second = await pass();
      expect(violations).toEqual([]);
      const growth = second.heapUsed - first.heapUsed;
      replay = `${sample.length} inputs sent again: heapUsed ${mib(first.heapUsed)} -> ${mib(second.heapUsed)}`;
      expect(growth).toBeLessThan(REPLAY_GROWTH_LIMIT);
    },
    TIMEOUT,
  );

  it('the gateway is alive, nothing crashed, and the heap grew by a bounded amount', async () => {
    await expectAlive();
    expect(crashes).toEqual([]);
    const after = await settledHeap(gc);
    const growth = after.heapUsed - baseline.heapUsed;
    const seconds = (Date.now() - started) / 1000;
    const codes = [...tally.codeTotals()].map(([code, n]) => `${code} ${n}`).join(', ');
    const statuses = [...tally.statusTotals()].map(([status, n]) => `${status}: ${n}`).join(', ');
    const executed = ['grammar-valid', 'grammar-wrong']
      .map((c) => `${c} ${tally.categories.get(c)?.statuses.get(200) ?? 0}/${tally.categories.get(c)?.inputs ?? 0}`)
      .join(', ');
    const memory = `heapUsed ${mib(baseline.heapUsed)} -> ${mib(after.heapUsed)} (+${mib(growth)}) after GC, rss ${mib(after.rss)}`;
    // The one-line summary.
    console.log(
      `[fuzz] FUZZ_RUNS=${RUNS} FUZZ_SEED=${SEED} ${tally.line()} | callers ${[...callers].map(([k, n]) => `${k} ${n}`).join(', ')} | statuses ${statuses} | codes ${codes} | ` +
        `executed (200): ${executed} | errors checked for planted markers ${tally.markerChecks} | ${memory} | ${replay} | ${seconds.toFixed(1)} s | ${failed.length ? `FAILED: ${failed.join(', ')}` : 'all properties held'}`,
    );
    if (process.env.FUZZ_VERBOSE) {
      for (const [name, entry] of tally.categories) {
        for (const [key, messages] of tally.samples)
          if (key.startsWith(`${name} `)) console.log(`[fuzz]   ${key}:\n      ${messages.join('\n      ')}`);
        console.log(
          `[fuzz] ${name}: ${entry.inputs} inputs in ${(entry.ms / 1000).toFixed(1)} s, statuses ${JSON.stringify(Object.fromEntries(entry.statuses))}, codes ${JSON.stringify(Object.fromEntries(entry.codes))}, with data ${entry.withData}`,
        );
      }
    }
    if (process.env.FUZZ_RESULTS === '1')
      writeResultsSection('Fuzz: hostile input against the gateway (test:fuzz)', resultsSection(growth, after.rss, seconds));
    expect(growth).toBeLessThan(HEAP_GROWTH_LIMIT);
  }, 60_000);
});

/** The section of bench/RESULTS.md: what was sent, what came back, what held. */
function resultsSection(growth: number, rss: number, seconds: number): string {
  const rows = [...tally.categories].map(([name, entry]) => {
    const byClass = (lo: number, hi: number) => [...entry.statuses].filter(([s]) => s >= lo && s < hi).reduce((n, [, c]) => n + c, 0);
    const top = [...entry.codes]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([code, n]) => `${code} ${n}`)
      .join(', ');
    return [
      name,
      entry.inputs,
      byClass(200, 300),
      byClass(400, 500),
      byClass(500, 600),
      entry.statuses.get(0) ?? 0,
      top || '—',
      `${(entry.ms / 1000).toFixed(1)} s`,
    ];
  });
  const total = tally.total;
  const fiveHundreds = [...tally.statusTotals()].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
  return [
    `Command: \`npm run test:fuzz\` (FUZZ_RUNS=${RUNS}, FUZZ_SEED=${SEED}; fast-check ${fc.__version}; the whole graph in the test process on loopback: 3 subgraphs, 12 simulated carriers, the gateway, PGlite, caches in process, rate limit off).`,
    machineLine(),
    '',
    table(['category', 'inputs', '2xx', '4xx', '5xx', 'closed', 'most frequent codes', 'time'], rows),
    '',
    `- ${total} inputs; callers ${[...callers].map(([k, n]) => `${k} ${n}`).join(', ')}; ${tally.markerChecks} error responses to requests carrying a planted PII marker in their variables.`,
    `- Grammar documents that executed (200): ${['grammar-valid', 'grammar-wrong'].map((c) => `${c} ${tally.categories.get(c)?.statuses.get(200) ?? 0} of ${tally.categories.get(c)?.inputs ?? 0}`).join(', ')}.`,
    `- Codes seen: ${[...tally.codeTotals()].map(([code, n]) => `${code} ${n}`).join(', ')} (BAD_REQUEST and PERSISTED_QUERY_NOT_FOUND are Apollo's transport codes, not in the contract's list).`,
    `- Properties: no 5xx (${fiveHundreds} seen); every GraphQL error with a contract code, never INTERNAL_SERVER_ERROR; no stack trace or source path; no planted marker echoed; /health, /ready and a real query answered after every category; no unhandled rejection or uncaught exception; heapUsed after GC +${mib(growth)} over the run (limit ${mib(HEAP_GROWTH_LIMIT)}: the bounded caches filling), rss ${mib(rss)}; ${replay} (limit +${mib(REPLAY_GROWTH_LIMIT)}).`,
    `- Result: ${failed.length ? `FAILED in ${failed.join(', ')}` : 'every property held'} (${seconds.toFixed(0)} s for the suite).`,
    '- Found by this suite and fixed (regressions in test/fuzz/regressions.test.ts): every syntax error and token flood answered 500; an unknown operationName answered 500; JSON nested ~4,000 deep answered 500; a request target that is no URL (`GET //[`) crashed the process; an APQ extension of an unknown version had no code; a 413 left the connection open; unknown input keys were echoed; 20,000 unknown keys in one input object took gigabytes (process killed); distinct large documents (document store) and large cache values (in-process cache) grew the heap without bound; operation names made one metrics series each.',
  ].join('\n');
}
