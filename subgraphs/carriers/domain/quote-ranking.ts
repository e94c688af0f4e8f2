/**
 * The order quotes are shown in: the annual premium ascending, then carrier name, then product code
 * (ids last, so the order never depends on the order the carriers answered in).
 */
export interface Rankable {
  annualPremiumCents: number;
  carrier: { id: string; name: string };
  product: { id: string; code: string };
}

const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function rankQuotes<T extends Rankable>(quotes: readonly T[]): T[] {
  return [...quotes].sort(
    (a, b) =>
      a.annualPremiumCents - b.annualPremiumCents ||
      text(a.carrier.name, b.carrier.name) ||
      text(a.product.code, b.product.code) ||
      text(a.carrier.id, b.carrier.id) ||
      text(a.product.id, b.product.id),
  );
}
