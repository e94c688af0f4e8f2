/**
 * The ACORD adapter against a real simulated ACORD carrier over HTTP: premiums to the cent, one
 * HTTP call per batch, deduplicated submissions, status progression, private codes reported (not
 * thrown), and every wire failure as the right CarrierFailure.
 */
import { carrierEndpoint, expectedQuote, recordingOptions, testDeps, catalogProduct } from '../../../../../test/support/harness';
import { expectPricedToTheCent, quotingCases } from '../../../../../test/support/quoting-v2';
import { startSimulators, type RunningSimulators } from '../../../../../simulators/simulators';
import { productById } from '../../../fixtures/carriers.fixture';
import { rateFor } from '../../../fixtures/rate-table';
import { issueAge, modalPremiumsCents } from '../../../domain/premium';
import { CarrierFailure, type ApplicationRequest, type ChangeRequest, type QuoteRequest } from '../../carrier-adapter.port';
import { type AcordAdapter, createAcordAdapter } from '../acord.adapter';
import { changeTransaction, quoteTransactions } from '../acord.mapper';
import { buildTxLife } from '../txlife.xml';

const CODE = 'SUMMIT';
const LEVEL_TERM = 'prd_summit_level_term';
const EXPRESS_TERM = 'prd_summit_express_term';
const today = () => new Date().toISOString().slice(0, 10);

let simulators: RunningSimulators;

beforeAll(async () => {
  simulators = await startSimulators();
});
afterAll(() => simulators.stop());
beforeEach(() => simulators.control.reset());

function adapter(deps = testDeps()) {
  const { carrier, endpoint } = carrierEndpoint(simulators, CODE);
  return { adapter: createAcordAdapter(carrier, endpoint, deps) as AcordAdapter, carrier, deps };
}

const quoteRequest = (overrides: Partial<QuoteRequest> = {}): QuoteRequest => ({
  productType: 'TERM',
  state: 'CA',
  issueAge: 36,
  gender: 'MALE',
  tobacco: false,
  healthClass: 'PREFERRED',
  tableRating: 0,
  faceAmount: 500_000,
  termYears: 20,
  productIds: [LEVEL_TERM],
  ...overrides,
});

function application(reference: string, overrides: Partial<ApplicationRequest> = {}): ApplicationRequest {
  const { carrier } = adapter();
  const birthDate = '1990-03-10';
  const priced = expectedQuote(carrier, LEVEL_TERM, quoteRequest({ issueAge: issueAge(carrier.ageBasis, birthDate, today()) }))!;
  return {
    reference,
    caseId: 'case_acordtest',
    productId: LEVEL_TERM,
    insured: { firstName: 'Quill', lastName: 'Examplestone', birthDate, gender: 'MALE', state: 'CA', tobacco: false },
    faceAmount: 500_000,
    termYears: 20,
    healthClass: 'PREFERRED',
    tableRating: 0,
    paymentMode: 'MONTHLY',
    annualPremiumCents: priced.annualPremiumCents,
    agent: { id: 'agt_test', npn: '19283746', writingNumber: 'SR-4411' },
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

describe('quotes (TransType 111)', () => {
  it("prices docs/domain.md's worked example to the cent", async () => {
    const { adapter: acord, carrier } = adapter();
    // Born 1990-03-10, quoted 2025-11-24: age nearest 36 at this NEAREST carrier.
    const age = issueAge(carrier.ageBasis, '1990-03-10', '2025-11-24');
    expect(age).toBe(36);
    const [quote] = await acord.quote(quoteRequest({ issueAge: age }), recordingOptions());
    expect(quote).toEqual({
      productId: LEVEL_TERM,
      healthClass: 'PREFERRED',
      carrierClassName: 'Preferred',
      issueAge: 36,
      ageBasis: 'NEAREST',
      faceAmount: 500_000,
      termYears: 20,
      guaranteedToAge: null,
      payPeriod: null,
      finalExpensePlan: null,
      riders: [],
      annualPremiumCents: 37_000,
      policyFeeCents: 6_000,
      modalPremiumsCents: { ANNUAL: 37_000, SEMI_ANNUAL: 19_055, QUARTERLY: 9_805, MONTHLY: 3_238 },
    });
    // A table prices off the Standard rate, whatever class was asked: Preferred, table 2 is Standard, table 2.
    const [rated] = await acord.quote(quoteRequest({ issueAge: age, tableRating: 2 }), recordingOptions());
    const [standard] = await acord.quote(quoteRequest({ issueAge: age, tableRating: 2, healthClass: 'STANDARD' }), recordingOptions());
    expect(rated).toEqual(standard);
    expect(rated).toEqual(expectedQuote(carrier, LEVEL_TERM, quoteRequest({ issueAge: age, tableRating: 2, healthClass: 'STANDARD' })));
    expect(rated).toMatchObject({ healthClass: 'STANDARD', carrierClassName: 'Standard' });
    expect(rated.annualPremiumCents).toBeGreaterThan(52_500); // what the old, wrong rule (table on the Preferred rate) gave
  });

  it("prices docs/domain.md's table and flat extra example to the cent: 825.00 + 1,250.00 + 60.00 = 2,135.00", async () => {
    const { adapter: acord, carrier } = adapter();
    // Summit's 15-year level term, male 21, tobacco, $500,000: its Standard rate is 1.100 per $1,000.
    const request = quoteRequest({
      issueAge: 21,
      tobacco: true,
      healthClass: 'PREFERRED_PLUS',
      tableRating: 2,
      flatExtraPerThousandCents: 250,
      flatExtraYears: 5,
      termYears: 15,
    });
    expect(rateFor(carrier, productById(LEVEL_TERM)!, { ...request, age: 21, healthClass: 'STANDARD' })).toBe(1_100);
    const [quote] = await acord.quote(request, recordingOptions());
    // The flat extra is in the annual premium before the modal factors: monthly = 2,135.00 × 0.0875 = 186.81.
    expect(quote).toEqual({
      productId: LEVEL_TERM,
      healthClass: 'STANDARD',
      carrierClassName: 'Standard',
      issueAge: 21,
      ageBasis: 'NEAREST',
      faceAmount: 500_000,
      termYears: 15,
      guaranteedToAge: null,
      payPeriod: null,
      finalExpensePlan: null,
      riders: [],
      annualPremiumCents: 213_500,
      policyFeeCents: 6_000,
      modalPremiumsCents: modalPremiumsCents(213_500, carrier.modalFactors),
    });
    expect(quote.modalPremiumsCents.MONTHLY).toBe(18_681);
    expect(quote).toEqual(expectedQuote(carrier, LEVEL_TERM, request));
  });

  it('sends a table as UnderwritingClass 3 (rated) with PermTableRating, and a flat extra as TempFlatExtraAmt for TempFlatExtraDuration years', () => {
    const { carrier } = adapter();
    const envelope = { guid: 'g-1', type: '111', date: '2025-11-24', time: '10:00:00' };
    const participantOf = (request: QuoteRequest) => {
      const document = quoteTransactions(carrier, request, [envelope]) as any;
      return document.TXLifeRequest[0].OLifE.Holding[0].Policy.Life.Coverage[0].LifeParticipant[0];
    };
    const rated = participantOf(
      quoteRequest({ healthClass: 'PREFERRED', tableRating: 4, flatExtraPerThousandCents: 250, flatExtraYears: 5 }),
    );
    expect(rated).toMatchObject({
      UnderwritingClass: { '@_tc': '3' },
      PermTableRating: '4',
      TempFlatExtraAmt: '2.50',
      TempFlatExtraDuration: '5',
    });
    const plain = participantOf(quoteRequest({ healthClass: 'PREFERRED' }));
    expect(plain.UnderwritingClass).toMatchObject({ '@_tc': '2' });
    expect(plain).not.toHaveProperty('PermTableRating');
    expect(plain).not.toHaveProperty('TempFlatExtraAmt');
  });

  it('a flat extra needs a fully underwritten product: the express term is left out, the level term priced', async () => {
    const { adapter: acord, carrier } = adapter();
    const request = quoteRequest({ flatExtraPerThousandCents: 500, flatExtraYears: 10, productIds: [LEVEL_TERM, EXPRESS_TERM] });
    const quotes = await acord.quote(request, recordingOptions());
    expect(quotes).toEqual([expectedQuote(carrier, LEVEL_TERM, request)]);
    // $5.00 per $1,000 on $500,000 is $2,500.00 a year on top of the unrated premium.
    expect(quotes[0].annualPremiumCents - expectedQuote(carrier, LEVEL_TERM, quoteRequest())!.annualPremiumCents).toBe(250_000);
  });

  it('prices several products in ONE HTTP call, each equal to the fixture rate × the arithmetic', async () => {
    const { adapter: acord, carrier } = adapter();
    const request = quoteRequest({
      issueAge: 47,
      gender: 'FEMALE',
      tobacco: true,
      healthClass: 'STANDARD',
      faceAmount: 750_000,
      termYears: 15,
      productIds: [LEVEL_TERM, EXPRESS_TERM],
    });
    const options = recordingOptions();
    const quotes = await acord.quote(request, options);
    expect(quotes).toEqual([expectedQuote(carrier, LEVEL_TERM, request), expectedQuote(carrier, EXPRESS_TERM, request)]);
    expect(options.network).toEqual(['quote']);
    expect(acord.calls).toEqual({
      quote: 1,
      token: 0,
      rateBook: 0,
      submit: 0,
      status: 0,
      products: 0,
      change: 0,
      appointment: 0,
      appointmentStatus: 0,
    });
    expect(simulators.control.counts(CODE)).toMatchObject({ quote: 1, submit: 0, status: 0 });
  });

  it('prices several requests in ONE HTTP call (quoteBatch), each answer what quote gives for it alone', async () => {
    const { adapter: acord, carrier } = adapter();
    const requests = [
      quoteRequest({ faceAmount: 250_000, termYears: 10, productIds: [LEVEL_TERM, EXPRESS_TERM] }),
      quoteRequest({ faceAmount: 1_000_000, termYears: 30, productIds: [LEVEL_TERM] }),
      quoteRequest({ productIds: [] }),
      quoteRequest({ issueAge: 58, faceAmount: 400_000, productIds: [LEVEL_TERM, EXPRESS_TERM] }),
    ];
    const options = recordingOptions();
    const answers = await acord.quoteBatch(requests, options);
    expect(options.network).toEqual(['quote']);
    expect(simulators.control.counts(CODE)).toMatchObject({ quote: 1 });
    expect(answers).toEqual([
      [expectedQuote(carrier, LEVEL_TERM, requests[0]), expectedQuote(carrier, EXPRESS_TERM, requests[0])],
      [expectedQuote(carrier, LEVEL_TERM, requests[1])],
      [],
      // The express term stops at 55: left out of its request's answer only.
      [expectedQuote(carrier, LEVEL_TERM, requests[3])],
    ]);
    for (const [i, request] of requests.entries()) expect(await acord.quote(request, recordingOptions())).toEqual(answers[i]);
    // Nothing to price: no call at all.
    const none = recordingOptions();
    expect(await acord.quoteBatch([quoteRequest({ productIds: [] })], none)).toEqual([[]]);
    expect(none.network).toEqual([]);
  });

  it('leaves out a product the carrier will not illustrate (ResultCode 5) instead of failing', async () => {
    const { adapter: acord, carrier } = adapter();
    // 20-year express term stops at 55; level term goes to 65.
    const request = quoteRequest({ issueAge: 58, productIds: [LEVEL_TERM, EXPRESS_TERM] });
    expect(await acord.quote(request, recordingOptions())).toEqual([expectedQuote(carrier, LEVEL_TERM, request)]);
    expect(await acord.quote(quoteRequest({ issueAge: 70 }), recordingOptions())).toEqual([]);
  });
});

describe('applications (TransType 103)', () => {
  it('submits with TransRefGUID = the reference; a resend is answered with the first result and makes no second application', async () => {
    const { adapter: acord } = adapter();
    const first = await acord.submitApplication(application('case_acordtest:1'), recordingOptions());
    expect(first).toEqual({ accepted: true, carrierReference: expect.stringMatching(/^SUMMIT-APP-\d{6}$/) });
    const again = await acord.submitApplication(application('case_acordtest:1'), recordingOptions());
    expect(again).toEqual(first);
    const stored = simulators.control.applications(CODE).filter((a) => a.reference === 'case_acordtest:1');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ productCode: 'SR-LT', faceAmount: 500_000, status: 'SUBMITTED' });
    expect(simulators.control.counts(CODE).submit).toBe(2);
    expect(acord.calls.submit).toBe(2);
  });

  it('returns a rejection (ResultCode 5) as a value with the carrier message, and the resend gets the same rejection', async () => {
    const { adapter: acord } = adapter();
    const tooLarge = application('case_acordtest:2', { faceAmount: 20_000_000 });
    const result = await acord.submitApplication(tooLarge, recordingOptions());
    expect(result).toEqual({ accepted: false, message: expect.stringContaining('face amount $20,000,000 is outside') });
    expect(await acord.submitApplication(tooLarge, recordingOptions())).toEqual(result);
  });

  it('keeps personal data out of its logs', async () => {
    const { adapter: acord, deps } = adapter();
    await acord.submitApplication(application('case_acordtest:3'), recordingOptions());
    simulators.control.setFault(CODE, '5xx', { times: 1 });
    await failureOf(acord.submitApplication(application('case_acordtest:4'), recordingOptions()));
    const logged = JSON.stringify(deps.logs);
    expect(logged).not.toContain('Examplestone');
    expect(logged).not.toContain('1990-03-10');
  });
});

describe('changes to a pending application (TransType 103, application change)', () => {
  const change = (reference: string, carrierReference: string, overrides: Partial<ChangeRequest>): ChangeRequest => ({
    reference,
    caseId: 'case_acordtest',
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

  it('names the holding by TrackingID, each kind by ChangeTC, beneficiaries as Relations 34/36 and an entity owner by its GovtID', () => {
    const { carrier } = adapter();
    const xml = buildTxLife(
      changeTransaction(
        carrier,
        change('chg:x', 'SUMMIT-APP-000042', {
          productId: EXPRESS_TERM,
          beneficiaries: [
            { designation: 'PRIMARY', fullName: 'Ada Example', relationship: 'SPOUSE', sharePercent: 100 },
            { designation: 'CONTINGENT', fullName: 'Bo Example', relationship: 'CHILD', sharePercent: 100 },
          ],
          owner: { kind: 'ENTITY', name: 'Example Trust', tin: '123456789' },
        }),
        { type: '103', date: '2026-01-02', time: '10:00:00' },
      ),
    );
    expect(xml).toContain(
      '<TransRefGUID>chg:x</TransRefGUID><TransType tc="103"/><TransSubType tc="1000500103">Application Change</TransSubType>',
    );
    expect(xml).toContain('<ProductCode>SR-XT</ProductCode>');
    expect(xml).toContain('<TrackingID>SUMMIT-APP-000042</TrackingID>');
    for (const tc of ['1000500202', '1000500205', '1000500207']) expect(xml).toContain(`<ChangeTC tc="${tc}"/>`);
    expect(xml).not.toContain('1000500201');
    expect(xml).toMatch(/<RelationRoleCode tc="34">Primary Beneficiary<\/RelationRoleCode><InterestPercent>100<\/InterestPercent>/);
    expect(xml).toContain('<RelationRoleCode tc="36">Contingent Beneficiary</RelationRoleCode>');
    expect(xml).toContain('<GovtID>123456789</GovtID><GovtIDTC tc="2">Tax ID</GovtIDTC>');
  });

  it('is decided once per TransRefGUID: an amendment (ReqCode 44) on a face increase, none on a payment mode, ResultCode 5 beyond the limit or for an unknown holding', async () => {
    const { adapter: acord } = adapter();
    const submitted = await acord.submitApplication(application('case_acordtest:50'), recordingOptions());
    if (!submitted.accepted) throw new Error('expected accepted');
    const ref = submitted.carrierReference;
    const options = recordingOptions();
    const increase = await acord.requestChange(change('chg:50', ref, { faceAmount: 750_000 }), options);
    expect(increase).toEqual({ accepted: true, amendmentRequired: true, message: expect.any(String) });
    expect(options.network).toEqual(['change']);
    expect(await acord.requestChange(change('chg:50', ref, { faceAmount: 750_000 }), recordingOptions())).toEqual(increase);
    expect(simulators.control.application(CODE, ref)).toMatchObject({ faceAmount: 750_000 });
    expect(await acord.requestChange(change('chg:51', ref, { paymentMode: 'ANNUAL' }), recordingOptions())).toEqual({
      accepted: true,
      amendmentRequired: false,
    });
    expect(await acord.requestChange(change('chg:52', ref, { faceAmount: 20_000_000 }), recordingOptions())).toEqual({
      accepted: false,
      message: expect.stringContaining('beyond our limit'),
    });
    expect(await acord.requestChange(change('chg:53', 'SUMMIT-APP-999999', { paymentMode: 'ANNUAL' }), recordingOptions())).toEqual({
      accepted: false,
      message: 'no application SUMMIT-APP-999999',
    });
    expect(simulators.control.counts(CODE).change).toBe(5);
    expect(acord.calls.change).toBe(5);
  });
});

describe('case status (TransType 203)', () => {
  it('asks for many holdings in ONE call and leaves out the ones the carrier does not know', async () => {
    const { adapter: acord } = adapter();
    const a = await acord.submitApplication(application('case_acordtest:10'), recordingOptions());
    const b = await acord.submitApplication(application('case_acordtest:11'), recordingOptions());
    if (!a.accepted || !b.accepted) throw new Error('expected both accepted');
    const options = recordingOptions();
    const statuses = await acord.caseStatuses([a.carrierReference, 'SUMMIT-APP-999999', b.carrierReference], options);
    expect(options.network).toEqual(['status']);
    expect(simulators.control.counts(CODE).status).toBe(1);
    expect([...statuses.keys()].sort()).toEqual([a.carrierReference, b.carrierReference].sort());
    expect(statuses.get(a.carrierReference)).toEqual({
      carrierReference: a.carrierReference,
      carrierStatusCode: '21',
      status: 'SUBMITTED',
      qualifier: null,
      statusNote: null,
      approvedTerms: null,
      policyNumber: null,
      requirements: [
        ['84', 'HIPAA_AUTHORIZATION', 'HIPAA authorization', 'RECEIVED', today()],
        ['9', 'MIB', 'MIB check', 'ORDERED', null],
        ['181', 'RX_CHECK', 'Prescription history check', 'ORDERED', null],
      ].map(([carrierCode, code, description, status, fulfilledOn], i) => ({
        carrierRequirementId: `RQ-${a.carrierReference}-${i + 1}`,
        reference: null,
        description,
        carrierCode,
        code,
        status,
        requestedOn: today(),
        fulfilledOn,
      })),
    });
  });

  it('follows the carrier as control.advance moves the application, even several steps at once', async () => {
    const { adapter: acord } = adapter();
    const submitted = await acord.submitApplication(application('case_acordtest:12'), recordingOptions());
    if (!submitted.accepted) throw new Error('expected accepted');
    const ref = submitted.carrierReference;
    simulators.control.advance(CODE, ref, {
      status: 'REQUIREMENTS_OUTSTANDING',
      requirements: [
        { code: 'APS', status: 'ORDERED' },
        { code: 'MIB', status: 'RECEIVED' },
      ],
    });
    let status = (await acord.caseStatuses([ref], recordingOptions())).get(ref)!;
    // PolicyStatus 8 is "pending": accepted and under review (docs/domain.md "Carrier status as carriers send it"), not a status of requirements.
    expect(status.status).toBe('IN_UNDERWRITING');
    expect(status.carrierStatusCode).toBe('8');
    // Each requirement carries the carrier's own id and its words.
    expect(status.requirements.find((r) => r.code === 'APS')).toMatchObject({
      carrierCode: '1',
      status: 'ORDERED',
      carrierRequirementId: expect.stringMatching(/^RQ-SUMMIT-APP-\d{6}-\d+$/),
      description: "Attending physician's statement",
    });
    expect(status.requirements.find((r) => r.code === 'MIB')).toMatchObject({ status: 'RECEIVED', fulfilledOn: today() });

    simulators.control.advance(CODE, ref, {
      status: 'ISSUED',
      policyNumber: 'SR00012345',
      requirements: [
        { code: 'APS', status: 'RECEIVED' },
        { code: 'DELIVERY_RECEIPT', status: 'ORDERED' },
      ],
    });
    status = (await acord.caseStatuses([ref], recordingOptions())).get(ref)!;
    expect(status).toMatchObject({ status: 'ISSUED', carrierStatusCode: '25', policyNumber: 'SR00012345' });
    expect(status.requirements.find((r) => r.code === 'DELIVERY_RECEIPT')).toMatchObject({ carrierCode: '43', status: 'ORDERED' });
  });

  it('reports private codes it cannot map (status null, raw code kept) and never throws', async () => {
    const { adapter: acord, deps } = adapter();
    const submitted = await acord.submitApplication(application('case_acordtest:13'), recordingOptions());
    if (!submitted.accepted) throw new Error('expected accepted');
    const ref = submitted.carrierReference;
    simulators.control.advance(CODE, ref, {
      status: 'REINSURANCE_REVIEW',
      requirements: [
        { code: 'FINANCIAL_QUESTIONNAIRE', status: 'ORDERED' },
        { code: 'PARAMED_EXAM', carrierCode: '1000500099' },
      ],
    });
    const status = (await acord.caseStatuses([ref], recordingOptions())).get(ref)!;
    expect(status).toMatchObject({ status: null, carrierStatusCode: '1000500003' });
    expect(status.requirements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ carrierCode: '1000500017', code: null, status: 'ORDERED', requestedOn: today(), fulfilledOn: null }),
        expect.objectContaining({ carrierCode: '1000500099', code: null }),
      ]),
    );
    const warnings = deps.logs.filter((line) => line.msg === 'carrier sent a code we do not map');
    expect(warnings.map((w) => [w.field, w.code])).toEqual([
      ['PolicyStatus', '1000500003'],
      ['ReqCode', '1000500017'],
      ['ReqCode', '1000500099'],
    ]);

    // Reported once per code, not once per read.
    await acord.caseStatuses([ref], recordingOptions());
    expect(deps.logs.filter((line) => line.msg === 'carrier sent a code we do not map')).toHaveLength(3);
  });
});

describe('catalog', () => {
  it("reads the product profile back into the fixture's products, ids included", async () => {
    const { adapter: acord, carrier } = adapter();
    const options = recordingOptions();
    const products = await acord.products(options);
    expect(products).toEqual(carrier.products.map(catalogProduct));
    expect(options.network).toEqual(['products']);
  });
});

describe('Quoting v2 (guaranteed UL, whole life, final expense, riders) through TXLife', () => {
  it.each(quotingCases('ACORD'))('%s is priced to the cent', async (_, c) => {
    const { carrier, endpoint } = carrierEndpoint(simulators, c.carrier.code);
    await expectPricedToTheCent(createAcordAdapter(carrier, endpoint, testDeps()), c);
  });

  it('sends the guarantee age, pay period, plan and each rider as its own Coverage', () => {
    const { carrier } = carrierEndpoint(simulators, CODE);
    const envelope = { guid: 'g', type: '111', date: '2025-11-24', time: '12:00:00' };
    const gul = quoteTransactions(
      carrier,
      quoteRequest({
        productType: 'UNIVERSAL_LIFE',
        termYears: null,
        guaranteedToAge: 95,
        riders: [{ type: 'WAIVER_OF_PREMIUM' }, { type: 'ACCIDENTAL_DEATH', amount: 50_000 }],
        productIds: ['prd_summit_guaranteed_ul'],
      }),
      [envelope],
    );
    const coverages = (gul.TXLifeRequest as any)[0].OLifE.Holding[0].Policy.Life.Coverage;
    expect(coverages[0]).toMatchObject({ IndicatorCode: { '@_tc': '1' }, NoLapseGuarAge: '95' });
    expect(coverages[0].LevelPremiumPeriod).toBeUndefined();
    expect(coverages.slice(1)).toEqual([
      { IndicatorCode: { '@_tc': '2', '#text': 'Rider' }, LifeCovTypeCode: { '@_tc': '9' } },
      { IndicatorCode: { '@_tc': '2', '#text': 'Rider' }, LifeCovTypeCode: { '@_tc': '5' }, CurrentAmt: '50000' },
    ]);
  });

  it("states a rider the product does not sell on the quote, with the carrier's reason, and prices the rest", async () => {
    const { carrier, endpoint } = carrierEndpoint(simulators, 'HARBOR');
    const harbor = createAcordAdapter(carrier, endpoint, testDeps());
    const request = quoteRequest({
      productType: 'WHOLE_LIFE',
      termYears: null,
      payPeriod: 'LIFE',
      issueAge: 60,
      faceAmount: 250_000,
      riders: [{ type: 'RETURN_OF_PREMIUM' }, { type: 'WAIVER_OF_PREMIUM' }, { type: 'ACCIDENTAL_DEATH', amount: 25_000 }],
      productIds: ['prd_harborlight_whole_life'],
    });
    const [quote] = await harbor.quote(request, recordingOptions());
    expect(quote.riders).toEqual([
      { type: 'RETURN_OF_PREMIUM', offered: false, reason: 'RETURN_OF_PREMIUM is not offered on this product' },
      { type: 'WAIVER_OF_PREMIUM', offered: false, reason: 'WAIVER_OF_PREMIUM is offered at issue ages 18-55 only' },
      { type: 'ACCIDENTAL_DEATH', offered: true, premiumCents: 2_500 }, // 25 × $1.00
    ]);
    expect(quote.payPeriod).toBe('LIFE');
    expect(quote.termYears).toBeNull();
  });
});

describe('wire failures', () => {
  it.each([
    ['5xx', 'CARRIER.HTTP_ERROR'],
    ['malformed', 'CARRIER.MALFORMED'],
    ['429', 'CARRIER.RATE_LIMITED'],
    ['expired-token', 'CARRIER.AUTH'],
  ] as const)('%s becomes %s', async (fault, code) => {
    const { adapter: acord } = adapter();
    simulators.control.setFault(CODE, fault, { times: 1, retryAfterSeconds: 2 });
    const failure = await failureOf(acord.quote(quoteRequest(), recordingOptions()));
    expect(failure.code).toBe(code);
    if (code === 'CARRIER.RATE_LIMITED') expect(failure.retryAfterMs).toBe(2_000);
    // The fault was for one call only: the carrier answers again.
    expect(await acord.quote(quoteRequest(), recordingOptions())).toHaveLength(1);
    expect(acord.calls.quote).toBe(2);
  });

  it('a carrier that never answers becomes CARRIER.TIMEOUT when the signal aborts', async () => {
    const { adapter: acord } = adapter();
    simulators.control.setFault(CODE, 'hang');
    const started = performance.now();
    const failure = await failureOf(acord.quote(quoteRequest(), recordingOptions(150)));
    expect(failure.code).toBe('CARRIER.TIMEOUT');
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('a carrier that cannot be reached becomes CARRIER.HTTP_ERROR', async () => {
    const { carrier, endpoint } = carrierEndpoint(simulators, CODE);
    const acord = createAcordAdapter(carrier, { ...endpoint, url: 'http://127.0.0.1:1' }, testDeps());
    expect((await failureOf(acord.quote(quoteRequest(), recordingOptions()))).code).toBe('CARRIER.HTTP_ERROR');
  });
});

describe('requirements with identity, approved terms, vendor results', () => {
  it('lists our ordered requirements on the 103: the carrier adopts our ids when it orders those codes', async () => {
    const { adapter: acord } = adapter();
    const submitted = await acord.submitApplication(
      application('case_acordtest:30', {
        requirements: [
          { id: 'req_aps_one', code: 'APS' },
          { id: 'req_aps_two', code: 'APS' },
          { id: 'req_mib', code: 'MIB' },
        ],
      }),
      recordingOptions(),
    );
    if (!submitted.accepted) throw new Error('expected accepted');
    const ref = submitted.carrierReference;
    // The carrier orders two APSs (one per physician): each adopts one of our ids, in order.
    simulators.control.advance(CODE, ref, {
      requirements: [
        { code: 'APS', add: true },
        { code: 'APS', add: true },
      ],
    });
    const status = (await acord.caseStatuses([ref], recordingOptions())).get(ref)!;
    const aps = status.requirements.filter((r) => r.code === 'APS');
    expect(aps.map((r) => r.reference)).toEqual(['req_aps_one', 'req_aps_two']);
    expect(new Set(aps.map((r) => r.carrierRequirementId)).size).toBe(2);
    expect(status.requirements.find((r) => r.code === 'MIB')).toMatchObject({ reference: 'req_mib' });
  });

  it('marks the requirement a vendor delivers results for RECEIVED: by the carrier id, else our reference, else a new one', async () => {
    const { adapter: acord } = adapter();
    const submitted = await acord.submitApplication(application('case_acordtest:31'), recordingOptions());
    if (!submitted.accepted) throw new Error('expected accepted');
    const ref = submitted.carrierReference;
    const view = simulators.control.advance(CODE, ref, { requirements: [{ code: 'PARAMED_EXAM', status: 'ORDERED' }] });
    const exam = view.requirements.find((r) => r.code === 'PARAMED_EXAM')!;
    const post = (body: object) =>
      fetch(`${simulators.endpoints[CODE]}/_vendors/results`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const results = { policyReference: ref, vendor: 'PULSE', orderId: 'PX-1', completedOn: '2026-02-03' };
    expect((await post({ ...results, requirementId: exam.id, reference: 'req_exam', code: 'PARAMED_EXAM' })).status).toBe(200);
    // Not the carrier's: a new APS with our reference, received.
    expect((await post({ ...results, requirementId: null, reference: 'req_aps_9', code: 'APS', vendor: 'CHARTWELL' })).status).toBe(200);
    expect(
      (await post({ ...results, policyReference: 'SUMMIT-APP-999999', requirementId: null, reference: null, code: 'APS' })).status,
    ).toBe(404);
    expect((await post({ ...results, code: 'X_RAY' })).status).toBe(400);
    // An exam vendor's EKG results: a requirement of its own, which the adapter maps to EKG.
    expect((await post({ ...results, requirementId: null, reference: 'req_ekg', code: 'EKG' })).status).toBe(200);
    const status = (await acord.caseStatuses([ref], recordingOptions())).get(ref)!;
    expect(status.requirements.find((r) => r.carrierRequirementId === exam.id)).toMatchObject({
      reference: 'req_exam',
      status: 'RECEIVED',
      fulfilledOn: '2026-02-03',
    });
    expect(status.requirements.find((r) => r.reference === 'req_ekg')).toMatchObject({ code: 'EKG', status: 'RECEIVED' });
    expect(status.requirements.filter((r) => r.code === 'APS')).toEqual([
      expect.objectContaining({ reference: 'req_aps_9', status: 'RECEIVED', fulfilledOn: '2026-02-03' }),
    ]);
    // Vendors are not the BGA: their deliveries are not counted as calls.
    expect(simulators.control.counts(CODE).status).toBe(1);
  });

  it("reads a counter offer's terms and a hold's words off the carrier's holding", async () => {
    const { adapter: acord } = adapter();
    const submitted = await acord.submitApplication(application('case_acordtest:32'), recordingOptions());
    if (!submitted.accepted) throw new Error('expected accepted');
    const ref = submitted.carrierReference;
    simulators.control.advance(CODE, ref, {
      status: 'APPROVED_OTHER_THAN_APPLIED',
      approvedTerms: { healthClass: null, tableRating: 2, flatExtraPerThousandCents: 250, flatExtraYears: 5, faceAmount: 400_000 },
    });
    let status = (await acord.caseStatuses([ref], recordingOptions())).get(ref)!;
    expect(status).toMatchObject({
      status: 'APPROVED_OTHER_THAN_APPLIED',
      carrierStatusCode: '26',
      qualifier: 'COUNTER_OFFER',
      approvedTerms: { healthClass: null, tableRating: 2, flatExtraPerThousandCents: 250, flatExtraYears: 5, faceAmount: 400_000 },
    });
    simulators.control.advance(CODE, ref, {
      status: 'APPROVED',
      carrierStatusCode: '103',
      approvedTerms: null,
      statusNote: 'first premium due',
    });
    status = (await acord.caseStatuses([ref], recordingOptions())).get(ref)!;
    expect(status).toMatchObject({ status: 'APPROVED', qualifier: 'ISSUE_HOLD', statusNote: 'approved: issue hold: first premium due' });
  });
});
