import type pg from 'pg';
import { agentsMigrations } from '../subgraphs/agents/agents.migrations';
import { carriersMigrations } from '../subgraphs/carriers/carriers.migrations';
import { casesMigrations } from '../subgraphs/cases/cases.migrations';
import { migrate } from '../subgraphs/shared/migrate';

/** Applies every subgraph's migrations (each subgraph also applies its own at start). */
export async function migrateAll(pool: pg.Pool): Promise<void> {
  await migrate(pool, 'agents', agentsMigrations);
  await migrate(pool, 'carriers', carriersMigrations);
  await migrate(pool, 'cases', casesMigrations);
}
