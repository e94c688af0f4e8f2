/**
 * A simulated carrier's own rules for what it will quote or issue: its products' terms, ages,
 * faces, states, classes and table ratings. Written for the simulators, apart from the carriers
 * subgraph's eligibility code, so the two can disagree in a test when one of them is wrong. The
 * first broken rule is the reason, in words an underwriter would send back.
 */
import type { ProductFixture } from '../subgraphs/carriers/fixtures/carriers.fixture';

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
}

const dollars = (n: number) => `$${n.toLocaleString('en-US')}`;

/** Why the carrier will not write this product for this ask, or null when it will. */
export function ruleBroken(product: ProductFixture, ask: RuleAsk): string | null {
  if (product.type !== 'TERM') return `${product.type} products are not quoted yet: only TERM is priced`;
  if (ask.termYears === undefined || ask.termYears === null) return 'a term (in years) is required to quote TERM';
  const term = product.terms.find((t) => t.years === ask.termYears);
  if (!term) return `${product.name} does not offer a ${ask.termYears}-year term`;
  const youngest = Math.max(term.minIssueAge, product.minIssueAge);
  const oldest = Math.min(term.maxIssueAge, product.maxIssueAge);
  if (ask.issueAge < youngest || ask.issueAge > oldest)
    return `issue age ${ask.issueAge} is outside ${youngest}-${oldest} for the ${term.years}-year term of ${product.name}`;
  if (!Number.isInteger(ask.faceAmount) || ask.faceAmount < product.minFaceAmount || ask.faceAmount > product.maxFaceAmount)
    return `face amount ${dollars(ask.faceAmount)} is outside ${dollars(product.minFaceAmount)}-${dollars(product.maxFaceAmount)} for ${product.name}`;
  if (!(product.availableStates as readonly string[]).includes(ask.state)) return `${product.name} is not available in ${ask.state}`;
  // Rated business is Standard plus the table: Standard is what the product must offer.
  const rated = ask.tableRating > 0 ? 'STANDARD' : ask.healthClass;
  if (!(product.healthClasses as readonly string[]).includes(rated)) return `${product.name} does not offer ${rated}`;
  if (!Number.isInteger(ask.tableRating) || ask.tableRating < 0 || ask.tableRating > 8)
    return `table rating must be 0-8, got ${ask.tableRating}`;
  if (ask.tableRating > 0 && !product.fullyUnderwritten) return `${product.name} is not fully underwritten: table ratings are not allowed`;
  const flatExtra = ask.flatExtraPerThousandCents ?? 0;
  if (flatExtra > 0) {
    if (!product.fullyUnderwritten) return `${product.name} is not fully underwritten: flat extras are not allowed`;
    const years = ask.flatExtraYears ?? 0;
    if (!Number.isInteger(years) || years < 1 || years > Math.min(30, ask.termYears))
      return `a flat extra runs 1 to ${Math.min(30, ask.termYears)} years, got ${years}`;
  }
  return null;
}
