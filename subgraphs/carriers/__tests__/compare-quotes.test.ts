import type { GraphQLError } from 'graphql';
import type { QuoteRequest } from '../adapters/carrier-adapter.port';
import { MAX_FACE_AMOUNT, quoteCacheKey, toQuoteView, validateQuoteInput } from '../compare-quotes.service';
import type { QuoteInput } from '../quote.type';
import { CARRIER_ROWS, PRODUCT_ROWS } from './fake-carriers';

const CATALOG = { carriers: CARRIER_ROWS, products: PRODUCT_ROWS };
const TODAY = '2025-11-24';
const INPUT: QuoteInput = {
  state: 'TX',
  birthDate: '1990-03-10',
  gender: 'MALE',
  tobacco: false,
  healthClass: 'PREFERRED',
  faceAmount: 500_000,
  termYears: 20,
};

function reasonsOf(input: Partial<QuoteInput>, catalog = CATALOG): string[] {
  try {
    validateQuoteInput({ ...INPUT, ...input } as QuoteInput, catalog, TODAY);
  } catch (error) {
    expect((error as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
    return (error as GraphQLError).extensions.reasons as string[];
  }
  return [];
}

describe('validateQuoteInput', () => {
  it('applies the contract defaults and asks every carrier, by name', () => {
    const normalized = validateQuoteInput(INPUT, CATALOG, TODAY);
    expect(normalized).toMatchObject({ tableRating: 0, productType: 'TERM', paymentMode: 'MONTHLY', asOf: TODAY, termYears: 20 });
    expect(normalized.carriers).toHaveLength(CARRIER_ROWS.length);
    const names = normalized.carriers.map((c) => c.name);
    expect(names).toEqual([...names].sort());
  });

  it('treats explicit nulls like omitted fields', () => {
    const normalized = validateQuoteInput(
      { ...INPUT, tableRating: null, paymentMode: null, productType: null, asOf: null, carrierIds: null },
      CATALOG,
      TODAY,
    );
    expect(normalized).toMatchObject({ tableRating: 0, productType: 'TERM', paymentMode: 'MONTHLY', asOf: TODAY });
  });

  it.each([
    [{ birthDate: '2025-11-25' }, 'birthDate is in the future'],
    [{ birthDate: '2025-02-30' }, 'birthDate must be a calendar date written YYYY-MM-DD'],
    [{ birthDate: '1900-01-01' }, 'birthDate is more than 120 years before asOf'],
    [{ birthDate: '2020-01-01', asOf: '2019-06-01' }, 'birthDate is after asOf'],
    [{ faceAmount: 0 }, 'faceAmount must be a positive whole number of dollars'],
    [{ faceAmount: -5 }, 'faceAmount must be a positive whole number of dollars'],
    [{ faceAmount: MAX_FACE_AMOUNT + 1 }, `faceAmount must be at most ${MAX_FACE_AMOUNT}`],
    [{ tableRating: 9 }, 'tableRating must be between 0 and 8'],
    [{ tableRating: -1 }, 'tableRating must be between 0 and 8'],
    [{ termYears: 12 }, 'termYears must be one of 10, 15, 20, 25, 30'],
    [{ termYears: null }, 'termYears is required for TERM'],
    [{ carrierIds: ['car_nope'] }, 'carrierIds has unknown carriers: car_nope'],
    [{ carrierIds: ['not-an-id'] }, 'carrierIds has 1 malformed id (expected car_...)'],
    [{ carrierIds: [] }, 'carrierIds must name at least one carrier (omit it to ask every carrier)'],
  ] as [Partial<QuoteInput>, string][])('refuses %j: %s', (input, reason) => {
    expect(reasonsOf(input)).toEqual([reason]);
  });

  it("never echoes a malformed carrier id (it is the caller's text: the fuzz suite once planted an SSN there)", () => {
    const reasons = reasonsOf({ carrierIds: ['PIIMARK1x123-45-6789', 'car_nope', 'also bad'] });
    expect(reasons).toEqual(['carrierIds has 2 malformed ids (expected car_...)', 'carrierIds has unknown carriers: car_nope']);
    expect(reasons.join(' ')).not.toContain('123-45-6789');
  });

  it('lists every reason at once, each naming its field', () => {
    const reasons = reasonsOf({ birthDate: '2030-01-01', faceAmount: 0, tableRating: 12, termYears: 11, carrierIds: ['car_x'] });
    expect(reasons.map((r) => r.split(' ')[0])).toEqual(['birthDate', 'faceAmount', 'tableRating', 'termYears', 'carrierIds']);
  });

  it('refuses a term that no carrier offers', () => {
    const without30 = PRODUCT_ROWS.map((p) => ({ ...p, termYears: p.termYears.filter((y) => y !== 30) }));
    expect(reasonsOf({ termYears: 30 }, { carriers: CARRIER_ROWS, products: without30 })).toEqual([
      'termYears 30 is offered by no carrier',
    ]);
  });

  it('accepts a non-TERM type without a term (it quotes as NO_ELIGIBLE_PRODUCT later)', () => {
    expect(validateQuoteInput({ ...INPUT, termYears: null, productType: 'WHOLE_LIFE' }, CATALOG, TODAY).productType).toBe('WHOLE_LIFE');
  });

  it('filters carriers by carrierIds and minAmBestRating (best first: A_PLUS keeps A++ and A+)', () => {
    const ids = CARRIER_ROWS.slice(0, 3).map((c) => c.id);
    expect(
      validateQuoteInput({ ...INPUT, carrierIds: [...ids, ids[0]] }, CATALOG, TODAY)
        .carriers.map((c) => c.id)
        .sort(),
    ).toEqual([...ids].sort());
    const rated = validateQuoteInput({ ...INPUT, minAmBestRating: 'A_PLUS' }, CATALOG, TODAY).carriers;
    expect(rated.length).toBeGreaterThan(0);
    expect(rated.every((c) => c.amBestRating === 'A_PLUS_PLUS' || c.amBestRating === 'A_PLUS')).toBe(true);
    expect(rated).toHaveLength(CARRIER_ROWS.filter((c) => ['A_PLUS_PLUS', 'A_PLUS'].includes(c.amBestRating)).length);
  });
});

describe('validateQuoteInput: Quoting v2', () => {
  it('defaults the guarantee to 121, the pay period to LIFE and the final expense plan to LEVEL, each only for its type', () => {
    const ul = validateQuoteInput({ ...INPUT, productType: 'UNIVERSAL_LIFE', termYears: null }, CATALOG, TODAY);
    expect([ul.guaranteedToAge, ul.payPeriod, ul.finalExpensePlan]).toEqual([121, null, null]);
    const wl = validateQuoteInput({ ...INPUT, productType: 'WHOLE_LIFE', termYears: null }, CATALOG, TODAY);
    expect([wl.guaranteedToAge, wl.payPeriod, wl.finalExpensePlan]).toEqual([null, 'LIFE', null]);
    const fe = validateQuoteInput(
      { ...INPUT, productType: 'FINAL_EXPENSE', termYears: null, faceAmount: 10_000, birthDate: '1955-01-15' },
      CATALOG,
      TODAY,
    );
    expect([fe.guaranteedToAge, fe.payPeriod, fe.finalExpensePlan]).toEqual([null, null, 'LEVEL']);
    const term = validateQuoteInput(INPUT, CATALOG, TODAY);
    expect([term.guaranteedToAge, term.payPeriod, term.finalExpensePlan, term.riders]).toEqual([null, null, null, []]);
  });

  it('refuses an issue age outside every product of the type asked, naming birthDate and never its value', () => {
    const reasons = reasonsOf({ productType: 'FINAL_EXPENSE', termYears: null, faceAmount: 10_000 });
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(
      /^birthDate gives issue age \d+, outside every FINAL_EXPENSE product's issue ages \(45-85\) at the carriers asked$/,
    );
    expect(reasons[0]).not.toContain('1990');
    // Within some product's ages at some carrier: not refused (the others answer NO_ELIGIBLE_PRODUCT).
    expect(reasonsOf({ productType: 'FINAL_EXPENSE', termYears: null, faceAmount: 10_000, birthDate: '1955-01-15' })).toEqual([]);
  });

  it('refuses a guarantee age not in the list, and a guarantee age or pay period with another type, naming the field', () => {
    expect(reasonsOf({ productType: 'UNIVERSAL_LIFE', termYears: null, guaranteedToAge: 110 })).toEqual([
      'guaranteedToAge must be one of 90, 95, 100, 105, 121',
    ]);
    expect(reasonsOf({ guaranteedToAge: 95 })).toEqual(['guaranteedToAge applies to UNIVERSAL_LIFE only']);
    expect(reasonsOf({ payPeriod: 'TEN_PAY' })).toEqual(['payPeriod applies to WHOLE_LIFE only']);
  });

  it('refuses repeated rider types and amounts outside the rider rules, before any carrier is called', () => {
    expect(reasonsOf({ riders: [{ type: 'WAIVER_OF_PREMIUM' }, { type: 'WAIVER_OF_PREMIUM' }] })).toEqual([
      'riders may name each type once: WAIVER_OF_PREMIUM repeated',
    ]);
    expect(
      reasonsOf({
        riders: [
          { type: 'ACCIDENTAL_DEATH', amount: 300_000 },
          { type: 'CHILD_TERM', amount: 30_000 },
          { type: 'RETURN_OF_PREMIUM', amount: 1_000 },
        ],
      }),
    ).toEqual([
      'riders ACCIDENTAL_DEATH amount must be at most $250,000 (the face amount, and never over $250,000)',
      'riders CHILD_TERM amount must be 1 to 25 units of $1,000',
      'riders RETURN_OF_PREMIUM takes no amount',
    ]);
    expect(reasonsOf({ faceAmount: 1000.5 })).toEqual(['faceAmount must be a positive whole number of dollars']);
    const ok = validateQuoteInput(
      {
        ...INPUT,
        riders: [
          { type: 'CHILD_TERM', amount: 5_000 },
          { type: 'WAIVER_OF_PREMIUM', amount: null },
        ],
      },
      CATALOG,
      TODAY,
    );
    expect(ok.riders).toEqual([{ type: 'CHILD_TERM', amount: 5_000 }, { type: 'WAIVER_OF_PREMIUM' }]);
  });
});

describe('quoteCacheKey', () => {
  const request: QuoteRequest = {
    productType: 'TERM',
    state: 'TX',
    issueAge: 36,
    gender: 'MALE',
    tobacco: false,
    healthClass: 'PREFERRED',
    tableRating: 0,
    faceAmount: 500_000,
    termYears: 20,
    productIds: ['prd_b', 'prd_a'],
  };

  it('is carrier + a sha256 of the normalized request, with no personal data in it', () => {
    const key = quoteCacheKey('car_summit', request);
    expect(key).toMatch(/^quote:v1:car_summit:[0-9a-f]{64}$/);
  });

  it('is the same for the same pricing inputs, whatever the product order', () => {
    expect(quoteCacheKey('car_summit', { ...request, productIds: ['prd_a', 'prd_b'] })).toBe(quoteCacheKey('car_summit', request));
  });

  it('differs with anything that changes the price, and by carrier', () => {
    const key = quoteCacheKey('car_summit', request);
    for (const change of [
      { issueAge: 37 },
      { gender: 'FEMALE' },
      { tobacco: true },
      { healthClass: 'STANDARD' },
      { tableRating: 2 },
      { flatExtraPerThousandCents: 250, flatExtraYears: 5 },
      { faceAmount: 500_001 },
      { termYears: 30 },
      { state: 'OK' },
      { productIds: ['prd_a'] },
      { productType: 'UNIVERSAL_LIFE', termYears: null, guaranteedToAge: 121 },
      { productType: 'WHOLE_LIFE', termYears: null, payPeriod: 'LIFE' },
      { productType: 'FINAL_EXPENSE', termYears: null, finalExpensePlan: 'LEVEL' },
      { riders: [{ type: 'WAIVER_OF_PREMIUM' }] },
      { riders: [{ type: 'ACCIDENTAL_DEATH', amount: 50_000 }] },
    ]) {
      expect(quoteCacheKey('car_summit', { ...request, ...change } as QuoteRequest)).not.toBe(key);
    }
    expect(quoteCacheKey('car_other', request)).not.toBe(key);
  });
});

describe('quoteCacheKey with table ratings and flat extras', () => {
  const rated: QuoteRequest = {
    productType: 'TERM',
    state: 'TX',
    issueAge: 36,
    gender: 'MALE',
    tobacco: false,
    healthClass: 'PREFERRED',
    tableRating: 2,
    flatExtraPerThousandCents: 250,
    flatExtraYears: 5,
    faceAmount: 500_000,
    termYears: 20,
    productIds: ['prd_a'],
  };

  it('shares an entry between classes that price the same (any class with a table is Standard)', () => {
    expect(quoteCacheKey('car_summit', { ...rated, healthClass: 'STANDARD' })).toBe(quoteCacheKey('car_summit', rated));
    expect(quoteCacheKey('car_summit', { ...rated, tableRating: 0 })).not.toBe(
      quoteCacheKey('car_summit', { ...rated, tableRating: 0, healthClass: 'STANDARD' }),
    );
  });

  it('differs with the table, the flat extra amount and its years', () => {
    const key = quoteCacheKey('car_summit', rated);
    for (const change of [{ tableRating: 3 }, { flatExtraPerThousandCents: 251 }, { flatExtraYears: 6 }]) {
      expect(quoteCacheKey('car_summit', { ...rated, ...change })).not.toBe(key);
    }
    const none = { ...rated, flatExtraPerThousandCents: undefined, flatExtraYears: undefined };
    expect(quoteCacheKey('car_summit', none)).toBe(
      quoteCacheKey('car_summit', { ...rated, flatExtraPerThousandCents: 0, flatExtraYears: 0 }),
    );
  });
});

describe('validateQuoteInput: flat extras', () => {
  it('takes dollars per $1,000 as Money and its years, in cents', () => {
    const normalized = validateQuoteInput({ ...INPUT, flatExtraPerThousand: '2.50', flatExtraYears: 5 }, CATALOG, TODAY);
    expect(normalized).toMatchObject({ flatExtraPerThousandCents: 250, flatExtraYears: 5 });
    expect(validateQuoteInput(INPUT, CATALOG, TODAY)).toMatchObject({ flatExtraPerThousandCents: 0, flatExtraYears: 0 });
    expect(validateQuoteInput({ ...INPUT, flatExtraPerThousand: null, flatExtraYears: null }, CATALOG, TODAY)).toMatchObject({
      flatExtraPerThousandCents: 0,
      flatExtraYears: 0,
    });
    // The bounds themselves are accepted.
    expect(reasonsOf({ flatExtraPerThousand: '100.00', flatExtraYears: 20 })).toEqual([]);
    expect(reasonsOf({ flatExtraPerThousand: '0.01', flatExtraYears: 1, termYears: 30 })).toEqual([]);
    expect(reasonsOf({ flatExtraPerThousand: '0.01', flatExtraYears: 30, termYears: 30 })).toEqual([]);
  });

  it.each([
    [{ flatExtraPerThousand: '-2.50', flatExtraYears: 5 }, 'flatExtraPerThousand must be a non-negative amount'],
    [{ flatExtraPerThousand: '2.505', flatExtraYears: 5 }, 'flatExtraPerThousand must be a non-negative amount'],
    [{ flatExtraPerThousand: '2.5', flatExtraYears: 5 }, 'flatExtraPerThousand must be a non-negative amount'],
    [{ flatExtraPerThousand: '0.00', flatExtraYears: 5 }, 'flatExtraPerThousand must be more than 0.00'],
    [{ flatExtraPerThousand: '100.01', flatExtraYears: 5 }, 'flatExtraPerThousand must be at most 100.00'],
    [{ flatExtraPerThousand: '2.50' }, 'flatExtraYears is required with flatExtraPerThousand'],
    [{ flatExtraYears: 5 }, 'flatExtraYears needs flatExtraPerThousand'],
    [{ flatExtraPerThousand: '2.50', flatExtraYears: 0 }, 'flatExtraYears must be between 1 and 30'],
    [{ flatExtraPerThousand: '2.50', flatExtraYears: 31 }, 'flatExtraYears must be between 1 and 30'],
    [{ flatExtraPerThousand: '2.50', flatExtraYears: 2.5 }, 'flatExtraYears must be between 1 and 30'],
    [{ flatExtraPerThousand: '2.50', flatExtraYears: 21 }, 'flatExtraYears must be at most termYears (20)'],
  ] as [Partial<QuoteInput>, string][])('refuses %j naming the field', (input, reason) => {
    const reasons = reasonsOf(input);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toContain(reason);
  });
});

describe('toQuoteView', () => {
  // docs/domain.md's worked example: annual $370.00, monthly $32.38, quarterly $98.05, semi-annual $190.55, fee $60.00.
  const carrierQuote = {
    productId: 'prd_x',
    healthClass: 'PREFERRED' as const,
    carrierClassName: 'Preferred',
    issueAge: 36,
    ageBasis: 'NEAREST' as const,
    faceAmount: 500_000,
    termYears: 20,
    guaranteedToAge: null,
    payPeriod: null,
    finalExpensePlan: null,
    riders: [],
    annualPremiumCents: 37_000,
    policyFeeCents: 6_000,
    modalPremiumsCents: { ANNUAL: 37_000, SEMI_ANNUAL: 19_055, QUARTERLY: 9_805, MONTHLY: 3_238 },
  };

  const REQUIREMENTS = { expectedRequirements: ['MIB' as const], acceleratedUnderwriting: true, acceleratedReasons: [] };

  it('formats every amount as Money and picks the requested mode', () => {
    const view = toQuoteView(carrierQuote, CARRIER_ROWS[0], PRODUCT_ROWS[0], 'QUARTERLY', REQUIREMENTS);
    expect(view).toMatchObject({
      annualPremium: '370.00',
      policyFee: '60.00',
      modalPremium: '98.05',
      annualPremiumCents: 37_000,
      ...REQUIREMENTS,
    });
    expect(view.premiums).toEqual({ annual: '370.00', semiAnnual: '190.55', quarterly: '98.05', monthly: '32.38' });
    expect(toQuoteView(carrierQuote, CARRIER_ROWS[0], PRODUCT_ROWS[0], 'MONTHLY', REQUIREMENTS).modalPremium).toBe('32.38');
    expect(toQuoteView(carrierQuote, CARRIER_ROWS[0], PRODUCT_ROWS[0], 'ANNUAL', REQUIREMENTS).modalPremium).toBe('370.00');
    expect(toQuoteView(carrierQuote, CARRIER_ROWS[0], PRODUCT_ROWS[0], 'SEMI_ANNUAL', REQUIREMENTS).modalPremium).toBe('190.55');
  });
});
