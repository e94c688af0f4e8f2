import { rankQuotes } from '../quote-ranking';

describe('rankQuotes', () => {
  type Ranked = Parameters<typeof rankQuotes>[0][number];
  const quote = (cents: number, carrierName: string, code: string) =>
    ({
      annualPremiumCents: cents,
      carrier: { id: `car_${carrierName.toLowerCase()}`, name: carrierName },
      product: { id: `prd_${code.toLowerCase()}`, code },
    }) as Ranked;

  it('orders by annual premium, then carrier name, then product code', () => {
    const ranked = rankQuotes([
      quote(50_000, 'Bravo', 'B1'),
      quote(40_000, 'Zulu', 'Z1'),
      quote(50_000, 'Alpha', 'A2'),
      quote(50_000, 'Alpha', 'A1'),
      quote(39_999, 'Yankee', 'Y1'),
    ]);
    expect(ranked.map((q) => `${q.annualPremiumCents}/${q.carrier.name}/${q.product.code}`)).toEqual([
      '39999/Yankee/Y1',
      '40000/Zulu/Z1',
      '50000/Alpha/A1',
      '50000/Alpha/A2',
      '50000/Bravo/B1',
    ]);
  });

  it('does not depend on the input order', () => {
    const quotes = [quote(3, 'C', 'x'), quote(1, 'B', 'y'), quote(1, 'A', 'z'), quote(2, 'A', 'a')];
    expect(rankQuotes([...quotes].reverse())).toEqual(rankQuotes(quotes));
  });
});
