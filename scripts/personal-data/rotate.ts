import type { Logger } from '../../platform/logger';
import { PersonalDataError, type PersonalDataVault } from '../../platform/personal-data';
import type { Db } from '../../subgraphs/shared/db';

/** A column that holds sealed values: its table, the table's key column, and the field name the values are sealed for. */
export interface SealedColumn {
  /** Schema-qualified: cases.application. */
  table: string;
  key: string;
  column: string;
  /** The vault's field (the authenticated data): the one the code seals and opens this column with. */
  field: string;
}

/**
 * Every column of the product that holds sealed personal data: whoever adds a sealed column adds it
 * here, with the same field name the code uses.
 */
export const SEALED_COLUMNS: readonly SealedColumn[] = [
  { table: 'cases.application', key: 'id', column: 'personal', field: 'application.personal' },
  // A case change's beneficiaries, owner and reason (subgraphs/cases/case-change.service.ts CHANGE_PERSONAL_FIELD).
  { table: 'cases.case_change', key: 'id', column: 'personal', field: 'case_change.personal' },
  // An agent's TIN, bank account and background answers (subgraphs/agents/onboarding/onboarding.service.ts ONBOARDING_SEALED_FIELD).
  { table: 'agents.onboarding_step', key: 'id', column: 'sealed', field: 'onboarding_step.sealed' },
  // A webhook subscriber's signing secret (subgraphs/cases/webhooks/webhook.worker.ts WEBHOOK_SECRET_FIELD).
  { table: 'cases.webhook_subscriber', key: 'id', column: 'secret', field: 'webhook_subscriber.secret' },
];

export interface RotationCount {
  table: string;
  column: string;
  resealed: number;
  batches: number;
}

const TABLE = /^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/;
const COLUMN = /^[a-z_][a-z0-9_]*$/;

/**
 * Seals every value of the columns that is not under the active key again under it, a batch at a
 * time, each batch one transaction (rows locked, skipped when another writer holds them). Rows
 * already under the active key are not read, so a second run does nothing. Logs counts only.
 */
export async function rotatePersonalData(
  db: Db,
  vault: PersonalDataVault,
  options: { columns?: readonly SealedColumn[]; batchSize?: number; logger: Logger },
): Promise<RotationCount[]> {
  const { columns = SEALED_COLUMNS, batchSize = 500, logger } = options;
  const counts: RotationCount[] = [];
  for (const target of columns) {
    const { table, key, column, field } = target;
    // Identifiers cannot be parameters: they come from the constant above, checked all the same.
    if (!TABLE.test(table) || !COLUMN.test(key) || !COLUMN.test(column)) throw new Error(`bad sealed column ${table}.${column}`);
    const count: RotationCount = { table, column, resealed: 0, batches: 0 };
    for (;;) {
      const done = await db.transaction(async (tx) => {
        const rows = await tx.query<{ key: string; sealed: string }>(
          `SELECT ${key}::text AS key, ${column} AS sealed FROM ${table}
            WHERE ${column} IS NOT NULL AND left(${column}, length($1)) <> $1
            ORDER BY ${key} LIMIT $2 FOR UPDATE SKIP LOCKED`,
          [vault.activePrefix, batchSize],
        );
        if (rows.length === 0) return true;
        const resealed = rows.map((row) => {
          try {
            return vault.reseal(field, row.sealed);
          } catch (error) {
            // The row's key, never its value: the operator finds the row from it.
            const why = error instanceof PersonalDataError ? error.message : 'it could not be opened';
            throw new Error(`${table}.${column} of ${key} ${row.key}: ${why}`);
          }
        });
        await tx.query(
          `UPDATE ${table} AS t SET ${column} = v.sealed FROM unnest($1::text[], $2::text[]) AS v(key, sealed) WHERE t.${key}::text = v.key`,
          [rows.map((row) => row.key), resealed],
        );
        count.resealed += rows.length;
        count.batches += 1;
        return rows.length < batchSize;
      });
      if (done) break;
    }
    logger.info({ table, column, resealed: count.resealed, batches: count.batches, activeKid: vault.activeKid }, 'personal data resealed');
    counts.push(count);
  }
  return counts;
}
