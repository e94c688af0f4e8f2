/**
 * docs/domain.md "Riders": each rider's yearly premium from the carrier's rider rates, rounded
 * half-up once per rider and added to the annual premium before the modal factors. A rider the
 * product does not offer (or not at this age or term) is stated on the quote, never an error.
 */
import type { ProductTypeCode, RiderTypeCode } from '../../shared/vocabulary';
import { divideHalfUp } from './premium';

/** What a quote asks for: the type and, for accidental death and child term, an amount in whole dollars. */
export interface RiderAsk {
  type: RiderTypeCode;
  amount?: number | null;
}

/** A rider a product offers, with the issue ages it is sold at. */
export interface RiderOffer {
  type: RiderTypeCode;
  minIssueAge: number;
  maxIssueAge: number;
}

/**
 * A carrier's rider rates. Lists by age are ascending by `fromAge`; the entry that applies is the
 * last whose fromAge is at or below the issue age.
 */
export interface RiderRates {
  /** Waiver of premium as a permille of the base premium (50 = 5%). */
  waiverPermilleByAge: readonly { fromAge: number; permille: number }[];
  /** Accidental death: cents a year per $1,000 of rider amount (100 = $1.00). */
  accidentalDeathCentsPerThousand: number;
  /** Child term: cents a year per $1,000 unit, one price for all children. */
  childTermCentsPerUnit: number;
  /** Return of premium: the ROP term premium as hundredths of the base premium (200 = 2×), by age and term. */
  returnOfPremiumByAge: readonly { fromAge: number; hundredthsByTerm: Readonly<Record<string, number>> }[];
}

export type RiderQuote =
  | { type: RiderTypeCode; offered: true; premiumCents: number }
  | { type: RiderTypeCode; offered: false; reason: string };

export const ACCIDENTAL_DEATH_MAX_AMOUNT = 250_000;
export const CHILD_TERM_UNIT = 1_000;
export const CHILD_TERM_MAX_UNITS = 25;
/** Accidental death is sold in whole thousands of dollars. */
export const ACCIDENTAL_DEATH_UNIT = 1_000;

const money = (amount: number) => `$${String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;

/**
 * Why a rider ask is malformed whatever the carrier (input validation's job), or null. Waiver and
 * return of premium take no amount; accidental death is whole thousands up to min(face, $250,000);
 * child term is 1 to 25 units of $1,000.
 */
export function riderAmountProblem(ask: RiderAsk, faceAmount: number): string | null {
  const amount = ask.amount ?? null;
  switch (ask.type) {
    case 'WAIVER_OF_PREMIUM':
    case 'RETURN_OF_PREMIUM':
      return amount === null ? null : `riders ${ask.type} takes no amount`;
    case 'ACCIDENTAL_DEATH': {
      const max = Math.min(faceAmount, ACCIDENTAL_DEATH_MAX_AMOUNT);
      if (amount === null) return 'riders ACCIDENTAL_DEATH needs an amount';
      if (!Number.isInteger(amount) || amount < ACCIDENTAL_DEATH_UNIT || amount % ACCIDENTAL_DEATH_UNIT !== 0)
        return 'riders ACCIDENTAL_DEATH amount must be whole thousands of dollars';
      return amount > max
        ? `riders ACCIDENTAL_DEATH amount must be at most ${money(max)} (the face amount, and never over $250,000)`
        : null;
    }
    case 'CHILD_TERM':
      if (amount === null) return 'riders CHILD_TERM needs an amount';
      if (
        !Number.isInteger(amount) ||
        amount % CHILD_TERM_UNIT !== 0 ||
        amount < CHILD_TERM_UNIT ||
        amount > CHILD_TERM_MAX_UNITS * CHILD_TERM_UNIT
      )
        return `riders CHILD_TERM amount must be 1 to ${CHILD_TERM_MAX_UNITS} units of $1,000`;
      return null;
  }
}

function atAge<T extends { fromAge: number }>(list: readonly T[], issueAge: number): T | undefined {
  let found: T | undefined;
  for (const entry of list) if (entry.fromAge <= issueAge) found = entry;
  return found;
}

/** Waiver of premium: base × permille / 1,000, rounded half-up once. */
export function waiverOfPremiumCents(basePremiumCents: number, permille: number): number {
  return Number(divideHalfUp(BigInt(basePremiumCents) * BigInt(permille), 1_000n));
}

/** Accidental death: amount × cents per $1,000 / 1,000, rounded half-up once. */
export function accidentalDeathCents(amount: number, centsPerThousand: number): number {
  return Number(divideHalfUp(BigInt(amount) * BigInt(centsPerThousand), 1_000n));
}

/** Child term: units × cents per unit (exact: nothing to round). */
export function childTermCents(amount: number, centsPerUnit: number): number {
  return (amount / CHILD_TERM_UNIT) * centsPerUnit;
}

/** Return of premium: the extra over the base, base × (multiplier − 1), rounded half-up once. */
export function returnOfPremiumCents(basePremiumCents: number, hundredths: number): number {
  if (hundredths < 100) throw new RangeError(`a return-of-premium multiplier is at least 1.00, got ${hundredths / 100}`);
  return Number(divideHalfUp(BigInt(basePremiumCents) * BigInt(hundredths - 100), 100n));
}

export interface RiderPricingInput {
  asks: readonly RiderAsk[];
  /** The product's riders; a type missing here is not offered on it. */
  offers: readonly RiderOffer[];
  rates: RiderRates | null;
  productType: ProductTypeCode;
  issueAge: number;
  /** The rounded base premium (rate × face × table), before flat extra, fee and other riders. */
  basePremiumCents: number;
  termYears: number | null;
}

/** One answer per asked rider, in the order asked. */
export function priceRiders(input: RiderPricingInput): RiderQuote[] {
  return input.asks.map((ask): RiderQuote => {
    const no = (reason: string): RiderQuote => ({ type: ask.type, offered: false, reason });
    const offer = input.offers.find((o) => o.type === ask.type);
    if (!offer || !input.rates) return no(`${ask.type} is not offered on this product`);
    if (input.issueAge < offer.minIssueAge || input.issueAge > offer.maxIssueAge)
      return no(`${ask.type} is offered at issue ages ${offer.minIssueAge}-${offer.maxIssueAge} only`);
    const rates = input.rates;
    switch (ask.type) {
      case 'WAIVER_OF_PREMIUM': {
        const rate = atAge(rates.waiverPermilleByAge, input.issueAge);
        if (!rate) return no(`${ask.type} has no rate at issue age ${input.issueAge}`);
        return { type: ask.type, offered: true, premiumCents: waiverOfPremiumCents(input.basePremiumCents, rate.permille) };
      }
      case 'ACCIDENTAL_DEATH':
        return {
          type: ask.type,
          offered: true,
          premiumCents: accidentalDeathCents(ask.amount ?? 0, rates.accidentalDeathCentsPerThousand),
        };
      case 'CHILD_TERM':
        return { type: ask.type, offered: true, premiumCents: childTermCents(ask.amount ?? 0, rates.childTermCentsPerUnit) };
    }
    // Return of premium: a multiple of a term's premium, so only on term.
    if (input.productType !== 'TERM' || input.termYears === null) return no(`${ask.type} is offered on term products only`);
    const hundredths = atAge(rates.returnOfPremiumByAge, input.issueAge)?.hundredthsByTerm[String(input.termYears)];
    if (hundredths === undefined)
      return no(`${ask.type} is not offered with a ${input.termYears}-year term at issue age ${input.issueAge}`);
    return { type: ask.type, offered: true, premiumCents: returnOfPremiumCents(input.basePremiumCents, hundredths) };
  });
}

/** The riders' yearly premiums added up: what goes into the annual premium. */
export function riderPremiumsTotalCents(riders: readonly RiderQuote[]): number {
  return riders.reduce((sum, rider) => sum + (rider.offered ? rider.premiumCents : 0), 0);
}
