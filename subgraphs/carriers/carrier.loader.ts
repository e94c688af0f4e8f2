import DataLoader from 'dataloader';
import type { Db } from '../shared/db';
import { byKey, groupBy } from '../shared/loaders';
import {
  allCarrierUnderwriting,
  allCarriers,
  carriersByIds,
  productsByIds,
  productsOfCarriers,
  type CarrierUnderwritingRow,
} from './carrier.repository';
import type { CarrierRow } from './carrier.type';
import type { ProductRow } from './product.type';

/**
 * The carriers subgraph's per-request loaders: one SQL statement per table per batch. Created
 * fresh for every request, so nothing leaks between callers; rows found by a list query are primed.
 */
export function createCarrierLoaders(db: Db) {
  const carrier = new DataLoader<string, CarrierRow | undefined>(async (ids) => byKey(ids, await carriersByIds(db, ids), (r) => r.id));
  const product = new DataLoader<string, ProductRow | undefined>(async (ids) => byKey(ids, await productsByIds(db, ids), (r) => r.id));
  const productsByCarrier = new DataLoader<string, ProductRow[]>(async (carrierIds) => {
    const rows = await productsOfCarriers(db, carrierIds);
    for (const row of rows) product.prime(row.id, row);
    return groupBy(carrierIds, rows, (r) => r.carrierId);
  });
  return {
    carrier,
    product,
    productsByCarrier,
    /** Every carrier, ordered by name: one statement, and every row primed for later lookups by id. */
    async allCarriers(): Promise<CarrierRow[]> {
      const rows = await allCarriers(db);
      for (const row of rows) carrier.prime(row.id, row);
      return rows;
    },
    /** Every carrier's requirements grid and accelerated program: one statement. */
    allUnderwriting(): Promise<CarrierUnderwritingRow[]> {
      return allCarrierUnderwriting(db);
    },
  };
}

export type CarrierLoaders = ReturnType<typeof createCarrierLoaders>;
