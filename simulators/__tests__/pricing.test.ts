/**
 * The simulated carriers' own arithmetic on its own: the industry's worked example to the cent,
 * both age bases around the half-birthday and 29 February, and the table rating.
 */
import { ageOn, annualPremium, modalPremiums, ratedClass } from '../pricing';

describe('simulated carrier pricing', () => {
  it('prices the table and flat extra example: Standard 1.100 on $500,000, table 2, $2.50 flat extra, $60 fee = 2,135.00', () => {
    const annual = annualPremium(1_100, 500_000, 2, 6_000, 250);
    expect(annual).toBe(213_500);
    // The flat extra is in the annual premium before the modal factor.
    expect(modalPremiums(annual, { SEMI_ANNUAL: 0.515, QUARTERLY: 0.265, MONTHLY: 0.0875 }).MONTHLY).toBe(18_681);
    expect(annualPremium(1_100, 1_500, 0, 0, 255)).toBe(165 + 383); // 3.825 rounds half-up on its own
  });

  it('rates any class with a table as Standard', () => {
    expect(ratedClass('PREFERRED_PLUS', 4)).toBe('STANDARD');
    expect(ratedClass('PREFERRED', 0)).toBe('PREFERRED');
  });

  it('prices the worked example: $0.620 per $1,000 on $500,000 plus a $60 fee', () => {
    const annual = annualPremium(620, 500_000, 0, 6_000);
    expect(annual).toBe(37_000);
    expect(modalPremiums(annual, { SEMI_ANNUAL: 0.515, QUARTERLY: 0.265, MONTHLY: 0.0875 })).toEqual({
      ANNUAL: 37_000,
      SEMI_ANNUAL: 19_055,
      QUARTERLY: 9_805,
      MONTHLY: 3_238,
    });
  });

  it('adds 25% of the base per table and never table-rates the fee', () => {
    expect(annualPremium(620, 500_000, 2, 6_000)).toBe(52_500);
    // 0.333 × 1,001 / 1,000 dollars = 33.3333 cents → 33; half a cent rounds up.
    expect(annualPremium(333, 1_001, 0, 0)).toBe(33);
    expect(annualPremium(5, 1_000, 0, 0)).toBe(1);
  });

  it('tells age last from age nearest at the half-birthday, and moves 29 February to the 28th', () => {
    expect(ageOn('LAST', '1990-03-10', '2025-11-24')).toBe(35);
    expect(ageOn('NEAREST', '1990-03-10', '2025-11-24')).toBe(36);
    expect(ageOn('NEAREST', '1990-03-10', '2025-09-09')).toBe(35);
    expect(ageOn('NEAREST', '1990-03-10', '2025-09-10')).toBe(36);
    expect(ageOn('LAST', '2000-02-29', '2025-02-28')).toBe(25);
    expect(ageOn('LAST', '2000-02-29', '2025-02-27')).toBe(24);
    // Last birthday 28 Feb 2025, plus six months: 28 August.
    expect(ageOn('NEAREST', '2000-02-29', '2025-08-27')).toBe(25);
    expect(ageOn('NEAREST', '2000-02-29', '2025-08-28')).toBe(26);
    // Born 31 August: the half-birthday is clamped to the end of February.
    expect(ageOn('NEAREST', '1990-08-31', '2024-02-29')).toBe(34);
    expect(ageOn('NEAREST', '1990-08-31', '2025-02-28')).toBe(35);
    expect(() => ageOn('LAST', '2030-01-01', '2025-01-01')).toThrow(RangeError);
  });
});
