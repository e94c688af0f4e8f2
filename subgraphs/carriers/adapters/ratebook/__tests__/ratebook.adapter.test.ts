/**
 * The rate-book adapter against a real simulated rate-book carrier: one download, then prices from
 * the held book with no network call at all; ETag revalidation (304 downloads nothing); the book
 * shared through the cache; submissions, status and failures as for the other protocols.
 */
import { carrierEndpoint, expectedQuote, recordingOptions, testDeps, catalogProduct } from '../../../../../test/support/harness';
import { expectPricedToTheCent, quotingCases } from '../../../../../test/support/quoting-v2';
import { startSimulators, type RunningSimulators } from '../../../../../simulators/simulators';
import { MemoryCache } from '../../../../../platform/cache';
import { issueAge } from '../../../domain/premium';
import { CarrierFailure, type ApplicationRequest, type ChangeRequest, type QuoteRequest } from '../../carrier-adapter.port';
import { createRatebookAdapter, rateBookPointerKey, type RateBookSettings } from '../ratebook.adapter';

const CODE = 'LANTERN';
const TERM = 'prd_lanternfield_term';
const EXPRESS = 'prd_lanternfield_express_term';
const today = () => new Date().toISOString().slice(0, 10);

let simulators: RunningSimulators;

beforeAll(async () => {
  simulators = await startSimulators();
});
afterAll(() => simulators.stop());
beforeEach(() => simulators.control.reset());

function adapter(settings: RateBookSettings = {}, deps = testDeps()) {
  const { carrier, endpoint } = carrierEndpoint(simulators, CODE);
  return { adapter: createRatebookAdapter(carrier, endpoint, deps, settings), carrier, deps };
}

const quoteRequest = (overrides: Partial<QuoteRequest> = {}): QuoteRequest => ({
  productType: 'TERM',
  state: 'OH',
  issueAge: 44,
  gender: 'MALE',
  tobacco: false,
  healthClass: 'PREFERRED',
  tableRating: 0,
  faceAmount: 300_000,
  termYears: 20,
  productIds: [TERM, EXPRESS],
  ...overrides,
});

function application(reference: string, overrides: Partial<ApplicationRequest> = {}): ApplicationRequest {
  const { carrier } = adapter();
  const birthDate = '1979-12-31';
  const request = quoteRequest({ issueAge: issueAge(carrier.ageBasis, birthDate, today()) });
  return {
    reference,
    caseId: 'case_ratebooktest',
    productId: TERM,
    insured: { firstName: 'Rho', lastName: 'Sampleworth', birthDate, gender: 'MALE', state: 'OH', tobacco: false },
    faceAmount: request.faceAmount,
    termYears: 20,
    healthClass: 'PREFERRED',
    tableRating: 0,
    paymentMode: 'QUARTERLY',
    annualPremiumCents: expectedQuote(carrier, TERM, request)!.annualPremiumCents,
    agent: { id: 'agt_test', npn: '77700011', writingNumber: 'LFL-9' },
    ...overrides,
  };
}

async function failureOf(promise: Promise<unknown>): Promise<CarrierFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CarrierFailure);
  return error as CarrierFailure;
}

describe('pricing from the rate book', () => {
  it('downloads the book once, then prices with NO network call, to the cent', async () => {
    const { adapter: book, carrier } = adapter();
    const first = recordingOptions();
    const request = quoteRequest();
    expect(await book.quote(request, first)).toEqual([expectedQuote(carrier, TERM, request), expectedQuote(carrier, EXPRESS, request)]);
    expect(first.network).toEqual(['rateBook']);

    const requests = [
      quoteRequest({
        issueAge: 63,
        gender: 'FEMALE',
        tobacco: true,
        healthClass: 'STANDARD',
        faceAmount: 2_500_000,
        termYears: 10,
        tableRating: 4,
        productIds: [TERM],
      }),
      quoteRequest({ issueAge: 18, healthClass: 'STANDARD_PLUS', faceAmount: 100_000, termYears: 10 }),
      quoteRequest({ faceAmount: 999_999, termYears: 30, productIds: [TERM] }),
    ];
    for (const later of requests) {
      const options = recordingOptions();
      expect(await book.quote(later, options)).toEqual(later.productIds.map((id) => expectedQuote(carrier, id, later)).filter(Boolean));
      expect(options.network).toEqual([]);
    }
    expect(book.calls).toEqual({
      quote: 0,
      token: 0,
      rateBook: 1,
      submit: 0,
      status: 0,
      products: 0,
      change: 0,
      appointment: 0,
      appointmentStatus: 0,
    });
    expect(simulators.control.counts(CODE)).toMatchObject({ rateBook: 1, quote: 0 });
  });

  it('a product the book has no row for is not quoted (age past its 20-year limit)', async () => {
    const { adapter: book, carrier } = adapter();
    const request = quoteRequest({ issueAge: 55 });
    expect(await book.quote(request, recordingOptions())).toEqual([expectedQuote(carrier, TERM, request)]);
  });

  it('concurrent first quotes share one download', async () => {
    const { adapter: book } = adapter();
    const results = await Promise.all(Array.from({ length: 10 }, () => book.quote(quoteRequest(), recordingOptions())));
    expect(results.every((quotes) => quotes.length === 2)).toBe(true);
    expect(simulators.control.counts(CODE).rateBook).toBe(1);
  });

  it('another adapter sharing the cache (another replica) prices without any download', async () => {
    const cache = new MemoryCache(100);
    await adapter({}, testDeps(cache)).adapter.quote(quoteRequest(), recordingOptions());
    const { adapter: replica } = adapter({}, testDeps(cache));
    const options = recordingOptions();
    expect(await replica.quote(quoteRequest(), options)).toHaveLength(2);
    expect(options.network).toEqual([]);
    expect(simulators.control.counts(CODE).rateBook).toBe(1);
    expect(JSON.parse((await cache.get(rateBookPointerKey('car_lanternfield')))!)).toMatchObject({ etag: replica.heldVersion });
  });
});

describe('table ratings and flat extras from the book', () => {
  it("a table prices off the book's Standard row whatever class is asked; the flat extra adds to the annual premium", async () => {
    const { adapter: book, carrier } = adapter();
    const rated = {
      issueAge: 50,
      faceAmount: 500_000,
      tableRating: 3,
      flatExtraPerThousandCents: 375,
      flatExtraYears: 5,
      productIds: [TERM],
    };
    for (const healthClass of ['PREFERRED_PLUS', 'PREFERRED', 'STANDARD_PLUS'] as const) {
      const quotes = await book.quote(quoteRequest({ ...rated, healthClass }), recordingOptions());
      expect(quotes).toEqual([expectedQuote(carrier, TERM, quoteRequest({ ...rated, healthClass: 'STANDARD' }))]);
      expect(quotes[0].healthClass).toBe('STANDARD');
    }
    const [plain] = await book.quote(quoteRequest({ ...rated, flatExtraPerThousandCents: 0, healthClass: 'STANDARD' }), recordingOptions());
    const [extra] = await book.quote(quoteRequest({ ...rated, healthClass: 'STANDARD' }), recordingOptions());
    // $3.75 per $1,000 on $500,000: $1,875.00 a year.
    expect(extra.annualPremiumCents - plain.annualPremiumCents).toBe(187_500);
  });
});

describe('revalidation with the ETag', () => {
  it('If-None-Match with the held ETag gets 304: nothing downloaded, the book kept', async () => {
    const { adapter: book } = adapter();
    await book.quote(quoteRequest(), recordingOptions());
    const etag = book.heldVersion;
    const options = recordingOptions();
    expect(await book.refreshRateBook(options)).toBe('not-modified');
    expect(options.network).toEqual(['rateBook']);
    expect(book.heldVersion).toBe(etag);
    expect(simulators.control.counts(CODE)).toMatchObject({ rateBook: 2, rateBookNotModified: 1 });
  });

  it('a newly published book is downloaded on revalidation', async () => {
    const { adapter: book } = adapter();
    await book.quote(quoteRequest(), recordingOptions());
    const etag = simulators.control.publishRateBook(CODE);
    expect(await book.refreshRateBook(recordingOptions())).toBe('downloaded');
    expect(book.heldVersion).toBe(etag);
    expect(simulators.control.counts(CODE)).toMatchObject({ rateBook: 2, rateBookNotModified: 0 });
  });

  it('an old book keeps pricing while it is revalidated in the background', async () => {
    let now = 1_000_000;
    const { adapter: book } = adapter({ revalidateAfterMs: 60_000, now: () => now });
    await book.quote(quoteRequest(), recordingOptions());
    now += 61_000;
    const options = recordingOptions();
    expect(await book.quote(quoteRequest(), options)).toHaveLength(2);
    // The caller did not wait for the carrier: the revalidation is not its network call.
    expect(options.network).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(simulators.control.counts(CODE)).toMatchObject({ rateBook: 2, rateBookNotModified: 1 });
    // Renewed: the next quote does not revalidate again.
    await book.quote(quoteRequest(), recordingOptions());
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(simulators.control.counts(CODE).rateBook).toBe(2);
  });
});

describe('applications and status', () => {
  it('deduplicates on submissionRef and rejects impossible applications', async () => {
    const { adapter: book } = adapter();
    const first = await book.submitApplication(application('case_ratebooktest:1'), recordingOptions());
    expect(first).toEqual({ accepted: true, carrierReference: expect.stringMatching(/^LANTERN-APP-\d{6}$/) });
    expect(await book.submitApplication(application('case_ratebooktest:1'), recordingOptions())).toEqual(first);
    expect(simulators.control.applications(CODE).filter((a) => a.reference === 'case_ratebooktest:1')).toHaveLength(1);

    const old = application('case_ratebooktest:2', { insured: { ...application('x').insured, birthDate: '1940-01-01' } });
    expect(await book.submitApplication(old, recordingOptions())).toEqual({
      accepted: false,
      message: expect.stringMatching(/issue age \d+ is outside/),
    });
  });

  it('reads many statuses in one call, following control.advance, and reports unknown codes', async () => {
    const { adapter: book, deps } = adapter();
    const a = await book.submitApplication(application('case_ratebooktest:10'), recordingOptions());
    const b = await book.submitApplication(application('case_ratebooktest:11'), recordingOptions());
    if (!a.accepted || !b.accepted) throw new Error('expected accepted');
    simulators.control.advance(CODE, b.carrierReference, {
      status: 'PLACED',
      policyNumber: 'LFL778899',
      requirements: [
        { code: 'DELIVERY_RECEIPT', status: 'RECEIVED' },
        { code: 'FINANCIAL_QUESTIONNAIRE', status: 'WAIVED' },
        // A code of the carrier's own that no RequirementCode names.
        { code: 'PHONE_INTERVIEW', carrierCode: 'AVQ', status: 'WAIVED' },
      ],
    });
    const options = recordingOptions();
    const statuses = await book.caseStatuses([a.carrierReference, b.carrierReference, 'LANTERN-APP-999999'], options);
    expect(options.network).toEqual(['status']);
    expect(statuses.get(a.carrierReference)).toMatchObject({ status: 'SUBMITTED', carrierStatusCode: 'RCVD', policyNumber: null });
    expect(statuses.get(b.carrierReference)).toMatchObject({ status: 'PLACED', carrierStatusCode: 'INFC', policyNumber: 'LFL778899' });
    expect(statuses.get(b.carrierReference)!.requirements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          carrierCode: 'DREC',
          code: 'DELIVERY_RECEIPT',
          status: 'RECEIVED',
          requestedOn: today(),
          fulfilledOn: today(),
        }),
        expect.objectContaining({
          carrierCode: 'FINQ',
          code: 'FINANCIAL_QUESTIONNAIRE',
          status: 'WAIVED',
          requestedOn: today(),
          fulfilledOn: today(),
        }),
        expect.objectContaining({ carrierCode: 'AVQ', code: null, status: 'WAIVED', requestedOn: today(), fulfilledOn: today() }),
      ]),
    );
    expect(statuses.has('LANTERN-APP-999999')).toBe(false);
    expect(deps.logs.some((l) => l.msg === 'carrier sent a code we do not map' && l.code === 'AVQ')).toBe(true);
    expect(deps.logs.some((l) => l.code === 'FINQ')).toBe(false);
  });
});

describe('changes to a pending application', () => {
  const change = (reference: string, carrierReference: string, overrides: Partial<ChangeRequest>): ChangeRequest => ({
    reference,
    caseId: 'case_ratebooktest',
    carrierReference,
    faceAmount: null,
    productId: null,
    termYears: null,
    riders: null,
    beneficiaries: null,
    paymentMode: null,
    owner: null,
    ...overrides,
  });

  it('applies a change once per changeRef, asks for an amendment on a face increase but not on a payment mode, and says no beyond its limit', async () => {
    const { adapter: book } = adapter();
    const submitted = await book.submitApplication(application('case_ratebooktest:20'), recordingOptions());
    if (!submitted.accepted) throw new Error('expected accepted');
    const ref = submitted.carrierReference;

    const options = recordingOptions();
    const increase = await book.requestChange(change('chg:1', ref, { faceAmount: 400_000 }), options);
    expect(increase).toEqual({ accepted: true, amendmentRequired: true, message: expect.any(String) });
    expect(options.network).toEqual(['change']);
    // A resend is answered with the first decision, and the carrier applies nothing twice.
    expect(await book.requestChange(change('chg:1', ref, { faceAmount: 400_000 }), recordingOptions())).toEqual(increase);
    const atCarrier = simulators.control.application(CODE, ref)!;
    expect(atCarrier.faceAmount).toBe(400_000);
    expect(atCarrier.requirements.filter((r) => r.code === 'AMENDMENT')).toHaveLength(1);

    expect(await book.requestChange(change('chg:2', ref, { paymentMode: 'ANNUAL' }), recordingOptions())).toEqual({
      accepted: true,
      amendmentRequired: false,
    });
    expect(simulators.control.application(CODE, ref)!.paymentMode).toBe('ANNUAL');
    expect(await book.requestChange(change('chg:3', ref, { faceAmount: 90_000_000 }), recordingOptions())).toEqual({
      accepted: false,
      message: expect.stringContaining('beyond our limit'),
    });
    expect(await book.requestChange(change('chg:4', 'LANTERN-APP-999999', { paymentMode: 'ANNUAL' }), recordingOptions())).toEqual({
      accepted: false,
      message: 'no application LANTERN-APP-999999',
    });
    simulators.control.advance(CODE, ref, { status: 'PLACED' });
    expect(await book.requestChange(change('chg:5', ref, { paymentMode: 'MONTHLY' }), recordingOptions())).toEqual({
      accepted: false,
      message: expect.stringContaining('closed (PLACED)'),
    });
    expect(simulators.control.counts(CODE).change).toBe(6);
  });
});

describe('catalog', () => {
  it("maps the carrier's products to the fixture's", async () => {
    const { adapter: book, carrier } = adapter();
    expect(await book.products(recordingOptions())).toEqual(carrier.products.map(catalogProduct));
  });
});

describe('Quoting v2 (guaranteed UL, whole life, final expense, riders) from the rate book', () => {
  it.each(quotingCases('RATEBOOK'))('%s is priced to the cent', async (_, c) => {
    const { carrier, endpoint } = carrierEndpoint(simulators, c.carrier.code);
    await expectPricedToTheCent(createRatebookAdapter(carrier, endpoint, testDeps()), c);
  });

  it('states on the quote a rider the book does not give the product, and prices a guarantee to 90 below one to 121', async () => {
    const { carrier, endpoint } = carrierEndpoint(simulators, 'PRAIRIE');
    const prairie = createRatebookAdapter(carrier, endpoint, testDeps());
    const ask = quoteRequest({
      productType: 'UNIVERSAL_LIFE',
      termYears: null,
      issueAge: 45,
      faceAmount: 500_000,
      riders: [{ type: 'RETURN_OF_PREMIUM' }],
      productIds: ['prd_prairie_star_ul'],
    });
    const [to90] = await prairie.quote({ ...ask, guaranteedToAge: 90 }, recordingOptions());
    const [to121] = await prairie.quote({ ...ask, guaranteedToAge: 121 }, recordingOptions());
    expect(to90.annualPremiumCents).toBeLessThan(to121.annualPremiumCents);
    expect(to121).toMatchObject({ guaranteedToAge: 121, termYears: null });
    expect(to121.riders).toEqual([
      { type: 'RETURN_OF_PREMIUM', offered: false, reason: 'RETURN_OF_PREMIUM is not offered on this product' },
    ]);
  });
});

describe('wire failures', () => {
  it.each([
    ['5xx', 'CARRIER.HTTP_ERROR'],
    ['malformed', 'CARRIER.MALFORMED'],
    ['429', 'CARRIER.RATE_LIMITED'],
  ] as const)('%s on the book download becomes %s, and nothing broken is held', async (fault, code) => {
    const { adapter: book, deps } = adapter();
    simulators.control.setFault(CODE, fault, { times: 1 });
    expect((await failureOf(book.quote(quoteRequest(), recordingOptions()))).code).toBe(code);
    expect(book.heldVersion).toBeUndefined();
    expect(await deps.cache.get(rateBookPointerKey('car_lanternfield'))).toBeNull();
    expect(await book.quote(quoteRequest(), recordingOptions())).toHaveLength(2);
  });

  it('a carrier that never answers becomes CARRIER.TIMEOUT for the waiting quote', async () => {
    const { adapter: book } = adapter();
    simulators.control.setFault(CODE, 'hang');
    expect((await failureOf(book.quote(quoteRequest(), recordingOptions(150)))).code).toBe('CARRIER.TIMEOUT');
  });

  it('once the book is held, a failing carrier does not stop quoting', async () => {
    const { adapter: book } = adapter();
    await book.quote(quoteRequest(), recordingOptions());
    simulators.control.setFault(CODE, '5xx');
    expect(await book.quote(quoteRequest(), recordingOptions())).toHaveLength(2);
    expect((await failureOf(book.caseStatuses(['LANTERN-APP-000001'], recordingOptions()))).code).toBe('CARRIER.HTTP_ERROR');
  });
});

describe('requirements with identity, approved terms and qualified statuses', () => {
  it('lists our requirements on the submission (the carrier adopts our ids) and reads ids, references, words, terms and qualifiers', async () => {
    const { adapter: book } = adapter();
    const submitted = await book.submitApplication(
      application('case_ratebooktest:40', {
        requirements: [
          { id: 'req_mib', code: 'MIB' },
          { id: 'req_aps', code: 'APS' },
        ],
      }),
      recordingOptions(),
    );
    if (!submitted.accepted) throw new Error('expected accepted');
    const ref = submitted.carrierReference;
    simulators.control.advance(CODE, ref, {
      status: 'APPROVED_OTHER_THAN_APPLIED',
      approvedTerms: { healthClass: 'STANDARD', tableRating: 2, flatExtraPerThousandCents: 250, flatExtraYears: 5, faceAmount: 400_000 },
      statusNote: 'rated for build',
      requirements: [{ code: 'APS', add: true }],
    });
    let status = (await book.caseStatuses([ref], recordingOptions())).get(ref)!;
    expect(status).toMatchObject({
      status: 'APPROVED_OTHER_THAN_APPLIED',
      qualifier: 'COUNTER_OFFER',
      statusNote: 'rated for build',
      approvedTerms: { healthClass: 'STANDARD', tableRating: 2, flatExtraPerThousandCents: 250, flatExtraYears: 5, faceAmount: 400_000 },
    });
    expect(status.requirements.find((r) => r.code === 'MIB')).toMatchObject({
      reference: 'req_mib',
      carrierRequirementId: `RQ-${ref}-2`,
      description: 'MIB check',
    });
    expect(status.requirements.find((r) => r.code === 'APS')).toMatchObject({ reference: 'req_aps', carrierRequirementId: `RQ-${ref}-4` });

    simulators.control.advance(CODE, ref, { status: 'APPROVED', carrierStatusCode: 'APCN', approvedTerms: null });
    status = (await book.caseStatuses([ref], recordingOptions())).get(ref)!;
    expect(status).toMatchObject({ status: 'APPROVED', qualifier: 'CONDITIONAL_APPROVAL', approvedTerms: null });
    simulators.control.advance(CODE, ref, { carrierStatusCode: 'FLKC' });
    status = (await book.caseStatuses([ref], recordingOptions())).get(ref)!;
    expect(status.qualifier).toBe('FREE_LOOK');
  });
});
