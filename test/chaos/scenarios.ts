/**
 * The chaos scenarios. Each injects one kind of fault while the load runs, records its outage window
 * (from the fault until the graph has recovered), and checks what users must see: which requests may
 * fail and how (fast, coded, path-scoped), what keeps working, and that recovery needs nothing but the
 * failed piece coming back.
 */
import type { Fault, FaultOptions } from '../../simulators/simulated-carrier';
import { CARRIERS } from '../../subgraphs/carriers/fixtures/carriers.fixture';
import { COMPARE_QUERY, overlapping, QUOTE_BASE, type LoadDriver, type Outcome, type SubmitTarget } from './load';
import { portOpen, sleep, until } from './processes';
import { health, startService, type SUBGRAPH_NAMES, type Topology } from './topology';

export interface Timing {
  warmupMs: number;
  redisBaselineMs: number;
  redisHoldMs: number;
  subgraphHoldMs: number;
  dbHoldMs: number;
  /** Steady load after a recovery, before the scenario ends. */
  recoveryMs: number;
  /** Each carrier-fault phase. */
  faultPhaseMs: number;
  /** How long the outbox gets to deliver everything at the end. */
  drainMs: number;
  /** Accepted cases the vendor scenario orders on (an exam and an APS on each, per phase). */
  vendorCases: number;
}

export interface Check {
  name: string;
  pass: boolean;
  detail: string;
}

export interface Window {
  label: string;
  from: number;
  to: number;
}

export interface ScenarioResult {
  name: string;
  faults: string[];
  windows: Window[];
  checks: Check[];
  skipped?: string;
  /** Scenario span, for the per-scenario request counts. */
  from: number;
  to: number;
}

export interface ChaosContext {
  topology: Topology;
  load: LoadDriver;
  timing: Timing;
  targets: SubmitTarget[];
  say: (message: string) => void;
}

const ms = (n: number) => `${Math.round(n)} ms`;
const isComparison = (o: Outcome) => o.op === 'compareQuotes' || o.op === 'compareQuotesFresh';

export function result(name: string): ScenarioResult & { check(name: string, pass: boolean, detail: string): void } {
  const r: ScenarioResult = { name, faults: [], windows: [], checks: [], from: Date.now(), to: 0 };
  return Object.assign(r, {
    check(checkName: string, pass: boolean, detail: string) {
      r.checks.push({ name: checkName, pass, detail });
    },
  });
}

/** A one-line account of failed outcomes, for details. */
export function describeFailures(failed: readonly Outcome[], limit = 4): string {
  const by = new Map<string, number>();
  for (const o of failed) {
    const key = `${o.op}: ${o.status === 0 ? o.error : `HTTP ${o.status}`}${o.codes.length ? ` [${[...new Set(o.codes)].join(',')}]` : ''}${o.errors[0] ? ` "${o.errors[0].message.slice(0, 80)}"` : ''}`;
    by.set(key, (by.get(key) ?? 0) + 1);
  }
  const parts = [...by].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n}× ${k}`);
  return parts.slice(0, limit).join('; ') + (parts.length > limit ? `; … (${parts.length - limit} more kinds)` : '');
}

/** Samples an endpoint every 250 ms while a scenario runs. */
function watch(base: string, path: string) {
  const samples: { at: number; status?: number; body?: any }[] = [];
  let on = true;
  const loop = (async () => {
    while (on) {
      const answer = await health(base, path, 1_000);
      samples.push({ at: Date.now(), status: answer?.status, body: answer?.body });
      await sleep(250);
    }
  })();
  return {
    samples,
    async stop() {
      on = false;
      await loop;
    },
  };
}

/** Cache hits over lookups of the carriers subgraph, in the repeating comparisons that ended in [from, to]. */
export function hitRatio(outcomes: readonly Outcome[], from: number, to: number): { ratio: number; lookups: number } {
  let hits = 0;
  let misses = 0;
  for (const o of outcomes) {
    if (o.op !== 'compareQuotes' || o.end < from || o.end > to || !o.stats?.carriers) continue;
    hits += o.stats.carriers.cacheHits ?? 0;
    misses += o.stats.carriers.cacheMisses ?? 0;
  }
  return { ratio: hits + misses ? hits / (hits + misses) : NaN, lookups: hits + misses };
}

/** The pid of every process of the run, by name. */
function pids(t: Topology): Record<string, number | undefined> {
  return Object.fromEntries(t.group.processes.map((p) => [p.spec.name, p.pid]));
}

function unchanged(before: Record<string, number | undefined>, after: Record<string, number | undefined>, except: string[]): string[] {
  return Object.keys(before).filter((name) => !except.includes(name) && before[name] !== after[name]);
}

/** 1. Redis killed with SIGKILL under load, restarted empty on the same port. */
export async function redisScenario(ctx: ChaosContext): Promise<ScenarioResult> {
  const { topology: t, load, timing, say } = ctx;
  const r = result('Redis killed (kill -9), restarted empty on the same port');
  if (!t.redis) {
    r.skipped = t.redisSkipped;
    r.to = Date.now();
    return r;
  }
  r.faults.push(`redis-server SIGKILL, down ${timing.redisHoldMs / 1000} s, restarted empty`);
  await sleep(timing.redisBaselineMs);
  const baseline = hitRatio(load.outcomes, r.from, Date.now());
  const ready = watch(t.gateway.base, '/ready');
  const downAt = Date.now();
  say(`redis: kill -9 (baseline quote-cache hit ratio ${(baseline.ratio * 100).toFixed(1)}% over ${baseline.lookups} lookups)`);
  await t.redis.process.kill('SIGKILL');
  await sleep(timing.redisHoldMs);
  t.redis.process.start();
  await until('redis-server to listen again', async () => (await portOpen(t.redis!.port)) || undefined, 10_000, 50);
  const upAt = Date.now();
  say('redis: restarted; waiting for every service to reconnect');
  const services = [...Object.values(t.subgraphs), t.gateway];
  const reconnectedAt = await until(
    'every service to reconnect to Redis',
    async () =>
      (await Promise.all(services.map((s) => health(s.base, '/ready')))).every((a) => a?.body?.cache?.ok === true) ? Date.now() : undefined,
    20_000,
    100,
  ).catch(() => undefined);
  await sleep(timing.recoveryMs);
  r.to = Date.now();
  await ready.stop();
  r.windows.push({ label: 'redis down until every service reconnected', from: downAt, to: reconnectedAt ?? r.to });
  const recovered = hitRatio(load.outcomes, r.to - timing.recoveryMs / 2, r.to);

  const sawDown = ready.samples.some((s) => s.at >= downAt && s.at <= upAt && s.body?.cache?.ok === false && s.status === 200);
  r.check(
    'gateway /ready reported the cache down (degraded, HTTP 200) during the outage',
    sawDown,
    sawDown ? 'cache.ok=false seen' : 'never saw cache.ok=false',
  );
  const failed = overlapping(load.outcomes, r.from, r.to).filter((o) => o.failed);
  const total = overlapping(load.outcomes, r.from, r.to).length;
  r.check(
    'zero failed requests, before, during and after the outage',
    failed.length === 0,
    failed.length ? describeFailures(failed) : `0 of ${total}`,
  );
  r.check(
    'every service reconnected by itself (subgraphs and gateway /ready cache.ok)',
    reconnectedAt !== undefined,
    reconnectedAt !== undefined ? `${ms(reconnectedAt - upAt)} after the restart` : 'not within 20 s',
  );
  r.check(
    'quote-cache hit ratio recovered (≥ 90% of the baseline)',
    baseline.lookups > 0 && recovered.lookups > 0 && recovered.ratio >= 0.9 * baseline.ratio,
    `baseline ${(baseline.ratio * 100).toFixed(1)}%, last ${timing.recoveryMs / 2000} s ${(recovered.ratio * 100).toFixed(1)}% (${recovered.lookups} lookups)`,
  );
  return r;
}

/** 2. One subgraph (agents) killed under load; only it is restarted. */
export async function subgraphScenario(ctx: ChaosContext, name: (typeof SUBGRAPH_NAMES)[number] = 'agents'): Promise<ScenarioResult> {
  const { topology: t, load, timing, say } = ctx;
  const r = result(`${name} subgraph killed (kill -9), only it restarted`);
  const victim = t.subgraphs[name];
  r.faults.push(`${name} subgraph SIGKILL, down ${timing.subgraphHoldMs / 1000} s`);
  const before = pids(t);
  const ready = watch(t.gateway.base, '/ready');
  const downAt = Date.now();
  say(`${name}: kill -9`);
  await victim.process.kill('SIGKILL');
  await sleep(timing.subgraphHoldMs);
  const restartAt = Date.now();
  say(`${name}: restarting it (and nothing else)`);
  await startService(victim);
  const readyAt = await until(
    'the gateway to be ready again',
    async () => ((await health(t.gateway.base, '/ready'))?.body?.status === 'ready' ? Date.now() : undefined),
    30_000,
    100,
  ).catch(() => undefined);
  await sleep(timing.recoveryMs);
  r.to = Date.now();
  await ready.stop();
  const end = readyAt ?? r.to;
  r.windows.push({ label: `${name} down until the gateway was ready`, from: downAt, to: end });

  const down = ready.samples.filter((s) => s.at > downAt && s.at < restartAt);
  const named = down.some((s) => s.status === 200 && s.body?.status === 'degraded' && s.body?.subgraphs?.[name] === 'down');
  r.check(
    `gateway /ready named ${name} down (degraded, HTTP 200)`,
    named,
    named
      ? `seen in ${down.filter((s) => s.body?.subgraphs?.[name] === 'down').length} of ${down.length} samples`
      : `samples: ${JSON.stringify(down.at(-1)?.body)}`,
  );

  const during = overlapping(load.outcomes, downAt + 200, restartAt).filter((o) => o.start >= downAt);
  // A list whose agents cannot be resolved: the cases, with agent null and an error at each agent's path.
  const partial = during.filter(
    (o) =>
      o.op === 'cases' &&
      o.status === 200 &&
      o.hasData &&
      o.errors.length > 0 &&
      o.errors.every(
        (e) => e.code === 'SERVICE_UNAVAILABLE' && e.path?.[0] === 'cases' && (e.path?.length ?? 0) > 1 && e.serviceName === name,
      ),
  );
  const lists = during.filter((o) => o.op === 'cases');
  r.check(
    'case lists answered partial data with path-scoped SERVICE_UNAVAILABLE errors',
    partial.length > 0 && partial.length === lists.length,
    `${partial.length} of ${lists.length} lists partial${lists.length > partial.length ? `; others: ${describeFailures(lists.filter((o) => !partial.includes(o)))}` : ''}; e.g. path ${JSON.stringify(partial[0]?.errors[0]?.path)}`,
  );
  const inWindow = overlapping(load.outcomes, downAt, end);
  const badErrors = inWindow.filter(
    (o) =>
      o.failed && (o.status >= 500 || o.status === 0 || o.stackInBody || o.errors.some((e) => e.code !== 'SERVICE_UNAVAILABLE' || !e.path)),
  );
  r.check(
    'every error in the outage was SERVICE_UNAVAILABLE with a path (no 5xx, no stack)',
    badErrors.length === 0,
    badErrors.length ? describeFailures(badErrors) : `${inWindow.filter((o) => o.failed).length} failed requests, all so`,
  );
  const independent = inWindow.filter((o) => ['carriers', 'products', 'compareQuotes', 'compareQuotesFresh', 'caseMetrics'].includes(o.op));
  const independentFailed = independent.filter((o) => o.failed);
  r.check(
    `reads that do not need ${name} kept answering in full`,
    independentFailed.length === 0,
    independentFailed.length ? describeFailures(independentFailed) : `${independent.length} of ${independent.length}`,
  );

  const others = unchanged(before, pids(t), [name]);
  const after = overlapping(load.outcomes, end + 1_000, r.to);
  const afterFailed = after.filter((o) => o.failed);
  r.check(
    `full recovery after restarting only ${name}`,
    readyAt !== undefined && afterFailed.length === 0 && others.length === 0,
    `${readyAt !== undefined ? `ready ${ms(readyAt - restartAt)} after the restart` : 'never ready'}; ${afterFailed.length} of ${after.length} failed after; ${others.length ? `restarted: ${others.join(', ')}` : 'no other process restarted'}`,
  );
  return r;
}

/** 3. The database restarted under load (a crash: SIGKILL, then the same data and port). */
export async function databaseScenario(ctx: ChaosContext): Promise<ScenarioResult> {
  const { topology: t, load, timing, say } = ctx;
  const r = result(`${t.database.kind === 'pglite' ? 'PostgreSQL (PGlite wire server)' : 'PostgreSQL'} restarted`);
  r.faults.push(
    `${t.database.kind === 'pglite' ? 'PGlite server SIGKILL' : 'PostgreSQL stop'}, down ${timing.dbHoldMs / 1000} s, restarted on the same data`,
  );
  const before = pids(t);
  say('database: going down');
  const { downAt, upAt } = await t.database.restart(timing.dbHoldMs);
  say(`database: back after ${ms(upAt - downAt)}; waiting for the subgraphs to see it`);
  const recoveredAt = await until(
    'every subgraph to reach the database again',
    async () =>
      (await Promise.all(Object.values(t.subgraphs).map((s) => health(s.base, '/ready')))).every((a) => a?.body?.database === true)
        ? Date.now()
        : undefined,
    30_000,
    100,
  ).catch(() => undefined);
  await sleep(timing.recoveryMs);
  r.to = Date.now();
  const end = recoveredAt ?? r.to;
  r.windows.push({ label: 'database down until every subgraph reached it', from: downAt, to: end });

  const inWindow = overlapping(load.outcomes, downAt, end);
  const failed = inWindow.filter((o) => o.failed);
  r.check(
    'requests touching the database failed during the outage (the fault took effect)',
    failed.length > 0,
    `${failed.length} of ${inWindow.length} failed`,
  );
  const slowest = Math.max(0, ...failed.map((o) => o.end - o.start));
  r.check('they failed fast (each within 3 s; the client waits 15 s)', slowest < 3_000, `slowest failure ${ms(slowest)}`);
  const slowestAny = Math.max(0, ...inWindow.map((o) => o.end - o.start));
  r.check('no request hung (every request in the window answered within 6 s)', slowestAny < 6_000, `slowest ${ms(slowestAny)}`);
  const unclear = failed.filter(
    (o) => o.status >= 500 || o.status === 0 || o.stackInBody || o.errors.some((e) => e.code !== 'SERVICE_UNAVAILABLE'),
  );
  r.check(
    'each failure was a clear coded error: SERVICE_UNAVAILABLE, not a 500, not a stack',
    unclear.length === 0,
    unclear.length ? describeFailures(unclear) : failed.length ? describeFailures(failed, 2) : 'no failures',
  );
  const restarted = unchanged(before, pids(t), ['postgres-pglite']);
  const after = overlapping(load.outcomes, end + 1_000, r.to);
  const afterFailed = after.filter((o) => o.failed);
  r.check(
    'full recovery without restarting any service',
    recoveredAt !== undefined && afterFailed.length === 0 && restarted.length === 0,
    `${recoveredAt !== undefined ? `subgraphs reached it ${ms(recoveredAt - upAt)} after it was back` : 'not within 30 s'}; ${afterFailed.length} of ${after.length} failed after${afterFailed.length ? ` (${describeFailures(afterFailed)})` : ''}; ${restarted.length ? `restarted: ${restarted.join(', ')}` : 'no service restarted'}`,
  );
  return r;
}

interface Phase {
  label: string;
  faults: { code: string; fault: Fault; options?: FaultOptions }[];
}

/** 4. Carrier faults (hang, 5xx, malformed, 429, expired-token) during comparisons and submissions. */
export async function carrierScenario(ctx: ChaosContext): Promise<ScenarioResult & { retriedCaseIds: Set<string> }> {
  const { topology: t, load, timing, targets, say } = ctx;
  const r = Object.assign(result('Carrier faults: hang, 5xx, malformed, 429, expired-token'), { retriedCaseIds: new Set<string>() });
  const control = t.simulators.control;
  // The hand-off phase needs carriers whose circuits are closed: one submission target of each
  // protocol is kept out of the quote faults. The quote faults go to other carriers, each its own,
  // so every fault meets a closed circuit (five failures open one for 10 s, hiding a next fault),
  // and to carriers that quote the comparisons' insured at all (else the fault is never met).
  const reservedTargets = ['ACORD', 'REST', 'RATEBOOK']
    .map((protocol) => targets.find((x) => x.protocol === protocol))
    .filter((x): x is SubmitTarget => x !== undefined);
  const reserved = new Set(reservedTargets.map((x) => x.code));
  const probe0 = await load.request(0, 'compareQuotes', COMPARE_QUERY, { input: { ...QUOTE_BASE, faceAmount: 500_000 } });
  const quoting = new Set(
    Object.entries(probe0.carrierOutcomes ?? {})
      .filter(([, status]) => status === 'OK')
      .map(([id]) => CARRIERS.find((c) => c.id === id)!.code),
  );
  const targeted = new Set(targets.map((x) => x.code));
  // Carriers nobody submits to first: their open circuits cost no submission.
  const free = CARRIERS.filter((c) => !reserved.has(c.code) && quoting.has(c.code) && c.protocol !== 'RATEBOOK').sort(
    (a, b) => Number(targeted.has(a.code)) - Number(targeted.has(b.code)),
  );
  const take = (protocol?: string) => {
    const i = free.findIndex((c) => !protocol || c.protocol === protocol);
    return i < 0 ? undefined : free.splice(i, 1)[0].code;
  };
  const candidates: { code: string | undefined; fault: Fault; options?: FaultOptions }[] = [
    // expired-token is OAuth's: a REST carrier.
    { code: take('REST'), fault: 'expired-token' },
    { code: take('ACORD'), fault: 'hang' },
    { code: take(), fault: 'malformed' },
    { code: take(), fault: '5xx' },
    { code: take(), fault: '429', options: { retryAfterSeconds: 1 } },
    // A rate-book carrier prices from the book it holds: its server failing should change nothing.
    { code: CARRIERS.find((c) => c.protocol === 'RATEBOOK' && !reserved.has(c.code))?.code, fault: '5xx' },
  ];
  const quoteFaults: Phase['faults'] = candidates.filter((f): f is Phase['faults'][number] => f.code !== undefined);
  const missing = candidates.filter((f) => f.code === undefined).map((f) => f.fault);
  const refusals: Fault[] = ['hang', '5xx', 'malformed'];
  const handOff: Phase['faults'] = reservedTargets.map((x, i) => ({
    code: x.code,
    fault: refusals[i % refusals.length],
    options: { kinds: ['submit'] },
  }));
  const phases: (Phase & { ms: number })[] = [
    { label: 'quote faults', faults: quoteFaults, ms: 2 * timing.faultPhaseMs },
    // Priced fine, refused at hand-off: the cases are written and the outbox must keep trying.
    { label: 'submissions refused', faults: handOff, ms: timing.faultPhaseMs },
  ];
  const handOffCodes = new Set(handOff.map((f) => f.code));
  const faultedIds = new Set(phases.flatMap((p) => p.faults.map((f) => CARRIERS.find((c) => c.code === f.code)!.id)));
  const firstAt = Date.now();
  const seen: { phase: string; code: string; fault: string; statuses: Record<string, number> }[] = [];
  let handOffFrom = 0;
  let handOffTo = 0;
  for (const phase of phases) {
    const from = Date.now();
    if (phase.faults === handOff) handOffFrom = from;
    for (const f of phase.faults) {
      control.setFault(f.code, f.fault, f.options);
      r.faults.push(
        `${f.code} (${CARRIERS.find((c) => c.code === f.code)!.protocol}): ${f.fault}${f.options?.kinds ? ` on ${f.options.kinds.join(',')}` : ''}`,
      );
    }
    say(`carriers: ${phase.faults.map((f) => `${f.code} ${f.fault}${f.options?.kinds ? ` (${f.options.kinds})` : ''}`).join(', ')}`);
    if (phase.label === 'submissions refused') {
      // Make sure each refusing carrier gets submissions now, whatever the load's rotation.
      for (const target of targets.filter((x) => handOffCodes.has(x.code)))
        for (let i = 0; i < 2; i++) void load.send(0, 'submitCase', target);
    }
    await sleep(phase.ms);
    control.clearFaults();
    const to = Date.now();
    if (phase.faults === handOff) handOffTo = to;
    for (const f of phase.faults) {
      if (f.options?.kinds) continue;
      const id = CARRIERS.find((c) => c.code === f.code)!.id;
      const statuses: Record<string, number> = {};
      for (const o of overlapping(load.outcomes, from, to)) {
        if (o.op !== 'compareQuotesFresh' || !o.carrierOutcomes) continue;
        const status = o.carrierOutcomes[id] ?? 'MISSING';
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
      seen.push({ phase: phase.label, code: f.code, fault: f.fault, statuses });
    }
  }
  const clearedAt = Date.now();
  say('carriers: faults cleared; waiting for every carrier to answer again');
  let probe = 0;
  const recoveredAt = await until(
    'every carrier to answer a fresh comparison',
    async () => {
      const o = await load.request(0, 'compareQuotesFresh', COMPARE_QUERY, {
        input: { ...QUOTE_BASE, faceAmount: 950_250 - ++probe * 500 },
      });
      return o.carrierOutcomes &&
        [...faultedIds].every((id) => o.carrierOutcomes![id] === 'OK' || o.carrierOutcomes![id] === 'NO_ELIGIBLE_PRODUCT')
        ? Date.now()
        : undefined;
    },
    40_000,
    1_000,
  ).catch(() => undefined);
  await sleep(timing.recoveryMs);
  r.to = Date.now();
  const end = recoveredAt ?? r.to;
  r.windows.push({ label: 'first fault until every carrier answered again', from: firstAt, to: end });

  const inWindow = overlapping(load.outcomes, firstAt, end);
  const comparisons = inWindow.filter(isComparison);
  const brokenComparisons = comparisons.filter((o) => o.failed || Object.keys(o.carrierOutcomes ?? {}).length !== CARRIERS.length);
  r.check(
    `every comparison answered, with one outcome per carrier (${CARRIERS.length})`,
    brokenComparisons.length === 0,
    brokenComparisons.length ? describeFailures(brokenComparisons) : `${comparisons.length} of ${comparisons.length}`,
  );
  // A rate-book carrier prices from the book it holds: its server failing changes nothing (reported, not required).
  const protocolOf = (code: string) => CARRIERS.find((c) => c.code === code)!.protocol;
  const unseen = seen.filter((s) => protocolOf(s.code) !== 'RATEBOOK' && Object.keys(s.statuses).every((k) => k === 'OK'));
  r.check(
    "each fault showed as that carrier's outcome (not OK) in fresh comparisons; the others answered",
    unseen.length === 0 && seen.length > 0 && missing.length === 0,
    seen
      .map(
        (s) =>
          `${s.code} ${s.fault}: ${
            Object.entries(s.statuses)
              .map(([k, n]) => `${k}×${n}`)
              .join(' ') || 'no fresh comparison'
          }`,
      )
      .join('; ') + (missing.length ? `; no quoting carrier left for: ${missing.join(', ')}` : ''),
  );
  const slowest = Math.max(0, ...comparisons.map((o) => o.end - o.start));
  r.check('comparisons stayed within their deadline (COMPARE_TIMEOUT_MS 4 s + 2 s)', slowest < 6_000, `slowest ${ms(slowest)}`);
  const submissions = inWindow.filter((o) => o.op === 'submitCase');
  const wrong = submissions.filter(
    (o) =>
      o.failed && !(o.errors.length > 0 && o.errors.every((e) => e.code === 'CARRIER_UNAVAILABLE') && faultedIds.has(o.target!.carrierId)),
  );
  r.check(
    'each submission got its case, or CARRIER_UNAVAILABLE from a faulted carrier',
    wrong.length === 0,
    wrong.length
      ? describeFailures(wrong)
      : `${submissions.filter((o) => o.caseId).length} cases, ${submissions.filter((o) => o.failed).length} CARRIER_UNAVAILABLE`,
  );
  const otherFailed = inWindow.filter((o) => o.failed && !isComparison(o) && o.op !== 'submitCase');
  r.check(
    'reads other than comparisons were unaffected',
    otherFailed.length === 0,
    otherFailed.length
      ? describeFailures(otherFailed)
      : `${inWindow.filter((o) => !isComparison(o) && o.op !== 'submitCase').length} answered`,
  );
  // The cases written for refusing carriers during the faults: the final checks show the outbox delivered them.
  for (const o of submissions)
    if (o.caseId && handOffCodes.has(o.target!.code) && o.start >= handOffFrom && o.start <= handOffTo) r.retriedCaseIds.add(o.caseId);
  r.check(
    'every carrier answered again after the faults cleared',
    recoveredAt !== undefined,
    recoveredAt !== undefined ? `${ms(recoveredAt - clearedAt)} after clearing` : 'not within 40 s',
  );
  return r;
}

/** Codes after which a client would send the same submission again (same idempotency key). */
const RETRYABLE = new Set(['SERVICE_UNAVAILABLE', 'CARRIER_UNAVAILABLE', 'INTERNAL_SERVER_ERROR', 'RATE_LIMITED']);

export interface Ledger {
  attempted: number;
  cases: number;
  clientRetries: number;
  acceptedAtCarriers: number;
  rejectedByCarriers: number;
  lost: number;
  duplicates: number;
  unresolved: number;
}

/**
 * After the chaos: every submission's idempotency key must stand for exactly one case, and every
 * case must have reached its carrier exactly once. Submissions that got no answer or a retryable
 * error are sent again with the same key first, as a client would.
 */
export async function deliveryChecks(
  ctx: ChaosContext,
  runId: string,
  retriedCaseIds: ReadonlySet<string>,
): Promise<ScenarioResult & { ledger: Ledger }> {
  const { topology: t, load, timing, say } = ctx;
  const r = Object.assign(result('Afterwards: every submission exactly once, in the database and at its carrier'), {
    ledger: {
      attempted: 0,
      cases: 0,
      clientRetries: 0,
      acceptedAtCarriers: 0,
      rejectedByCarriers: 0,
      lost: 0,
      duplicates: 0,
      unresolved: 0,
    } as Ledger,
  });
  const ledger = r.ledger;
  const submissions = load.outcomes.filter((o) => o.op === 'submitCase' && o.idempotencyKey);
  const byKey = new Map<string, Outcome[]>();
  for (const o of submissions) byKey.set(o.idempotencyKey!, [...(byKey.get(o.idempotencyKey!) ?? []), o]);
  ledger.attempted = byKey.size;
  const tokenOf = (client: number) => `user:chaos-${client}`;

  // What the clients saw, before any retry: the cases they were told about must all exist, once.
  const rows = async () =>
    (
      await t.pool.query<{
        id: string;
        createdBy: string;
        key: string;
        carrierId: string;
        carrierReference: string | null;
        sentAt: string | null;
        attempts: number;
        rejected: boolean;
      }>(
        `SELECT c.id, c.created_by AS "createdBy", c.idempotency_key AS key, c.carrier_id AS "carrierId", c.carrier_reference AS "carrierReference",
                o.sent_at AS "sentAt", o.attempts,
                EXISTS (SELECT 1 FROM cases.case_event e WHERE e.case_id = c.id AND e.type = 'SUBMISSION_REJECTED') AS rejected
           FROM cases."case" c LEFT JOIN cases.outbox o ON o.case_id = c.id
          WHERE c.idempotency_key LIKE $1`,
        [`chaos-${runId}-%`],
      )
    ).rows;
  let found = await rows();
  const told = submissions.filter((o) => o.caseId);
  const lost = told.filter(
    (o) => !found.some((row) => row.id === o.caseId && row.key === o.idempotencyKey && row.createdBy === tokenOf(o.client)),
  );
  ledger.lost = lost.length;
  r.check(
    'no case lost: every case a client was given exists',
    lost.length === 0,
    `${told.length} cases given to clients, ${lost.length} missing`,
  );

  // Client retries: same key, same payload.
  const retry = [...byKey.values()].filter(
    (tries) => !tries.some((o) => o.caseId) && tries.every((o) => o.status === 0 || o.codes.some((c) => RETRYABLE.has(c))),
  );
  say(`delivery: ${told.length} submissions answered with a case; retrying ${retry.length} that got none, with the same keys`);
  ledger.clientRetries = retry.length;
  const queue = [...retry];
  const retryDeadline = Date.now() + timing.drainMs / 2;
  await Promise.all(
    [0, 1, 2].map(async () => {
      for (let tries = queue.shift(); tries && Date.now() < retryDeadline; tries = queue.shift()) {
        const first = tries[0];
        for (let attempt = 0; attempt < 3; attempt++) {
          const o = await load.resubmit(first);
          if (o.caseId || !(o.status === 0 || o.codes.some((c) => RETRYABLE.has(c)))) break;
          await sleep(1_000);
        }
      }
    }),
  );

  // The outbox delivers everything, retries included.
  const drained = await until(
    'the outbox to deliver every case',
    async () => {
      found = await rows();
      return found.every((row) => row.sentAt !== null) ? Date.now() : undefined;
    },
    timing.drainMs,
    500,
  ).catch(() => undefined);
  const pending = found.filter((row) => row.sentAt === null);
  r.check(
    `the outbox delivered every case (within ${timing.drainMs / 1000} s)`,
    drained !== undefined,
    `${found.length - pending.length} of ${found.length} sent${pending.length ? `; pending attempts: ${pending.map((p) => p.attempts).join(',')}` : ''}`,
  );

  const perKey = new Map<string, number>();
  for (const row of found) perKey.set(`${row.createdBy}/${row.key}`, (perKey.get(`${row.createdBy}/${row.key}`) ?? 0) + 1);
  ledger.duplicates = [...perKey.values()].filter((n) => n > 1).length;
  const unresolved = [...byKey].filter(([key, tries]) => !perKey.has(`${tokenOf(tries[0].client)}/${key}`));
  ledger.unresolved = unresolved.length;
  ledger.cases = found.length;
  r.check(
    'every submission is exactly one case (after client retries with the same key)',
    ledger.duplicates === 0 && unresolved.length === 0,
    `${byKey.size} keys, ${found.length} cases, ${ledger.duplicates} duplicated, ${unresolved.length} without a case${unresolved.length ? ` (${describeFailures(load.outcomes.filter((o) => o.op === 'submitCase' && unresolved.some(([k]) => k === o.idempotencyKey)))})` : ''}`,
  );

  // At the carriers: one application per accepted case, under the case's reference, and nothing else.
  const control = t.simulators.control;
  const applications = control.codes().flatMap((code) => control.applications(code).map((a) => ({ ...a, code })));
  const accepted = found.filter((row) => row.carrierReference !== null);
  ledger.acceptedAtCarriers = accepted.length;
  ledger.rejectedByCarriers = found.filter((row) => row.rejected).length;
  const mismatched = accepted.filter((row) => {
    const mine = applications.filter((a) => a.reference === `bga-${row.id}`);
    return (
      mine.length !== 1 ||
      mine[0].carrierReference !== row.carrierReference ||
      mine[0].code !== CARRIERS.find((c) => c.id === row.carrierId)!.code
    );
  });
  const ours = new Set(found.map((row) => `bga-${row.id}`));
  const strays = applications.filter((a) => !ours.has(a.reference));
  const rejectedButThere = found.filter((row) => row.rejected && applications.some((a) => a.reference === `bga-${row.id}`));
  r.check(
    'every accepted case reached its carrier exactly once, and nothing else did',
    mismatched.length === 0 &&
      strays.length === 0 &&
      rejectedButThere.length === 0 &&
      accepted.length + ledger.rejectedByCarriers === found.length,
    `${accepted.length} accepted = ${applications.length} applications at the carriers; ${ledger.rejectedByCarriers} refused by underwriting; ${mismatched.length} mismatched, ${strays.length} strays`,
  );
  const retried = found.filter((row) => retriedCaseIds.has(row.id));
  const resent = retried.filter((row) => row.attempts > 1);
  r.check(
    'cases refused at hand-off during the carrier faults were retried by the outbox and delivered',
    resent.length > 0 && retried.every((row) => row.sentAt !== null),
    `${resent.length} of ${retried.length} cases for the faulted carriers needed more than one attempt (max ${Math.max(0, ...retried.map((row) => row.attempts))}); all delivered: ${retried.every((row) => row.sentAt !== null)}`,
  );
  r.to = Date.now();
  return r;
}
