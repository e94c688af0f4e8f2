/**
 * bench:cases, vendor webhooks (issue #15): the requirement vendors' signed status pushes applied at
 * 200 a second against the cases subgraph on PostgreSQL. Requirements with an order at each vendor
 * are added in one bulk statement on the seeded book's open cases (ORDERED, sequence 1); then each
 * webhook is a next stage of one of them, half PULSE JSON and half CHARTWELL ACORD 1122 XML, encoded
 * and signed by the simulators' own encoders (PULSE_SPEC, CHARTWELL_SPEC) with the development
 * secrets the subgraph defaults to, and a share are redeliveries of an event already sent. They are
 * sent from a worker thread (bench/vendor-webhook-sender.ts), off the subgraph's event loop.
 *
 * Open loop: every webhook has its scheduled send time (one per 5 ms) and is sent then whether or not
 * the earlier ones were answered; its latency runs from the scheduled time, so a queue building up in
 * the subgraph (or in this process's event loop) shows in the latency instead of slowing the sender
 * down and hiding itself (coordinated omission). Afterwards, in SQL: every requirement's sequence is
 * the last stage sent to it, with one REQUIREMENT_VENDOR_STATUS event per distinct event, no more.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type pg from 'pg';
import type { ChartwellStage } from '../simulators/aps/chartwell.codes';
import { CHARTWELL_SPEC } from '../simulators/aps/chartwell.simulator';
import { PULSE_SPEC, type PulseStage } from '../simulators/exam/pulse.simulator';
import { CLOSED_STATUSES_SQL } from '../subgraphs/cases/cases.migrations';
import { cpuStopwatch, ms, percentile } from './bench-support';
import type { SendOutcome, SenderInput, SenderOutput } from './vendor-webhook-sender';

type Vendor = 'PULSE' | 'CHARTWELL';

export interface VendorWebhookOptions {
  /** Webhooks per second, scheduled (default 200). */
  rate: number;
  /** Measured seconds (default 10), after `warmupSeconds` (default 1) sent the same way but not timed. */
  seconds: number;
  warmupSeconds: number;
  /** Requirements with an order at a vendor, half at each (default 2,000). */
  requirements: number;
  /** Share of sends that redeliver an event already sent (default 0.05). */
  duplicateShare: number;
}

export const VENDOR_WEBHOOK_DEFAULTS: VendorWebhookOptions = {
  rate: 200,
  seconds: 10,
  warmupSeconds: 1,
  requirements: 2_000,
  duplicateShare: 0.05,
};

/** The defaults, or BENCH_WEBHOOK_RATE / BENCH_WEBHOOK_SECONDS to look at another load by hand. */
export function vendorWebhookOptions(env: NodeJS.ProcessEnv): VendorWebhookOptions {
  const positive = (name: string, fallback: number) => {
    const value = Number(env[name] ?? fallback);
    if (!(value > 0)) throw new Error(`${name} must be a positive number`);
    return value;
  };
  return { ...VENDOR_WEBHOOK_DEFAULTS, rate: positive('BENCH_WEBHOOK_RATE', 200), seconds: positive('BENCH_WEBHOOK_SECONDS', 10) };
}

export interface VendorWebhookRun {
  options: VendorWebhookOptions;
  /** Measured sends (warm-up excluded): latency from the scheduled send time to the answer, ms. */
  sends: number;
  p50: number;
  p99: number;
  max: number;
  /** Sends per second over the measured seconds (first scheduled send to last actual send). */
  achievedRate: number;
  /** Every send, warm-up included. */
  total: number;
  applied: number;
  duplicates: number;
  /** Redeliveries sent, each expected to answer 200 `duplicate`. */
  redeliveries: number;
  /** Answers beyond one 200 `applied` per event and 200 `duplicate` for its other deliveries. */
  wrongAnswers: number;
  /** HTTP statuses answered, and how many of each (0: no answer). */
  statuses: Record<number, number>;
  /** The SQL check afterwards. */
  check: { requirements: number; sequenceWrong: number; eventsWrong: number; claimed: number; distinctEvents: number };
  /** The latest a send left after its scheduled time (the sender's own lag), ms. */
  senderLagMax: number;
  /** This process's CPU (the subgraph and the sender) per webhook, ms: the database's is not in it. */
  cpuMsPerWebhook: number;
}

const ID_PREFIX = 'req_hook_';
const EVENT_PREFIX = 'evt-bench-hook-';
const PULSE_PATH: readonly PulseStage[] = PULSE_SPEC.path;
const CHARTWELL_PATH: readonly ChartwellStage[] = CHARTWELL_SPEC.path;

const vendorOf = (requirement: number): Vendor => (requirement % 2 === 0 ? 'PULSE' : 'CHARTWELL');
const orderIdOf = (requirement: number) => `HOOK-${requirement}`;

/** Removes what a run added (its requirements, their events, its claimed event ids): before, and after it is checked. */
async function clean(pool: pg.Pool): Promise<void> {
  await pool.query(`DELETE FROM cases.case_event WHERE requirement_id IN (SELECT id FROM cases.requirement WHERE id LIKE '${ID_PREFIX}%')`);
  await pool.query(`DELETE FROM cases.requirement WHERE id LIKE '${ID_PREFIX}%'`);
  await pool.query(`DELETE FROM cases.vendor_event WHERE event_id LIKE '${EVENT_PREFIX}%'`);
}

/** The requirements the webhooks move: ordered two days ago, acknowledged by the vendor (ORDERED, sequence 1). */
async function seedOrders(pool: pg.Pool, count: number): Promise<void> {
  await clean(pool);
  await pool.query(
    `INSERT INTO cases.requirement (id, case_id, code, status, ordered_at, follow_up_on, vendor, vendor_order_id, vendor_stage,
                                    vendor_stage_at, vendor_sequence)
     SELECT '${ID_PREFIX}' || g, c.id, CASE WHEN g % 2 = 0 THEN 'PARAMED_EXAM' ELSE 'APS' END, 'ORDERED', now() - interval '2 days',
            current_date + 1, CASE WHEN g % 2 = 0 THEN 'PULSE' ELSE 'CHARTWELL' END, 'HOOK-' || g, 'ORDERED', now() - interval '2 days', 1
       FROM generate_series(0, $1::int - 1) g
       JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n, count(*) OVER () AS total
               FROM cases."case" WHERE status NOT IN ${CLOSED_STATUSES_SQL}) c
         ON c.n = (g * 7) % c.total`,
    [count],
  );
  await pool.query('ANALYZE cases.requirement');
}

interface Delivery {
  eventId: string;
  requirement: number;
  sequence: number;
  vendor: Vendor;
  contentType: string;
  body: string;
}

/** The k-th distinct event: the next stage of requirement k mod N, encoded as its vendor encodes it. */
function eventOf(k: number, count: number, startedAt: number): Delivery {
  const requirement = k % count;
  const sequence = 2 + Math.floor(k / count);
  const vendor = vendorOf(requirement);
  const eventId = `${EVENT_PREFIX}${k}`;
  const occurredAt = new Date(startedAt + k).toISOString();
  const carrier = { code: 'SUMMIT', policyReference: `POL-HOOK-${requirement}`, requirementId: null };
  const base = { eventId, orderId: orderIdOf(requirement), reference: `${ID_PREFIX}${requirement}`, sequence, occurredAt, carrier };
  if (vendor === 'PULSE') {
    const stage = PULSE_PATH[Math.min(sequence - 1, PULSE_PATH.length - 1)];
    const details = { appointmentAt: new Date(startedAt + 3 * 86_400_000).toISOString(), appointmentPlace: 'Home visit' };
    const { body, contentType } = PULSE_SPEC.encode({ ...base, stage, details });
    return { eventId, requirement, sequence, vendor, body, contentType };
  }
  const stage = CHARTWELL_PATH[Math.min(sequence - 1, CHARTWELL_PATH.length - 1)];
  const details = { providerExpectedOn: new Date(startedAt + 14 * 86_400_000).toISOString().slice(0, 10), providerFee: null };
  const { body, contentType } = CHARTWELL_SPEC.encode({ ...base, stage, details });
  return { eventId, requirement, sequence, vendor, body, contentType };
}

/** A small deterministic generator (mulberry32): the same run every time. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Outcome extends SendOutcome {
  measured: boolean;
  redelivery: boolean;
}

/** `baseUrl` is the cases subgraph's origin (its routes /webhooks/vendors/pulse and /webhooks/vendors/chartwell). */
export async function benchVendorWebhooks(
  pool: pg.Pool,
  baseUrl: string,
  options: VendorWebhookOptions = VENDOR_WEBHOOK_DEFAULTS,
): Promise<VendorWebhookRun> {
  const { rate, seconds, warmupSeconds, requirements: count, duplicateShare } = options;
  await seedOrders(pool, count);
  const total = Math.round(rate * (seconds + warmupSeconds));
  const interval = 1000 / rate;
  const warmupSends = Math.round(rate * warmupSeconds);
  const next = random(15);
  const startedAt = Date.now();
  // The whole schedule first, so building bodies costs nothing while sending.
  const plan: { delivery: Delivery; redelivery: boolean }[] = [];
  const distinct: Delivery[] = [];
  for (let i = 0; i < total; i++) {
    // A redelivery repeats one of the last 200 distinct events (up to a second old), as a vendor's retry does.
    if (distinct.length > 1 && next() < duplicateShare) {
      const back = 1 + Math.floor(next() * Math.min(200, distinct.length));
      plan.push({ delivery: distinct[distinct.length - back], redelivery: true });
    } else {
      const delivery = eventOf(distinct.length, count, startedAt);
      distinct.push(delivery);
      plan.push({ delivery, redelivery: false });
    }
  }
  // The vendors send from a worker thread (bench/vendor-webhook-sender.ts): not on the subgraph's event loop.
  const input: SenderInput = {
    baseUrl,
    interval,
    sends: plan.map(({ delivery }) => ({ vendor: delivery.vendor, contentType: delivery.contentType, body: delivery.body })),
  };
  const cpu = cpuStopwatch();
  const sender = new Worker(join(__dirname, 'vendor-webhook-sender.js'), { workerData: input });
  const output = await new Promise<SenderOutput>((resolve, reject) => {
    sender.once('message', resolve);
    sender.once('error', reject);
  });
  await sender.terminate();
  const cpuMs = cpu();
  const outcomes: Outcome[] = output.outcomes.map((o, i) => ({ ...o, measured: i >= warmupSends, redelivery: plan[i].redelivery }));
  const measured = outcomes.filter((o) => o.measured);
  const latencies = measured.map((o) => o.latency);
  // Per event: one 200 `applied` and every other delivery 200 `duplicate` (a redelivery queued behind
  // its first delivery may be the one applied: the claim decides, not the order of sending).
  const byEvent = new Map<string, Outcome[]>();
  for (const [i, o] of outcomes.entries()) byEvent.set(plan[i].delivery.eventId, [...(byEvent.get(plan[i].delivery.eventId) ?? []), o]);
  let wrongAnswers = 0;
  for (const answers of byEvent.values()) {
    const applied = answers.filter((o) => o.status === 200 && o.applied && !o.duplicate).length;
    const duplicates = answers.filter((o) => o.status === 200 && o.duplicate && !o.applied).length;
    wrongAnswers += answers.length - Math.min(applied, 1) - (applied === 1 ? duplicates : 0);
  }
  const statuses = new Map<number, number>();
  for (const o of outcomes) statuses.set(o.status, (statuses.get(o.status) ?? 0) + 1);
  const check = await checkApplied(pool, count, distinct);
  // The book as seeded again for the other measures (the worklist counts outstanding requirements).
  await clean(pool);
  return {
    options,
    sends: measured.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: Math.max(...latencies),
    achievedRate: (measured.length - 1) / ((output.lastSentAfter - warmupSends * interval) / 1000),
    total: outcomes.length,
    applied: outcomes.filter((o) => o.applied).length,
    duplicates: outcomes.filter((o) => o.duplicate).length,
    redeliveries: outcomes.filter((o) => o.redelivery).length,
    wrongAnswers,
    statuses: Object.fromEntries(statuses),
    check,
    senderLagMax: Math.max(...outcomes.map((o) => o.sentLag)),
    cpuMsPerWebhook: cpuMs / outcomes.length,
  };
}

/** Every requirement at the last stage sent to it, with one history event per distinct event; every event id claimed once. */
async function checkApplied(pool: pg.Pool, count: number, distinct: readonly Delivery[]): Promise<VendorWebhookRun['check']> {
  const expected = Array.from({ length: count }, () => ({ sequence: 1, events: 0 }));
  for (const delivery of distinct) {
    expected[delivery.requirement].sequence = Math.max(expected[delivery.requirement].sequence, delivery.sequence);
    expected[delivery.requirement].events++;
  }
  const { rows } = await pool.query<{ id: string; sequence: number; events: number }>(
    `SELECT r.id, r.vendor_sequence AS sequence,
            (SELECT count(*)::int FROM cases.case_event e WHERE e.requirement_id = r.id AND e.type = 'REQUIREMENT_VENDOR_STATUS') AS events
       FROM cases.requirement r WHERE r.id LIKE '${ID_PREFIX}%'`,
  );
  let sequenceWrong = count - rows.length;
  let eventsWrong = count - rows.length;
  for (const row of rows) {
    const want = expected[Number(row.id.slice(ID_PREFIX.length))];
    if (row.sequence !== want.sequence) sequenceWrong++;
    if (row.events !== want.events) eventsWrong++;
  }
  const [{ claimed }] = (await pool.query(`SELECT count(*)::int AS claimed FROM cases.vendor_event WHERE event_id LIKE '${EVENT_PREFIX}%'`))
    .rows;
  return { requirements: rows.length, sequenceWrong, eventsWrong, claimed, distinctEvents: distinct.length };
}

/** True when every webhook was answered as it should be and applied exactly once. */
export const appliedExactlyOnce = (run: VendorWebhookRun): boolean =>
  run.wrongAnswers === 0 &&
  run.check.sequenceWrong === 0 &&
  run.check.eventsWrong === 0 &&
  run.check.claimed === run.check.distinctEvents &&
  run.applied === run.check.distinctEvents;

export function vendorWebhookRows(run: VendorWebhookRun): string[][] {
  const o = run.options;
  return [
    [
      `signed vendor webhook at ${o.rate}/s open loop (half PULSE JSON, half CHARTWELL ACORD 1122 XML, ${Math.round(o.duplicateShare * 100)} % redeliveries), latency from its scheduled send`,
      ms(run.p50),
      ms(run.p99),
      ms(run.max),
      '≤ 50 ms p99',
    ],
  ];
}

export function vendorWebhookSummary(run: VendorWebhookRun): string {
  const c = run.check;
  return [
    `- Sent: ${run.total} webhooks (${run.sends} measured over ${run.options.seconds} s after ${run.options.warmupSeconds} s of warm-up), achieved ${run.achievedRate.toFixed(1)}/s measured (scheduled ${run.options.rate}/s); the sender's worst lag behind its schedule ${ms(run.senderLagMax)}; CPU of the bench process (subgraph and sender) ${ms(run.cpuMsPerWebhook)} per webhook.`,
    `- Answers: ${run.applied} \`applied\`, ${run.duplicates} \`duplicate\` (of ${run.redeliveries} redeliveries), ${run.wrongAnswers} wrong (anything beyond one 200 \`applied\` per event and 200 \`duplicate\` for its other deliveries); HTTP statuses ${Object.entries(
      run.statuses,
    )
      .map(([status, n]) => `${status}: ${n}`)
      .join(', ')}.`,
    `- Applied exactly once (SQL afterwards, ${c.requirements} requirements): ${c.distinctEvents} distinct events, ${c.claimed} claimed in cases.vendor_event; requirements whose vendor_sequence is not the last sent: ${c.sequenceWrong}; whose REQUIREMENT_VENDOR_STATUS events are not one per distinct event: ${c.eventsWrong} — **${appliedExactlyOnce(run) ? 'every webhook applied exactly once' : 'NOT applied exactly once'}**.`,
    `- p99 ≤ 50 ms: **${run.p99 <= 50 ? 'met' : 'missed'}** (${ms(run.p99)}).`,
  ].join('\n');
}
