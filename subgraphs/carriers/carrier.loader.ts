import DataLoader from 'dataloader';
import type { BaseSubgraphContext } from '../shared/context';
import type { Db } from '../shared/db';
import { byKey, groupBy } from '../shared/loaders';
import type { CarrierRow, ProductRow } from './carrier.type';
import type { CarriersRuntime } from './carriers.runtime';
import type { CaseStatusLoader } from './case-status.loader';

export const CARRIER_COLUMNS = `id, code, name, naic_code AS "naicCode", am_best_rating AS "amBestRating", age_basis AS "ageBasis", protocol`;

export const PRODUCT_COLUMNS = `id, carrier_id AS "carrierId", code, name, type, terms, min_issue_age AS "minIssueAge", max_issue_age AS "maxIssueAge",
  min_face_amount AS "minFaceAmount", max_face_amount AS "maxFaceAmount", health_classes AS "healthClasses",
  available_states AS "availableStates", fully_underwritten AS "fullyUnderwritten"`;

/** Terms ordered by years, and the years themselves for TERM products (the contract: empty otherwise). */
export function withTermYears(row: Omit<ProductRow, 'termYears'> & { termYears?: number[] }): ProductRow {
  const terms = [...(row.terms ?? [])].sort((a, b) => a.years - b.years);
  return Object.assign(row, { terms, termYears: row.type === 'TERM' ? terms.map((t) => t.years) : [] });
}

/**
 * The carriers subgraph's per-request loaders: one SQL statement per table per batch. Created
 * fresh for every request, so nothing leaks between callers; rows found by a list query are primed.
 */
export function createCarrierLoaders(db: Db) {
  const carrier = new DataLoader<string, CarrierRow | undefined>(async (ids) =>
    byKey(ids, await db.query<CarrierRow>(`SELECT ${CARRIER_COLUMNS} FROM carriers.carrier WHERE id = ANY($1)`, [ids]), (r) => r.id),
  );
  const product = new DataLoader<string, ProductRow | undefined>(async (ids) =>
    byKey(
      ids,
      (await db.query<ProductRow>(`SELECT ${PRODUCT_COLUMNS} FROM carriers.product WHERE id = ANY($1)`, [ids])).map(withTermYears),
      (r) => r.id,
    ),
  );
  const productsByCarrier = new DataLoader<string, ProductRow[]>(async (carrierIds) => {
    const rows = (
      await db.query<ProductRow>(`SELECT ${PRODUCT_COLUMNS} FROM carriers.product WHERE carrier_id = ANY($1) ORDER BY carrier_id, code`, [
        carrierIds,
      ])
    ).map(withTermYears);
    for (const row of rows) product.prime(row.id, row);
    return groupBy(carrierIds, rows, (r) => r.carrierId);
  });
  return {
    carrier,
    product,
    productsByCarrier,
    /** Every carrier, ordered by name: one statement, and every row primed for later lookups by id. */
    async allCarriers(): Promise<CarrierRow[]> {
      const rows = await db.query<CarrierRow>(`SELECT ${CARRIER_COLUMNS} FROM carriers.carrier ORDER BY name, id`);
      for (const row of rows) carrier.prime(row.id, row);
      return rows;
    },
  };
}

export type CarrierLoaders = ReturnType<typeof createCarrierLoaders>;

export interface CarriersContext extends BaseSubgraphContext {
  loaders: CarrierLoaders;
  /** Process-wide: configuration, one adapter and one policy per carrier. */
  runtime: CarriersRuntime;
  /** Per request: Case.carrierStatus batched per carrier. */
  caseStatus: CaseStatusLoader;
}
