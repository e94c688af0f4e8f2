import { badInput } from '../../platform/errors';
import type { CarriersContext } from './carriers.context';
import { catalogOf } from './catalog.snapshot';
import {
  comparisonDeadline,
  MAX_FACE_AMOUNT,
  primeCarriers,
  runComparison,
  validateQuoteInput,
  type NormalizedQuoteInput,
} from './compare-quotes.service';
import { TERM_YEARS } from './domain/carrier';
import type { QuoteMatrixInput, QuoteMatrixView } from './quote-matrix.type';

/**
 * quoteMatrix: one client, every face amount × every term, each cell a whole comparison. Every cell
 * goes through the same per-carrier path as compareQuotes (same cache keys, so a cell and the
 * equal comparison share their entries, and single-flight joins equal requests in flight); all
 * cells run at once under ONE deadline, so a 5 × 5 matrix costs about one comparison's latency, not 25.
 */

/** 5 face amounts × 5 terms, or any shape of the same size: more is a report, not a quote screen. */
export const MAX_MATRIX_CELLS = 25;

/** Each problem with the two lists, naming the list and the position. */
function listReasons(name: string, values: readonly number[], valid: (value: number) => string | null): string[] {
  const reasons: string[] = [];
  if (values.length === 0) reasons.push(`${name} must name at least one value`);
  const seen = new Set<number>();
  values.forEach((value, i) => {
    const problem = valid(value);
    if (problem) reasons.push(`${name}[${i}] ${problem}`);
    else if (seen.has(value)) reasons.push(`${name}[${i}] repeats an earlier value`);
    seen.add(value);
  });
  return reasons;
}

const faceProblem = (face: number) =>
  !Number.isInteger(face) || face <= 0
    ? 'must be a positive whole number of dollars'
    : face > MAX_FACE_AMOUNT
      ? `must be at most ${MAX_FACE_AMOUNT}`
      : null;

const termProblem = (term: number) => ((TERM_YEARS as readonly number[]).includes(term) ? null : `must be one of ${TERM_YEARS.join(', ')}`);

/** The cells' requests, validated: the lists first (each entry named), then every cell as compareQuotes would. */
export function matrixCells(input: QuoteMatrixInput, catalog: Parameters<typeof validateQuoteInput>[1]): NormalizedQuoteInput[] {
  const productType = input.productType ?? 'TERM';
  const faces = input.faceAmounts ?? [];
  const terms = input.termYears ?? null;
  const reasons = listReasons('faceAmounts', faces, faceProblem);
  if (terms !== null) {
    if (productType !== 'TERM') reasons.push(`termYears is for TERM only, not ${productType}`);
    else reasons.push(...listReasons('termYears', terms, termProblem));
  } else if (productType === 'TERM') reasons.push('termYears is required for TERM');
  const cellCount = faces.length * (terms?.length || 1);
  if (cellCount > MAX_MATRIX_CELLS)
    reasons.push(`the matrix has ${cellCount} cells (faceAmounts x termYears): at most ${MAX_MATRIX_CELLS} are quoted at once`);
  if (reasons.length) throw badInput(reasons.length === 1 ? reasons[0] : `invalid quote matrix: ${reasons.join('; ')}`, reasons);

  const { faceAmounts: _faces, termYears: _terms, ...client } = input;
  const termsInOrder: (number | null)[] = terms ? [...terms].sort((a, b) => a - b) : [null];
  return [...faces]
    .sort((a, b) => a - b)
    .flatMap((faceAmount) => termsInOrder.map((termYears) => validateQuoteInput({ ...client, faceAmount, termYears }, catalog)));
}

/** How long a matrix's batches wait for the cells whose cache lookups answer late (quote-batch.loader.ts). */
const MATRIX_GATHER_MS = 10;

export async function quoteMatrix(ctx: CarriersContext, input: QuoteMatrixInput): Promise<QuoteMatrixView> {
  const started = performance.now();
  const catalog = await catalogOf(ctx);
  const cells = matrixCells(input, catalog);
  primeCarriers(ctx, cells[0].carriers);
  // Every cell's misses go to a batching carrier in one exchange, also when their cache lookups
  // answer over several reads (Redis on a busy machine): a few milliseconds against a carrier call.
  if (cells.length > 1) ctx.quoteBatches.gather(MATRIX_GATHER_MS);
  const deadline = comparisonDeadline(ctx, started);
  try {
    const comparisons = await Promise.all(cells.map((cell) => runComparison(ctx, catalog, cell, deadline.passed)));
    return {
      cells: comparisons.map((comparison, i) => ({
        faceAmount: cells[i].faceAmount,
        termYears: cells[i].termYears,
        quotes: comparison.quotes,
        outcomes: comparison.outcomes,
      })),
      generatedAt: new Date().toISOString(),
    };
  } finally {
    deadline.clear();
  }
}
