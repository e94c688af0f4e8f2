import { DEV_PDB_PASSWORD, DEV_PDB_USER, devSecret, int, url } from '../../../platform/config';

/** The agents subgraph's licensing settings: the producer database and the scheduled license sync. */
export interface LicensingConfig {
  producerDatabase: {
    /** PDB_URL: the national producer database's entity-info service (default http://127.0.0.1:4095, where no simulator listens unless told; npm start and the tests set it). */
    url: string;
    /** PDB_USER: our customer id there (default the development one the simulator accepts; refused when NODE_ENV=production). */
    user: string;
    /** PDB_PASSWORD: our password there (default the development one; refused when NODE_ENV=production). */
    password: string;
    /** PDB_TIMEOUT_MS: the deadline of one report, retries included (default 15000). */
    timeoutMs: number;
  };
  sync: {
    /**
     * PDB_SYNC_INTERVAL_MS: how often the scheduled sync takes a batch of agents (default 60000 when
     * PDB_URL is set, else 0: a process that was never told where the database is syncs nobody; 0 turns it off).
     */
    intervalMs: number;
    /** PDB_SYNC_BATCH: agents per pass, least recently synced first (default 20). */
    batchSize: number;
    /** PDB_SYNC_STALE_S: how long after its last sync an agent is due again (default 86400, a day). */
    staleSeconds: number;
  };
}

export function readLicensingConfig(env: Readonly<Record<string, string | undefined>>): LicensingConfig {
  return {
    producerDatabase: {
      url: url(env, 'PDB_URL', 'http://127.0.0.1:4095')!,
      user: devSecret(env, 'PDB_USER', DEV_PDB_USER),
      password: devSecret(env, 'PDB_PASSWORD', DEV_PDB_PASSWORD),
      timeoutMs: int(env, 'PDB_TIMEOUT_MS', 15_000, { min: 100, max: 120_000 }),
    },
    sync: {
      intervalMs: int(env, 'PDB_SYNC_INTERVAL_MS', env.PDB_URL ? 60_000 : 0, { min: 0, max: 86_400_000 }),
      batchSize: int(env, 'PDB_SYNC_BATCH', 20, { min: 1, max: 1_000 }),
      staleSeconds: int(env, 'PDB_SYNC_STALE_S', 86_400, { min: 0, max: 31_536_000 }),
    },
  };
}
