/**
 * Field underwriting through the gateway against the simulated carriers: each carrier quotes the
 * client at the class its own guidelines (in the catalog) would likely give, priced to the cent off
 * that class's rate; carriers disagree on the same answers; a decline is an outcome with its
 * reasons; bad answers are refused naming the field, before any carrier is called, never echoing a
 * value; the cache is keyed by the priced terms, never by the answers.
 */
import { annualPremiumCents, issueAge, pricingClass } from '../../subgraphs/carriers/domain/premium';
import { validateHealthProfile, type HealthAnswers } from '../../subgraphs/carriers/domain/health-profile';
import { estimateUnderwriting, pricingOf } from '../../subgraphs/carriers/domain/underwriting';
import { CARRIERS, carrierById, productById } from '../../subgraphs/carriers/fixtures/carriers.fixture';
import { rateFor } from '../../subgraphs/carriers/fixtures/rate-table';
import { guidelinesFor } from '../../subgraphs/carriers/fixtures/underwriting-guidelines.fixture';
import { centsToMoney } from '../../platform/scalars';
import { codes, graphql } from '../support/graphql';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let token: string;
beforeAll(async () => {
  stack = await startStack({ env: { CARRIER_TIMEOUT_MS: '2000', COMPARE_TIMEOUT_MS: '3000' } });
  token = await stack.token('STAFF');
});
afterAll(() => stack?.stop());

const ASOF = '2026-06-15';
const COMPARE = `query($i: QuoteInput!) { compareQuotes(input: $i) {
  quotes { carrier { id } product { id } healthClass issueAge annualPremium expectedRequirements acceleratedUnderwriting
    underwriting { estimatedClass tableRating flatExtraPerThousand flatExtraYears declined tobacco reasons { factor message } } }
  outcomes { carrier { id } status message underwriting { estimatedClass declined tobacco reasons { factor message } } } } }`;
const client = (health: HealthAnswers, extra: Record<string, unknown> = {}) => ({
  state: 'TX',
  birthDate: '1981-02-10',
  gender: 'MALE',
  tobacco: false,
  healthClass: 'PREFERRED_PLUS',
  faceAmount: 500_000,
  termYears: 20,
  asOf: ASOF,
  health,
  ...extra,
});
const compare = async (input: Record<string, unknown>) => {
  const response = await graphql(stack.url, COMPARE, { i: input }, { token });
  return response;
};
const quoteCalls = () => stack.simulators.control.totalCounts().quote;

/** What carrier `code` should estimate and charge, from its own guidelines and rate table. */
function expected(carrierId: string, productId: string, health: HealthAnswers, termYears = 20, faceAmount = 500_000) {
  const carrier = carrierById(carrierId)!;
  const product = productById(productId)!;
  const age = issueAge(carrier.ageBasis, '1981-02-10', ASOF);
  const estimate = estimateUnderwriting(guidelinesFor(carrier), validateHealthProfile(health, ASOF).profile!, {
    issueAge: age,
    asOf: ASOF,
  });
  const terms = pricingOf(estimate, termYears)!;
  const rate = rateFor(carrier, product, {
    age,
    gender: 'MALE',
    tobacco: terms.tobacco,
    healthClass: pricingClass(terms.healthClass, terms.tableRating),
    termYears,
    faceAmount,
  })!;
  const annual = annualPremiumCents({
    rateThousandths: rate,
    faceAmount,
    tableRating: terms.tableRating,
    policyFeeCents: carrier.policyFeeCents,
    flatExtraPerThousandCents: terms.flatExtraPerThousandCents,
  });
  return { estimate, annualPremium: centsToMoney(annual) };
}

const CIGARS: HealthAnswers = { heightInches: 70, weightPounds: 180, nicotine: [{ kind: 'CIGAR', lastUsedOn: '2026-04-01', perYear: 6 }] };

describe('compareQuotes with health', () => {
  it("quotes each carrier at its own estimate, priced to the cent off that class's rate: carriers disagree on the same answers", async () => {
    const response = await compare(client(CIGARS));
    expect(response.errors).toBeUndefined();
    const { quotes, outcomes } = response.data!.compareQuotes;
    expect(quotes.length).toBeGreaterThan(5);
    for (const quote of quotes) {
      const want = expected(quote.carrier.id, quote.product.id, CIGARS);
      expect({
        annualPremium: quote.annualPremium,
        estimatedClass: quote.underwriting.estimatedClass,
        tobacco: quote.underwriting.tobacco,
      }).toEqual({
        annualPremium: want.annualPremium,
        estimatedClass: want.estimate.estimatedClass,
        tobacco: want.estimate.tobacco,
      });
      expect(quote.healthClass).toBe(want.estimate.estimatedClass);
    }
    // Occasional cigars: tobacco rates at Summit Ridge, non-tobacco at Harborlight.
    const byCode = Object.fromEntries(outcomes.map((o: { carrier: { id: string } }) => [carrierById(o.carrier.id)!.code, o]));
    expect(byCode.SUMMIT.underwriting.tobacco).toBe(true);
    expect(byCode.HARBOR.underwriting.tobacco).toBe(false);
    expect(byCode.SUMMIT.underwriting.reasons.some((r: { factor: string }) => r.factor === 'NICOTINE')).toBe(true);
    // The client asked PREFERRED_PLUS and tobacco false: with health, both are each carrier's to decide.
    expect(new Set(quotes.map((q: { underwriting: { tobacco: boolean } }) => q.underwriting.tobacco)).size).toBe(2);
  });

  it('moves the estimate with build and blood pressure, each carrier by its own chart', async () => {
    const light: HealthAnswers = { heightInches: 70, weightPounds: 175 };
    const heavy: HealthAnswers = { heightInches: 70, weightPounds: 250 };
    const pressured: HealthAnswers = {
      heightInches: 70,
      weightPounds: 175,
      bloodPressure: { systolic: 150, diastolic: 92, treated: true },
    };
    const classes = async (health: HealthAnswers) => {
      const { data } = await compare(client(health, { carrierIds: ['car_summit', 'car_cedar_crest'] }));
      return data!.compareQuotes.outcomes.map((o: { underwriting: { estimatedClass: string } }) => o.underwriting.estimatedClass);
    };
    const summitAndCedar = (health: HealthAnswers) =>
      ['car_summit', 'car_cedar_crest'].map(
        (id) =>
          estimateUnderwriting(guidelinesFor(carrierById(id)!), validateHealthProfile(health, ASOF).profile!, { issueAge: 45, asOf: ASOF })
            .estimatedClass,
      );
    expect(await classes(light)).toEqual(summitAndCedar(light));
    expect(await classes(heavy)).toEqual(summitAndCedar(heavy));
    expect(await classes(pressured)).toEqual(summitAndCedar(pressured));
    expect(summitAndCedar(light)[0]).toBe('PREFERRED_PLUS');
    expect(summitAndCedar(heavy)).not.toEqual(summitAndCedar(light));
    expect(summitAndCedar(pressured)).not.toEqual(summitAndCedar(light));
  });

  it('says DECLINED with the reasons where a carrier would likely decline, and calls no carrier for it', async () => {
    const recentDui: HealthAnswers = { heightInches: 70, weightPounds: 180, dui: [{ occurredOn: '2025-12-01' }] };
    const decliners = CARRIERS.filter(
      (c) => estimateUnderwriting(guidelinesFor(c), validateHealthProfile(recentDui, ASOF).profile!, { issueAge: 45, asOf: ASOF }).declined,
    );
    expect(decliners.map((c) => c.code)).toContain('COPPER');
    const before = Object.fromEntries(decliners.map((c) => [c.code, stack.simulators.control.counts(c.code).quote]));
    const response = await compare(client(recentDui, { faceAmount: 510_000 }));
    expect(response.errors).toBeUndefined();
    const { outcomes, quotes } = response.data!.compareQuotes;
    for (const carrier of decliners) {
      const outcome = outcomes.find((o: { carrier: { id: string } }) => o.carrier.id === carrier.id);
      expect(outcome).toMatchObject({ status: 'DECLINED', underwriting: { declined: true, estimatedClass: null } });
      expect(outcome.underwriting.reasons.some((r: { factor: string }) => r.factor === 'DRIVING')).toBe(true);
      expect(stack.simulators.control.counts(carrier.code).quote).toBe(before[carrier.code]);
      expect(quotes.some((q: { carrier: { id: string } }) => q.carrier.id === carrier.id)).toBe(false);
    }
    expect(outcomes.some((o: { status: string }) => o.status === 'OK')).toBe(true);
  });

  it('takes a major condition out of the accelerated programs', async () => {
    const healthy = await compare(client({ heightInches: 70, weightPounds: 175 }, { faceAmount: 520_000 }));
    const cancer = await compare(
      client(
        { heightInches: 70, weightPounds: 175, conditions: [{ code: 'CANCER_BREAST', diagnosedOn: '2024-01-10', controlled: true }] },
        { faceAmount: 520_000 },
      ),
    );
    expect(healthy.data!.compareQuotes.quotes.some((q: { acceleratedUnderwriting: boolean }) => q.acceleratedUnderwriting)).toBe(true);
    expect(cancer.data!.compareQuotes.quotes.length).toBeGreaterThan(0);
    expect(cancer.data!.compareQuotes.quotes.every((q: { acceleratedUnderwriting: boolean }) => !q.acceleratedUnderwriting)).toBe(true);
  });

  it('shares a cached price between clients whose answers price alike: the key holds the priced terms, never the answers', async () => {
    const carrierIds = ['car_summit'];
    const first: HealthAnswers = { heightInches: 70, weightPounds: 176 };
    const second: HealthAnswers = { heightInches: 71, weightPounds: 181, familyHistory: { heartDiseaseBefore60: false } };
    const a = await compare(client(first, { carrierIds, faceAmount: 530_000 }));
    const calls = quoteCalls();
    const b = await compare(client(second, { carrierIds, faceAmount: 530_000 }));
    expect(quoteCalls()).toBe(calls);
    expect(b.data!.compareQuotes.outcomes[0]).toMatchObject({ status: 'OK' });
    expect(b.data!.compareQuotes.quotes.map((q: { annualPremium: string }) => q.annualPremium)).toEqual(
      a.data!.compareQuotes.quotes.map((q: { annualPremium: string }) => q.annualPremium),
    );
    // A profile that prices differently is its own question: the carrier is asked.
    await compare(client({ heightInches: 70, weightPounds: 230 }, { carrierIds, faceAmount: 530_000 }));
    expect(quoteCalls()).toBe(calls + 1);
  });

  it('refuses bad answers naming the field, never the value, before any carrier is called', async () => {
    const before = quoteCalls();
    for (const [health, field] of [
      [{ heightInches: 7, weightPounds: 180 }, 'health.heightInches'],
      [{ heightInches: 70, weightPounds: 1800 }, 'health.weightPounds'],
      [{ bloodPressure: { systolic: 400, diastolic: 90 } }, 'health.bloodPressure'],
      [{ nicotine: [{ kind: 'CIGARETTE', lastUsedOn: '2031-01-01' }] }, 'health.nicotine[0].lastUsedOn'],
      [{ conditions: [{ code: 'TYPE_2_DIABETES', diagnosedOn: '2030-05-05' }] }, 'health.conditions[0].diagnosedOn'],
    ] as const) {
      const response = await compare(client(health as HealthAnswers));
      expect(codes(response)).toEqual(['BAD_USER_INPUT']);
      const text = JSON.stringify(response.errors);
      expect(text).toContain(field);
      for (const value of ['1800', '2031-01-01', '2030-05-05', '400']) expect(text).not.toContain(value);
    }
    const unknown = await compare(client({ conditions: [{ code: 'MADE_UP_ILLNESS', diagnosedOn: '2020-01-01' }] } as never));
    expect(codes(unknown)).toEqual(['BAD_USER_INPUT']);
    expect(JSON.stringify(unknown.errors)).not.toContain('2020-01-01');
    const both = await compare(client({ heightInches: 70, weightPounds: 180 }, { tableRating: 2 }));
    expect(codes(both)).toEqual(['BAD_USER_INPUT']);
    expect(both.errors![0].message).toContain('tableRating');
    expect(quoteCalls()).toBe(before);
  });
});
