/** The SQL of case managers: assigning one to a case. Functions take the Db (or the transaction) to run on. */
import type { Db } from '../shared/db';
import { CASE_COLUMNS } from './case.repository';
import type { CaseRow } from './case.type';

/** Sets the case's case manager; the row as it now stands. */
export async function setCaseManager(tx: Db, caseId: string, caseManagerId: string, at: string): Promise<CaseRow> {
  const row = await tx.one<CaseRow>(
    `UPDATE cases."case" SET case_manager_id = $2, updated_at = $3 WHERE id = $1 RETURNING ${CASE_COLUMNS}`,
    [caseId, caseManagerId, at],
  );
  return row!;
}
