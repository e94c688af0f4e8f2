/**
 * Many connections, parameterized queries at once: each must get its own answer. On the embedded
 * PGlite server every connection shares one Postgres session, and pglite-socket interleaved the
 * extended-protocol messages of different connections (one connection ran another's statement);
 * scripts/embedded/pglite-queue.ts keeps each batch together. Also runs on PostgreSQL in CI.
 */
import { testPool } from '../support/test-pool';

describe('concurrent connections to the database', () => {
  it('answers 300 concurrent parameterized queries over 20 connections, each with its own result', async () => {
    // Queries that take a few milliseconds each, so that other connections' messages arrive meanwhile.
    const pool = testPool(20);
    try {
      const answers = await Promise.all(
        Array.from({ length: 300 }, (_, i) =>
          i % 2
            ? pool
                .query<{ n: number; s: string }>('SELECT $1::int AS n, $2::text AS s, (SELECT count(*) FROM cases.case_event) AS c', [
                  i,
                  `v${i}`,
                ])
                .then((r) => r.rows[0])
            : pool
                .query<{ n: number; s: string }>('SELECT $2::int AS n, $1::text AS s FROM (SELECT count(*) FROM cases.requirement) r', [
                  `v${i}`,
                  i,
                ])
                .then((r) => r.rows[0]),
        ),
      );
      expect(answers.filter((row, i) => row.n !== i || row.s !== `v${i}`)).toEqual([]);
    } finally {
      await pool.end();
    }
  });

  it('keeps answers straight when transactions and plain queries mix', async () => {
    const pool = testPool(10);
    try {
      const answers = await Promise.all(
        Array.from({ length: 60 }, async (_, i) => {
          if (i % 3) return (await pool.query<{ n: number }>('SELECT $1::int AS n FROM agents.agent LIMIT 1', [i])).rows[0].n;
          const client = await pool.connect();
          try {
            await client.query('BEGIN');
            const { rows } = await client.query<{ n: number }>('SELECT $1::int AS n FROM agents.agent WHERE id = ANY($2) OR true LIMIT 1', [
              i,
              ['agt_0001'],
            ]);
            await client.query('COMMIT');
            return rows[0].n;
          } finally {
            client.release();
          }
        }),
      );
      expect(answers.filter((n, i) => n !== i)).toEqual([]);
    } finally {
      await pool.end();
    }
  });

  it('keeps another connection out of an open transaction', async () => {
    const pool = testPool(4);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`CREATE TEMP TABLE IF NOT EXISTS t_isolation (x int)`);
      await client.query('INSERT INTO t_isolation VALUES ($1)', [1]);
      // Queued behind the transaction, and run only after it ends.
      const other = pool.query<{ n: number }>('SELECT $1::int AS n', [7]);
      await client.query('ROLLBACK');
      expect((await other).rows[0].n).toBe(7);
    } finally {
      client.release();
      await pool.end();
    }
  });
});
