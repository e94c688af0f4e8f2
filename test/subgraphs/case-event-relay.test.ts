/**
 * The case event relay (subgraphs/cases/case-event.relay.ts) against the test database: committed
 * cases.case_event rows are published in position order (tx, id) from the newest at start (no
 * history replayed); an event whose transaction commits after a newer one's is waited for and
 * published, never skipped (PostgreSQL only: PGlite has one session); on Redis two relays publish
 * each event once, and a stream Redis lost is put back.
 */
import Redis from 'ioredis';
import type pg from 'pg';
import { type CaseEventMessage, formatPosition, MemoryCaseEventBus, RedisCaseEventBus } from '../../platform/case-event-bus';
import { createLogger } from '../../platform/logger';
import { CaseEventRelay } from '../../subgraphs/cases/case-event.relay';
import { testPool } from '../support/test-pool';
import { until } from '../support/wait';

const logger = createLogger('test', 'silent');
const PGLITE = Boolean(process.env.BGA_TEST_PGLITE_DATABASES);
let pool: pg.Pool;
let caseId: string;

const INSERT = `INSERT INTO cases.case_event (case_id, at, type, actor, note) VALUES ($1, now(), 'NOTE', 'user:test', $2) RETURNING id::text AS id`;
/** Appends a NOTE event; outside a transaction of the test's own, waits until it is settled (settled()). */
const note = async (text: string, on: pg.Pool | pg.PoolClient = pool) => {
  const id = (await on.query<{ id: string }>(INSERT, [caseId, text])).rows[0].id;
  if (on === pool) await settled();
  return id;
};

/**
 * Until every event of this database is settled (older than the horizon, pg_snapshot_xmin). The
 * horizon is the whole server's: while another test file's transaction is open (two jest workers
 * share the PostgreSQL server), an event committed here waits behind it for a moment, as it would
 * behind any transaction on a production server. Only called while this test holds no transaction open.
 */
async function settled(): Promise<void> {
  await until('the events to be settled', async () => {
    const { rows } = await pool.query<{ ok: boolean }>(
      `SELECT NOT EXISTS (SELECT 1 FROM cases.case_event WHERE tx >= pg_snapshot_xmin(pg_current_snapshot())) AS ok`,
    );
    return rows[0].ok || undefined;
  });
}

beforeAll(async () => {
  pool = testPool(3);
  caseId = (await pool.query<{ id: string }>(`SELECT id FROM cases."case" ORDER BY id LIMIT 1`)).rows[0].id;
});

afterAll(async () => {
  await pool.end();
});

function memoryRelay() {
  const bus = new MemoryCaseEventBus(100);
  const published: CaseEventMessage[] = [];
  bus.listen((event) => published.push(event));
  const relay = new CaseEventRelay({ pool, bus, logger, intervalMs: 60_000 });
  return { bus, published, relay };
}

test('publishes committed events in order, from the newest at start; a rolled-back insert holds nothing back', async () => {
  await note('before the relay');
  const { published, relay } = memoryRelay();
  await relay.runOnce();
  expect(published).toEqual([]);
  await note('one');
  await note('two');
  await relay.runOnce();
  expect(published.map((e) => e.note)).toEqual(['one', 'two']);
  expect(published[0]).toMatchObject({ caseId, type: 'NOTE', actor: 'user:test', requirementId: null });
  expect(published[0].tx).toMatch(/^\d+$/);
  expect(published[0].at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  // An insert rolled back takes an id that will never commit: nothing waits for it.
  const client = await pool.connect();
  await client.query('BEGIN');
  await note('rolled back', client);
  await client.query('ROLLBACK');
  client.release();
  await note('three');
  await relay.runOnce();
  expect(published.map((e) => e.note)).toEqual(['one', 'two', 'three']);
  await relay.stop();
});

(PGLITE ? describe.skip : describe)('two transactions committing out of id order (PostgreSQL: PGlite has one session)', () => {
  test('the later-committing lower id is waited for while its transaction is open, then published; nothing is skipped, each once', async () => {
    const { published, relay } = memoryRelay();
    await relay.runOnce();
    const slow = await pool.connect();
    const fast = await pool.connect();
    try {
      await slow.query('BEGIN');
      const lower = await note('slow, lower id', slow);
      await fast.query('BEGIN');
      const higher = await note('fast, higher id', fast);
      await fast.query('COMMIT');
      expect(BigInt(higher)).toBeGreaterThan(BigInt(lower));
      // However long the slow transaction stays open, the committed higher id waits behind it.
      for (let i = 0; i < 5; i++) {
        await relay.runOnce();
        await new Promise((r) => setTimeout(r, 60));
      }
      expect(published).toEqual([]);
      await slow.query('COMMIT');
      await settled();
      await relay.runOnce();
      expect(published.map((e) => e.id)).toEqual([lower, higher]);

      // A transaction that took its id (xid) first and inserts last: its event, with the higher id,
      // is published before the lower id of the transaction that began after it.
      await slow.query('BEGIN');
      await slow.query('SELECT pg_current_xact_id()');
      await fast.query('BEGIN');
      const first = await note('later transaction, lower id', fast);
      await fast.query('COMMIT');
      const second = await note('earlier transaction, higher id', slow);
      await relay.runOnce();
      expect(published).toHaveLength(2);
      await slow.query('COMMIT');
      await settled();
      await relay.runOnce();
      expect(published.slice(2).map((e) => e.id)).toEqual([second, first]);
      expect(BigInt(published[2].tx)).toBeLessThan(BigInt(published[3].tx));
      expect(new Set(published.map((e) => e.id)).size).toBe(published.length);
    } finally {
      await slow.query('ROLLBACK').catch(() => undefined);
      await fast.query('ROLLBACK').catch(() => undefined);
      slow.release();
      fast.release();
      await relay.stop();
    }
  });
});

const describeRedis = process.env.REDIS_URL ? describe : describe.skip;
if (!process.env.REDIS_URL) console.log('[test] no REDIS_URL: the Redis stream tests (two relays, a lost stream put back) are skipped');

describeRedis('on Redis', () => {
  let redis: Redis;
  let bus: RedisCaseEventBus;
  beforeEach(() => {
    redis = new Redis(process.env.REDIS_URL!, { keyPrefix: process.env.REDIS_KEY_PREFIX });
    bus = new RedisCaseEventBus(redis, 1_000);
  });
  afterEach(async () => {
    await bus.close();
    redis.disconnect();
  });

  test('two relays publish each event once; a reader from a last position gets the rest', async () => {
    const a = new CaseEventRelay({ pool, bus, logger, intervalMs: 60_000 });
    const b = new CaseEventRelay({ pool, bus, logger, intervalMs: 60_000 });
    await a.runOnce();
    await b.runOnce();
    await note('redis zero');
    await a.runOnce();
    const from = (await bus.lastPosition())!;
    await note('redis one');
    await note('redis two');
    await Promise.all([a.runOnce(), b.runOnce()]);
    await Promise.all([a.runOnce(), b.runOnce()]);
    const kept = await bus.since(from, 100);
    expect(kept.map((e) => e.note)).toEqual(['redis one', 'redis two']);
    expect(await bus.since(kept[0], 100)).toEqual([kept[1]]);
    expect(formatPosition(kept[0])).toBe(`${kept[0].tx}-${kept[0].id}`);
    await a.stop();
    await b.stop();
  });

  test('a stream Redis lost is put back, whole, before anything new: a reader from its last position misses nothing', async () => {
    const relay = new CaseEventRelay({ pool, bus, logger, intervalMs: 60_000, keep: 1_000 });
    await relay.runOnce();
    await note('kept one');
    await relay.runOnce();
    const start = (await bus.lastPosition())!;
    await note('kept two');
    await note('kept three');
    await relay.runOnce();
    const seen = (await bus.since(start, 10))[0]; // a subscriber saw 'kept two', then lost its connection
    // Redis restarts empty (as the chaos run's does): the stream is gone.
    await redis.del('{case-events}:by-position');
    expect(await bus.lastPosition()).toBeNull();
    await note('after the loss');
    await relay.runOnce();
    const all = await bus.since({ tx: '0', id: '0' }, 100);
    expect(all.map((e) => e.note)).toEqual(['kept one', 'kept two', 'kept three', 'after the loss']);
    expect((await bus.since(seen, 100)).map((e) => e.note)).toEqual(['kept three', 'after the loss']);
    // No restore key left behind.
    expect(await redis.keys(`${process.env.REDIS_KEY_PREFIX ?? ''}{case-events}:restore*`)).toEqual([]);
    await relay.stop();
  });
});
