/**
 * The order quotes are shown in: the premium per payment in the payment mode the client asked for
 * ascending, then carrier name, then product code (ids last, so the order never depends on the
 * order the carriers answered in). Carriers' modal factors differ (monthly 0.0875 at one, 0.095 at
 * another), so the cheapest annual premium is not always the cheapest monthly one: a client paying
 * monthly is shown the cheapest monthly payment first.
 */
export interface Rankable {
  /** The premium per payment in the requested mode, in cents. */
  modalPremiumCents: number;
  /** Breaks ties between equal modal premiums before the names do. */
  annualPremiumCents: number;
  carrier: { id: string; name: string };
  product: { id: string; code: string };
}

const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function rankQuotes<T extends Rankable>(quotes: readonly T[]): T[] {
  return [...quotes].sort(
    (a, b) =>
      a.modalPremiumCents - b.modalPremiumCents ||
      a.annualPremiumCents - b.annualPremiumCents ||
      text(a.carrier.name, b.carrier.name) ||
      text(a.product.code, b.product.code) ||
      text(a.carrier.id, b.carrier.id) ||
      text(a.product.id, b.product.id),
  );
}
