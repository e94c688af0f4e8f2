/**
 * `npm run db:reset`: starts over. Embedded: deletes the PGlite data folder (.data/pglite), so the
 * next `npm start` migrates and seeds afresh. With DATABASE_URL: drops the three schemas.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

async function main() {
  if (!process.env.DATABASE_URL) {
    const dir = process.env.PGLITE_DATA_DIR ?? join(process.cwd(), '.data', 'pglite');
    rmSync(dir, { recursive: true, force: true });
    console.log(`removed ${dir}; the next npm start seeds a fresh demo database`);
    return;
  }
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query('DROP SCHEMA IF EXISTS cases CASCADE; DROP SCHEMA IF EXISTS agents CASCADE; DROP SCHEMA IF EXISTS carriers CASCADE');
  await client.end();
  console.log('dropped schemas agents, cases and carriers; the next start migrates and seeds afresh');
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
