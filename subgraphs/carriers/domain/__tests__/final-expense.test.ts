import fc from 'fast-check';
import { annualPremiumCents, formatMoney, modalPremiumCents } from '../premium';
import { finalExpensePlan, type HealthSeverity } from '../final-expense';

describe('finalExpensePlan', () => {
  it.each([
    ['NONE', 70, 10_000, 'LEVEL'],
    ['MODERATE', 70, 10_000, 'GRADED'],
    ['SEVERE', 70, 10_000, 'MODIFIED'],
    ['KNOCK_OUT', 70, 10_000, 'GUARANTEED_ISSUE'],
    ['KNOCK_OUT', 50, 25_000, 'GUARANTEED_ISSUE'],
    ['KNOCK_OUT', 80, 25_000, 'GUARANTEED_ISSUE'],
    ['KNOCK_OUT', 49, 10_000, null],
    ['KNOCK_OUT', 81, 10_000, null],
    ['KNOCK_OUT', 70, 25_001, null],
  ] as const)('%s at %i for $%i → %s', (severity, age, face, plan) => {
    expect(finalExpensePlan(severity, age, face)).toBe(plan);
  });

  it('never gives guaranteed issue outside 50-80 and $25,000, and always some plan unless knocked out', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<HealthSeverity>('NONE', 'MODERATE', 'SEVERE', 'KNOCK_OUT'),
        fc.integer({ min: 45, max: 85 }),
        fc.integer({ min: 5_000, max: 50_000 }),
        (severity, age, face) => {
          const plan = finalExpensePlan(severity, age, face);
          if (severity !== 'KNOCK_OUT') expect(plan).not.toBeNull();
          if (plan === 'GUARANTEED_ISSUE') expect(age >= 50 && age <= 80 && face <= 25_000).toBe(true);
          if (severity === 'KNOCK_OUT' && age >= 50 && age <= 80 && face <= 25_000) expect(plan).toBe('GUARANTEED_ISSUE');
        },
      ),
    );
  });
});

describe("docs/domain.md's permanent worked examples, to the cent (same arithmetic as term)", () => {
  it('guaranteed UL: 10.250 per $1,000 on $500,000 to 121 + $60 fee = 5,185.00; monthly × 0.0875 = 453.69', () => {
    const annual = annualPremiumCents({ rateThousandths: 10_250, faceAmount: 500_000, tableRating: 0, policyFeeCents: 6000 });
    expect(formatMoney(annual)).toBe('5185.00');
    expect(formatMoney(modalPremiumCents(annual, 0.0875))).toBe('453.69');
  });

  it('whole life, life pay: 12.345 per $1,000 on $250,000 + $75 fee = 3,161.25; monthly × 0.09 = 284.51', () => {
    const annual = annualPremiumCents({ rateThousandths: 12_345, faceAmount: 250_000, tableRating: 0, policyFeeCents: 7500 });
    expect(formatMoney(annual)).toBe('3161.25');
    expect(formatMoney(modalPremiumCents(annual, 0.09))).toBe('284.51');
  });

  it('final expense, level: 68.125 per $1,000 on $10,000 + $50 fee = 731.25; monthly × 0.09 = 65.81', () => {
    const annual = annualPremiumCents({ rateThousandths: 68_125, faceAmount: 10_000, tableRating: 0, policyFeeCents: 5000 });
    expect(formatMoney(annual)).toBe('731.25');
    expect(formatMoney(modalPremiumCents(annual, 0.09))).toBe('65.81');
  });
});
