/**
 * quoteMatrix over the in-test fake adapters: cells in order, each equal to the comparison
 * compareQuotes gives for it, one carrier call per carrier per cell, the cache shared with
 * compareQuotes, one deadline for all cells, and every bad list refused before any carrier is asked.
 */
import { compareQuotes } from '../compare-quotes.service';
import { matrixCells, quoteMatrix } from '../quote-matrix.service';
import type { QuoteMatrixInput } from '../quote-matrix.type';
import { CARRIER_ROWS, fakeWorld, PRODUCT_ROWS, type FakeWorld } from './fake-carriers';

const CLIENT = {
  state: 'TX',
  birthDate: '1990-03-10',
  gender: 'MALE' as const,
  tobacco: false,
  healthClass: 'PREFERRED' as const,
  asOf: '2025-11-24',
};
const MATRIX: QuoteMatrixInput = { ...CLIENT, faceAmounts: [1_000_000, 250_000, 500_000], termYears: [20, 10] };
const CATALOG = { carriers: CARRIER_ROWS, products: PRODUCT_ROWS };

const totalQuoteCalls = (world: FakeWorld) => [...world.adapters.values()].reduce((sum, adapter) => sum + adapter.calls.quote, 0);
const withoutTimings = (outcomes: { latencyMs: number; cached: boolean }[]) => outcomes.map((o) => ({ ...o, latencyMs: 0, cached: false }));

let world: FakeWorld;
beforeEach(() => {
  world = fakeWorld();
});

describe('quoteMatrix', () => {
  it('answers one cell per face x term, by face then term, each what compareQuotes answers for it', async () => {
    const ctx = world.context();
    const matrix = await quoteMatrix(ctx, MATRIX);
    expect(matrix.cells.map((c) => `${c.faceAmount}/${c.termYears}`)).toEqual([
      '250000/10',
      '250000/20',
      '500000/10',
      '500000/20',
      '1000000/10',
      '1000000/20',
    ]);
    const callsForMatrix = totalQuoteCalls(world);
    // Each carrier asked at most once per cell, and the matrix asked exactly what six comparisons would.
    const fresh = fakeWorld();
    let callsForComparisons = 0;
    for (const cell of matrix.cells) {
      const before = totalQuoteCalls(fresh);
      const single = await compareQuotes(fresh.context(), { ...CLIENT, faceAmount: cell.faceAmount, termYears: cell.termYears });
      const calls = totalQuoteCalls(fresh) - before;
      expect(calls).toBeLessThanOrEqual(CARRIER_ROWS.length);
      callsForComparisons += calls;
      expect(cell.quotes.map((q) => [q.product.id, q.annualPremium, q.modalPremium])).toEqual(
        single.quotes.map((q) => [q.product.id, q.annualPremium, q.modalPremium]),
      );
      expect(withoutTimings(cell.outcomes)).toEqual(withoutTimings(single.outcomes));
    }
    expect(callsForMatrix).toBe(callsForComparisons);
    expect(ctx.stats.carrierCalls).toBe(callsForMatrix);
    expect(callsForMatrix).toBeGreaterThan(6 * 6);
  });

  it('shares the quote cache with compareQuotes: a cell already compared calls no carrier', async () => {
    await compareQuotes(world.context(), { ...CLIENT, faceAmount: 500_000, termYears: 20 });
    const before = totalQuoteCalls(world);
    const ctx = world.context();
    const matrix = await quoteMatrix(ctx, { ...CLIENT, faceAmounts: [500_000], termYears: [20] });
    expect(totalQuoteCalls(world)).toBe(before);
    expect(matrix.cells[0].outcomes.filter((o) => o.status === 'OK').every((o) => o.cached)).toBe(true);
    expect(ctx.stats.carrierCalls).toBe(0);
  });

  it('runs every cell at once under one deadline, not one deadline per cell', async () => {
    world = fakeWorld({ CARRIER_TIMEOUT_MS: '3000', COMPARE_TIMEOUT_MS: '1000' });
    for (const adapter of world.adapters.values()) adapter.latencyMs = 100;
    const faceAmounts = [250_000, 500_000, 750_000, 1_000_000, 2_000_000];
    const matrix = await quoteMatrix(world.context(), { ...CLIENT, faceAmounts, termYears: [10, 15, 20, 25, 30] });
    expect(matrix.cells).toHaveLength(25);
    // One cell after another would need 25 x 100 ms, far past the 1,000 ms deadline: none timed out, so they ran at once.
    expect(matrix.cells.every((cell) => cell.outcomes.every((o) => o.status !== 'TIMEOUT'))).toBe(true);

    for (const adapter of world.adapters.values()) adapter.latencyMs = 1500;
    const late = await quoteMatrix(world.context(), { ...CLIENT, faceAmounts: [300_000, 600_000], termYears: [20] });
    const outcomes = late.cells.flatMap((c) => c.outcomes).filter((o) => o.status !== 'NO_ELIGIBLE_PRODUCT');
    expect(outcomes.length).toBeGreaterThan(0);
    expect(outcomes.every((o) => o.status === 'TIMEOUT' && o.message === 'no answer within the comparison deadline of 1000 ms')).toBe(true);
  });

  it.each([
    [{ faceAmounts: [] }, 'faceAmounts must name at least one value'],
    [{ faceAmounts: [250_000, 250_000] }, 'faceAmounts[1] repeats an earlier value'],
    [{ faceAmounts: [250_000, 2.5] }, 'faceAmounts[1] must be a positive whole number of dollars'],
    [{ faceAmounts: [0] }, 'faceAmounts[0] must be a positive whole number of dollars'],
    [{ faceAmounts: [200_000_000] }, 'faceAmounts[0] must be at most 100000000'],
    [{ termYears: [20, 12] }, 'termYears[1] must be one of 10, 15, 20, 25, 30'],
    [{ termYears: [20, 20] }, 'termYears[1] repeats an earlier value'],
    [{ termYears: null }, 'termYears is required for TERM'],
    [{ termYears: [20], productType: 'WHOLE_LIFE' }, 'termYears is for TERM only, not WHOLE_LIFE'],
    [
      { faceAmounts: [1, 2, 3, 4, 5, 6].map((n) => n * 100_000), termYears: [10, 15, 20, 25, 30] },
      'the matrix has 30 cells (faceAmounts x termYears): at most 25 are quoted at once',
    ],
  ])('refuses %j before any carrier is asked: %s', async (change, reason) => {
    const input = { ...MATRIX, ...change } as QuoteMatrixInput;
    await expect(quoteMatrix(world.context(), input)).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', reasons: expect.arrayContaining([reason]) },
    });
    expect(totalQuoteCalls(world)).toBe(0);
  });

  it('checks each cell as compareQuotes would: a flat extra longer than a term is refused for that term', () => {
    expect(() => matrixCells({ ...MATRIX, flatExtraPerThousand: '2.50', flatExtraYears: 15 }, CATALOG)).toThrow(
      /flatExtraYears must be at most termYears \(10\)/,
    );
    expect(matrixCells({ ...MATRIX, flatExtraPerThousand: '2.50', flatExtraYears: 10 }, CATALOG)).toHaveLength(6);
  });

  it('allows 25 x 1', () => {
    const faces = Array.from({ length: 25 }, (_, i) => (i + 1) * 50_000);
    expect(matrixCells({ ...MATRIX, faceAmounts: faces, termYears: [20] }, CATALOG)).toHaveLength(25);
  });
});
