/**
 * bench:gateway's subscriptions (issue #17; `BENCH_ONLY=subscriptions` runs this part alone): N
 * subscriptions open on one gateway process over SSE (graphql-sse's distinct connections, one
 * caller each), `caseUpdated(caseId)` on N cases, and one case event per second committed on each
 * case (a multi-row INSERT into cases.case_event every 50 ms, as a write path commits them). Per
 * event: commit (the INSERT's answer) → the relay (CASE_EVENT_RELAY_INTERVAL_MS) → Redis Stream →
 * the gateway's XREAD → the subscriber's selection resolved through the federated path with its
 * identity → the SSE frame read here. Measured: that latency's percentiles, deliveries against the
 * events committed (none may be missing), the gateway's heap and RSS (its own /metrics) before the
 * subscriptions, with them open and idle, and under load, per subscription; where the CPU went.
 */
import Redis from 'ioredis';
import pg from 'pg';
import { Agent } from 'undici';
import { mintDevToken } from '../../gateway/plugins/authentication';
import { DEFAULT_REDIS_KEY_PREFIX } from '../../platform/config';
import { SseSubscriber } from '../../test/support/sse-subscriber';
import { percentile, table } from '../bench-support';
import { cpuSplit, limitOf, measureCpu, type Watched } from './processes';

export interface SubscriptionBenchOptions {
  /** The gateway's /graphql and its base (for /metrics). */
  url: string;
  base: string;
  databaseUrl: string;
  /** The Redis of the case event stream: each event's arrival there is timed too (commit → stream). */
  redisUrl: string;
  jwtSecret: string;
  subscriptions: number;
  seconds: number;
  warmupSeconds: number;
  /** Every process of the run, for where the CPU went (the gateway among them). */
  watched: Watched[];
  log: (message: string) => void;
}

export interface SubscriptionBenchResult {
  subscriptions: number;
  cases: number;
  committed: number;
  expected: number;
  delivered: number;
  missing: number;
  duplicates: number;
  latencies: number[];
  /** Commit → the entry in the Redis stream (the relay's share). */
  streamLatencies: number[];
  memory: { before: Memory; open: Memory; load: Memory };
  /** Events the gateway delivered during the window (its own counter), whichever events they were. */
  deliveredInWindow: number;
  cpu: ReturnType<ReturnType<typeof measureCpu>['stop']>;
  /** How long after the window the last of its deliveries was waited for. */
  drainedMs: number;
  reconnections: number;
  errors: string;
}

interface Memory {
  heap: number;
  rss: number;
  /** The gateway's own count of open subscriptions, and of events it delivered. */
  open: number;
  delivered: number;
}

const SUBSCRIPTION = 'subscription BenchCase($caseId: ID!) { caseUpdated(caseId: $caseId) { id status } }';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The gateway's heap used and RSS from its /metrics: the median of `samples` reads 300 ms apart (GC moves the heap). */
async function memoryOf(base: string, samples = 5): Promise<Memory> {
  const heaps: number[] = [];
  const rsss: number[] = [];
  let text = '';
  for (let i = 0; i < samples; i++) {
    text = await (await fetch(`${base}/metrics`)).text();
    const read = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, 'm').exec(text)?.[1] ?? Number.NaN);
    heaps.push(read('nodejs_heap_size_used_bytes'));
    rsss.push(read('process_resident_memory_bytes'));
    await sleep(300);
  }
  const sum = (name: string) =>
    [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, 'gm'))].reduce((total, m) => total + Number(m[1]), 0);
  return {
    heap: percentile(heaps, 50),
    rss: percentile(rsss, 50),
    open: sum('bga_gateway_subscriptions_open'),
    delivered: sum('bga_gateway_subscription_events_delivered_total'),
  };
}

export async function benchSubscriptions(options: SubscriptionBenchOptions): Promise<SubscriptionBenchResult> {
  const { log } = options;
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 4 });
  const dispatcher = new Agent({ connections: null, pipelining: 0, keepAliveTimeout: 600_000 });
  const caseIds = (await pool.query<{ id: string }>(`SELECT id FROM cases."case" ORDER BY id LIMIT $1`, [options.subscriptions])).rows.map(
    (r) => r.id,
  );
  const n = options.subscriptions;
  /** Receipts: event id and when its frame was read, per subscriber (checked against the commits at the end). */
  const receipts: { id: string; at: number; subscriber: number }[] = [];
  const subscribers: SseSubscriber[] = [];
  const committedAt = new Map<string, number>();
  let writing = true;
  let writer: Promise<void> | undefined;
  // The stream, read as a gateway reads it (a blocking XREAD), to time the relay's share.
  const streamAt = new Map<string, number>();
  const reader = new Redis(options.redisUrl, { keyPrefix: process.env.REDIS_KEY_PREFIX ?? DEFAULT_REDIS_KEY_PREFIX, lazyConnect: false });
  let reading = true;
  const readLoop = (async () => {
    let last = '$';
    while (reading) {
      const answer = (await reader.xread('COUNT', 1000, 'BLOCK', 500, 'STREAMS', '{case-events}:by-position', last).catch(() => null)) as
        | [string, [string, string[]][]][]
        | null;
      const entries = answer?.[0]?.[1] ?? [];
      const at = Date.now();
      for (const [entryId] of entries) streamAt.set(entryId.slice(entryId.indexOf('-') + 1), at);
      if (entries.length) last = entries.at(-1)![0];
    }
  })();
  try {
    const before = await memoryOf(options.base);
    log(`subscriptions: opening ${n} over SSE on ${caseIds.length} cases`);
    for (let i = 0; i < n; i++) {
      const token = await mintDevToken(options.jwtSecret, { sub: `user:bench-subscriber-${i}`, role: 'STAFF' });
      subscribers.push(
        new SseSubscriber({
          url: options.url,
          token,
          query: SUBSCRIPTION,
          variables: { caseId: caseIds[i % caseIds.length] },
          dispatcher,
          onResult: (result, at) => {
            const eventId = result.extensions?.eventId as string | undefined;
            if (eventId && !result.errors) receipts.push({ id: eventId.slice(eventId.indexOf('-') + 1), at, subscriber: i });
          },
        }),
      );
    }
    for (let i = 0; i < n; i += 100) await Promise.all(subscribers.slice(i, i + 100).map((s) => s.start()));
    await sleep(3_000);
    const open = await memoryOf(options.base);

    // The writer: every case gets one event a second, spread over 20 ticks.
    const ticks = 20;
    const perTick = Math.ceil(caseIds.length / ticks);
    let writeMs = 0;
    let writes = 0;
    writer = (async () => {
      let tick = 0;
      const start = performance.now();
      while (writing) {
        const slice = caseIds.slice((tick % ticks) * perTick, (tick % ticks) * perTick + perTick);
        const began = performance.now();
        const { rows } = await pool.query<{ id: string }>(
          `INSERT INTO cases.case_event (case_id, at, type, actor, note)
           SELECT c, now(), 'NOTE', 'system:bench', 'bench' FROM unnest($1::text[]) AS c RETURNING id::text AS id`,
          [slice],
        );
        const at = Date.now();
        writeMs += performance.now() - began;
        writes++;
        for (const row of rows) committedAt.set(row.id, at);
        tick++;
        const next = start + tick * (1_000 / ticks);
        await sleep(Math.max(0, next - performance.now()));
      }
    })();
    log(`subscriptions: ${caseIds.length} events/s committed; ${options.warmupSeconds} s warm-up, then ${options.seconds} s measured`);
    await sleep(options.warmupSeconds * 1_000);
    const atStart = await memoryOf(options.base, 1);
    const from = Date.now();
    const cpu = measureCpu(options.watched);
    await sleep(options.seconds * 1_000);
    const report = cpu.stop();
    const to = Date.now();
    const load = await memoryOf(options.base, 3);
    writing = false;
    await writer;
    // Events committed in the window, each due to every subscriber of its case: waited for until all
    // arrived, or nothing at all came for 5 s (60 s at most), so that a gateway behind still shows its latency.
    const inWindow = new Set([...committedAt].filter(([, at]) => at >= from && at < to).map(([id]) => id));
    const perCase = n / caseIds.length;
    const arrived = () => receipts.filter((r) => inWindow.has(r.id)).length;
    const drainStarted = Date.now();
    let last = -1;
    let lastChange = Date.now();
    while (Date.now() - drainStarted < 60_000 && Date.now() - lastChange < 5_000) {
      if (arrived() >= inWindow.size * perCase) break;
      // Still delivering (older events first): keep waiting.
      const count = receipts.length;
      if (count !== last) {
        last = count;
        lastChange = Date.now();
      }
      await sleep(500);
    }
    const drainedMs = Date.now() - to;
    const seen = new Set<string>();
    const latencies: number[] = [];
    let duplicates = 0;
    for (const receipt of receipts) {
      if (!inWindow.has(receipt.id)) continue;
      const key = `${receipt.subscriber}:${receipt.id}`;
      if (seen.has(key)) {
        duplicates++;
        continue;
      }
      seen.add(key);
      latencies.push(Math.max(0, receipt.at - committedAt.get(receipt.id)!));
    }
    const streamLatencies = [...inWindow].flatMap((id) =>
      streamAt.has(id) ? [Math.max(0, streamAt.get(id)! - committedAt.get(id)!)] : [],
    );
    const expected = Math.round(inWindow.size * perCase);
    const errors = new Map<string, number>();
    for (const s of subscribers) for (const [code, count] of s.errorCodes) errors.set(code, (errors.get(code) ?? 0) + count);
    log(`subscriptions: INSERT of ${perTick} rows took ${(writeMs / Math.max(1, writes)).toFixed(1)} ms on average`);
    return {
      subscriptions: n,
      cases: caseIds.length,
      committed: inWindow.size,
      expected,
      delivered: seen.size,
      missing: Math.max(0, expected - seen.size),
      duplicates,
      latencies,
      streamLatencies,
      memory: { before, open, load },
      deliveredInWindow: load.delivered - atStart.delivered,
      cpu: report,
      drainedMs,
      reconnections: subscribers.reduce((sum, s) => sum + s.connections - 1, 0),
      errors: [...errors].map(([code, count]) => `${count}× ${code}`).join(', ') || 'none',
    };
  } finally {
    writing = false;
    reading = false;
    await readLoop;
    reader.disconnect();
    await writer?.catch(() => undefined);
    await Promise.all(subscribers.map((s) => s.close()));
    await dispatcher.close().catch(() => undefined);
    await pool.end();
  }
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** The results section's body. */
export function subscriptionReport(r: SubscriptionBenchResult, settings: string, target = 100): string {
  const p = (q: number) => percentile(r.latencies, q);
  const p99 = p(99);
  const perSub = (a: Memory, b: Memory) => `heap ${kb((b.heap - a.heap) / r.subscriptions)}, RSS ${kb((b.rss - a.rss) / r.subscriptions)}`;
  const limit = limitOf(r.cpu);
  // The gateway's own count over the window: what it delivered, whichever events they were.
  const perSecond = r.deliveredInWindow / Math.max(1, r.cpu.wall);
  const perEvent = (kind: string) =>
    ((1000 * r.cpu.groups.filter((g) => g.kind === kind).reduce((sum, g) => sum + g.cores, 0)) / Math.max(1, perSecond)).toFixed(2);
  return `${settings}

${table(
  ['measure', 'value', 'target'],
  [
    ['subscriptions open (one gateway process)', `${r.subscriptions} on ${r.cases} cases`, '2,000'],
    [
      'case events committed in the window / per second',
      `${r.committed} / ${(r.committed / (r.cpu.wall || 1)).toFixed(0)}`,
      'one per subscription per second',
    ],
    [
      'deliveries expected / received / missing / twice',
      `${r.expected} / ${r.delivered} / **${r.missing}** / ${r.duplicates}`,
      'none missing, none twice',
    ],
    [
      'commit → client receipt',
      `p50 ${p(50)} ms, p90 ${p(90)} ms, **p99 ${p99} ms**, max ${Math.max(0, ...r.latencies)} ms`,
      `p99 ≤ ${target} ms: **${p99 <= target ? 'met' : 'not met'}**`,
    ],
    [
      'of which commit → the Redis stream (the relay)',
      `p50 ${percentile(r.streamLatencies, 50)} ms, p90 ${percentile(r.streamLatencies, 90)} ms, p99 ${percentile(r.streamLatencies, 99)} ms`,
      '',
    ],
    [
      'gateway memory: before → open, idle → under load',
      `heap ${mb(r.memory.before.heap)} → ${mb(r.memory.open.heap)} → ${mb(r.memory.load.heap)}; RSS ${mb(r.memory.before.rss)} → ${mb(r.memory.open.rss)} → ${mb(r.memory.load.rss)}`,
      '',
    ],
    [
      "the gateway's metrics: subscriptions open (idle, under load), events delivered",
      `${r.memory.open.open}, ${r.memory.load.open}; ${r.memory.load.delivered}`,
      '',
    ],
    ['memory per subscription, open and idle', perSub(r.memory.before, r.memory.open), ''],
    ['memory per subscription, under load', perSub(r.memory.before, r.memory.load), ''],
    [
      "the gateway's throughput over the window (its own count); CPU per event it delivered: gateway / subgraphs",
      `${perSecond.toFixed(0)} events/s; ${perEvent('gateway')} ms / ${perEvent('subgraph')} ms`,
      `${r.subscriptions} events/s`,
    ],
    ['CPU, cores: gateway / subgraphs / database / Redis / load generator / other', cpuSplit(r.cpu), ''],
    ['what held it back', limit.text, ''],
    ['reconnections, error results', `${r.reconnections}, ${r.errors}`, '0, none'],
  ],
)}`;
}
