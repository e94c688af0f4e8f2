import fc from 'fast-check';
import type { CarrierFixture, ProductFixture } from '../../fixtures/carriers.fixture';
import { carrierById, productById } from '../../fixtures/carriers.fixture';
import { productEligibility, productEligibilityAtAge, type ProductRequestAtAge } from '../product-eligibility';

/** A hand-made product so each rule is tested against limits written right here. */
const product: ProductFixture = {
  id: 'prd_test_term',
  carrierId: 'car_test',
  code: 'T-1',
  name: 'Test Term',
  type: 'TERM',
  terms: [
    { years: 10, minIssueAge: 18, maxIssueAge: 75 },
    { years: 20, minIssueAge: 18, maxIssueAge: 60 },
    { years: 30, minIssueAge: 18, maxIssueAge: 50 },
  ],
  minIssueAge: 18,
  maxIssueAge: 75,
  minFaceAmount: 100_000,
  maxFaceAmount: 5_000_000,
  healthClasses: ['PREFERRED_PLUS', 'PREFERRED', 'STANDARD'],
  availableStates: ['TX', 'CA', 'FL'],
  fullyUnderwritten: true,
};

const ok: ProductRequestAtAge = { state: 'TX', issueAge: 35, healthClass: 'PREFERRED', tableRating: 0, faceAmount: 500_000, termYears: 20 };

const codeOf = (request: Partial<ProductRequestAtAge>, p: ProductFixture = product) => {
  const result = productEligibilityAtAge(p, { ...ok, ...request });
  return result.eligible ? 'ELIGIBLE' : result.code;
};

describe('productEligibilityAtAge', () => {
  it('accepts a request inside every limit and returns the issue age', () => {
    expect(productEligibilityAtAge(product, ok)).toEqual({ eligible: true, issueAge: 35 });
  });

  it('quotes only the type asked for, and never indexed UL (it needs an illustration)', () => {
    const wholeLife: ProductFixture = { ...product, type: 'WHOLE_LIFE', terms: [] };
    expect(codeOf({}, wholeLife)).toBe('PRODUCT.TYPE_MISMATCH');
    expect(codeOf({ productType: 'WHOLE_LIFE' })).toBe('PRODUCT.TYPE_MISMATCH');
    const iul: ProductFixture = { ...product, type: 'INDEXED_UNIVERSAL_LIFE', terms: [] };
    const verdict = productEligibilityAtAge(iul, { ...ok, productType: 'INDEXED_UNIVERSAL_LIFE' });
    expect(verdict).toEqual({
      eligible: false,
      code: 'PRODUCT.NEEDS_ILLUSTRATION',
      reason: 'Test Term is indexed universal life: it needs an illustration and is not quoted here',
    });
  });

  it('quotes guaranteed UL for a guarantee age it offers (121 when none is asked) that runs at least 10 years', () => {
    const gul: ProductFixture = { ...product, type: 'UNIVERSAL_LIFE', terms: [], maxIssueAge: 85, guaranteeAges: [90, 100, 121] };
    const ul = { productType: 'UNIVERSAL_LIFE' as const, termYears: null };
    expect(codeOf({ ...ul }, gul)).toBe('ELIGIBLE');
    expect(codeOf({ ...ul, guaranteedToAge: 90 }, gul)).toBe('ELIGIBLE');
    expect(codeOf({ ...ul, guaranteedToAge: 95 }, gul)).toBe('PRODUCT.GUARANTEE_NOT_OFFERED');
    expect(codeOf({ ...ul, guaranteedToAge: 90, issueAge: 80 }, gul)).toBe('ELIGIBLE');
    expect(codeOf({ ...ul, guaranteedToAge: 90, issueAge: 81 }, gul)).toBe('PRODUCT.GUARANTEE_NOT_OFFERED');
    expect(codeOf({ ...ul, issueAge: 86 }, gul)).toBe('PRODUCT.AGE_OUT_OF_RANGE');
    // A catalog row that does not list its guarantee ages leaves the answer to the carrier.
    expect(codeOf({ ...ul, guaranteedToAge: 95 }, { ...gul, guaranteeAges: undefined })).toBe('ELIGIBLE');
  });

  it('quotes whole life for a pay period it offers (LIFE when none is asked); paid to 65 only up to issue age 55', () => {
    const wl: ProductFixture = { ...product, type: 'WHOLE_LIFE', terms: [], payPeriods: ['LIFE', 'TEN_PAY', 'TO_AGE_65'] };
    const whole = { productType: 'WHOLE_LIFE' as const, termYears: null };
    expect(codeOf({ ...whole }, wl)).toBe('ELIGIBLE');
    expect(codeOf({ ...whole, payPeriod: 'TWENTY_PAY' }, wl)).toBe('PRODUCT.PAY_PERIOD_NOT_OFFERED');
    expect(codeOf({ ...whole, payPeriod: 'TO_AGE_65', issueAge: 55 }, wl)).toBe('ELIGIBLE');
    expect(codeOf({ ...whole, payPeriod: 'TO_AGE_65', issueAge: 56 }, wl)).toBe('PRODUCT.PAY_PERIOD_NOT_OFFERED');
  });

  it('quotes final expense at 45-85 and $5,000-$50,000 at Standard whatever class was asked; guaranteed issue at 50-80 up to $25,000', () => {
    const fe: ProductFixture = {
      ...product,
      type: 'FINAL_EXPENSE',
      terms: [],
      minIssueAge: 40,
      maxIssueAge: 90,
      minFaceAmount: 2_000,
      maxFaceAmount: 100_000,
      healthClasses: ['STANDARD'],
      fullyUnderwritten: false,
    };
    const burial = {
      productType: 'FINAL_EXPENSE' as const,
      termYears: null,
      faceAmount: 10_000,
      issueAge: 70,
      healthClass: 'PREFERRED' as const,
    };
    expect(codeOf({ ...burial }, fe)).toBe('ELIGIBLE');
    expect(codeOf({ ...burial, issueAge: 44 }, fe)).toBe('PRODUCT.AGE_OUT_OF_RANGE');
    expect(codeOf({ ...burial, issueAge: 86 }, fe)).toBe('PRODUCT.AGE_OUT_OF_RANGE');
    expect(codeOf({ ...burial, faceAmount: 4_999 }, fe)).toBe('PRODUCT.FACE_OUT_OF_RANGE');
    expect(codeOf({ ...burial, faceAmount: 50_001 }, fe)).toBe('PRODUCT.FACE_OUT_OF_RANGE');
    expect(codeOf({ ...burial, finalExpensePlan: 'GUARANTEED_ISSUE', faceAmount: 25_000 }, fe)).toBe('ELIGIBLE');
    expect(codeOf({ ...burial, finalExpensePlan: 'GUARANTEED_ISSUE', faceAmount: 25_001 }, fe)).toBe('PRODUCT.PLAN_NOT_OFFERED');
    expect(codeOf({ ...burial, finalExpensePlan: 'GUARANTEED_ISSUE', issueAge: 81 }, fe)).toBe('PRODUCT.PLAN_NOT_OFFERED');
    expect(codeOf({ ...burial, finalExpensePlan: 'GRADED' }, { ...fe, finalExpensePlans: ['LEVEL'] })).toBe('PRODUCT.PLAN_NOT_OFFERED');
  });

  it('needs a term, and one the product offers', () => {
    expect(codeOf({ termYears: null })).toBe('PRODUCT.TERM_REQUIRED');
    expect(codeOf({ termYears: undefined })).toBe('PRODUCT.TERM_REQUIRED');
    expect(codeOf({ termYears: 15 })).toBe('PRODUCT.TERM_NOT_OFFERED');
  });

  it("checks the issue age against that term's limits: long terms stop at lower ages", () => {
    expect(codeOf({ issueAge: 17 })).toBe('PRODUCT.AGE_OUT_OF_RANGE');
    expect(codeOf({ issueAge: 18 })).toBe('ELIGIBLE');
    expect(codeOf({ issueAge: 60, termYears: 20 })).toBe('ELIGIBLE');
    expect(codeOf({ issueAge: 61, termYears: 20 })).toBe('PRODUCT.AGE_OUT_OF_RANGE');
    expect(codeOf({ issueAge: 61, termYears: 10 })).toBe('ELIGIBLE');
    expect(codeOf({ issueAge: 50, termYears: 30 })).toBe('ELIGIBLE');
    expect(codeOf({ issueAge: 51, termYears: 30 })).toBe('PRODUCT.AGE_OUT_OF_RANGE');
  });

  it('checks the face amount against min and max, inclusive', () => {
    expect(codeOf({ faceAmount: 99_999 })).toBe('PRODUCT.FACE_OUT_OF_RANGE');
    expect(codeOf({ faceAmount: 100_000 })).toBe('ELIGIBLE');
    expect(codeOf({ faceAmount: 5_000_000 })).toBe('ELIGIBLE');
    expect(codeOf({ faceAmount: 5_000_001 })).toBe('PRODUCT.FACE_OUT_OF_RANGE');
  });

  it('checks the state and the class', () => {
    expect(codeOf({ state: 'NY' })).toBe('PRODUCT.STATE_NOT_AVAILABLE');
    expect(codeOf({ healthClass: 'STANDARD_PLUS' })).toBe('PRODUCT.CLASS_NOT_OFFERED');
  });

  it('allows table ratings 1..8 only on fully underwritten products', () => {
    expect(codeOf({ tableRating: 8 })).toBe('ELIGIBLE');
    expect(codeOf({ tableRating: 9 })).toBe('PRODUCT.TABLE_RATING_NOT_ALLOWED');
    expect(codeOf({ tableRating: -1 })).toBe('PRODUCT.TABLE_RATING_NOT_ALLOWED');
    const simplified: ProductFixture = { ...product, fullyUnderwritten: false };
    expect(codeOf({ tableRating: 0 }, simplified)).toBe('ELIGIBLE');
    expect(codeOf({ tableRating: 1 }, simplified)).toBe('PRODUCT.TABLE_RATING_NOT_ALLOWED');
  });

  it('reports the first failing rule with a readable reason', () => {
    const result = productEligibilityAtAge(product, { ...ok, termYears: 15, state: 'NY', faceAmount: 1 });
    expect(result).toEqual({ eligible: false, code: 'PRODUCT.TERM_NOT_OFFERED', reason: 'Test Term does not offer a 15-year term' });
    const face = productEligibilityAtAge(product, { ...ok, faceAmount: 10_000_000 });
    expect(face.eligible === false && face.reason).toBe('face amount $10,000,000 is outside $100,000-$5,000,000 for Test Term');
  });
});

describe('productEligibility (from the birth date, under the carrier age basis)', () => {
  const nearest: Pick<CarrierFixture, 'id' | 'ageBasis'> = { id: 'car_test', ageBasis: 'NEAREST' };
  const last: Pick<CarrierFixture, 'id' | 'ageBasis'> = { id: 'car_test', ageBasis: 'LAST' };
  // Born 1975-03-10, on 2025-11-24: 50 last birthday, 51 nearest. The 30-year term stops at 50.
  const request = {
    state: 'TX' as const,
    birthDate: '1975-03-10',
    asOf: '2025-11-24',
    healthClass: 'PREFERRED' as const,
    tableRating: 0,
    faceAmount: 500_000,
    termYears: 30,
  };

  it('one person, two carriers: eligible at 50 last birthday, too old at 51 nearest', () => {
    expect(productEligibility(product, last, request)).toEqual({ eligible: true, issueAge: 50 });
    expect(productEligibility(product, nearest, request)).toMatchObject({ eligible: false, code: 'PRODUCT.AGE_OUT_OF_RANGE' });
  });

  it("works on the fixture catalog: docs/domain.md's worked example is 36 at a NEAREST carrier", () => {
    const summit = carrierById('car_summit')!;
    const term = productById('prd_summit_level_term')!;
    expect(productEligibility(term, summit, { ...request, birthDate: '1990-03-10', termYears: 20 })).toEqual({
      eligible: true,
      issueAge: 36,
    });
    expect(productEligibility(term, summit, { ...request, birthDate: '1990-03-10', termYears: 20, state: 'NY' })).toMatchObject({
      eligible: false,
      code: 'PRODUCT.STATE_NOT_AVAILABLE',
    });
  });

  it("refuses a product of another carrier: that is a caller's bug", () => {
    expect(() => productEligibility(product, { id: 'car_other', ageBasis: 'LAST' }, request)).toThrow(/does not belong/);
  });
});

describe('table ratings price as Standard, flat extras need full underwriting', () => {
  const noStandard: ProductFixture = { ...product, healthClasses: ['PREFERRED_PLUS', 'PREFERRED'] };

  it('checks the class a table prices at (Standard), not the class asked', () => {
    expect(codeOf({ healthClass: 'PREFERRED_PLUS', tableRating: 4 })).toBe('ELIGIBLE');
    expect(codeOf({ healthClass: 'PREFERRED', tableRating: 0 }, noStandard)).toBe('ELIGIBLE');
    expect(codeOf({ healthClass: 'PREFERRED', tableRating: 2 }, noStandard)).toBe('PRODUCT.CLASS_NOT_OFFERED');
    // STANDARD_PLUS is not offered, but with a table it prices as Standard, which is.
    expect(codeOf({ healthClass: 'STANDARD_PLUS', tableRating: 1 })).toBe('ELIGIBLE');
    expect(codeOf({ healthClass: 'STANDARD_PLUS', tableRating: 0 })).toBe('PRODUCT.CLASS_NOT_OFFERED');
  });

  it('allows a flat extra on fully underwritten products only', () => {
    expect(codeOf({ flatExtraPerThousandCents: 250 })).toBe('ELIGIBLE');
    expect(codeOf({ flatExtraPerThousandCents: 250 }, { ...product, fullyUnderwritten: false })).toBe('PRODUCT.FLAT_EXTRA_NOT_ALLOWED');
    expect(codeOf({ flatExtraPerThousandCents: 0 }, { ...product, fullyUnderwritten: false })).toBe('ELIGIBLE');
  });
});

describe('eligibility of permanent products, for any request', () => {
  const permanent = (type: ProductFixture['type']): ProductFixture => ({
    ...product,
    type,
    terms: [],
    minIssueAge: 0,
    maxIssueAge: 99,
    minFaceAmount: 1_000,
    maxFaceAmount: 10_000_000,
    healthClasses: ['PREFERRED_PLUS', 'PREFERRED', 'STANDARD_PLUS', 'STANDARD'],
    fullyUnderwritten: type !== 'FINAL_EXPENSE',
  });
  const age = fc.integer({ min: 0, max: 99 });
  const face = fc.integer({ min: 1_000, max: 200_000 });

  it('never quotes final expense outside 45-85 and $5,000-$50,000, nor guaranteed issue outside 50-80 and $25,000', () => {
    fc.assert(
      fc.property(age, face, fc.constantFrom('LEVEL', 'GRADED', 'MODIFIED', 'GUARANTEED_ISSUE' as const), (issueAge, faceAmount, plan) => {
        const verdict = productEligibilityAtAge(permanent('FINAL_EXPENSE'), {
          ...ok,
          productType: 'FINAL_EXPENSE',
          termYears: null,
          issueAge,
          faceAmount,
          finalExpensePlan: plan,
        });
        const inBand = issueAge >= 45 && issueAge <= 85 && faceAmount >= 5_000 && faceAmount <= 50_000;
        const giBand = issueAge >= 50 && issueAge <= 80 && faceAmount <= 25_000;
        expect(verdict.eligible).toBe(inBand && (plan !== 'GUARANTEED_ISSUE' || giBand));
      }),
    );
  });

  it('quotes a guarantee exactly when it runs at least 10 years, and premiums to 65 exactly up to issue age 55', () => {
    fc.assert(
      fc.property(age, fc.constantFrom(90, 95, 100, 105, 121 as const), (issueAge, guaranteedToAge) => {
        const verdict = productEligibilityAtAge(permanent('UNIVERSAL_LIFE'), {
          ...ok,
          productType: 'UNIVERSAL_LIFE',
          termYears: null,
          issueAge,
          guaranteedToAge,
        });
        expect(verdict.eligible).toBe(issueAge <= guaranteedToAge - 10);
      }),
    );
    fc.assert(
      fc.property(age, (issueAge) => {
        const request = { ...ok, productType: 'WHOLE_LIFE' as const, termYears: null, issueAge };
        expect(productEligibilityAtAge(permanent('WHOLE_LIFE'), { ...request, payPeriod: 'TO_AGE_65' }).eligible).toBe(issueAge <= 55);
        expect(productEligibilityAtAge(permanent('WHOLE_LIFE'), request).eligible).toBe(true);
      }),
    );
  });
});
