/**
 * A simulated carrier's own rules for what it will quote or issue: its products' terms, ages,
 * faces, states, classes and table ratings. Written for the simulators, apart from the carriers
 * subgraph's eligibility code, so the two can disagree in a test when one of them is wrong. The
 * first broken rule is the reason, in words an underwriter would send back.
 */
import type { CarrierFixture, ProductFixture } from '../subgraphs/carriers/fixtures/carriers.fixture';

export interface RuleAsk {
  state: string;
  issueAge: number;
  healthClass: string;
  tableRating: number;
  /** Cents per $1,000 a year; 0 or absent = none. */
  flatExtraPerThousandCents?: number;
  flatExtraYears?: number;
  faceAmount: number;
  termYears?: number | null;
  guaranteedToAge?: number | null;
  payPeriod?: string | null;
  finalExpensePlan?: string | null;
}

const dollars = (n: number) => `$${n.toLocaleString('en-US')}`;

/** The issue ages the carrier writes this product at for this ask, or why it will not write it at all. */
function agesFor(product: ProductFixture, ask: RuleAsk): { youngest: number; oldest: number; what: string } | string {
  switch (product.type) {
    case 'TERM': {
      if (ask.termYears === undefined || ask.termYears === null) return 'a term (in years) is required to quote TERM';
      const term = product.terms.find((t) => t.years === ask.termYears);
      if (!term) return `${product.name} does not offer a ${ask.termYears}-year term`;
      return {
        youngest: Math.max(term.minIssueAge, product.minIssueAge),
        oldest: Math.min(term.maxIssueAge, product.maxIssueAge),
        what: `the ${term.years}-year term of ${product.name}`,
      };
    }
    case 'UNIVERSAL_LIFE': {
      const age = ask.guaranteedToAge ?? 121;
      if (product.periodPercents?.[String(age)] === undefined) return `${product.name} does not offer a guarantee to age ${age}`;
      if (ask.issueAge + 10 > age) return `a guarantee to age ${age} needs an issue age of at most ${age - 10}`;
      return { youngest: product.minIssueAge, oldest: product.maxIssueAge, what: product.name };
    }
    case 'WHOLE_LIFE': {
      const period = ask.payPeriod ?? 'LIFE';
      if (product.periodPercents?.[period] === undefined) return `${product.name} does not offer the ${period} pay period`;
      if (period === 'TO_AGE_65' && ask.issueAge > 55) return 'premiums paid to age 65 need an issue age of at most 55';
      return { youngest: product.minIssueAge, oldest: product.maxIssueAge, what: product.name };
    }
    case 'FINAL_EXPENSE': {
      const plan = ask.finalExpensePlan ?? 'LEVEL';
      if (product.periodPercents?.[plan] === undefined) return `${product.name} does not offer the ${plan} plan`;
      if (plan === 'GUARANTEED_ISSUE' && (ask.issueAge < 50 || ask.issueAge > 80 || ask.faceAmount > 25_000))
        return 'guaranteed issue is for issue ages 50-80 and faces up to $25,000';
      return { youngest: Math.max(45, product.minIssueAge), oldest: Math.min(85, product.maxIssueAge), what: product.name };
    }
    default:
      return `${product.name} is indexed universal life: it needs an illustration and is not quoted here`;
  }
}

/** Why the carrier will not write this product for this ask, or null when it will. */
export function ruleBroken(product: ProductFixture, ask: RuleAsk): string | null {
  const ages = agesFor(product, ask);
  if (typeof ages === 'string') return ages;
  if (ask.issueAge < ages.youngest || ask.issueAge > ages.oldest)
    return `issue age ${ask.issueAge} is outside ${ages.youngest}-${ages.oldest} for ${ages.what}`;
  const finalExpense = product.type === 'FINAL_EXPENSE';
  const minFace = finalExpense ? Math.max(5_000, product.minFaceAmount) : product.minFaceAmount;
  const maxFace = finalExpense ? Math.min(50_000, product.maxFaceAmount) : product.maxFaceAmount;
  if (!Number.isInteger(ask.faceAmount) || ask.faceAmount < minFace || ask.faceAmount > maxFace)
    return `face amount ${dollars(ask.faceAmount)} is outside ${dollars(minFace)}-${dollars(maxFace)} for ${product.name}`;
  if (!(product.availableStates as readonly string[]).includes(ask.state)) return `${product.name} is not available in ${ask.state}`;
  // Rated business is Standard plus the table: Standard is what the product must offer; final expense has only Standard.
  const rated = ask.tableRating > 0 || finalExpense ? 'STANDARD' : ask.healthClass;
  if (!(product.healthClasses as readonly string[]).includes(rated)) return `${product.name} does not offer ${rated}`;
  if (!Number.isInteger(ask.tableRating) || ask.tableRating < 0 || ask.tableRating > 8)
    return `table rating must be 0-8, got ${ask.tableRating}`;
  if (ask.tableRating > 0 && !product.fullyUnderwritten) return `${product.name} is not fully underwritten: table ratings are not allowed`;
  const flatExtra = ask.flatExtraPerThousandCents ?? 0;
  if (flatExtra > 0) {
    if (!product.fullyUnderwritten) return `${product.name} is not fully underwritten: flat extras are not allowed`;
    const years = ask.flatExtraYears ?? 0;
    const longest = Math.min(30, ask.termYears ?? 30);
    if (!Number.isInteger(years) || years < 1 || years > longest) return `a flat extra runs 1 to ${longest} years, got ${years}`;
  }
  return null;
}

/** A rider as the carrier reads a quote: the kind and, for accidental death and child term, an amount. */
export interface RiderAskAtCarrier {
  type: string;
  amount?: number | null;
}

/**
 * The carrier's rate for a rider on this product at this age and term, or why it will not sell it:
 * a product that does not carry the rider, an age outside the rider's, return of premium off term.
 */
export function riderRate(
  carrier: CarrierFixture,
  product: ProductFixture,
  rider: RiderAskAtCarrier,
  issueAge: number,
  termYears: number | null | undefined,
): { rate: number } | { refused: string } {
  const offer = product.riders?.find((r) => r.type === rider.type);
  const rates = carrier.riderRates;
  if (!offer || !rates) return { refused: `${rider.type} is not offered on this product` };
  if (issueAge < offer.minIssueAge || issueAge > offer.maxIssueAge)
    return { refused: `${rider.type} is offered at issue ages ${offer.minIssueAge}-${offer.maxIssueAge} only` };
  const byAge = <T extends { fromAge: number }>(rows: readonly T[]) => rows.filter((row) => row.fromAge <= issueAge).at(-1);
  if (rider.type === 'WAIVER_OF_PREMIUM') {
    const row = byAge(rates.waiverPermilleByAge);
    return row ? { rate: row.permille } : { refused: `${rider.type} has no rate at issue age ${issueAge}` };
  }
  if (rider.type === 'ACCIDENTAL_DEATH') return { rate: rates.accidentalDeathCentsPerThousand };
  if (rider.type === 'CHILD_TERM') return { rate: rates.childTermCentsPerUnit };
  if (product.type !== 'TERM' || termYears === null || termYears === undefined)
    return { refused: `${rider.type} is offered on term products only` };
  const multiplier = byAge(rates.returnOfPremiumByAge)?.hundredthsByTerm[String(termYears)];
  return multiplier === undefined
    ? { refused: `${rider.type} is not offered with a ${termYears}-year term at issue age ${issueAge}` }
    : { rate: multiplier };
}
