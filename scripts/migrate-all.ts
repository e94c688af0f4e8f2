import type pg from 'pg';
import { migrate } from '../subgraphs/shared/migrate';
import { SUBGRAPHS } from '../subgraphs/registry';

/** Applies every subgraph's migrations: each subgraph also does this for its own schema at start. */
export async function migrateAll(pool: pg.Pool): Promise<void> {
  for (const subgraph of SUBGRAPHS) await migrate(pool, subgraph.name, subgraph.migrations);
}
