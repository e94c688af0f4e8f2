/**
 * The REST adapter against a real simulated REST carrier over HTTP: OAuth2 tokens fetched once,
 * refreshed before expiry and exactly once on a 401; premiums to the cent; Idempotency-Key
 * deduplication; batched status; unknown codes reported; every wire failure as a CarrierFailure.
 */
import { carrierEndpoint, expectedQuote, recordingOptions, testDeps, catalogProduct } from '../../../../../test/support/harness';
import { expectPricedToTheCent, quotingCases } from '../../../../../test/support/quoting-v2';
import { startSimulators, type RunningSimulators } from '../../../../../simulators/simulators';
import { issueAge } from '../../../domain/premium';
import { CarrierFailure, type ApplicationRequest, type QuoteRequest } from '../../carrier-adapter.port';
import { createRestAdapter } from '../rest.adapter';
import { quoteBody } from '../rest.mapper';

const CODE = 'GRANITE';
const TERM = 'prd_granite_peak_term';
const INSTANT = 'prd_granite_peak_instant_term';
const today = () => new Date().toISOString().slice(0, 10);

let simulators: RunningSimulators;

beforeAll(async () => {
  simulators = await startSimulators();
});
afterAll(() => simulators.stop());
beforeEach(() => simulators.control.reset());

function adapter(overrides: Record<string, string> = {}, deps = testDeps()) {
  const { carrier, endpoint } = carrierEndpoint(simulators, CODE, overrides);
  return { adapter: createRestAdapter(carrier, endpoint, deps), carrier, deps };
}

const quoteRequest = (overrides: Partial<QuoteRequest> = {}): QuoteRequest => ({
  productType: 'TERM',
  state: 'TX',
  issueAge: 41,
  gender: 'FEMALE',
  tobacco: false,
  healthClass: 'PREFERRED_PLUS',
  tableRating: 0,
  faceAmount: 1_000_000,
  termYears: 20,
  productIds: [TERM, INSTANT],
  ...overrides,
});

function application(reference: string, overrides: Partial<ApplicationRequest> = {}): ApplicationRequest {
  const { carrier } = adapter();
  const birthDate = '1984-07-02';
  const request = quoteRequest({ issueAge: issueAge(carrier.ageBasis, birthDate, today()), productIds: [TERM] });
  return {
    reference,
    caseId: 'case_resttest',
    productId: TERM,
    insured: { firstName: 'Ada', lastName: 'Placeholderson', birthDate, gender: 'FEMALE', state: 'TX', tobacco: false },
    faceAmount: request.faceAmount,
    termYears: 20,
    healthClass: 'PREFERRED_PLUS',
    tableRating: 0,
    paymentMode: 'ANNUAL',
    annualPremiumCents: expectedQuote(carrier, TERM, request)!.annualPremiumCents,
    agent: { id: 'agt_test', npn: '55512345', writingNumber: null },
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('OAuth2 client credentials', () => {
  it('fetches one token, reuses it, and reports it as a network call of the call that needed it', async () => {
    const { adapter: rest } = adapter();
    const first = recordingOptions();
    await rest.quote(quoteRequest(), first);
    expect(first.network).toEqual(['token', 'quote']);
    const second = recordingOptions();
    await rest.quote(quoteRequest(), second);
    expect(second.network).toEqual(['quote']);
    expect(rest.calls).toMatchObject({ token: 1, quote: 2 });
    expect(simulators.control.counts(CODE)).toMatchObject({ token: 1, quote: 2 });
  });

  it('shares one token request among concurrent callers', async () => {
    const { adapter: rest } = adapter();
    await Promise.all(Array.from({ length: 10 }, () => rest.quote(quoteRequest(), recordingOptions())));
    expect(simulators.control.counts(CODE)).toMatchObject({ token: 1, quote: 10 });
  });

  it('refreshes a token shortly before it expires, without waiting for a 401', async () => {
    simulators.control.setTokenTtl(CODE, 1);
    const { adapter: rest } = adapter();
    await rest.quote(quoteRequest(), recordingOptions());
    await sleep(950);
    const later = recordingOptions();
    await rest.quote(quoteRequest(), later);
    expect(later.network).toEqual(['token', 'quote']);
    expect(simulators.control.counts(CODE)).toMatchObject({ token: 2, quote: 2 });
  });

  it('on a 401 (token revoked) refreshes ONCE and sends the request again', async () => {
    const { adapter: rest, carrier } = adapter();
    await rest.quote(quoteRequest(), recordingOptions());
    simulators.control.revokeTokens(CODE);
    const options = recordingOptions();
    const quotes = await rest.quote(quoteRequest(), options);
    expect(quotes[0]).toEqual(expectedQuote(carrier, TERM, quoteRequest()));
    expect(options.network).toEqual(['quote', 'token', 'quote']);
    expect(simulators.control.counts(CODE)).toMatchObject({ token: 2, quote: 3 });
  });

  it('a carrier that keeps refusing tokens is CARRIER.AUTH after exactly one refresh', async () => {
    const { adapter: rest } = adapter();
    await rest.quote(quoteRequest(), recordingOptions());
    simulators.control.resetCounts(CODE);
    simulators.control.setFault(CODE, 'expired-token');
    const failure = await failureOf(rest.quote(quoteRequest(), recordingOptions()));
    expect(failure.code).toBe('CARRIER.AUTH');
    expect(simulators.control.counts(CODE)).toMatchObject({ token: 1, quote: 2 });
  });

  it('wrong client credentials are CARRIER.AUTH', async () => {
    const { adapter: rest } = adapter({ CARRIER_GRANITE_CLIENT_SECRET: 'not-the-secret' });
    expect((await failureOf(rest.quote(quoteRequest(), recordingOptions()))).code).toBe('CARRIER.AUTH');
    expect(simulators.control.counts(CODE)).toMatchObject({ token: 1, quote: 0 });
  });
});

describe('quotes', () => {
  it('prices each eligible product exactly as the fixture rate × the arithmetic, in one call', async () => {
    const { adapter: rest, carrier } = adapter();
    for (const request of [
      quoteRequest(),
      quoteRequest({
        issueAge: 55,
        gender: 'MALE',
        tobacco: true,
        healthClass: 'STANDARD',
        faceAmount: 250_000,
        termYears: 10,
        tableRating: 3,
        productIds: [TERM],
      }),
    ]) {
      expect(await rest.quote(request, recordingOptions())).toEqual(request.productIds.map((id) => expectedQuote(carrier, id, request)));
    }
    // The instant term offers no STANDARD_PLUS: the carrier declines it, the adapter leaves it out.
    const mixed = quoteRequest({ healthClass: 'STANDARD_PLUS' });
    expect(await rest.quote(mixed, recordingOptions())).toEqual([expectedQuote(carrier, TERM, mixed)]);
  });

  it('prices several requests in ONE call (POST /v1/quotes/batch), each answer what quote gives for it alone', async () => {
    const { adapter: rest, carrier } = adapter();
    const requests = [
      quoteRequest({ faceAmount: 250_000, termYears: 10 }),
      quoteRequest({ faceAmount: 1_000_000, termYears: 30, productIds: [TERM] }),
      quoteRequest({ productIds: [] }),
      quoteRequest({ healthClass: 'STANDARD_PLUS', faceAmount: 400_000 }),
    ];
    await rest.quote(quoteRequest(), recordingOptions()); // the token, fetched once
    simulators.control.resetCounts(CODE);
    const options = recordingOptions();
    const answers = await rest.quoteBatch!(requests, options);
    expect(options.network).toEqual(['quote']);
    expect(simulators.control.counts(CODE)).toMatchObject({ quote: 1 });
    expect(answers).toEqual([
      requests[0].productIds.map((id) => expectedQuote(carrier, id, requests[0])),
      [expectedQuote(carrier, TERM, requests[1])],
      [],
      [expectedQuote(carrier, TERM, requests[3])],
    ]);
    for (const [i, request] of requests.entries()) expect(await rest.quote(request, recordingOptions())).toEqual(answers[i]);
  });

  it('fails the whole batch when the carrier refuses one of its requests, as a single quote fails', async () => {
    const { adapter: rest } = adapter();
    const broken = quoteRequest({ issueAge: 2.5 });
    await expect(rest.quoteBatch!([quoteRequest(), broken], recordingOptions())).rejects.toMatchObject({ code: 'CARRIER.REJECTED' });
  });
});

describe('table ratings and flat extras', () => {
  it('a table prices off Standard whatever class is sent; the flat extra is in the JSON and in the annual premium', async () => {
    const { adapter: rest, carrier } = adapter();
    const rated = {
      issueAge: 44,
      faceAmount: 500_000,
      tableRating: 2,
      flatExtraPerThousandCents: 250,
      flatExtraYears: 10,
      productIds: [TERM],
    };
    const [preferred] = await rest.quote(quoteRequest({ ...rated, healthClass: 'PREFERRED' }), recordingOptions());
    const [standard] = await rest.quote(quoteRequest({ ...rated, healthClass: 'STANDARD' }), recordingOptions());
    expect(preferred).toEqual(standard);
    expect(preferred).toEqual(expectedQuote(carrier, TERM, quoteRequest({ ...rated, healthClass: 'STANDARD' })));
    expect(preferred.healthClass).toBe('STANDARD');
    const withoutExtra = expectedQuote(carrier, TERM, quoteRequest({ ...rated, flatExtraPerThousandCents: 0, healthClass: 'STANDARD' }))!;
    // $2.50 per $1,000 on $500,000: $1,250.00 a year, added before the modal factors.
    expect(preferred.annualPremiumCents - withoutExtra.annualPremiumCents).toBe(125_000);
  });
});

describe('applications', () => {
  it('sends the reference as Idempotency-Key: a resend returns the first result and makes no second application', async () => {
    const { adapter: rest } = adapter();
    const first = await rest.submitApplication(application('case_resttest:1'), recordingOptions());
    expect(first).toEqual({ accepted: true, carrierReference: expect.stringMatching(/^GRANITE-APP-\d{6}$/) });
    expect(await rest.submitApplication(application('case_resttest:1'), recordingOptions())).toEqual(first);
    expect(simulators.control.applications(CODE).filter((a) => a.reference === 'case_resttest:1')).toHaveLength(1);
  });

  it('a premium that differs from the carrier price is accepted with the carrier note', async () => {
    const { adapter: rest } = adapter();
    const result = await rest.submitApplication(application('case_resttest:2', { annualPremiumCents: 1_00 }), recordingOptions());
    expect(result).toMatchObject({ accepted: true, message: expect.stringContaining('premium recalculated') });
  });

  it('an impossible application is a rejection value (422), the same on resend', async () => {
    const { adapter: rest } = adapter();
    const alaska = application('case_resttest:3', { insured: { ...application('x').insured, state: 'AK' } });
    const result = await rest.submitApplication(alaska, recordingOptions());
    expect(result).toEqual({ accepted: false, message: expect.stringContaining('not available in AK') });
    expect(await rest.submitApplication(alaska, recordingOptions())).toEqual(result);
  });
});

describe('case status', () => {
  it('uses GET for one application and one batched inquiry for many', async () => {
    const { adapter: rest } = adapter();
    const refs: string[] = [];
    for (const n of [10, 11, 12]) {
      const result = await rest.submitApplication(application(`case_resttest:${n}`), recordingOptions());
      if (result.accepted) refs.push(result.carrierReference);
    }
    simulators.control.resetCounts(CODE);
    const one = await rest.caseStatuses([refs[0]], recordingOptions());
    expect(one.get(refs[0])).toMatchObject({ status: 'SUBMITTED', carrierStatusCode: 'received' });
    expect(await rest.caseStatuses(['GRANITE-APP-999999'], recordingOptions())).toEqual(new Map());

    const options = recordingOptions();
    const many = await rest.caseStatuses([...refs, 'GRANITE-APP-999999'], options);
    expect(options.network).toEqual(['status']);
    expect([...many.keys()].sort()).toEqual([...refs].sort());
    expect(simulators.control.counts(CODE).status).toBe(3);
  });

  it('maps status and requirements after control.advance, and reports unknown codes without throwing', async () => {
    const { adapter: rest, deps } = adapter();
    const submitted = await rest.submitApplication(application('case_resttest:20'), recordingOptions());
    if (!submitted.accepted) throw new Error('expected accepted');
    const ref = submitted.carrierReference;
    simulators.control.advance(CODE, ref, {
      status: 'APPROVED_OTHER_THAN_APPLIED',
      requirements: [
        { code: 'BLOOD_URINE', status: 'RECEIVED' },
        { code: 'REPLACEMENT_FORM', status: 'ORDERED' },
        // A code of the carrier's own that no RequirementCode names.
        { code: 'PHONE_INTERVIEW', carrierCode: 'aviation_questionnaire', status: 'ORDERED' },
      ],
    });
    const status = (await rest.caseStatuses([ref], recordingOptions())).get(ref)!;
    expect(status.status).toBe('APPROVED_OTHER_THAN_APPLIED');
    expect(status.requirements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          carrierCode: 'lab_specimens',
          code: 'BLOOD_URINE',
          status: 'RECEIVED',
          requestedOn: today(),
          fulfilledOn: today(),
        }),
        expect.objectContaining({
          carrierCode: 'replacement_form',
          code: 'REPLACEMENT_FORM',
          status: 'ORDERED',
          requestedOn: today(),
          fulfilledOn: null,
        }),
        expect.objectContaining({
          carrierCode: 'aviation_questionnaire',
          code: null,
          status: 'ORDERED',
          requestedOn: today(),
          fulfilledOn: null,
        }),
      ]),
    );

    simulators.control.advance(CODE, ref, { carrierStatusCode: 'referred_to_medical_director' });
    const odd = (await rest.caseStatuses([ref], recordingOptions())).get(ref)!;
    expect(odd).toMatchObject({ status: null, carrierStatusCode: 'referred_to_medical_director' });
    expect(deps.logs.filter((l) => l.msg === 'carrier sent a code we do not map').map((l) => l.code)).toEqual([
      'aviation_questionnaire',
      'referred_to_medical_director',
    ]);
  });
});

describe('catalog', () => {
  it("maps the carrier's catalog to the fixture's products", async () => {
    const { adapter: rest, carrier } = adapter();
    expect(await rest.products(recordingOptions())).toEqual(carrier.products.map(catalogProduct));
  });
});

describe('Quoting v2 (guaranteed UL, whole life, final expense, riders) over REST', () => {
  it.each(quotingCases('REST'))('%s is priced to the cent', async (_, c) => {
    const { carrier, endpoint } = carrierEndpoint(simulators, c.carrier.code);
    await expectPricedToTheCent(createRestAdapter(carrier, endpoint, testDeps()), c);
  });

  it('sends the guarantee age, pay period, plan and riders as JSON fields', () => {
    const { carrier } = carrierEndpoint(simulators, 'GRANITE');
    const body = quoteBody(
      carrier,
      quoteRequest({
        productType: 'UNIVERSAL_LIFE',
        termYears: null,
        guaranteedToAge: 100,
        riders: [{ type: 'CHILD_TERM', amount: 5_000 }, { type: 'WAIVER_OF_PREMIUM' }],
        productIds: ['prd_granite_peak_guaranteed_ul'],
      }),
    );
    expect(body).toMatchObject({
      termYears: null,
      guaranteedToAge: 100,
      riders: [{ type: 'CHILD_TERM', amount: 5_000 }, { type: 'WAIVER_OF_PREMIUM' }],
      productCodes: ['GPM-GUL'],
    });
  });

  it("states on the quote a rider the product does not carry, with the carrier's reason", async () => {
    const { carrier, endpoint } = carrierEndpoint(simulators, 'NORTHWIND');
    const [quote] = await createRestAdapter(carrier, endpoint, testDeps()).quote(
      quoteRequest({
        productType: 'FINAL_EXPENSE',
        termYears: null,
        finalExpensePlan: 'GRADED',
        issueAge: 70,
        healthClass: 'STANDARD',
        faceAmount: 10_000,
        riders: [{ type: 'CHILD_TERM', amount: 5_000 }],
        productIds: ['prd_northwind_final_expense'],
      }),
      recordingOptions(),
    );
    expect(quote).toMatchObject({ finalExpensePlan: 'GRADED', termYears: null });
    expect(quote.riders).toEqual([{ type: 'CHILD_TERM', offered: false, reason: 'CHILD_TERM is not offered on this product' }]);
  });
});

describe('wire failures', () => {
  it.each([
    ['5xx', 'CARRIER.HTTP_ERROR'],
    ['malformed', 'CARRIER.MALFORMED'],
    ['429', 'CARRIER.RATE_LIMITED'],
  ] as const)('%s on the quote call becomes %s', async (fault, code) => {
    const { adapter: rest } = adapter();
    await rest.quote(quoteRequest(), recordingOptions());
    simulators.control.setFault(CODE, fault, { times: 1, kinds: ['quote'], retryAfterSeconds: 3 });
    const failure = await failureOf(rest.quote(quoteRequest(), recordingOptions()));
    expect(failure.code).toBe(code);
    if (code === 'CARRIER.RATE_LIMITED') expect(failure.retryAfterMs).toBe(3_000);
    expect(await rest.quote(quoteRequest(), recordingOptions())).toHaveLength(2);
  });

  it('a broken token endpoint fails the call with its cause', async () => {
    const { adapter: rest } = adapter();
    simulators.control.setFault(CODE, '5xx', { times: 1, kinds: ['token'] });
    expect((await failureOf(rest.quote(quoteRequest(), recordingOptions()))).code).toBe('CARRIER.HTTP_ERROR');
    simulators.control.setFault(CODE, 'malformed', { times: 1, kinds: ['token'] });
    expect((await failureOf(rest.quote(quoteRequest(), recordingOptions()))).code).toBe('CARRIER.MALFORMED');
    expect(await rest.quote(quoteRequest(), recordingOptions())).toHaveLength(2);
  });

  it('a carrier that never answers becomes CARRIER.TIMEOUT when the signal aborts', async () => {
    const { adapter: rest } = adapter();
    await rest.quote(quoteRequest(), recordingOptions());
    simulators.control.setFault(CODE, 'hang');
    expect((await failureOf(rest.quote(quoteRequest(), recordingOptions(150)))).code).toBe('CARRIER.TIMEOUT');
  });
});

describe('requirements with identity, approved terms and qualified statuses', () => {
  it('lists our requirements on the submission (the carrier adopts our ids) and reads ids, references, words, terms and qualifiers', async () => {
    const { adapter: rest } = adapter();
    const submitted = await rest.submitApplication(
      application('case_resttest:40', {
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
    let status = (await rest.caseStatuses([ref], recordingOptions())).get(ref)!;
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

    simulators.control.advance(CODE, ref, { status: 'APPROVED', carrierStatusCode: 'approved_conditional', approvedTerms: null });
    status = (await rest.caseStatuses([ref], recordingOptions())).get(ref)!;
    expect(status).toMatchObject({ status: 'APPROVED', qualifier: 'CONDITIONAL_APPROVAL', approvedTerms: null });
    simulators.control.advance(CODE, ref, { carrierStatusCode: 'reconsidered_approved' });
    status = (await rest.caseStatuses([ref], recordingOptions())).get(ref)!;
    expect(status.qualifier).toBe('RECONSIDERED');
  });
});
