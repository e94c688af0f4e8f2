import type { Cache, CachedLoader } from '../../platform/cache';
import type { Db } from './db';
import type { Identity } from '../../platform/identity';
import type { Logger } from '../../platform/logger';
import type { RequestStats } from '../../platform/stats';

/** What every subgraph resolver gets; each subgraph adds its own per-request loaders. */
export interface BaseSubgraphContext {
  identity: Identity;
  requestId: string;
  stats: RequestStats;
  /** The caller asked for stats (x-debug-stats: 1) and DEBUG_STATS allows it. */
  debugStats: boolean;
  db: Db;
  cache: Cache;
  cached: CachedLoader;
  logger: Logger;
}
