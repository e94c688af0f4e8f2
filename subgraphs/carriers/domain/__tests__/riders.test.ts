import fc from 'fast-check';
import { RIDER_TYPES } from '../../../shared/vocabulary';
import { annualPremiumCents, basePremiumCents, formatMoney, modalPremiumCents } from '../premium';
import {
  accidentalDeathCents,
  childTermCents,
  priceRiders,
  returnOfPremiumCents,
  riderAmountProblem,
  riderPremiumsTotalCents,
  waiverOfPremiumCents,
  type RiderOffer,
  type RiderRates,
} from '../riders';

const rates: RiderRates = {
  waiverPermilleByAge: [
    { fromAge: 18, permille: 55 },
    { fromAge: 30, permille: 65 },
    { fromAge: 40, permille: 85 },
  ],
  accidentalDeathCentsPerThousand: 95,
  childTermCentsPerUnit: 550,
  returnOfPremiumByAge: [
    { fromAge: 18, hundredthsByTerm: { 20: 190, 30: 165 } },
    { fromAge: 40, hundredthsByTerm: { 20: 220, 30: 195 } },
  ],
};
const offers: RiderOffer[] = [
  { type: 'WAIVER_OF_PREMIUM', minIssueAge: 18, maxIssueAge: 55 },
  { type: 'ACCIDENTAL_DEATH', minIssueAge: 18, maxIssueAge: 65 },
  { type: 'CHILD_TERM', minIssueAge: 18, maxIssueAge: 55 },
  { type: 'RETURN_OF_PREMIUM', minIssueAge: 18, maxIssueAge: 50 },
];

describe("docs/domain.md's rider worked example, to the cent", () => {
  // The term example: 0.620 per $1,000 on $500,000, fee $60, issue age 36, 20 years.
  const base = basePremiumCents({ rateThousandths: 620, faceAmount: 500_000, tableRating: 0 });
  const riders = priceRiders({
    asks: [
      { type: 'WAIVER_OF_PREMIUM' },
      { type: 'ACCIDENTAL_DEATH', amount: 100_000 },
      { type: 'CHILD_TERM', amount: 10_000 },
      { type: 'RETURN_OF_PREMIUM' },
    ],
    offers,
    rates,
    productType: 'TERM',
    issueAge: 36,
    basePremiumCents: base,
    termYears: 20,
  });

  it('prices waiver 6.5% of 310.00 = 20.15, accidental death 100 × 0.95 = 95.00, child term 10 × 5.50 = 55.00, ROP 0.90 × 310.00 = 279.00', () => {
    expect(base).toBe(31_000);
    expect(riders).toEqual([
      { type: 'WAIVER_OF_PREMIUM', offered: true, premiumCents: 2_015 },
      { type: 'ACCIDENTAL_DEATH', offered: true, premiumCents: 9_500 },
      { type: 'CHILD_TERM', offered: true, premiumCents: 5_500 },
      { type: 'RETURN_OF_PREMIUM', offered: true, premiumCents: 27_900 },
    ]);
  });

  it('adds them to the annual premium before the modal factor: 310.00 + 449.15 + 60.00 = 819.15, monthly 71.68', () => {
    const annual = annualPremiumCents({
      rateThousandths: 620,
      faceAmount: 500_000,
      tableRating: 0,
      policyFeeCents: 6000,
      riderPremiumsCents: riderPremiumsTotalCents(riders),
    });
    expect(formatMoney(annual)).toBe('819.15');
    expect(formatMoney(modalPremiumCents(annual, 0.0875))).toBe('71.68'); // 71.675625 rounded half-up
  });

  it('rounds each rider half-up once: waiver 6.5% of 310.55 = 20.18575 → 20.19', () => {
    expect(waiverOfPremiumCents(31_055, 65)).toBe(2_019);
    expect(accidentalDeathCents(5_000, 95)).toBe(475);
    expect(accidentalDeathCents(1_000, 85)).toBe(85);
    expect(returnOfPremiumCents(31_055, 165)).toBe(20_186); // 201.8575 → 201.86
  });
});

describe('what a product does not offer is stated, never an error', () => {
  const common = { offers, rates, basePremiumCents: 31_000 };

  it('states riders not sold on the product, outside their ages, and return of premium off term', () => {
    const answer = priceRiders({
      ...common,
      offers: offers.filter((o) => o.type !== 'CHILD_TERM'),
      asks: [{ type: 'CHILD_TERM', amount: 5_000 }, { type: 'WAIVER_OF_PREMIUM' }, { type: 'RETURN_OF_PREMIUM' }],
      productType: 'WHOLE_LIFE',
      issueAge: 56,
      termYears: null,
    });
    expect(answer.map((r) => r.offered)).toEqual([false, false, false]);
    expect(answer[0]).toMatchObject({ reason: 'CHILD_TERM is not offered on this product' });
    expect(answer[1]).toMatchObject({ reason: 'WAIVER_OF_PREMIUM is offered at issue ages 18-55 only' });
    expect(riderPremiumsTotalCents(answer)).toBe(0);
  });

  it('states return of premium for a term with no multiplier, and every rider of a carrier without rider rates', () => {
    const rop = priceRiders({ ...common, asks: [{ type: 'RETURN_OF_PREMIUM' }], productType: 'TERM', issueAge: 30, termYears: 10 });
    expect(rop[0]).toMatchObject({ offered: false, reason: 'RETURN_OF_PREMIUM is not offered with a 10-year term at issue age 30' });
    const none = priceRiders({
      ...common,
      rates: null,
      asks: [{ type: 'ACCIDENTAL_DEATH', amount: 1000 }],
      productType: 'TERM',
      issueAge: 30,
      termYears: 20,
    });
    expect(none[0].offered).toBe(false);
  });

  it('takes the rate of the age band the issue age falls in', () => {
    const at = (issueAge: number) =>
      priceRiders({
        ...common,
        asks: [{ type: 'WAIVER_OF_PREMIUM' }, { type: 'RETURN_OF_PREMIUM' }],
        productType: 'TERM',
        issueAge,
        termYears: 20,
      });
    expect(at(29)).toEqual([
      { type: 'WAIVER_OF_PREMIUM', offered: true, premiumCents: 1_705 },
      { type: 'RETURN_OF_PREMIUM', offered: true, premiumCents: 27_900 },
    ]);
    expect(at(40)).toEqual([
      { type: 'WAIVER_OF_PREMIUM', offered: true, premiumCents: 2_635 },
      { type: 'RETURN_OF_PREMIUM', offered: true, premiumCents: 37_200 },
    ]);
  });
});

describe('rider amounts', () => {
  it.each([
    [{ type: 'WAIVER_OF_PREMIUM' as const }, 500_000, null],
    [{ type: 'WAIVER_OF_PREMIUM' as const, amount: 1000 }, 500_000, 'riders WAIVER_OF_PREMIUM takes no amount'],
    [{ type: 'RETURN_OF_PREMIUM' as const, amount: 1 }, 500_000, 'riders RETURN_OF_PREMIUM takes no amount'],
    [{ type: 'ACCIDENTAL_DEATH' as const }, 500_000, 'riders ACCIDENTAL_DEATH needs an amount'],
    [{ type: 'ACCIDENTAL_DEATH' as const, amount: 250_000 }, 500_000, null],
    [
      { type: 'ACCIDENTAL_DEATH' as const, amount: 251_000 },
      500_000,
      'riders ACCIDENTAL_DEATH amount must be at most $250,000 (the face amount, and never over $250,000)',
    ],
    [
      { type: 'ACCIDENTAL_DEATH' as const, amount: 110_000 },
      100_000,
      'riders ACCIDENTAL_DEATH amount must be at most $100,000 (the face amount, and never over $250,000)',
    ],
    [{ type: 'ACCIDENTAL_DEATH' as const, amount: 1_500 }, 100_000, 'riders ACCIDENTAL_DEATH amount must be whole thousands of dollars'],
    [{ type: 'CHILD_TERM' as const, amount: 25_000 }, 100_000, null],
    [{ type: 'CHILD_TERM' as const, amount: 26_000 }, 100_000, 'riders CHILD_TERM amount must be 1 to 25 units of $1,000'],
    [{ type: 'CHILD_TERM' as const, amount: 0 }, 100_000, 'riders CHILD_TERM amount must be 1 to 25 units of $1,000'],
    [{ type: 'CHILD_TERM' as const }, 100_000, 'riders CHILD_TERM needs an amount'],
  ])('%j on face %i: %s', (ask, face, problem) => {
    expect(riderAmountProblem(ask, face)).toBe(problem);
  });
});

describe('rider arithmetic, for any figures', () => {
  const cents = fc.integer({ min: 0, max: 100_000_000 });

  it('adds each offered rider exactly once to the annual premium', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50_000 }),
        fc.integer({ min: 1, max: 10_000 }).map((k) => k * 1000),
        fc.integer({ min: 18, max: 70 }),
        fc.subarray([...RIDER_TYPES], { minLength: 1 }),
        (rate, face, age, types) => {
          const base = basePremiumCents({ rateThousandths: rate, faceAmount: face, tableRating: 0 });
          const asks = types.map((type) => ({
            type,
            amount: type === 'ACCIDENTAL_DEATH' ? Math.min(face, 250_000) : type === 'CHILD_TERM' ? 5_000 : null,
          }));
          const riders = priceRiders({ asks, offers, rates, productType: 'TERM', issueAge: age, basePremiumCents: base, termYears: 20 });
          const without = annualPremiumCents({ rateThousandths: rate, faceAmount: face, tableRating: 0, policyFeeCents: 6000 });
          const total = riderPremiumsTotalCents(riders);
          expect(
            annualPremiumCents({
              rateThousandths: rate,
              faceAmount: face,
              tableRating: 0,
              policyFeeCents: 6000,
              riderPremiumsCents: total,
            }),
          ).toBe(without + total);
          expect(total).toBe(riders.reduce((sum, r) => sum + (r.offered ? r.premiumCents : 0), 0));
          expect(riders.map((r) => r.type)).toEqual(types);
        },
      ),
    );
  });

  it('keeps each rider within half a cent of its exact value', () => {
    fc.assert(
      fc.property(cents, fc.integer({ min: 50, max: 120 }), fc.integer({ min: 160, max: 260 }), (base, permille, hundredths) => {
        expect(Math.abs(waiverOfPremiumCents(base, permille) - (base * permille) / 1000)).toBeLessThanOrEqual(0.5);
        expect(Math.abs(returnOfPremiumCents(base, hundredths) - (base * (hundredths - 100)) / 100)).toBeLessThanOrEqual(0.5);
      }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 250 }),
        fc.integer({ min: 80, max: 120 }),
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 500, max: 600 }),
        (thousands, adb, units, ctr) => {
          expect(accidentalDeathCents(thousands * 1000, adb)).toBe(thousands * adb);
          expect(childTermCents(units * 1000, ctr)).toBe(units * ctr);
        },
      ),
    );
  });
});
