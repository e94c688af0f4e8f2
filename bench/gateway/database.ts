/**
 * The database of the real-subgraph runs of `npm run bench:gateway`: embedded PGlite (in memory,
 * seeded with the demo data, as `npm start` does) in its own process, so that its work is not done on
 * the bench's event loop (the load generator runs there); or DATABASE_URL when set, seeded once.
 *
 * `node dist/bench/gateway/database.js` prints `listening <url>` once seeded.
 */
import 'reflect-metadata';
import { startEmbeddedDatabase } from '../../scripts/embedded/pglite-server';
import { seedDatabase } from '../../scripts/seed/seed';
import { createPool } from '../../subgraphs/shared/db';

export async function seed(url: string): Promise<void> {
  const pool = createPool(url, 2);
  try {
    await seedDatabase(pool, {});
    await pool.query('ANALYZE');
  } finally {
    await pool.end();
  }
}

async function main(): Promise<void> {
  const database = await startEmbeddedDatabase({});
  await seed(database.url);
  console.log(`listening ${database.url}`);
  const stop = () => void database.stop().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
