/**
 * Books a carrier's commission statement: streamed from its source, recognised by carrier and
 * header, every line matched, booked and reconciled, all in ONE transaction (a failure books
 * nothing). The same bytes a second time (sha-256 of the content) book nothing: the first booking is
 * returned with alreadyBooked. See docs/domain.md, "Carrier commission statements".
 */
import { createHash } from 'node:crypto';
import { type Db, isUniqueViolation } from '../../shared/db';
import { openStatement, type StatementLine, type StatementProblem, type StatementSource } from './statement-parser';
import {
  BOOKING_BATCH,
  bookStatementBatch,
  finishStatementFile,
  insertInvalidLines,
  insertStatementFile,
  newStatementId,
  type StatementFileRow,
  type StatementSourceKind,
  statementByHash,
} from './statement.repository';

export interface BookStatementInput {
  carrierId: string;
  fileName: string;
  source: StatementSourceKind;
  /** Who booked it: the uploader's subject, or the watched folder job. */
  bookedBy: string;
  /** Opens the content afresh each time it is called (read once for its hash, once to book it). */
  open: () => StatementSource;
  /** The content's sha-256 (hex) when already known (an upload in memory); read from `open` otherwise. */
  sha256?: string;
}

export interface BookedStatement {
  statement: StatementFileRow;
  /** True when these bytes were booked before: nothing was booked now. */
  alreadyBooked: boolean;
}

export async function sha256Of(source: StatementSource): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of source) hash.update(chunk);
  return hash.digest('hex');
}

/** The file name as recorded: its last path segment, printable, at most 200 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).at(-1) ?? '';
  const clean = [...base]
    .filter((char) => char.charCodeAt(0) >= 0x20 && char.charCodeAt(0) !== 0x7f)
    .join('')
    .trim()
    .slice(0, 200);
  return clean === '' ? 'statement' : clean;
}

export async function bookStatement(db: Db, input: BookStatementInput, batchSize = BOOKING_BATCH): Promise<BookedStatement> {
  const sha256 = input.sha256 ?? (await sha256Of(input.open()));
  const before = await statementByHash(db, sha256);
  if (before) return { statement: before, alreadyBooked: true };
  try {
    const statement = await db.transaction((tx) => bookInTransaction(tx, input, sha256, batchSize));
    return { statement, alreadyBooked: false };
  } catch (error) {
    // The same bytes booked at the same moment by another upload (or replica): theirs stands.
    if (!isUniqueViolation(error)) throw error;
    const first = await statementByHash(db, sha256);
    if (!first) throw error;
    return { statement: first, alreadyBooked: true };
  }
}

async function bookInTransaction(tx: Db, input: BookStatementInput, sha256: string, batchSize: number): Promise<StatementFileRow> {
  const { layout, lines } = await openStatement(input.carrierId, input.open());
  const id = newStatementId();
  await insertStatementFile(tx, {
    id,
    carrierId: input.carrierId,
    fileName: cleanFileName(input.fileName),
    sha256,
    layout: layout.code,
    source: input.source,
    bookedBy: input.bookedBy,
    bookedAt: new Date().toISOString(),
  });
  const totals = {
    lineCount: 0,
    matchedCount: 0,
    mismatchedCount: 0,
    unmatchedCount: 0,
    duplicateCount: 0,
    invalidCount: 0,
    receivedCents: 0,
  };
  let good: StatementLine[] = [];
  let bad: StatementProblem[] = [];
  const flush = async () => {
    if (good.length > 0) {
      const counts = await bookStatementBatch(tx, id, input.carrierId, good);
      totals.matchedCount += counts.matched;
      totals.mismatchedCount += counts.mismatched;
      totals.unmatchedCount += counts.unmatched;
      totals.duplicateCount += counts.duplicates;
      totals.receivedCents += counts.receivedCents;
    }
    if (bad.length > 0) await insertInvalidLines(tx, id, bad);
    good = [];
    bad = [];
  };
  for await (const line of lines) {
    totals.lineCount++;
    if (line.ok) good.push(line);
    else {
      totals.invalidCount++;
      bad.push(line);
    }
    if (good.length + bad.length >= batchSize) await flush();
  }
  await flush();
  return finishStatementFile(tx, id, totals);
}
