/**
 * The simulated carriers' own rules: prices equal the fixture rate table × docs/domain.md's arithmetic,
 * limits are enforced, and the issue age on an application follows the carrier's OWN age basis.
 */
import { carrierByCode } from '../../subgraphs/carriers/fixtures/carriers.fixture';
import { priceQuote, underwriteApplication, type ApplicationAsk, type QuoteAsk } from '../underwriting';

const summit = carrierByCode('SUMMIT')!; // age nearest; level term 20-year to age 65
const harbor = carrierByCode('HARBOR')!; // age last; term 20-year to age 60

const ask: QuoteAsk = {
  state: 'CA',
  issueAge: 36,
  gender: 'MALE',
  tobacco: false,
  healthClass: 'PREFERRED',
  tableRating: 0,
  faceAmount: 500_000,
  termYears: 20,
  productCodes: ['SR-LT', 'SR-XT', 'NOPE'],
};

describe('priceQuote', () => {
  it("gives docs/domain.md's worked example and declines what it cannot quote, with reasons", () => {
    const { priced, declined } = priceQuote(summit, ask);
    expect(priced.map((p) => [p.product.code, p.rateThousandths, p.annualPremiumCents, p.modalPremiumsCents])).toEqual([
      ['SR-LT', 620, 37_000, { ANNUAL: 37_000, SEMI_ANNUAL: 19_055, QUARTERLY: 9_805, MONTHLY: 3_238 }],
      ['SR-XT', expect.any(Number), expect.any(Number), expect.any(Object)],
    ]);
    expect(declined).toEqual([{ productCode: 'NOPE', reason: 'unknown product NOPE' }]);
  });
});

describe('priceQuote: Quoting v2', () => {
  const gul = { ...ask, termYears: null, issueAge: 45, productCodes: ['SR-GUL'] };

  it('prices a guaranteed UL by its guarantee age, and declines a guarantee shorter than 10 years', () => {
    const [to121] = priceQuote(summit, { ...gul, guaranteedToAge: 121 }).priced;
    const [to90] = priceQuote(summit, { ...gul, guaranteedToAge: 90 }).priced;
    expect(to90.rateThousandths).toBeLessThan(to121.rateThousandths);
    expect(to121.annualPremiumCents).toBe(Math.floor((2 * to121.rateThousandths * 500_000 * 4 + 40_000) / 80_000) + 6_000);
    expect(priceQuote(summit, { ...gul, guaranteedToAge: 90, issueAge: 81 }).declined).toEqual([
      { productCode: 'SR-GUL', reason: 'a guarantee to age 90 needs an issue age of at most 80' },
    ]);
  });

  it('prices each rider on its own, adds them before the modal factors, and states the ones it does not sell', () => {
    const withRiders = {
      ...ask,
      productCodes: ['SR-LT'],
      riders: [
        { type: 'WAIVER_OF_PREMIUM' },
        { type: 'ACCIDENTAL_DEATH', amount: 100_000 },
        { type: 'CHILD_TERM', amount: 10_000 },
        { type: 'RETURN_OF_PREMIUM' },
      ],
    };
    const [priced] = priceQuote(summit, withRiders).priced;
    // Summit at 36: waiver 6.5% of 310.00, accidental death $0.95 per $1,000, child term $5.50 a unit, ROP 1.90x on 20 years.
    expect(priced.riders).toEqual([
      { type: 'WAIVER_OF_PREMIUM', premiumCents: 2_015 },
      { type: 'ACCIDENTAL_DEATH', premiumCents: 9_500 },
      { type: 'CHILD_TERM', premiumCents: 5_500 },
      { type: 'RETURN_OF_PREMIUM', premiumCents: 27_900 },
    ]);
    expect(priced.annualPremiumCents).toBe(37_000 + 2_015 + 9_500 + 5_500 + 27_900);
    const [gulQuote] = priceQuote(summit, {
      ...withRiders,
      productCodes: ['SR-GUL'],
      termYears: null,
      riders: [{ type: 'RETURN_OF_PREMIUM' }],
    }).priced;
    expect(gulQuote.riders).toEqual([{ type: 'RETURN_OF_PREMIUM', refused: 'RETURN_OF_PREMIUM is not offered on this product' }]);
  });
});

describe('priceQuote: table ratings and flat extras', () => {
  it('prices a table off the Standard rate whatever class is asked, and adds the flat extra', () => {
    const rated = { ...ask, tableRating: 2, productCodes: ['SR-LT'] };
    const [preferred] = priceQuote(summit, rated).priced;
    const [standard] = priceQuote(summit, { ...rated, healthClass: 'STANDARD' }).priced;
    const [unrated] = priceQuote(summit, { ...ask, healthClass: 'STANDARD', productCodes: ['SR-LT'] }).priced;
    expect(preferred).toEqual(standard);
    expect(preferred.healthClass).toBe('STANDARD');
    expect(preferred.rateThousandths).toBe(unrated.rateThousandths);
    const [extra] = priceQuote(summit, { ...rated, flatExtraPerThousandCents: 250, flatExtraYears: 5 }).priced;
    expect(extra.annualPremiumCents - preferred.annualPremiumCents).toBe(125_000);
  });

  it('declines a flat extra on a product that is not fully underwritten, or for more years than the term', () => {
    const { priced, declined } = priceQuote(summit, {
      ...ask,
      flatExtraPerThousandCents: 250,
      flatExtraYears: 5,
      productCodes: ['SR-LT', 'SR-XT'],
    });
    expect(priced.map((p) => p.product.code)).toEqual(['SR-LT']);
    expect(declined).toEqual([{ productCode: 'SR-XT', reason: expect.stringContaining('flat extras are not allowed') }]);
    expect(priceQuote(summit, { ...ask, flatExtraPerThousandCents: 250, flatExtraYears: 21, productCodes: ['SR-LT'] }).declined).toEqual([
      { productCode: 'SR-LT', reason: 'a flat extra runs 1 to 20 years, got 21' },
    ]);
  });
});

function application(overrides: Partial<ApplicationAsk>): ApplicationAsk {
  return {
    productCode: 'SR-LT',
    state: 'CA',
    birthDate: '1990-03-10',
    gender: 'MALE',
    tobacco: false,
    healthClass: 'PREFERRED',
    tableRating: 0,
    faceAmount: 500_000,
    termYears: 20,
    paymentMode: 'MONTHLY',
    annualPremiumCents: null,
    applicationDate: '2025-11-24',
    ...overrides,
  };
}

describe('underwriteApplication', () => {
  it("computes the issue age under the carrier's own basis", () => {
    // Born 1960-01-15, signed 2025-11-24: 65 last birthday, 66 nearest (half-birthday 2025-07-15 passed).
    const nearest = underwriteApplication(summit, application({ birthDate: '1960-01-15' }));
    expect(nearest).toEqual({ accepted: false, message: expect.stringContaining('issue age 66 is outside 18-65') });
    // Signed before the half-birthday, the same person is 65 nearest: accepted.
    expect(underwriteApplication(summit, application({ birthDate: '1960-01-15', applicationDate: '2025-07-14' }))).toMatchObject({
      accepted: true,
      terms: { issueAge: 65 },
    });
    // At an age-last carrier, born 1965-01-15 is 60 on 2025-11-24 (61 nearest): inside the 20-year limit.
    expect(underwriteApplication(harbor, application({ productCode: 'HML-T', birthDate: '1965-01-15' }))).toMatchObject({
      accepted: true,
      terms: { issueAge: 60 },
    });
  });

  it('rejects impossible applications with a reason and no personal data', () => {
    const cases: [Partial<ApplicationAsk>, string][] = [
      [{ faceAmount: 50_000_000 }, 'face amount $50,000,000 is outside'],
      [{ state: 'NY' }, 'not available in NY'],
      [{ productCode: 'SR-XT', healthClass: 'PREFERRED_PLUS' }, 'does not offer PREFERRED_PLUS'],
      [{ productCode: 'SR-XT', tableRating: 2 }, 'table ratings are not allowed'],
      [{ termYears: 25, birthDate: '1950-01-01' }, 'issue age'],
      [{ birthDate: '2030-01-01' }, 'not a possible date'],
      [{ productCode: 'ZZ' }, 'unknown product ZZ'],
    ];
    for (const [overrides, reason] of cases) {
      const decision = underwriteApplication(summit, application(overrides));
      expect(decision).toEqual({ accepted: false, message: expect.stringContaining(reason) });
      if (!decision.accepted) expect(decision.message).not.toContain(application(overrides).birthDate);
    }
  });

  it("accepts the carrier's own price, and notes a different one", () => {
    const young = application({ annualPremiumCents: 37_000 });
    expect(underwriteApplication(summit, young)).toEqual({
      accepted: true,
      terms: expect.objectContaining({ issueAge: 36, annualPremiumCents: 37_000 }),
      message: undefined,
    });
    expect(underwriteApplication(summit, { ...young, annualPremiumCents: 36_000 })).toMatchObject({
      accepted: true,
      message: 'premium recalculated to $370.00 a year at issue age 36',
    });
  });
});
