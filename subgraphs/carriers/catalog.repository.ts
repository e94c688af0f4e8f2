import type { Db } from '../shared/db';
import type { CarrierFixture, ProductFixture } from './fixtures/carriers.fixture';

/** The carrier columns the catalog keeps: the fixture's pricing details stay with the adapters. */
export type CatalogCarrier = Pick<CarrierFixture, 'id' | 'code' | 'name' | 'naicCode' | 'amBestRating' | 'ageBasis' | 'protocol'>;

/** The product columns the catalog keeps. */
export type CatalogProduct = Pick<
  ProductFixture,
  | 'id'
  | 'carrierId'
  | 'code'
  | 'name'
  | 'type'
  | 'terms'
  | 'minIssueAge'
  | 'maxIssueAge'
  | 'minFaceAmount'
  | 'maxFaceAmount'
  | 'healthClasses'
  | 'availableStates'
  | 'fullyUnderwritten'
>;

export interface UpsertCounts {
  carriers: number;
  products: number;
}

/**
 * Writes carriers and products into the catalog: INSERT ... ON CONFLICT (id) DO UPDATE, one
 * statement per table whatever the number of rows. Never deletes: a product a carrier stops selling
 * stays, because old cases point at it and ids are stable. Rows that did not change are left alone
 * (no write, updated_at kept), so a refresh that finds nothing new writes nothing.
 * Returns how many rows were inserted or changed. Carriers go first: products reference them.
 */
export async function upsertCatalog(
  db: Db,
  carriers: readonly CatalogCarrier[],
  products: readonly CatalogProduct[],
): Promise<UpsertCounts> {
  const counts: UpsertCounts = { carriers: 0, products: 0 };
  if (carriers.length) {
    const rows = carriers.map((c) => ({
      id: c.id,
      code: c.code,
      name: c.name,
      naic_code: c.naicCode,
      am_best_rating: c.amBestRating,
      age_basis: c.ageBasis,
      protocol: c.protocol,
    }));
    const written = await db.query(
      `INSERT INTO carriers.carrier AS t (id, code, name, naic_code, am_best_rating, age_basis, protocol)
       SELECT id, code, name, naic_code, am_best_rating, age_basis, protocol
         FROM jsonb_to_recordset($1::jsonb) AS r(id text, code text, name text, naic_code text, am_best_rating text, age_basis text, protocol text)
       ON CONFLICT (id) DO UPDATE
          SET code = EXCLUDED.code, name = EXCLUDED.name, naic_code = EXCLUDED.naic_code, am_best_rating = EXCLUDED.am_best_rating,
              age_basis = EXCLUDED.age_basis, protocol = EXCLUDED.protocol, updated_at = now()
        WHERE (t.code, t.name, t.naic_code, t.am_best_rating, t.age_basis, t.protocol)
              IS DISTINCT FROM (EXCLUDED.code, EXCLUDED.name, EXCLUDED.naic_code, EXCLUDED.am_best_rating, EXCLUDED.age_basis, EXCLUDED.protocol)
       RETURNING id`,
      [JSON.stringify(rows)],
    );
    counts.carriers = written.length;
  }
  if (products.length) {
    const rows = products.map((p) => ({
      id: p.id,
      carrier_id: p.carrierId,
      code: p.code,
      name: p.name,
      type: p.type,
      terms: [...p.terms]
        .sort((a, b) => a.years - b.years)
        .map((t) => ({ years: t.years, minIssueAge: t.minIssueAge, maxIssueAge: t.maxIssueAge })),
      min_issue_age: p.minIssueAge,
      max_issue_age: p.maxIssueAge,
      min_face_amount: p.minFaceAmount,
      max_face_amount: p.maxFaceAmount,
      health_classes: p.healthClasses,
      available_states: p.availableStates,
      fully_underwritten: p.fullyUnderwritten,
    }));
    const written = await db.query(
      `INSERT INTO carriers.product AS t (id, carrier_id, code, name, type, terms, min_issue_age, max_issue_age, min_face_amount, max_face_amount,
                                         health_classes, available_states, fully_underwritten)
       SELECT id, carrier_id, code, name, type, terms, min_issue_age, max_issue_age, min_face_amount, max_face_amount,
              ARRAY(SELECT jsonb_array_elements_text(health_classes)), ARRAY(SELECT jsonb_array_elements_text(available_states)), fully_underwritten
         FROM jsonb_to_recordset($1::jsonb) AS r(id text, carrier_id text, code text, name text, type text, terms jsonb, min_issue_age int,
              max_issue_age int, min_face_amount int, max_face_amount int, health_classes jsonb, available_states jsonb, fully_underwritten boolean)
       ON CONFLICT (id) DO UPDATE
          SET carrier_id = EXCLUDED.carrier_id, code = EXCLUDED.code, name = EXCLUDED.name, type = EXCLUDED.type, terms = EXCLUDED.terms,
              min_issue_age = EXCLUDED.min_issue_age, max_issue_age = EXCLUDED.max_issue_age, min_face_amount = EXCLUDED.min_face_amount,
              max_face_amount = EXCLUDED.max_face_amount, health_classes = EXCLUDED.health_classes, available_states = EXCLUDED.available_states,
              fully_underwritten = EXCLUDED.fully_underwritten, updated_at = now()
        WHERE (t.carrier_id, t.code, t.name, t.type, t.terms, t.min_issue_age, t.max_issue_age, t.min_face_amount, t.max_face_amount,
               t.health_classes, t.available_states, t.fully_underwritten)
              IS DISTINCT FROM (EXCLUDED.carrier_id, EXCLUDED.code, EXCLUDED.name, EXCLUDED.type, EXCLUDED.terms, EXCLUDED.min_issue_age,
               EXCLUDED.max_issue_age, EXCLUDED.min_face_amount, EXCLUDED.max_face_amount, EXCLUDED.health_classes, EXCLUDED.available_states,
               EXCLUDED.fully_underwritten)
       RETURNING id`,
      [JSON.stringify(rows)],
    );
    counts.products = written.length;
  }
  return counts;
}
