/**
 * The case event relay (subgraphs/cases/case-event.relay.ts) against the test database: committed
 * cases.case_event rows are published in id order from the newest at start (no history replayed), an
 * id taken by a rolled-back insert holds nothing back once no transaction could still fill it, and
 * on Redis two relays publish each event once (the stream refuses the second copy).
 */
import Redis from 'ioredis';
import type pg from 'pg';
import { type CaseEventMessage, MemoryCaseEventBus, RedisCaseEventBus } from '../../platform/case-event-bus';
import { createLogger } from '../../platform/logger';
import { CaseEventRelay } from '../../subgraphs/cases/case-event.relay';
import { testPool } from '../support/test-pool';

const logger = createLogger('test', 'silent');
let pool: pg.Pool;
let caseId: string;

const note = (text: string) =>
  pool.query(`INSERT INTO cases.case_event (case_id, at, type, actor, note) VALUES ($1, now(), 'NOTE', 'user:test', $2)`, [caseId, text]);

beforeAll(async () => {
  pool = testPool(2);
  caseId = (await pool.query<{ id: string }>(`SELECT id FROM cases."case" ORDER BY id LIMIT 1`)).rows[0].id;
});

afterAll(async () => {
  await pool.end();
});

test('publishes committed events in id order, from the newest at start; a rolled-back id is skipped without waiting out the gap', async () => {
  await note('before the relay');
  const bus = new MemoryCaseEventBus(100);
  const published: CaseEventMessage[] = [];
  bus.listen((event) => published.push(event));
  const relay = new CaseEventRelay({ pool, bus, logger, intervalMs: 60_000, gapMs: 10_000 });
  await relay.runOnce();
  expect(published).toEqual([]);
  await note('one');
  await note('two');
  await relay.runOnce();
  expect(published.map((e) => e.note)).toEqual(['one', 'two']);
  expect(published[0]).toMatchObject({ caseId, type: 'NOTE', actor: 'user:test', requirementId: null });
  expect(BigInt(published[1].id)).toBe(BigInt(published[0].id) + 1n);
  expect(published[0].at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  // An insert rolled back takes an id that will never commit.
  const client = await pool.connect();
  await client.query('BEGIN');
  await client.query(`INSERT INTO cases.case_event (case_id, at, type, actor) VALUES ($1, now(), 'NOTE', 'user:test')`, [caseId]);
  await client.query('ROLLBACK');
  client.release();
  await note('three');
  const started = Date.now();
  await relay.runOnce(); // sees the gap: held for a moment
  while (published.length < 3 && Date.now() - started < 5_000) {
    await new Promise((r) => setTimeout(r, 60));
    await relay.runOnce();
  }
  expect(published.map((e) => e.note)).toEqual(['one', 'two', 'three']);
  expect(Date.now() - started).toBeLessThan(2_000);
  await relay.stop();
});

const describeRedis = process.env.REDIS_URL ? describe : describe.skip;
if (!process.env.REDIS_URL) console.log('[test] no REDIS_URL: the two-relays-on-one-stream test is skipped');

describeRedis('on Redis', () => {
  test('two relays publish each event once; a reader from a last id gets the rest', async () => {
    const redis = new Redis(process.env.REDIS_URL!, { keyPrefix: process.env.REDIS_KEY_PREFIX });
    const bus = new RedisCaseEventBus(redis, 1_000);
    try {
      const a = new CaseEventRelay({ pool, bus, logger, intervalMs: 60_000, gapMs: 1_000 });
      const b = new CaseEventRelay({ pool, bus, logger, intervalMs: 60_000, gapMs: 1_000 });
      await a.runOnce();
      await b.runOnce();
      const from = await bus.lastId();
      await note('redis one');
      await note('redis two');
      await Promise.all([a.runOnce(), b.runOnce()]);
      await Promise.all([a.runOnce(), b.runOnce()]);
      const kept = await bus.since(from ?? '0', 100);
      expect(kept.map((e) => e.note)).toEqual(['redis one', 'redis two']);
      expect(await bus.since(kept[0].id, 100)).toEqual([kept[1]]);
      await a.stop();
      await b.stop();
    } finally {
      await bus.close();
      redis.disconnect();
    }
  });
});
