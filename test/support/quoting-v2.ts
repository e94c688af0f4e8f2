/**
 * Quoting v2 through one protocol's adapter against its simulators: every product type a carrier
 * of that protocol sells, priced to the cent against docs/domain.md's arithmetic (expectedQuote),
 * and riders added exactly. Each adapter test runs these cases with its own factory.
 */
import type { CarrierAdapter, QuoteRequest } from '../../subgraphs/carriers/adapters/carrier-adapter.port';
import type { Protocol } from '../../subgraphs/carriers/domain/carrier';
import type { RiderAsk } from '../../subgraphs/carriers/domain/riders';
import { CARRIERS, type CarrierFixture, type ProductFixture } from '../../subgraphs/carriers/fixtures/carriers.fixture';
import { expectedQuote, recordingOptions } from './harness';

export interface QuotingCase {
  carrier: CarrierFixture;
  product: ProductFixture;
  request: QuoteRequest;
}

const base = {
  state: 'TX',
  gender: 'MALE',
  tobacco: false,
  healthClass: 'PREFERRED',
  tableRating: 0,
} as const;

/** Riders each type may carry: return of premium only on term, accidental death only on final expense. */
function ridersFor(product: ProductFixture, faceAmount: number): RiderAsk[] {
  if (product.type === 'FINAL_EXPENSE') return [{ type: 'ACCIDENTAL_DEATH', amount: faceAmount }];
  const riders: RiderAsk[] = [
    { type: 'WAIVER_OF_PREMIUM' },
    { type: 'ACCIDENTAL_DEATH', amount: 100_000 },
    { type: 'CHILD_TERM', amount: 10_000 },
  ];
  return product.type === 'TERM' ? [...riders, { type: 'RETURN_OF_PREMIUM' }] : riders;
}

/** One request per period a product of this protocol prices, with and without riders. */
export function quotingCases(protocol: Protocol): [string, QuotingCase][] {
  const cases: [string, QuotingCase][] = [];
  for (const carrier of CARRIERS.filter((c) => c.protocol === protocol)) {
    for (const product of carrier.products) {
      const add = (label: string, request: Omit<QuoteRequest, keyof typeof base | 'productIds' | 'riders'>) => {
        const asked = { ...base, ...request, productIds: [product.id] } as QuoteRequest;
        cases.push([`${product.id} ${label}`, { carrier, product, request: asked }]);
        if (product.riders?.length)
          cases.push([
            `${product.id} ${label} with riders`,
            { carrier, product, request: { ...asked, riders: ridersFor(product, asked.faceAmount) } },
          ]);
      };
      if (product.type === 'UNIVERSAL_LIFE')
        for (const age of [90, 121] as const)
          add(`to ${age}`, { productType: 'UNIVERSAL_LIFE', issueAge: 45, faceAmount: 500_000, termYears: null, guaranteedToAge: age });
      if (product.type === 'WHOLE_LIFE')
        for (const payPeriod of ['LIFE', 'TEN_PAY', 'TWENTY_PAY', 'TO_AGE_65'] as const)
          add(payPeriod, { productType: 'WHOLE_LIFE', issueAge: 35, faceAmount: 250_000, termYears: null, payPeriod });
      if (product.type === 'FINAL_EXPENSE')
        for (const finalExpensePlan of ['LEVEL', 'GRADED', 'MODIFIED', 'GUARANTEED_ISSUE'] as const)
          add(finalExpensePlan, { productType: 'FINAL_EXPENSE', issueAge: 70, faceAmount: 10_000, termYears: null, finalExpensePlan });
      if (product.type === 'TERM' && product.riders?.length)
        add('20 years', { productType: 'TERM', issueAge: 36, faceAmount: 500_000, termYears: 20 });
    }
  }
  return cases;
}

/**
 * The adapter's quote equals the independent arithmetic to the cent, and the riders' premiums
 * are exactly the difference from the same quote without them.
 */
export async function expectPricedToTheCent(adapter: CarrierAdapter, { carrier, product, request }: QuotingCase): Promise<void> {
  const quotes = await adapter.quote(request, recordingOptions());
  const expected = expectedQuote(carrier, product.id, request);
  expect(expected).toBeDefined();
  expect(quotes).toEqual([expected]);
  if (request.riders?.length) {
    const [without] = await adapter.quote({ ...request, riders: [] }, recordingOptions());
    const riderCents = quotes[0].riders.reduce((sum, rider) => sum + (rider.offered ? rider.premiumCents : 0), 0);
    expect(quotes[0].riders.some((rider) => rider.offered)).toBe(true);
    expect(quotes[0].annualPremiumCents - without.annualPremiumCents).toBe(riderCents);
    expect(without.riders).toEqual([]);
  }
}
