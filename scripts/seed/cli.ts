/**
 * `npm run seed [-- --cases 100000] [-- --agents 1000] [-- --seed 99] [-- --force]`: seeds DATABASE_URL (or the
 * embedded database in .data/pglite when DATABASE_URL is unset). An already seeded database is left alone, unless
 * --force or --cases (asking for a size means: replace the demo data with a world of that size). Any size runs in
 * bounded memory: the cases are generated and inserted in batches (`npm run seed -- --cases 1000000`).
 */
import { METRICS_GENERATION_KEY } from '../../subgraphs/cases/case-metrics.cache';
import { createCache } from '../../platform/cache';
import { withScriptDatabase } from '../embedded/script-database';
import { seedDatabase } from './seed';

async function main() {
  const args = process.argv.slice(2);
  const number = (flag: string) => {
    const i = args.indexOf(flag);
    if (i < 0) return undefined;
    const n = Number(args[i + 1]);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} takes a whole number, got "${args[i + 1]}"`);
    return n;
  };
  await withScriptDatabase(async (pool) => {
    const started = Date.now();
    const result = await seedDatabase(pool, {
      cases: number('--cases'),
      agents: number('--agents'),
      seed: number('--seed'),
      force: args.includes('--force') || args.includes('--cases'),
      log: console.log,
    });
    console.log(
      result.seeded
        ? `seeded ${result.cases} cases in ${Date.now() - started} ms`
        : 'already seeded: pass --force to replace the demo data',
    );
    if (result.seeded && process.env.REDIS_URL) {
      // New data under a long-lived Redis: metrics cached for the old data must not be served.
      const cache = createCache({ redisUrl: process.env.REDIS_URL, cluster: process.env.REDIS_CLUSTER === 'true' });
      if (await cache.ready(2_000)) await cache.incr(METRICS_GENERATION_KEY);
      else console.warn('Redis not reachable: cached caseMetrics may show the old data until the next case write');
      await cache.close();
    }
  });
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
