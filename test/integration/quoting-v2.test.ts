/**
 * Quoting v2 through the gateway against the simulated carriers of all three protocols: guaranteed
 * UL, whole life and final expense are priced to the cent (the rate tables and docs/domain.md's
 * arithmetic, riders included), a rider a product does not offer is stated on its quote, indexed
 * UL answers that it needs an illustration, and bad input is BAD_USER_INPUT naming the field
 * before any carrier is called.
 */
import type { QuoteRequest } from '../../subgraphs/carriers/adapters/carrier-adapter.port';
import { issueAge, pricingClass } from '../../subgraphs/carriers/domain/premium';
import type { RiderAsk } from '../../subgraphs/carriers/domain/riders';
import { carrierById, productById } from '../../subgraphs/carriers/fixtures/carriers.fixture';
import { centsToMoney } from '../../platform/scalars';
import { codes, graphql } from '../support/graphql';
import { expectedQuote } from '../support/harness';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let token: string;
const COMPARE = `query($i: QuoteInput!) { compareQuotes(input: $i) {
  quotes { carrier { id } product { id type } healthClass issueAge termYears guaranteedToAge payPeriod finalExpensePlan
    riders { type premium offered message } annualPremium premiums { annual semiAnnual quarterly monthly } }
  outcomes { carrier { id } status message } } }`;
const ASOF = '2025-11-24';
const compare = (input: Record<string, unknown>) =>
  graphql(stack.url, COMPARE, { i: { state: 'TX', tobacco: false, healthClass: 'PREFERRED', asOf: ASOF, ...input } }, { token });

beforeAll(async () => {
  // Generous carrier deadlines: these tests are about prices, not timing (a loaded CI machine once missed the 4 s comparison).
  stack = await startStack({ env: { CARRIER_TIMEOUT_MS: '10000', COMPARE_TIMEOUT_MS: '15000' } });
  token = await stack.token('STAFF');
});
afterAll(() => stack?.stop());

interface QuoteJson {
  carrier: { id: string };
  product: { id: string; type: string };
  healthClass: string;
  issueAge: number;
  termYears: number | null;
  guaranteedToAge: number | null;
  payPeriod: string | null;
  finalExpensePlan: string | null;
  riders: { type: string; premium: string | null; offered: boolean; message: string | null }[];
  annualPremium: string;
  premiums: { annual: string; semiAnnual: string; quarterly: string; monthly: string };
}

/** Each quote equals the rate table × docs/domain.md's arithmetic to the cent, riders and modes included. */
function expectEachPricedToTheCent(quotes: QuoteJson[], input: Record<string, unknown>, request: Partial<QuoteRequest>): void {
  for (const quote of quotes) {
    const carrier = carrierById(quote.carrier.id)!;
    const product = productById(quote.product.id)!;
    const age = issueAge(carrier.ageBasis, input.birthDate as string, ASOF);
    const expected = expectedQuote(carrier, product.id, {
      state: 'TX',
      issueAge: age,
      gender: input.gender as 'MALE',
      tobacco: false,
      healthClass: pricingClass('PREFERRED', 0, product.type),
      tableRating: 0,
      faceAmount: input.faceAmount as number,
      productType: product.type,
      termYears: null,
      riders: (input.riders ?? []) as RiderAsk[],
      productIds: [product.id],
      ...request,
    })!;
    expect({ product: quote.product.id, issueAge: quote.issueAge, annual: quote.annualPremium, monthly: quote.premiums.monthly }).toEqual({
      product: product.id,
      issueAge: age,
      annual: centsToMoney(expected.annualPremiumCents),
      monthly: centsToMoney(expected.modalPremiumsCents.MONTHLY),
    });
    expect(quote.riders).toEqual(
      expected.riders.map((r) =>
        r.offered
          ? { type: r.type, premium: centsToMoney(r.premiumCents), offered: true, message: null }
          : { type: r.type, premium: null, offered: false, message: r.reason },
      ),
    );
  }
}

const protocolsOf = (quotes: QuoteJson[]) => new Set(quotes.map((q) => carrierById(q.carrier.id)!.protocol));

describe('Quoting v2 through the gateway', () => {
  it("shows each permanent product's options from the catalog: guarantee ages, pay periods, plans, riders", async () => {
    const response = await graphql(
      stack.url,
      `{ products { id type guaranteeAges payPeriods finalExpensePlans riders { type minIssueAge maxIssueAge } } }`,
      {},
      { token },
    );
    expect(response.errors).toBeUndefined();
    const products: {
      id: string;
      type: string;
      guaranteeAges: number[] | null;
      payPeriods: string[] | null;
      finalExpensePlans: string[] | null;
      riders: unknown[] | null;
    }[] = response.data!.products;
    const permanent = products.filter((p) => ['UNIVERSAL_LIFE', 'WHOLE_LIFE', 'FINAL_EXPENSE'].includes(p.type));
    expect(new Set(permanent.map((p) => p.type))).toEqual(new Set(['UNIVERSAL_LIFE', 'WHOLE_LIFE', 'FINAL_EXPENSE']));
    // Other suites may add carriers of their own to the shared catalog: the demo ones are checked.
    for (const product of products.filter((p) => productById(p.id))) {
      const fixture = productById(product.id)!;
      expect(product).toEqual({
        id: fixture.id,
        type: fixture.type,
        guaranteeAges: fixture.guaranteeAges ?? null,
        payPeriods: fixture.payPeriods ?? null,
        finalExpensePlans: fixture.finalExpensePlans ?? null,
        riders: fixture.riders ?? null,
      });
    }
  });

  it('prices guaranteed UL to 121 with riders at a carrier of every protocol', async () => {
    const input = {
      productType: 'UNIVERSAL_LIFE',
      guaranteedToAge: 121,
      birthDate: '1980-03-10',
      gender: 'MALE',
      faceAmount: 500_000,
      riders: [{ type: 'WAIVER_OF_PREMIUM' }, { type: 'ACCIDENTAL_DEATH', amount: 100_000 }],
    };
    const response = await compare(input);
    expect(response.errors).toBeUndefined();
    const quotes: QuoteJson[] = response.data!.compareQuotes.quotes;
    expect(protocolsOf(quotes)).toEqual(new Set(['ACORD', 'REST', 'RATEBOOK']));
    expect(quotes.every((q) => q.guaranteedToAge === 121 && q.termYears === null && q.riders.every((r) => r.offered))).toBe(true);
    expectEachPricedToTheCent(quotes, input, { guaranteedToAge: 121 });
  });

  it('prices 10-pay whole life at a carrier of every protocol', async () => {
    const input = { productType: 'WHOLE_LIFE', payPeriod: 'TEN_PAY', birthDate: '1990-03-10', gender: 'MALE', faceAmount: 250_000 };
    const response = await compare(input);
    expect(response.errors).toBeUndefined();
    const quotes: QuoteJson[] = response.data!.compareQuotes.quotes;
    expect(protocolsOf(quotes)).toEqual(new Set(['ACORD', 'REST', 'RATEBOOK']));
    expect(quotes.every((q) => q.payPeriod === 'TEN_PAY')).toBe(true);
    expectEachPricedToTheCent(quotes, input, { payPeriod: 'TEN_PAY' });
  });

  it('prices level final expense at Standard with an accidental death rider at a carrier of every protocol', async () => {
    const input = {
      productType: 'FINAL_EXPENSE',
      birthDate: '1955-01-15',
      gender: 'FEMALE',
      faceAmount: 10_000,
      riders: [
        { type: 'ACCIDENTAL_DEATH', amount: 10_000 },
        { type: 'CHILD_TERM', amount: 5_000 },
      ],
    };
    const response = await compare(input);
    expect(response.errors).toBeUndefined();
    const quotes: QuoteJson[] = response.data!.compareQuotes.quotes;
    expect(protocolsOf(quotes)).toEqual(new Set(['ACORD', 'REST', 'RATEBOOK']));
    expect(quotes.every((q) => q.finalExpensePlan === 'LEVEL' && q.healthClass === 'STANDARD')).toBe(true);
    // Child term is not sold on final expense: stated on each quote, not an error.
    expect(quotes.every((q) => q.riders[1].offered === false && q.riders[1].message === 'CHILD_TERM is not offered on this product')).toBe(
      true,
    );
    expectEachPricedToTheCent(quotes, input, { finalExpensePlan: 'LEVEL' });
  });

  it('chooses the final expense plan from the health answers, at each carrier priced to the cent', async () => {
    const base = { productType: 'FINAL_EXPENSE', birthDate: '1955-01-15', gender: 'FEMALE', faceAmount: 20_000 };
    const diabetic = { ...base, health: { conditions: [{ code: 'TYPE_2_DIABETES', diagnosedOn: '2015-03-01', controlled: true }] } };
    const graded = await compare(diabetic);
    expect(graded.errors).toBeUndefined();
    const gradedQuotes: QuoteJson[] = graded.data!.compareQuotes.quotes;
    expect(gradedQuotes.length).toBeGreaterThan(0);
    expect(gradedQuotes.every((q) => q.finalExpensePlan === 'GRADED')).toBe(true);
    expectEachPricedToTheCent(gradedQuotes, base, { finalExpensePlan: 'GRADED' });

    // Kidney disease knocks out every question: guaranteed issue only, which takes ages 50-80 and $25,000.
    const knockOut = { conditions: [{ code: 'KIDNEY_DISEASE', diagnosedOn: '2020-06-01', controlled: false }] };
    const guaranteed = await compare({ ...base, health: knockOut });
    const guaranteedQuotes: QuoteJson[] = guaranteed.data!.compareQuotes.quotes;
    expect(guaranteedQuotes.length).toBeGreaterThan(0);
    expect(guaranteedQuotes.every((q) => q.finalExpensePlan === 'GUARANTEED_ISSUE')).toBe(true);
    expectEachPricedToTheCent(guaranteedQuotes, base, { finalExpensePlan: 'GUARANTEED_ISSUE' });
    const tooMuch = await compare({ ...base, faceAmount: 30_000, health: knockOut });
    expect(tooMuch.data!.compareQuotes.quotes).toEqual([]);
    expect(tooMuch.data!.compareQuotes.outcomes.filter((o: { status: string }) => o.status !== 'NO_ELIGIBLE_PRODUCT')).toEqual([]);
  });

  it('adds a return-of-premium rider to term exactly, and states it where the product does not offer it', async () => {
    const input = { termYears: 20, birthDate: '1990-03-10', gender: 'MALE', faceAmount: 500_000, riders: [{ type: 'RETURN_OF_PREMIUM' }] };
    const response = await compare(input);
    expect(response.errors).toBeUndefined();
    const quotes: QuoteJson[] = response.data!.compareQuotes.quotes;
    const offered = quotes.filter((q) => q.riders[0].offered);
    expect(protocolsOf(offered)).toEqual(new Set(['ACORD', 'REST', 'RATEBOOK']));
    expect(quotes.some((q) => !q.riders[0].offered)).toBe(true);
    expectEachPricedToTheCent(quotes, input, { termYears: 20, productType: 'TERM' });
  });

  it('answers indexed UL with NO_ELIGIBLE_PRODUCT saying it needs an illustration', async () => {
    const response = await compare({ productType: 'INDEXED_UNIVERSAL_LIFE', birthDate: '1990-03-10', gender: 'MALE', faceAmount: 500_000 });
    expect(response.errors).toBeUndefined();
    const { quotes, outcomes } = response.data!.compareQuotes;
    expect(quotes).toEqual([]);
    expect(outcomes.every((o: { status: string }) => o.status === 'NO_ELIGIBLE_PRODUCT')).toBe(true);
    expect(outcomes.some((o: { message: string }) => /needs an illustration/.test(o.message))).toBe(true);
  });

  it('refuses bad input with BAD_USER_INPUT naming the field, before any carrier is called', async () => {
    const before = stack.simulators.control.counts('SUMMIT').quote;
    for (const [input, field] of [
      [{ productType: 'UNIVERSAL_LIFE', guaranteedToAge: 110 }, 'guaranteedToAge'],
      [{ productType: 'UNIVERSAL_LIFE', riders: [{ type: 'WAIVER_OF_PREMIUM' }, { type: 'WAIVER_OF_PREMIUM' }] }, 'riders'],
      [{ productType: 'UNIVERSAL_LIFE', riders: [{ type: 'CHILD_TERM', amount: 26_000 }] }, 'riders CHILD_TERM'],
      [{ termYears: 20, payPeriod: 'LIFE' }, 'payPeriod'],
    ] as const) {
      const response = await compare({ birthDate: '1980-03-10', gender: 'MALE', faceAmount: 500_000, ...input });
      expect(codes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors![0].message).toContain(field);
      expect(response.errors![0].message).not.toContain('1980');
    }
    expect(stack.simulators.control.counts('SUMMIT').quote).toBe(before);
  });
});
