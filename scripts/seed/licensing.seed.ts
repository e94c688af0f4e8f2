/**
 * The license sync's contracting data in the seed: the code the national producer database knows
 * each demo carrier by (its company code, which the producer-database simulator answers with:
 * the fixture's carrier code), so the sync can tell whose appointment each PDB record is.
 */
import type pg from 'pg';
import type { CarrierFixture } from '../../subgraphs/carriers/fixtures/carriers.fixture';

/** agents.producer_database_company rows for these carriers; carriers already there are left as they are. */
export async function insertProducerDatabaseCompanies(client: pg.PoolClient, carriers: readonly CarrierFixture[]): Promise<void> {
  if (carriers.length === 0) return;
  await client.query(
    `INSERT INTO agents.producer_database_company (company_code, carrier_id) SELECT * FROM unnest($1::text[], $2::text[])
     ON CONFLICT DO NOTHING`,
    [carriers.map((c) => c.code), carriers.map((c) => c.id)],
  );
}
