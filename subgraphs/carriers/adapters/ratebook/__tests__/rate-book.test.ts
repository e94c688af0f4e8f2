/**
 * The rate-book parser on its own: it reads the published CSV exactly (every row equals the fixture
 * rate table), finds the face band, reads the terms stated before the header, and refuses a book it
 * cannot fully read; and pricing from a book uses the book's terms, nothing of ours.
 */
import { carrierByCode } from '../../../fixtures/carriers.fixture';
import { rateTable, rateTableCsv } from '../../../fixtures/rate-table';
import { CarrierFailure } from '../../carrier-adapter.port';
import type { CarrierProfile } from '../../../domain/carrier';
import { RateBook } from '../rate-book';
import { quotesFromBook } from '../ratebook.mapper';

const carrier = carrierByCode('BIRCH')!;
const product = carrier.products.find((p) => p.code === 'SBL-EASY')!;

describe('RateBook', () => {
  it('holds every row of the published table, band by band', async () => {
    const book = await RateBook.parse(rateTableCsv(carrier, product));
    const rows = rateTable(carrier, product);
    expect(book.rows).toBe(rows.length);
    for (const row of rows.filter((_, i) => i % 97 === 0)) {
      const lookup = {
        productCode: product.code,
        termYears: row.termYears,
        age: row.age,
        gender: row.gender,
        tobacco: row.tobacco,
        healthClass: row.healthClass,
      };
      expect(book.rate({ ...lookup, faceAmount: row.faceBandMin })).toBe(row.rateThousandths);
      expect(book.rate({ ...lookup, faceAmount: row.faceBandMax })).toBe(row.rateThousandths);
    }
  });

  it('answers undefined for what the book does not offer', async () => {
    const book = await RateBook.parse(rateTableCsv(carrier, product));
    const lookup = {
      productCode: product.code,
      termYears: 20,
      age: 40,
      gender: 'MALE' as const,
      tobacco: false,
      healthClass: 'PREFERRED' as const,
      faceAmount: 100_000,
    };
    expect(book.rate(lookup)).toEqual(expect.any(Number));
    expect(book.rate({ ...lookup, faceAmount: product.maxFaceAmount + 1 })).toBeUndefined();
    expect(book.rate({ ...lookup, age: 56 })).toBeUndefined(); // the 20-year term stops at 55
    expect(book.rate({ ...lookup, healthClass: 'PREFERRED_PLUS' })).toBeUndefined();
    expect(book.rate({ ...lookup, termYears: 30 })).toBeUndefined();
    expect(book.rate({ ...lookup, productCode: 'OTHER' })).toBeUndefined();
  });

  it('reads columns by name, in any order, with CRLF line ends and extra columns', async () => {
    const csv =
      'rate_thousandths,note,health_class,tobacco,gender,issue_age,term_years,product_code,face_band_min,face_band_max\r\n' +
      '1234,x,STANDARD,Y,FEMALE,50,10,P1,0,99999\r\n';
    const book = await RateBook.parse(csv);
    expect(
      book.rate({
        productCode: 'P1',
        termYears: 10,
        age: 50,
        gender: 'FEMALE',
        tobacco: true,
        healthClass: 'STANDARD',
        faceAmount: 50_000,
      }),
    ).toBe(1234);
  });

  it.each([
    ['an HTML error page', '<html><body>Maintenance</body></html>\n'],
    [
      'a missing column',
      'product_code,term_years,issue_age,gender,tobacco,health_class,face_band_min,face_band_max\nP1,10,50,MALE,N,STANDARD,0,1\n',
    ],
    ['no rows', 'product_code,term_years,issue_age,gender,tobacco,health_class,face_band_min,face_band_max,rate_thousandths\n'],
    [
      'a rate that is not a whole number',
      'product_code,term_years,issue_age,gender,tobacco,health_class,face_band_min,face_band_max,rate_thousandths\nP1,10,50,MALE,N,STANDARD,0,1,1.5\n',
    ],
    [
      'an unknown class',
      'product_code,term_years,issue_age,gender,tobacco,health_class,face_band_min,face_band_max,rate_thousandths\nP1,10,50,MALE,N,SUPER,0,1,15\n',
    ],
    [
      'an inverted band',
      'product_code,term_years,issue_age,gender,tobacco,health_class,face_band_min,face_band_max,rate_thousandths\nP1,10,50,MALE,N,STANDARD,9,1,15\n',
    ],
  ])('refuses %s as CARRIER.MALFORMED', async (_what, csv) => {
    const error = await RateBook.parse(csv).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CarrierFailure);
    expect((error as CarrierFailure).code).toBe('CARRIER.MALFORMED');
  });
});

describe('RateBook terms', () => {
  const rows =
    'product_code,term_years,issue_age,gender,tobacco,health_class,face_band_min,face_band_max,rate_thousandths\nP1,10,50,MALE,N,STANDARD,0,99999,1234\n';
  const terms = [
    '# policy_fee_cents=6500',
    '# modal_factor.SEMI_ANNUAL=0.52',
    '# modal_factor.QUARTERLY=0.265',
    '# modal_factor.MONTHLY=0.0875',
    '# class_name.PREFERRED_PLUS=Elite',
    '# something_new=ignored',
  ];

  it('reads the fee, the modal factors and the class names the book states before its header', async () => {
    const book = await RateBook.parse(`${terms.join('\n')}\n${rows}`);
    expect(book.rows).toBe(1);
    expect(book.terms).toEqual({
      policyFeeCents: 6500,
      modalFactors: { SEMI_ANNUAL: 0.52, QUARTERLY: 0.265, MONTHLY: 0.0875 },
      // A class the book does not name keeps our name.
      classNames: { PREFERRED_PLUS: 'Elite', PREFERRED: 'PREFERRED', STANDARD_PLUS: 'STANDARD_PLUS', STANDARD: 'STANDARD' },
    });
  });

  it('has no terms when the book states none, and refuses terms stated badly', async () => {
    expect((await RateBook.parse(rows)).terms).toBeNull();
    for (const bad of [
      terms.filter((line) => !line.includes('policy_fee')),
      terms.filter((line) => !line.includes('MONTHLY')),
      terms.map((line) => line.replace('6500', '65.00')),
      terms.map((line) => line.replace('0.265', '1.5')),
    ]) {
      await expect(RateBook.parse(`${bad.join('\n')}\n${rows}`)).rejects.toBeInstanceOf(CarrierFailure);
    }
  });
});

describe('pricing from a book', () => {
  const profile: CarrierProfile = {
    id: 'car_example',
    code: 'EXAMPLE',
    name: 'Example Life',
    naicCode: '00000',
    amBestRating: 'A',
    ageBasis: 'LAST',
    protocol: 'RATEBOOK',
    products: [
      {
        id: 'prd_example_term',
        carrierId: 'car_example',
        code: 'P1',
        name: 'Example Term',
        type: 'TERM',
        terms: [{ years: 10, minIssueAge: 18, maxIssueAge: 70 }],
        minIssueAge: 18,
        maxIssueAge: 70,
        minFaceAmount: 0,
        maxFaceAmount: 99_999,
        healthClasses: ['STANDARD'],
        availableStates: ['TX'],
        fullyUnderwritten: true,
      },
    ],
  };
  const request = {
    productType: 'TERM' as const,
    state: 'TX' as const,
    issueAge: 50,
    gender: 'FEMALE' as const,
    tobacco: true,
    healthClass: 'STANDARD' as const,
    tableRating: 0,
    faceAmount: 80_000,
    termYears: 10,
    productIds: ['prd_example_term'],
  };

  it("prices with the book's own fee, modal factors and class name", async () => {
    const csv = [
      '# policy_fee_cents=4321',
      '# modal_factor.SEMI_ANNUAL=0.5',
      '# modal_factor.QUARTERLY=0.25',
      '# modal_factor.MONTHLY=0.1',
      '# class_name.STANDARD=Bedrock',
      'product_code,term_years,issue_age,gender,tobacco,health_class,face_band_min,face_band_max,rate_thousandths',
      'P1,10,50,FEMALE,Y,STANDARD,0,99999,1234',
    ].join('\n');
    // 1,234 × 80,000 / 10,000 = 9,872 cents, + 4,321 = 14,193; monthly × 0.1 = 1,419.3 → 1,419.
    expect(quotesFromBook(await RateBook.parse(csv), profile, request)).toEqual([
      {
        productId: 'prd_example_term',
        healthClass: 'STANDARD',
        carrierClassName: 'Bedrock',
        issueAge: 50,
        ageBasis: 'LAST',
        faceAmount: 80_000,
        termYears: 10,
        guaranteedToAge: null,
        payPeriod: null,
        finalExpensePlan: null,
        riders: [],
        annualPremiumCents: 14_193,
        policyFeeCents: 4_321,
        modalPremiumsCents: { ANNUAL: 14_193, SEMI_ANNUAL: 7_097, QUARTERLY: 3_548, MONTHLY: 1_419 },
      },
    ]);
  });

  it('refuses to price from a book that states no terms', async () => {
    const csv =
      'product_code,term_years,issue_age,gender,tobacco,health_class,face_band_min,face_band_max,rate_thousandths\nP1,10,50,FEMALE,Y,STANDARD,0,99999,1234\n';
    const book = await RateBook.parse(csv);
    expect(() => quotesFromBook(book, profile, request)).toThrow(CarrierFailure);
  });
});

describe('Quoting v2 in a book: rate_basis rows and rider lines', () => {
  const profile: CarrierProfile = {
    id: 'car_example',
    code: 'EXAMPLE',
    name: 'Example Life',
    naicCode: '00000',
    amBestRating: 'A',
    ageBasis: 'LAST',
    protocol: 'RATEBOOK',
    products: [
      {
        id: 'prd_example_wl',
        carrierId: 'car_example',
        code: 'WL',
        name: 'Example Whole Life',
        type: 'WHOLE_LIFE',
        terms: [],
        minIssueAge: 0,
        maxIssueAge: 80,
        minFaceAmount: 10_000,
        maxFaceAmount: 1_000_000,
        healthClasses: ['PREFERRED'],
        availableStates: ['TX'],
        fullyUnderwritten: true,
      },
    ],
  };
  const book = [
    '# policy_fee_cents=5000',
    '# modal_factor.SEMI_ANNUAL=0.5',
    '# modal_factor.QUARTERLY=0.25',
    '# modal_factor.MONTHLY=0.09',
    '# rider_rate.WAIVER_OF_PREMIUM=18:60,40:90',
    '# rider_rate.ACCIDENTAL_DEATH=100',
    '# rider_rate.CHILD_TERM=500',
    '# rider_rate.RETURN_OF_PREMIUM=18:20:200',
    '# rider.WL=WAIVER_OF_PREMIUM:18-55,CHILD_TERM:18-55',
    'product_code,term_years,rate_basis,issue_age,gender,tobacco,health_class,face_band_min,face_band_max,rate_thousandths',
    'WL,0,LIFE,35,MALE,N,PREFERRED,10000,1000000,12345',
    'WL,0,TEN_PAY,35,MALE,N,PREFERRED,10000,1000000,30000',
  ].join('\n');
  const request = {
    productType: 'WHOLE_LIFE' as const,
    state: 'TX' as const,
    issueAge: 35,
    gender: 'MALE' as const,
    tobacco: false,
    healthClass: 'PREFERRED' as const,
    tableRating: 0,
    faceAmount: 250_000,
    termYears: null,
    payPeriod: 'LIFE' as const,
    riders: [{ type: 'WAIVER_OF_PREMIUM' as const }, { type: 'ACCIDENTAL_DEATH' as const, amount: 50_000 }],
    productIds: ['prd_example_wl'],
  };

  it('prices a row by its rate basis and each rider from the book, added before the modal factors', async () => {
    const [quote] = quotesFromBook(await RateBook.parse(book), profile, request);
    // 12.345 × 250 = 3,086.25; waiver 6% of it = 185.175 → 185.18; accidental death is not on this product.
    expect(quote.riders).toEqual([
      { type: 'WAIVER_OF_PREMIUM', offered: true, premiumCents: 18_518 },
      { type: 'ACCIDENTAL_DEATH', offered: false, reason: 'ACCIDENTAL_DEATH is not offered on this product' },
    ]);
    expect(quote).toMatchObject({ payPeriod: 'LIFE', termYears: null, annualPremiumCents: 308_625 + 18_518 + 5_000 });
    expect(quote.modalPremiumsCents.MONTHLY).toBe(29_893); // 3,321.43 × 0.09 = 298.9287 → 298.93
  });

  it('refuses a book whose rider lines it cannot read', async () => {
    await expect(RateBook.parse(book.replace('18:60,40:90', '18:sixty'))).rejects.toThrow(CarrierFailure);
    await expect(RateBook.parse(book.replace('CHILD_TERM:18-55', 'PET_COVER:18-55'))).rejects.toThrow(/rider\.WL/);
  });

  it('reads a book without riders as selling none', async () => {
    const plain = await RateBook.parse(
      book
        .split('\n')
        .filter((line) => !line.startsWith('# rider'))
        .join('\n'),
    );
    expect(plain.riderRates).toBeNull();
    expect(plain.ridersOf('WL')).toEqual([]);
    expect(quotesFromBook(plain, profile, request)[0].riders.every((r) => !r.offered)).toBe(true);
  });
});
