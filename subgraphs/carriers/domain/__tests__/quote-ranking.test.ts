import fc from 'fast-check';
import { modalPremiumCents } from '../premium';
import { rankQuotes } from '../quote-ranking';

describe('rankQuotes', () => {
  type Ranked = Parameters<typeof rankQuotes>[0][number];
  const quote = (modal: number, carrierName: string, code: string, annual = modal) =>
    ({
      modalPremiumCents: modal,
      annualPremiumCents: annual,
      carrier: { id: `car_${carrierName.toLowerCase()}`, name: carrierName },
      product: { id: `prd_${code.toLowerCase()}`, code },
    }) as Ranked;

  it('orders by the premium in the requested mode, then carrier name, then product code', () => {
    const ranked = rankQuotes([
      quote(50_000, 'Bravo', 'B1'),
      quote(40_000, 'Zulu', 'Z1'),
      quote(50_000, 'Alpha', 'A2'),
      quote(50_000, 'Alpha', 'A1'),
      quote(39_999, 'Yankee', 'Y1'),
    ]);
    expect(ranked.map((q) => `${q.modalPremiumCents}/${q.carrier.name}/${q.product.code}`)).toEqual([
      '39999/Yankee/Y1',
      '40000/Zulu/Z1',
      '50000/Alpha/A1',
      '50000/Alpha/A2',
      '50000/Bravo/B1',
    ]);
  });

  it('ranks monthly payers by the monthly premium, not the annual one: the carriers’ monthly factors differ', () => {
    // Annual 1,000.00 at a carrier whose monthly factor is 0.095 pays 95.00 a month; annual 1,050.00
    // at one whose factor is 0.0875 pays 91.88: cheaper each month although dearer each year.
    const dearAnnual = { annual: 105_000, monthly: modalPremiumCents(105_000, 0.0875) };
    const cheapAnnual = { annual: 100_000, monthly: modalPremiumCents(100_000, 0.095) };
    expect(dearAnnual.monthly).toBe(9188);
    expect(cheapAnnual.monthly).toBe(9500);
    const monthly = rankQuotes([
      quote(cheapAnnual.monthly, 'Alpha', 'A', cheapAnnual.annual),
      quote(dearAnnual.monthly, 'Bravo', 'B', dearAnnual.annual),
    ]);
    expect(monthly.map((q) => q.carrier.name)).toEqual(['Bravo', 'Alpha']);
    const annual = rankQuotes([quote(cheapAnnual.annual, 'Alpha', 'A'), quote(dearAnnual.annual, 'Bravo', 'B')]);
    expect(annual.map((q) => q.carrier.name)).toEqual(['Alpha', 'Bravo']);
  });

  it('breaks a tie in the requested mode by the annual premium', () => {
    const ranked = rankQuotes([quote(9_000, 'Alpha', 'A', 101_000), quote(9_000, 'Bravo', 'B', 100_000)]);
    expect(ranked.map((q) => q.carrier.name)).toEqual(['Bravo', 'Alpha']);
  });

  it('does not depend on the input order', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ modal: fc.integer({ min: 0, max: 50 }), name: fc.constantFrom('A', 'B', 'C'), code: fc.constantFrom('x', 'y') }),
          {
            maxLength: 12,
          },
        ),
        (rows) => {
          const quotes = rows.map((r) => quote(r.modal, r.name, r.code));
          const ranked = rankQuotes(quotes);
          expect(rankQuotes([...quotes].reverse())).toEqual(ranked);
          for (let i = 1; i < ranked.length; i++)
            expect(ranked[i].modalPremiumCents).toBeGreaterThanOrEqual(ranked[i - 1].modalPremiumCents);
        },
      ),
    );
  });
});
