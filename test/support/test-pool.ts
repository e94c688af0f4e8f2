import pg from 'pg';

/**
 * A pool on the test file's own database (DATABASE_URL, set by environment.ts), for the test's
 * direct reads and writes. Errors of idle and checked-out clients are heard, as the services' pools
 * hear them (subgraphs/shared/db.ts): when a file fails before its afterAll ends the pool, the
 * environment drops the file's database WITH (FORCE), and an unheard 'error' from the terminated
 * connections would kill the whole jest process, hiding the failure that left the pool open.
 */
export function testPool(max = 2): pg.Pool {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max });
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}
