/**
 * `npm run personal-data:rotate [-- --batch 500]`: seals every personal data value of SEALED_COLUMNS
 * that is not under PERSONAL_DATA_ACTIVE_KEY again under it, on DATABASE_URL (or the embedded
 * database in .data/pglite when DATABASE_URL is unset). Prints counts only. Safe to run again, and
 * while the services run; retire an old kid from PERSONAL_DATA_KEYS only after a run that resealed 0.
 */
import { createLogger } from '../../platform/logger';
import { PersonalDataVault } from '../../platform/personal-data';
import { Db } from '../../subgraphs/shared/db';
import { withScriptDatabase } from '../embedded/script-database';
import { rotatePersonalData } from './rotate';

async function main() {
  const args = process.argv.slice(2);
  const i = args.indexOf('--batch');
  const batchSize = i < 0 ? 500 : Number(args[i + 1]);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000)
    throw new Error(`--batch takes a whole number from 1 to 10000, got "${args[i + 1]}"`);
  const vault = PersonalDataVault.fromEnv();
  await withScriptDatabase(async (pool) => {
    const counts = await rotatePersonalData(new Db(pool), vault, { batchSize, logger: createLogger('personal-data-rotate') });
    const total = counts.reduce((sum, count) => sum + count.resealed, 0);
    console.log(`resealed ${total} values in ${counts.length} columns under kid "${vault.activeKid}"`);
  });
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
