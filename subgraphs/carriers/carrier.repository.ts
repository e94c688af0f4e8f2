/**
 * Every SQL statement on the catalog (carriers.carrier, carriers.product, carriers.carrier_underwriting):
 * the reads behind the loaders and resolvers, the registry read at start, and the catalog refresh's upserts.
 */
import type { Db } from '../shared/db';
import type { CarrierRow } from './carrier.type';
import type { ProductRow } from './product.type';
import { isProtocol, type Carrier, type CarrierProfile, type Product } from './domain/carrier';
import type { CarrierUnderwriting } from './domain/requirements-grid';

export const CARRIER_COLUMNS = `id, code, name, naic_code AS "naicCode", am_best_rating AS "amBestRating", age_basis AS "ageBasis", protocol`;

export const PRODUCT_COLUMNS = `id, carrier_id AS "carrierId", code, name, type, terms, min_issue_age AS "minIssueAge", max_issue_age AS "maxIssueAge",
  min_face_amount AS "minFaceAmount", max_face_amount AS "maxFaceAmount", health_classes AS "healthClasses",
  available_states AS "availableStates", fully_underwritten AS "fullyUnderwritten", guarantee_ages AS "guaranteeAges",
  pay_periods AS "payPeriods", final_expense_plans AS "finalExpensePlans", riders`;

/** The permanent-product options a row may leave unstated (NULL): absent on the Product then, never null. */
const OPTIONAL_OPTIONS = ['guaranteeAges', 'payPeriods', 'finalExpensePlans', 'riders'] as const;

/** Terms ordered by years, and the years themselves for TERM products (the contract: empty otherwise). */
export function withTermYears(row: Omit<ProductRow, 'termYears'> & { termYears?: number[] }): ProductRow {
  const terms = [...(row.terms ?? [])].sort((a, b) => a.years - b.years);
  const options = row as Record<string, unknown>;
  for (const key of OPTIONAL_OPTIONS) if (options[key] === null) delete options[key];
  return Object.assign(row, { terms, termYears: row.type === 'TERM' ? terms.map((t) => t.years) : [] });
}

export function carriersByIds(db: Db, ids: readonly string[]): Promise<CarrierRow[]> {
  return db.query<CarrierRow>(`SELECT ${CARRIER_COLUMNS} FROM carriers.carrier WHERE id = ANY($1)`, [ids]);
}

/** One carrier's requirements grid, accelerated program and field-underwriting guidelines (carriers.carrier_underwriting). */
export interface CarrierUnderwritingRow extends CarrierUnderwriting {
  carrierId: string;
  /** As stored (parsed JSON), read by domain/underwriting-guidelines.ts; null when the carrier has none. */
  guidelines: unknown | null;
}

/** Every carrier's underwriting data, one statement. Carriers without a row have no grid. */
export function allCarrierUnderwriting(db: Db): Promise<CarrierUnderwritingRow[]> {
  return db.query<CarrierUnderwritingRow>(
    `SELECT carrier_id AS "carrierId", requirement_grid AS "requirementGrid", accelerated_rules AS "acceleratedRules", guidelines
       FROM carriers.carrier_underwriting ORDER BY carrier_id`,
  );
}

/** Every carrier, ordered by name. */
export function allCarriers(db: Db): Promise<CarrierRow[]> {
  return db.query<CarrierRow>(`SELECT ${CARRIER_COLUMNS} FROM carriers.carrier ORDER BY name, id`);
}

export async function productsByIds(db: Db, ids: readonly string[]): Promise<ProductRow[]> {
  return (await db.query<ProductRow>(`SELECT ${PRODUCT_COLUMNS} FROM carriers.product WHERE id = ANY($1)`, [ids])).map(withTermYears);
}

/** The products of these carriers, ordered by carrier and code. */
export async function productsOfCarriers(db: Db, carrierIds: readonly string[]): Promise<ProductRow[]> {
  return (
    await db.query<ProductRow>(`SELECT ${PRODUCT_COLUMNS} FROM carriers.product WHERE carrier_id = ANY($1) ORDER BY carrier_id, code`, [
      carrierIds,
    ])
  ).map(withTermYears);
}

export interface ProductFilterValues {
  carrierIds?: readonly string[] | null;
  type?: string | null;
  state?: string | null;
}

/** Products matching every given criterion, ordered by carrier and code. */
export async function filteredProducts(db: Db, filter: ProductFilterValues): Promise<ProductRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.carrierIds) where.push(`carrier_id = ANY($${params.push(filter.carrierIds)})`);
  if (filter.type) where.push(`type = $${params.push(filter.type)}`);
  if (filter.state) where.push(`$${params.push(filter.state)} = ANY(available_states)`);
  return (
    await db.query<ProductRow>(
      `SELECT ${PRODUCT_COLUMNS} FROM carriers.product ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY carrier_id, code`,
      params,
    )
  ).map(withTermYears);
}

/**
 * The registry as the catalog holds it: every carrier with its products, in catalog order (by
 * name). A carrier whose protocol we do not speak is left out and named in `warnings`.
 */
export async function readCarrierProfiles(db: Db): Promise<{ carriers: CarrierProfile[]; warnings: string[] }> {
  const carriers = await allCarriers(db);
  const products = await productsOfCarriers(
    db,
    carriers.map((c) => c.id),
  );
  const warnings: string[] = [];
  const profiles: CarrierProfile[] = [];
  for (const carrier of carriers) {
    if (!isProtocol(carrier.protocol)) {
      warnings.push(`carrier ${carrier.id} (${carrier.code}) speaks unknown protocol ${carrier.protocol}: no adapter`);
      continue;
    }
    profiles.push({
      ...carrier,
      protocol: carrier.protocol,
      products: products.filter((p) => p.carrierId === carrier.id).map(({ termYears: _years, ...product }) => product),
    });
  }
  return { carriers: profiles, warnings };
}

/** The carrier columns the catalog keeps. */
export type CatalogCarrier = Carrier;

/** The product columns the catalog keeps. */
export type CatalogProduct = Pick<
  Product,
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

/** One carrier's application rules as stored (carriers.carrier_application_rules), or undefined when it has none. */
export async function applicationRulesOf(db: Db, carrierId: string): Promise<unknown | undefined> {
  const rows = await db.query<{ rules: unknown }>(`SELECT rules FROM carriers.carrier_application_rules WHERE carrier_id = $1`, [
    carrierId,
  ]);
  return rows[0]?.rules;
}
