import { join } from 'node:path';
import { createPool, type Pool } from '../../subgraphs/shared/db';
import { startEmbeddedDatabase } from './pglite-server';

/**
 * For the command-line scripts: a pool on DATABASE_URL, or on the embedded database in .data/pglite
 * (PGLITE_DATA_DIR) when it is unset, closed (and the embedded database stopped) after `work`.
 */
export async function withScriptDatabase<T>(work: (pool: Pool) => Promise<T>): Promise<T> {
  const embedded = process.env.DATABASE_URL
    ? undefined
    : await startEmbeddedDatabase({ dataDir: process.env.PGLITE_DATA_DIR ?? join(process.cwd(), '.data', 'pglite') });
  const pool = createPool(process.env.DATABASE_URL ?? embedded!.url, 2);
  try {
    return await work(pool);
  } finally {
    await pool.end();
    await embedded?.stop();
  }
}
