/**
 * Redis killed while subscriptions are open (#17): N subscribers over SSE, each on `caseUpdated` of
 * one of a few cases, while case events are committed to the database at a steady rate (on
 * PostgreSQL some in transactions held open a moment, so ids commit out of order). Redis is killed
 * and comes back empty; half of the subscribers lose their connection at the kill and resubscribe
 * with their last event id (Last-Event-ID) until the gateway takes them, the other half stay
 * connected. Afterwards every subscriber must have received every event committed on its case after
 * its start marker, each exactly once, and nothing of another case.
 */
import pg from 'pg';
import { Agent } from 'undici';
import { mintDevToken } from '../../gateway/plugins/authentication';
import { DEV_JWT_SECRET } from '../../platform/config';
import { SseSubscriber } from '../support/sse-subscriber';
import { portOpen, sleep, until } from './processes';
import { type ChaosContext, result, type ScenarioResult } from './scenarios';
import { health } from './topology';

export interface SubscriptionScenarioOptions {
  subscriptions: number;
  /** Cases the subscribers watch (subscriptions spread over them evenly). */
  cases: number;
  /** Case events committed per second, over all the cases. */
  eventsPerSecond: number;
  /** Writing before the kill, and after Redis is back. */
  beforeMs: number;
  afterMs: number;
}

const SUBSCRIPTION = 'subscription ChaosCase($caseId: ID!) { caseUpdated(caseId: $caseId) { id status } }';
const INSERT = `INSERT INTO cases.case_event (case_id, at, type, actor, note) VALUES ($1, now(), 'NOTE', 'system:chaos', $2)
                RETURNING tx::text AS tx, id::text AS id`;

interface Position {
  tx: bigint;
  id: bigint;
}
const positionOf = (text: string): Position => {
  const [tx, id] = text.split('-').map(BigInt);
  return { tx, id };
};
const after = (a: Position, b: Position) => a.tx > b.tx || (a.tx === b.tx && a.id > b.id);

export async function subscriptionScenario(ctx: ChaosContext, options: SubscriptionScenarioOptions): Promise<ScenarioResult> {
  const { topology: t, timing, say } = ctx;
  const r = result(`Redis killed with ${options.subscriptions} subscriptions open (SSE; half reconnect with Last-Event-ID)`);
  if (!t.redis) {
    r.skipped = t.redisSkipped;
    r.to = Date.now();
    return r;
  }
  const redis = t.redis;
  const pool = new pg.Pool({ connectionString: t.database.url, max: 4 });
  pool.on('error', () => undefined);
  const dispatcher = new Agent({ connections: null, pipelining: 0 });
  const secret = process.env.JWT_SECRET || DEV_JWT_SECRET;
  const caseIds = (await pool.query<{ id: string }>(`SELECT id FROM cases."case" ORDER BY id LIMIT $1`, [options.cases])).rows.map(
    (x) => x.id,
  );
  // One caller per subscriber (the per-client limit is the gateway's concern, not this scenario's).
  const subscribers = await Promise.all(
    Array.from({ length: options.subscriptions }, async (_, i) => {
      const caseId = caseIds[i % caseIds.length];
      const token = await mintDevToken(secret, { sub: `user:chaos-subscriber-${i}`, role: 'STAFF' });
      const subscriber = new SseSubscriber({
        url: t.graphqlUrl,
        token,
        query: SUBSCRIPTION,
        variables: { caseId },
        dispatcher,
        retryMs: 250,
      });
      return { caseId, subscriber, resumes: i % 2 === 0 };
    }),
  );
  const writes: { caseId: string; tx: string; id: string }[] = [];
  let writing = true;
  let writeErrors = 0;
  let slowTransactions = 0;
  let writer: Promise<void> | undefined;
  try {
    for (let i = 0; i < subscribers.length; i += 50) await Promise.all(subscribers.slice(i, i + 50).map((s) => s.subscriber.start()));
    say(`subscriptions: ${subscribers.length} open over SSE on ${caseIds.length} cases; a start marker on each case`);
    // A marker on every case, received by every subscriber: from here on, nothing may be missed.
    const markers = new Map<string, Position>();
    for (const caseId of caseIds) {
      const row = (await pool.query<{ tx: string; id: string }>(INSERT, [caseId, 'chaos: start marker'])).rows[0];
      markers.set(caseId, { tx: BigInt(row.tx), id: BigInt(row.id) });
    }
    await until(
      'every subscriber to receive its start marker',
      async () => subscribers.every((s) => s.subscriber.eventIds.some((e) => !after(markers.get(s.caseId)!, positionOf(e)))) || undefined,
      30_000,
      100,
    );

    // The writer: steady autocommitted events; on PostgreSQL every fifth in a transaction held open 400 ms.
    const slowOk = t.database.kind === 'postgresql';
    writer = (async () => {
      let n = 0;
      const pending: Promise<void>[] = [];
      while (writing) {
        const caseId = caseIds[n % caseIds.length];
        const note = `chaos: event ${n}`;
        const slow = slowOk && n % 5 === 4;
        n++;
        const write = (async () => {
          try {
            if (!slow) {
              const row = (await pool.query<{ tx: string; id: string }>(INSERT, [caseId, note])).rows[0];
              writes.push({ caseId, ...row });
              return;
            }
            const client = await pool.connect();
            try {
              await client.query('BEGIN');
              const row = (await client.query<{ tx: string; id: string }>(INSERT, [caseId, note])).rows[0];
              await sleep(400);
              await client.query('COMMIT');
              slowTransactions++;
              writes.push({ caseId, ...row });
            } finally {
              client.release();
            }
          } catch {
            writeErrors++;
          }
        })();
        pending.push(write);
        await sleep(1_000 / options.eventsPerSecond);
      }
      await Promise.all(pending);
    })();

    await sleep(options.beforeMs);
    const downAt = Date.now();
    say(
      `subscriptions: redis kill -9 with ${subscribers.length} open; ${subscribers.filter((s) => s.resumes).length} drop their connection`,
    );
    await redis.process.kill('SIGKILL');
    for (const s of subscribers) if (s.resumes) s.subscriber.disconnect();
    r.faults.push(`redis-server SIGKILL, down ${timing.redisHoldMs / 1000} s, restarted empty; half the subscribers disconnected`);
    await sleep(timing.redisHoldMs);
    redis.process.start();
    await until('redis-server to listen again', async () => (await portOpen(redis.port)) || undefined, 10_000, 50);
    const upAt = Date.now();
    const services = [...Object.values(t.subgraphs), t.gateway];
    const reconnectedAt = await until(
      'every service to reconnect to Redis',
      async () =>
        (await Promise.all(services.map((s) => health(s.base, '/ready')))).every((a) => a?.body?.cache?.ok === true)
          ? Date.now()
          : undefined,
      20_000,
      100,
    ).catch(() => undefined);
    r.windows.push({ label: 'redis down until every service reconnected', from: downAt, to: reconnectedAt ?? Date.now() });
    await sleep(options.afterMs);
    writing = false;
    await writer;
    say(`subscriptions: ${writes.length} events committed (${slowTransactions} in held transactions); waiting for delivery`);

    // Every event committed on a subscriber's case after its marker: what it must have, once.
    const expected = new Map<string, string[]>();
    for (const caseId of caseIds) {
      const marker = markers.get(caseId)!;
      const rows = (
        await pool.query<{ p: string }>(
          `SELECT tx::text || '-' || id::text AS p FROM cases.case_event
            WHERE case_id = $1 AND tx IS NOT NULL AND (tx, id) > ($2::text::xid8, $3::bigint) ORDER BY tx, id`,
          [caseId, marker.tx.toString(), marker.id.toString()],
        )
      ).rows;
      expected.set(
        caseId,
        rows.map((x) => x.p),
      );
    }
    // What a subscriber received after its case's marker (positions compare as (tx, id)).
    const delivered = (s: (typeof subscribers)[number]) =>
      s.subscriber.eventIds.filter((e) => after(positionOf(e), markers.get(s.caseId)!));
    const missing = (s: (typeof subscribers)[number]) => {
      const got = new Set(delivered(s));
      return expected.get(s.caseId)!.filter((p) => !got.has(p));
    };
    const complete = await until(
      'every subscriber to receive every committed event of its case',
      async () => subscribers.every((s) => missing(s).length === 0) || undefined,
      30_000,
      200,
    ).catch(() => false);
    const resumedAt = Date.now();
    r.to = Date.now();

    const lost = subscribers.map(missing);
    const lostTotal = lost.reduce((n, m) => n + m.length, 0);
    const withLoss = lost.filter((m) => m.length > 0).length;
    const duplicates = subscribers.reduce((n, s) => n + delivered(s).length - new Set(delivered(s)).size, 0);
    const ids = [...new Set(subscribers.flatMap((s) => delivered(s).map((p) => positionOf(p).id.toString())))];
    const caseOf = new Map(
      (
        await pool.query<{ id: string; caseId: string }>(
          `SELECT id::text, case_id AS "caseId" FROM cases.case_event WHERE id = ANY($1::bigint[])`,
          [ids],
        )
      ).rows.map((x) => [x.id, x.caseId]),
    );
    const foreign = subscribers.reduce(
      (n, s) => n + delivered(s).filter((p) => caseOf.get(positionOf(p).id.toString()) !== s.caseId).length,
      0,
    );
    const expectedTotal = subscribers.reduce((n, s) => n + expected.get(s.caseId)!.length, 0);
    const resumers = subscribers.filter((s) => s.resumes);
    const resumed = resumers.filter((s) => s.subscriber.connections >= 2).length;
    const refusals = resumers.reduce((n, s) => n + s.subscriber.failures, 0);
    const stayers = subscribers.filter((s) => !s.resumes);
    const stayerReconnects = stayers.filter((s) => s.subscriber.connections > 1).length;
    const outOfOrder = writes.filter((w, i) => writes.slice(0, i).some((v) => BigInt(v.id) > BigInt(w.id))).length;

    say(
      `subscriptions: ${expectedTotal} deliveries expected, ${lostTotal} missing, ${duplicates} duplicated; resumed ${resumed}/${resumers.length} (${refusals} refused while Redis was down or the stream not yet back), ${((resumedAt - upAt) / 1000).toFixed(1)} s after the restart`,
    );
    r.check(
      'every subscriber that dropped its connection resumed with its last event id',
      resumed === resumers.length,
      `${resumed}/${resumers.length} resubscribed (${refusals} attempts refused with ${[...new Set(resumers.flatMap((s) => [...s.subscriber.errorCodes.keys()]))].join(', ') || 'nothing'} or a network error before one was taken)`,
    );
    r.check(
      'the subscriptions that stayed connected kept receiving after Redis came back',
      stayers.every((s) => missing(s).length === 0),
      `${stayers.length} open through the outage (${stayerReconnects} had to reconnect)`,
    );
    r.check(
      'no committed case event lost to any subscriber (each got every event of its case after its marker)',
      complete !== false && lostTotal === 0,
      `${expectedTotal} expected over ${subscribers.length} subscribers (${writes.length} events committed, ${outOfOrder} of them committed after a higher id, ${writeErrors} writes failed), ${lostTotal} missing at ${withLoss} subscribers`,
    );
    r.check(
      'no event delivered twice to a subscriber, none of another case',
      duplicates === 0 && foreign === 0,
      `${duplicates} duplicates, ${foreign} of another case`,
    );
    return r;
  } finally {
    writing = false;
    await writer?.catch(() => undefined);
    await Promise.all(subscribers.map((s) => s.subscriber.close()));
    await dispatcher.close().catch(() => undefined);
    await pool.end().catch(() => undefined);
    if (!r.to) r.to = Date.now();
  }
}
