import fc from 'fast-check';
import { CARRIERS } from '../../fixtures/carriers.fixture';
import { rateFor } from '../../fixtures/rate-table';
import type { HealthClassCode } from '../carrier';
import {
  flatExtraCents,
  pricingClass,
  ratedAnnualPremium,
  PAYMENTS_PER_YEAR,
  ageLastBirthday,
  ageNearestBirthday,
  annualPremiumCents,
  basePremiumCents,
  divideHalfUp,
  exactDecimal,
  formatMoney,
  halfBirthday,
  issueAge,
  modalPremiumCents,
  modalPremiumsCents,
  parseMoney,
} from '../premium';

describe("docs/domain.md's worked example, to the cent", () => {
  const birthDate = '1990-03-10';
  const asOf = '2025-11-24';

  it('is 35 last birthday and 36 nearest (half-birthday 2025-09-10 has passed)', () => {
    expect(ageLastBirthday(birthDate, asOf)).toBe(35);
    expect(halfBirthday(birthDate, asOf)).toBe('2025-09-10');
    expect(ageNearestBirthday(birthDate, asOf)).toBe(36);
    expect(issueAge('LAST', birthDate, asOf)).toBe(35);
    expect(issueAge('NEAREST', birthDate, asOf)).toBe(36);
  });

  it('prices 0.620 per $1,000 on $500,000 with a $60 fee at 310.00 + 60.00 = 370.00', () => {
    const input = { rateThousandths: 620, faceAmount: 500_000, tableRating: 0, policyFeeCents: 6000 };
    expect(basePremiumCents(input)).toBe(31_000);
    expect(annualPremiumCents(input)).toBe(37_000);
    expect(formatMoney(annualPremiumCents(input))).toBe('370.00');
  });

  it('gives monthly 32.38 (32.375 rounded up), quarterly 98.05, semi-annual 190.55', () => {
    const modal = modalPremiumsCents(37_000, { SEMI_ANNUAL: 0.515, QUARTERLY: 0.265, MONTHLY: 0.0875 });
    expect(modal).toEqual({ ANNUAL: 37_000, SEMI_ANNUAL: 19_055, QUARTERLY: 9_805, MONTHLY: 3_238 });
    expect([modal.MONTHLY, modal.QUARTERLY, modal.SEMI_ANNUAL].map(formatMoney)).toEqual(['32.38', '98.05', '190.55']);
  });

  it('with table 2 gives base 465.00 and annual 525.00 (the fee is not table-rated)', () => {
    const input = { rateThousandths: 620, faceAmount: 500_000, tableRating: 2, policyFeeCents: 6000 };
    expect(basePremiumCents(input)).toBe(46_500);
    expect(annualPremiumCents(input)).toBe(52_500);
  });
});

describe('age last birthday and age nearest birthday', () => {
  it.each([
    // birth, asOf, last, nearest
    ['1990-03-10', '2025-03-09', 34, 35], // the day before the birthday: half-birthday 2024-09-10 long passed
    ['1990-03-10', '2025-03-10', 35, 35], // on the birthday
    ['1990-03-10', '2025-09-09', 35, 35], // the day before the half-birthday
    ['1990-03-10', '2025-09-10', 35, 36], // on the half-birthday: nearest already counts up
    ['1990-09-15', '2026-03-14', 35, 35], // half-birthday crosses the year end: 2026-03-15
    ['1990-09-15', '2026-03-15', 35, 36],
    ['1990-03-31', '2025-09-29', 35, 35], // 31 March + 6 months clamps to 30 September
    ['1990-03-31', '2025-09-30', 35, 36],
    ['1990-08-31', '2026-02-27', 35, 35], // 31 August + 6 months clamps to 28 February...
    ['1990-08-31', '2026-02-28', 35, 36],
    ['1990-08-31', '2028-02-28', 37, 37], // ...or to 29 February in a leap year
    ['1990-08-31', '2028-02-29', 37, 38],
    ['1990-12-31', '2026-06-30', 35, 36], // 31 December + 6 months is 30 June
    ['2025-11-24', '2025-11-24', 0, 0], // born today
  ])('born %s, on %s: last %i, nearest %i', (birth, asOf, last, nearest) => {
    expect(ageLastBirthday(birth, asOf)).toBe(last);
    expect(ageNearestBirthday(birth, asOf)).toBe(nearest);
    expect(issueAge('LAST', birth, asOf)).toBe(last);
    expect(issueAge('NEAREST', birth, asOf)).toBe(nearest);
  });

  describe('a 29 February birthday falls on 28 February in other years', () => {
    it.each([
      ['2025-02-27', 32, 33, '2024-08-29'], // last birthday 2024-02-29 (leap): half-birthday 29 August
      ['2025-02-28', 33, 33, '2025-08-28'], // the birthday, observed on 28 February
      ['2025-08-27', 33, 33, '2025-08-28'],
      ['2025-08-28', 33, 34, '2025-08-28'], // half-birthday from 28 February
      ['2024-02-28', 31, 32, '2023-08-28'], // leap year: not yet the birthday on the 28th
      ['2024-02-29', 32, 32, '2024-08-29'],
      ['2024-08-28', 32, 32, '2024-08-29'],
      ['2024-08-29', 32, 33, '2024-08-29'],
    ])('born 1992-02-29, on %s: last %i, nearest %i (half-birthday %s)', (asOf, last, nearest, half) => {
      expect(ageLastBirthday('1992-02-29', asOf)).toBe(last);
      expect(ageNearestBirthday('1992-02-29', asOf)).toBe(nearest);
      expect(halfBirthday('1992-02-29', asOf)).toBe(half);
    });
  });

  it('refuses malformed dates and a birth after asOf (input validation catches these first)', () => {
    expect(() => ageLastBirthday('1990-3-10', '2025-11-24')).toThrow(RangeError);
    expect(() => ageLastBirthday('1990-02-30', '2025-11-24')).toThrow(RangeError);
    expect(() => ageNearestBirthday('1990-03-10', '2025-13-01')).toThrow(RangeError);
    expect(() => ageLastBirthday('2025-11-25', '2025-11-24')).toThrow(RangeError);
  });
});

describe('rounding', () => {
  it('divides half-up, not half-even', () => {
    expect(divideHalfUp(5n, 2n)).toBe(3n);
    expect(divideHalfUp(7n, 2n)).toBe(4n);
    expect(divideHalfUp(249n, 100n)).toBe(2n);
    expect(divideHalfUp(250n, 100n)).toBe(3n);
    expect(() => divideHalfUp(-1n, 2n)).toThrow(RangeError);
  });

  it('rounds the base once, half-up, at exactly half a cent', () => {
    // 625 × 100,008 / 10,000 = 6,250.5 cents exactly
    expect(basePremiumCents({ rateThousandths: 625, faceAmount: 100_008, tableRating: 0 })).toBe(6_251);
    expect(basePremiumCents({ rateThousandths: 625, faceAmount: 100_007, tableRating: 0 })).toBe(6_250); // 6,250.4375
    // 333 × 100,000 / 10,000 × 1.25 = 4,162.5: the table is applied before the one rounding
    expect(basePremiumCents({ rateThousandths: 333, faceAmount: 100_000, tableRating: 1 })).toBe(4_163);
    // Table 8 triples the base: 1 + 0.25 × 8 = 3
    expect(basePremiumCents({ rateThousandths: 620, faceAmount: 500_000, tableRating: 8 })).toBe(93_000);
  });

  it('rounds modal premiums half-up where a binary float would round down', () => {
    // 5,160 × 0.0875 = 451.5 exactly, but 5160 * 0.0875 in floating point is 451.49999999999994
    expect(Math.round(5160 * 0.0875)).toBe(451);
    expect(modalPremiumCents(5_160, 0.0875)).toBe(452);
    // 37,400 × 0.0875 = 3,272.5: half-up gives 3,273 where half-even would give 3,272
    expect(modalPremiumCents(37_400, 0.0875)).toBe(3_273);
  });

  it('reads modal factors as the decimals they are written as', () => {
    expect(exactDecimal(0.0875)).toEqual({ numerator: 875n, denominator: 10_000n });
    expect(exactDecimal(0.515)).toEqual({ numerator: 515n, denominator: 1_000n });
    expect(exactDecimal(1)).toEqual({ numerator: 1n, denominator: 1n });
    expect(() => exactDecimal(1e-7)).toThrow(RangeError);
    expect(() => exactDecimal(-0.5)).toThrow(RangeError);
  });

  it('refuses inputs that are not integers in range', () => {
    const ok = { rateThousandths: 620, faceAmount: 500_000, tableRating: 0, policyFeeCents: 6000 };
    expect(() => annualPremiumCents({ ...ok, rateThousandths: 0.62 })).toThrow(RangeError);
    expect(() => annualPremiumCents({ ...ok, tableRating: 9 })).toThrow(RangeError);
    expect(() => annualPremiumCents({ ...ok, faceAmount: -1 })).toThrow(RangeError);
    expect(() => annualPremiumCents({ ...ok, policyFeeCents: 60.5 })).toThrow(RangeError);
    expect(() => modalPremiumCents(100.5, 0.0875)).toThrow(RangeError);
  });
});

describe('money', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [41_250, '412.50'],
    [3_238, '32.38'],
    [100_000_000, '1000000.00'],
  ])('formats %i cents as %s and parses it back', (cents, text) => {
    expect(formatMoney(cents)).toBe(text);
    expect(formatMoney(BigInt(cents))).toBe(text);
    expect(parseMoney(text)).toBe(cents);
  });

  it('formats beyond the safe-integer range from a bigint', () => {
    expect(formatMoney(123_456_789_012_345_678n)).toBe('1234567890123456.78');
  });

  it('refuses money without exactly two places, and cents that are not integers', () => {
    for (const bad of ['412.5', '412', '4.125', '', 'abc', '1,000.00', ' 1.00']) expect(() => parseMoney(bad)).toThrow(RangeError);
    expect(() => formatMoney(1.5)).toThrow(RangeError);
  });

  it('round-trips every amount', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (cents) => parseMoney(formatMoney(cents)) === cents));
  });
});

/** A YYYY-MM-DD date from days since 1900-01-01, via UTC (never local time). */
const isoFromDay = (day: number) => new Date(Date.UTC(1900, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
const dayArb = fc.integer({ min: 0, max: 200 * 366 });

describe('properties', () => {
  it('age nearest is age last or age last + 1, and + 1 exactly from the half-birthday on', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: 0, max: 100 * 366 }), (birthDay, daysLater) => {
        const birth = isoFromDay(birthDay);
        const asOf = isoFromDay(birthDay + daysLater);
        const last = ageLastBirthday(birth, asOf);
        const nearest = ageNearestBirthday(birth, asOf);
        expect(nearest - last).toBe(asOf >= halfBirthday(birth, asOf) ? 1 : 0);
      }),
      { numRuns: 2000 },
    );
  });

  /** An independent reference through UTC Date arithmetic: the last birthday on or before asOf, and the count of birthdays passed. */
  const reference = (birth: string, asOf: string) => {
    const [y, m, d] = birth.split('-').map(Number);
    // Date.UTC rolls 29 February over to 1 March in other years: step back to the 28th instead.
    const observed = (year: number) => {
      const rolled = new Date(Date.UTC(year, m - 1, d));
      return rolled.getUTCMonth() === m - 1 ? rolled : new Date(Date.UTC(year, m - 1, 28));
    };
    let count = 0;
    let last = observed(y);
    for (let year = y + 1; year <= Number(asOf.slice(0, 4)); year++) {
      if (observed(year).toISOString().slice(0, 10) <= asOf) {
        count++;
        last = observed(year);
      }
    }
    // Six calendar months on, the day clamped: day 0 of the month after is the month's last day.
    const monthEnd = new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() + 7, 0)).getUTCDate();
    const half = new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() + 6, Math.min(last.getUTCDate(), monthEnd)))
      .toISOString()
      .slice(0, 10);
    return { last: count, nearest: asOf >= half ? count + 1 : count, half };
  };

  it('both ages agree with an independent count through UTC dates', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: 0, max: 100 * 366 }), (birthDay, daysLater) => {
        const birth = isoFromDay(birthDay);
        const asOf = isoFromDay(birthDay + daysLater);
        const expected = reference(birth, asOf);
        expect(ageLastBirthday(birth, asOf)).toBe(expected.last);
        expect(ageNearestBirthday(birth, asOf)).toBe(expected.nearest);
        expect(halfBirthday(birth, asOf)).toBe(expected.half);
      }),
      { numRuns: 3000 },
    );
  });

  it('29 February births agree with the independent count on every day of 30 years', () => {
    for (let day = 0; day < 30 * 366; day++) {
      const asOf = isoFromDay(25_000 + day);
      const expected = reference('1968-02-29', asOf);
      expect([ageLastBirthday('1968-02-29', asOf), ageNearestBirthday('1968-02-29', asOf)]).toEqual([expected.last, expected.nearest]);
    }
  });

  it('the premium never falls as face, rate or table grows', () => {
    const input = fc.record({
      rateThousandths: fc.integer({ min: 0, max: 200_000 }),
      faceAmount: fc.integer({ min: 0, max: 50_000_000 }),
      tableRating: fc.integer({ min: 0, max: 8 }),
      policyFeeCents: fc.integer({ min: 5000, max: 10000 }),
    });
    fc.assert(
      fc.property(input, fc.integer({ min: 1, max: 1_000_000 }), (base, step) => {
        const annual = annualPremiumCents(base);
        expect(annualPremiumCents({ ...base, faceAmount: base.faceAmount + step })).toBeGreaterThanOrEqual(annual);
        expect(annualPremiumCents({ ...base, rateThousandths: base.rateThousandths + 1 })).toBeGreaterThanOrEqual(annual);
        if (base.tableRating < 8) expect(annualPremiumCents({ ...base, tableRating: base.tableRating + 1 })).toBeGreaterThanOrEqual(annual);
      }),
    );
  });

  it('each modal premium times its payments a year covers at least the annual premium', () => {
    // Factors anywhere in docs/domain.md's ranges, as ten-thousandths (0.5100..0.5300, ...).
    const factors = fc.record({
      SEMI_ANNUAL: fc.integer({ min: 5100, max: 5300 }).map((n) => n / 10_000),
      QUARTERLY: fc.integer({ min: 2600, max: 2700 }).map((n) => n / 10_000),
      MONTHLY: fc.integer({ min: 875, max: 950 }).map((n) => n / 10_000),
    });
    // Every real annual premium includes a policy fee of at least $50.
    fc.assert(
      fc.property(fc.integer({ min: 5000, max: 1_000_000_000 }), factors, (annual, modalFactors) => {
        const modal = modalPremiumsCents(annual, modalFactors);
        for (const mode of ['ANNUAL', 'SEMI_ANNUAL', 'QUARTERLY', 'MONTHLY'] as const) {
          expect(modal[mode] * PAYMENTS_PER_YEAR[mode]).toBeGreaterThanOrEqual(annual);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('modal rounding agrees with an exact rational reference', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000 }), fc.integer({ min: 1, max: 9999 }), (annual, tenThousandths) => {
        const exact = (BigInt(annual) * BigInt(tenThousandths) * 2n + 10_000n) / 20_000n;
        expect(modalPremiumCents(annual, tenThousandths / 10_000)).toBe(Number(exact));
      }),
    );
  });
});

describe("docs/domain.md's table rating and flat extra example, to the cent", () => {
  // Standard rate 1.100 per $1,000; the preferred rates must not be used once a table is given.
  const rates: Record<HealthClassCode, number> = { PREFERRED_PLUS: 550, PREFERRED: 620, STANDARD_PLUS: 800, STANDARD: 1_100 };
  const example = {
    tableRating: 2,
    faceAmount: 500_000,
    policyFeeCents: 6_000,
    flatExtraPerThousandCents: 250,
    rateOf: (c: HealthClassCode) => rates[c],
  };

  it('gives 550.00 × 1.5 = 825.00, + 1,250.00 flat extra, + 60.00 fee = 2,135.00 a year', () => {
    expect(basePremiumCents({ rateThousandths: 1_100, faceAmount: 500_000, tableRating: 2 })).toBe(82_500);
    expect(flatExtraCents(250, 500_000)).toBe(125_000);
    expect(
      annualPremiumCents({
        rateThousandths: 1_100,
        faceAmount: 500_000,
        tableRating: 2,
        policyFeeCents: 6_000,
        flatExtraPerThousandCents: 250,
      }),
    ).toBe(213_500);
    for (const healthClass of ['PREFERRED_PLUS', 'PREFERRED', 'STANDARD_PLUS', 'STANDARD'] as const) {
      expect(ratedAnnualPremium({ ...example, healthClass })).toEqual({
        healthClass: 'STANDARD',
        rateThousandths: 1_100,
        annualPremiumCents: 213_500,
      });
    }
    expect(formatMoney(213_500)).toBe('2135.00');
  });

  it('adds the flat extra before the modal factors (monthly 186.81, not 77.44 + 109.38 = 186.82)', () => {
    const factors = { SEMI_ANNUAL: 0.515, QUARTERLY: 0.265, MONTHLY: 0.0875 };
    expect(modalPremiumsCents(213_500, factors)).toEqual({ ANNUAL: 213_500, SEMI_ANNUAL: 109_953, QUARTERLY: 56_578, MONTHLY: 18_681 });
    expect(modalPremiumCents(88_500, 0.0875) + modalPremiumCents(125_000, 0.0875)).toBe(18_682);
  });

  it('prices the class asked when there is no table, and nothing when that class has no rate', () => {
    expect(pricingClass('PREFERRED', 0)).toBe('PREFERRED');
    expect(pricingClass('PREFERRED', 1)).toBe('STANDARD');
    expect(ratedAnnualPremium({ ...example, tableRating: 0, flatExtraPerThousandCents: 0, healthClass: 'PREFERRED' })).toEqual({
      healthClass: 'PREFERRED',
      rateThousandths: 620,
      annualPremiumCents: 37_000,
    });
    expect(
      ratedAnnualPremium({ ...example, healthClass: 'PREFERRED', rateOf: (c) => (c === 'STANDARD' ? undefined : rates[c]) }),
    ).toBeUndefined();
  });

  it('rounds a flat extra half-up once, and refuses a negative or fractional one', () => {
    expect(flatExtraCents(255, 1_500)).toBe(383); // 3.825 → 3.83
    expect(flatExtraCents(1, 499)).toBe(0); // 0.499 cents
    expect(flatExtraCents(1, 500)).toBe(1); // 0.5 cents rounds up
    expect(() => flatExtraCents(-1, 500_000)).toThrow(RangeError);
    expect(() => flatExtraCents(2.5, 500_000)).toThrow(RangeError);
  });
});

describe('a table prices off Standard: the class asked does not matter (property)', () => {
  // Every fixture TERM product that offers Standard, with one of its terms.
  const points = CARRIERS.flatMap((carrier) =>
    carrier.products
      .filter((product) => product.type === 'TERM' && product.fullyUnderwritten && product.healthClasses.includes('STANDARD'))
      .flatMap((product) => product.terms.map((term) => ({ carrier, product, term }))),
  );

  it('table 2 (and every table) at Preferred costs exactly what it costs at Standard, over ages, faces and tables', () => {
    expect(points.length).toBeGreaterThan(5);
    fc.assert(
      fc.property(
        fc.constantFrom(...points),
        fc.integer({ min: 0, max: 1_000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom('PREFERRED_PLUS', 'PREFERRED', 'STANDARD_PLUS', 'STANDARD') as fc.Arbitrary<HealthClassCode>,
        fc.boolean(),
        fc.integer({ min: 0, max: 10_000 }),
        ({ carrier, product, term }, agePick, facePick, tableRating, healthClass, tobacco, flatExtraPerThousandCents) => {
          const age = term.minIssueAge + (agePick % (term.maxIssueAge - term.minIssueAge + 1));
          const faceAmount = product.minFaceAmount + (facePick % (product.maxFaceAmount - product.minFaceAmount + 1));
          const query = { age, gender: 'MALE' as const, tobacco, termYears: term.years, faceAmount };
          const inputs = { tableRating, faceAmount, policyFeeCents: carrier.policyFeeCents, flatExtraPerThousandCents };
          const rateOf = (c: HealthClassCode) => rateFor(carrier, product, { ...query, healthClass: c });
          const asked = ratedAnnualPremium({ ...inputs, healthClass, rateOf });
          const standard = ratedAnnualPremium({ ...inputs, healthClass: 'STANDARD', rateOf });
          expect(asked).toEqual(standard);
          const standardRate = rateOf('STANDARD')!;
          expect(asked!.annualPremiumCents).toBe(
            Number(divideHalfUp(BigInt(standardRate * faceAmount) * BigInt(4 + tableRating), 40_000n)) +
              flatExtraCents(flatExtraPerThousandCents, faceAmount) +
              carrier.policyFeeCents,
          );
          // Table 2 at Preferred, the case agents see most, always equals table 2 at Standard.
          if (product.healthClasses.includes('PREFERRED'))
            expect(ratedAnnualPremium({ ...inputs, tableRating: 2, healthClass: 'PREFERRED', rateOf })).toEqual(
              ratedAnnualPremium({ ...inputs, tableRating: 2, healthClass: 'STANDARD', rateOf }),
            );
        },
      ),
      { numRuns: 300 },
    );
  });
});
