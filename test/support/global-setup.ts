/**
 * Jest global setup: one database for the whole run, migrated and seeded with a small demo world.
 * - DATABASE_URL set (CI's PostgreSQL run): a fresh database bga_test_<pid> is created on that server,
 *   seeded, and used as the template each test file copies for itself (environment.ts); all are
 *   dropped afterwards, so a developer's own data is never touched.
 * - Otherwise: PGlite in memory, served over the Postgres wire protocol, as `npm start` does; seeded
 *   once, then each test file gets a fresh instance started from the seeded one's data
 *   (pglite-databases.ts).
 * REDIS_URL set: tests use that Redis, each file under its own key prefix (environment.ts);
 * otherwise the Redis-only tests say they are skipped.
 */
import 'reflect-metadata';
import pg from 'pg';
import { startEmbeddedDatabase } from '../../scripts/embedded/pglite-server';
import { seedDatabase } from '../../scripts/seed/seed';
import { serveDatabaseCopies } from './pglite-databases';

export const TEST_SEED = { cases: 600, agents: 120, seed: 7 } as const;

export default async function globalSetup(): Promise<void> {
  const state = globalThis as unknown as { __bgaTeardown?: () => Promise<void> };
  let url: string;
  let embedded: Awaited<ReturnType<typeof startEmbeddedDatabase>> | undefined;
  if (process.env.DATABASE_URL) {
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    const name = `bga_test_${process.pid}`;
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const target = new URL(process.env.DATABASE_URL);
    target.pathname = `/${name}`;
    url = target.toString();
    state.__bgaTeardown = async () => {
      const client = new pg.Client({ connectionString: process.env.BGA_ADMIN_DATABASE_URL });
      await client.connect();
      // The template, and any file's copy a killed worker left behind.
      const { rows } = await client.query<{ name: string }>(
        `SELECT datname AS name FROM pg_database WHERE datname = $1 OR datname LIKE $2`,
        [name, `${name}\\_f%`],
      );
      for (const row of rows) await client.query(`DROP DATABASE IF EXISTS ${row.name} WITH (FORCE)`);
      await client.end();
    };
    process.env.BGA_ADMIN_DATABASE_URL = process.env.DATABASE_URL;
    process.env.BGA_TEST_TEMPLATE_DATABASE = name;
    console.log(`\n[test] PostgreSQL: ${target.host}/${name}`);
  } else {
    embedded = await startEmbeddedDatabase();
    url = embedded.url;
    console.log('\n[test] embedded PGlite, a copy for each test file (set DATABASE_URL to run the suite on PostgreSQL)');
  }
  console.log(
    process.env.REDIS_URL
      ? `[test] Redis: ${process.env.REDIS_URL}`
      : '[test] no REDIS_URL: Redis-backed tests are skipped; caches run in process',
  );
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  await seedDatabase(pool, { ...TEST_SEED, anchor: new Date().toISOString().slice(0, 10) });
  await pool.end();
  if (embedded) {
    // The seeded data, taken once; every file that uses a database starts its own instance from it
    // (environment.ts). The seeded instance itself stays up for the unit tests that need none.
    const shared = embedded;
    const template = await shared.dump();
    const copies = await serveDatabaseCopies(template);
    state.__bgaTeardown = async () => {
      await copies.stop();
      await shared.stop();
    };
    process.env.BGA_TEST_PGLITE_DATABASES = copies.url;
  }
  process.env.DATABASE_URL = url;
  process.env.BGA_TEST_DATABASE = '1';
}
