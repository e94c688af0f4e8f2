/**
 * The commission arithmetic of docs/domain.md "Commissions": the worked example to the cent, half-up
 * rounding per line, chargebacks (not taken, lapse pro-rata and full), the chain checks and the split
 * checks; and for any premium and splits, the lines of a case sum to what the carrier pays the BGA
 * within a cent per line.
 */
import fc from 'fast-check';
import {
  BGA_PARTY,
  type CommissionChain,
  ChainError,
  chargebackLines,
  divideHalfUp,
  firstYearLines,
  isPeriod,
  lapseChargebackFraction,
  lineAmount,
  NOT_TAKEN_FRACTION,
  paidMonthsBetween,
  splitPercentToBasisPoints,
  writingShareProblems,
} from '../commissions';

const level = (partyId: string, levelCode: string, firstYearBasisPoints: number) => ({
  partyId,
  levelCode,
  firstYearBasisPoints,
  renewalBasisPoints: 300,
  renewalYears: 9,
});
const chain = (agentId: string, agentRate = 8500): CommissionChain => ({
  agentId,
  levels: [level(agentId, `L${agentRate / 100}`, agentRate), level('agt_agency', 'L100', 10_000), level(BGA_PARTY, 'BGA120', 12_000)],
  chargebackMonths: 12,
  lapseChargeback: 'PRO_RATA',
});

describe('the worked example (premium 2,400.00; BGA 120%, agency 100%, agent 85%; split 60/40)', () => {
  const chains = new Map([
    ['agt_a', chain('agt_a')],
    ['agt_b', chain('agt_b')],
  ]);
  const lines = firstYearLines(
    240_000,
    [
      { agentId: 'agt_a', splitBasisPoints: 6000 },
      { agentId: 'agt_b', splitBasisPoints: 4000 },
    ],
    chains,
  );

  it('books each party its share to the cent', () => {
    expect(lines.map((line) => [line.role, line.partyId, line.writingAgentId, line.rateBasisPoints, line.amountCents])).toEqual([
      ['WRITING', 'agt_a', 'agt_a', 8500, 122_400],
      ['OVERRIDE', 'agt_agency', 'agt_a', 1500, 21_600],
      ['BGA', BGA_PARTY, 'agt_a', 2000, 28_800],
      ['WRITING', 'agt_b', 'agt_b', 8500, 81_600],
      ['OVERRIDE', 'agt_agency', 'agt_b', 1500, 14_400],
      ['BGA', BGA_PARTY, 'agt_b', 2000, 19_200],
    ]);
  });

  it('sums per party and to what the carrier pays', () => {
    const byParty = (party: string) => lines.filter((line) => line.partyId === party).reduce((sum, line) => sum + line.amountCents, 0);
    expect(byParty('agt_a')).toBe(122_400);
    expect(byParty('agt_b')).toBe(81_600);
    expect(byParty('agt_agency')).toBe(36_000);
    expect(byParty(BGA_PARTY)).toBe(48_000);
    expect(lines.reduce((sum, line) => sum + line.amountCents, 0)).toBe(288_000);
  });

  it('charges all of it back when not taken', () => {
    const back = chargebackLines(lines, NOT_TAKEN_FRACTION);
    expect(back.map((line) => line.amountCents)).toEqual([-122_400, -21_600, -28_800, -81_600, -14_400, -19_200]);
  });

  it('charges 8/12 back after a lapse with 4 paid months (PRO_RATA)', () => {
    const back = chargebackLines(lines, lapseChargebackFraction(4, 12, 'PRO_RATA'));
    expect(back.map((line) => line.amountCents)).toEqual([-81_600, -14_400, -19_200, -54_400, -9_600, -12_800]);
  });
});

describe('rounding', () => {
  it('rounds half-up per line, away from zero', () => {
    expect(divideHalfUp(5n, 10n)).toBe(1n);
    expect(divideHalfUp(4n, 10n)).toBe(0n);
    expect(divideHalfUp(-5n, 10n)).toBe(-1n);
    expect(divideHalfUp(15n, 10n)).toBe(2n);
    // 1,234.57 × 33.33% × 85% = 349.7646... → 349.76; 0.01 × 50% × 100% = 0.005 → 0.01.
    expect(lineAmount(123_457, 3333, 8500)).toBe(34_976);
    expect(lineAmount(1, 5000, 10_000)).toBe(1);
  });

  it('rounds each chargeback line on its own: 1/3 of 0.05 is 0.02, of 0.04 is 0.01', () => {
    const base = {
      partyId: 'agt_a',
      role: 'WRITING' as const,
      writingAgentId: 'agt_a',
      premiumCents: 0,
      splitBasisPoints: 10_000,
      rateBasisPoints: 0,
      levelCode: 'L',
    };
    expect(
      chargebackLines(
        [
          { ...base, amountCents: 5 },
          { ...base, amountCents: 4 },
        ],
        { numerator: 1, denominator: 3 },
      ).map((l) => l.amountCents),
    ).toEqual([-2, -1]);
  });

  it('a case books to within a cent per line of premium × the BGA rate, for any premium and splits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000 }), fc.integer({ min: 1, max: 9999 }), (premium, split) => {
        const chains = new Map([
          ['agt_a', chain('agt_a', 7000)],
          ['agt_b', chain('agt_b', 9000)],
        ]);
        const lines = firstYearLines(
          premium,
          [
            { agentId: 'agt_a', splitBasisPoints: split },
            { agentId: 'agt_b', splitBasisPoints: 10_000 - split },
          ],
          chains,
        );
        const sum = lines.reduce((total, line) => total + line.amountCents, 0);
        expect(Math.abs(sum - premium * 1.2)).toBeLessThanOrEqual(lines.length);
        expect(lines.every((line) => line.amountCents >= 0)).toBe(true);
      }),
    );
  });
});

describe('chargebacks of a lapse', () => {
  it('pro-rates by unearned months, all of it when FULL, nothing once the period is over', () => {
    expect(lapseChargebackFraction(4, 12, 'PRO_RATA')).toEqual({ numerator: 8, denominator: 12 });
    expect(lapseChargebackFraction(0, 12, 'PRO_RATA')).toEqual({ numerator: 12, denominator: 12 });
    expect(lapseChargebackFraction(4, 12, 'FULL')).toEqual({ numerator: 1, denominator: 1 });
    expect(lapseChargebackFraction(12, 12, 'FULL')).toEqual({ numerator: 0, denominator: 1 });
    expect(lapseChargebackFraction(13, 12, 'PRO_RATA')).toEqual({ numerator: 0, denominator: 1 });
    expect(chargebackLines([], { numerator: 0, denominator: 1 })).toEqual([]);
  });

  it('counts paid months from the placement day', () => {
    expect(paidMonthsBetween('2026-01-15', '2026-05-15')).toBe(4);
    expect(paidMonthsBetween('2026-01-15', '2026-05-14')).toBe(3);
    expect(paidMonthsBetween('2025-11-30', '2026-02-01')).toBe(2);
    expect(paidMonthsBetween('2026-01-15', '2026-01-01')).toBe(0);
  });
});

describe('chains the arithmetic refuses', () => {
  const shares = [{ agentId: 'agt_a', splitBasisPoints: 10_000 }];
  it.each([
    ['missing', new Map<string, CommissionChain>(), /no commission chain/],
    [
      'without the BGA',
      new Map([['agt_a', { ...chain('agt_a'), levels: chain('agt_a').levels.slice(0, 2) }]]),
      /does not end with the BGA/,
    ],
    ['a child above its parent', new Map([['agt_a', chain('agt_a', 11_000)]]), /level above its parent/],
    ['another agent first', new Map([['agt_a', chain('agt_x')]]), /does not start with the writing agent/],
  ])('%s', (_name, chains, message) => {
    expect(() => firstYearLines(100_000, shares, chains)).toThrow(ChainError);
    expect(() => firstYearLines(100_000, shares, chains)).toThrow(message);
  });

  it('books no line for an upline at its child level (a difference of zero)', () => {
    const flat = { ...chain('agt_a', 10_000) };
    expect(firstYearLines(100_000, shares, new Map([['agt_a', flat]])).map((line) => line.role)).toEqual(['WRITING', 'BGA']);
  });
});

describe('writing agents', () => {
  it('accepts splits summing to 100 with the case agent among them', () => {
    const { reasons, shares } = writingShareProblems(
      [
        { agentId: 'agt_a', splitPercent: 33.33 },
        { agentId: 'agt_b', splitPercent: 66.67 },
      ],
      'agt_a',
    );
    expect(reasons).toEqual([]);
    expect(shares).toEqual([
      { agentId: 'agt_a', splitBasisPoints: 3333 },
      { agentId: 'agt_b', splitBasisPoints: 6667 },
    ]);
  });

  it('names each problem with its field', () => {
    expect(
      writingShareProblems(
        [
          { agentId: 'agt_a', splitPercent: 60 },
          { agentId: 'agt_a', splitPercent: 30.001 },
          { agentId: 'agt_b', splitPercent: 0 },
        ],
        'agt_c',
      ).reasons,
    ).toEqual([
      'writingAgents[1].splitPercent must be more than 0 and at most 100, with at most two decimals',
      'writingAgents[1].agentId names an agent already listed',
      'writingAgents[2].splitPercent must be more than 0 and at most 100, with at most two decimals',
      "writingAgents must include the case's agent (agentId)",
      'writingAgents splitPercent must sum to 100 (they sum to 60)',
    ]);
    expect(writingShareProblems([], 'agt_a').reasons).toEqual(['writingAgents must name at least one writing agent']);
  });

  it('reads percents with at most two decimals', () => {
    expect(splitPercentToBasisPoints(60)).toBe(6000);
    expect(splitPercentToBasisPoints(0.01)).toBe(1);
    expect(splitPercentToBasisPoints(12.345)).toBeUndefined();
    expect(splitPercentToBasisPoints(Number.NaN)).toBeUndefined();
  });

  it('knows a period', () => {
    expect(['2026-01', '2026-12'].every(isPeriod)).toBe(true);
    expect(['2026-13', '2026-1', '26-01', '2026-00'].some(isPeriod)).toBe(false);
  });
});
