/**
 * docs/domain.md's per-product eligibility as pure functions: may this product be quoted for this
 * request? An ineligible product is an outcome (it feeds NO_ELIGIBLE_PRODUCT), never an error, so
 * the answer is a value with a namespaced code and a reason a person can read.
 */
import type { Carrier, HealthClassCode, Product, ProductTypeCode, StateCode } from './carrier';
import { issueAge, MAX_TABLE_RATING, pricingClass } from './premium';

export { MAX_TABLE_RATING } from './premium';

export type ProductIneligibilityCode =
  | 'PRODUCT.TYPE_MISMATCH'
  | 'PRODUCT.TYPE_NOT_PRICED'
  | 'PRODUCT.TERM_REQUIRED'
  | 'PRODUCT.TERM_NOT_OFFERED'
  | 'PRODUCT.AGE_OUT_OF_RANGE'
  | 'PRODUCT.FACE_OUT_OF_RANGE'
  | 'PRODUCT.STATE_NOT_AVAILABLE'
  | 'PRODUCT.CLASS_NOT_OFFERED'
  | 'PRODUCT.TABLE_RATING_NOT_ALLOWED'
  | 'PRODUCT.FLAT_EXTRA_NOT_ALLOWED';

export type ProductEligibility = { eligible: true; issueAge: number } | { eligible: false; code: ProductIneligibilityCode; reason: string };

/** A request whose issue age is already known under this carrier's basis (what adapters and simulators see). */
export interface ProductRequestAtAge {
  state: StateCode;
  issueAge: number;
  healthClass: HealthClassCode;
  /** 0 = none; 1..8 only on fully underwritten products. With a table the class checked is Standard. */
  tableRating: number;
  /** Cents per $1,000 a year; 0 or absent = none. Only fully underwritten products carry one. */
  flatExtraPerThousandCents?: number;
  faceAmount: number;
  /** Required for TERM. */
  termYears?: number | null;
  /** The type asked for; TERM when absent (QuoteInput's default). */
  productType?: ProductTypeCode;
}

/** A quote request as the client gives it: the issue age follows from the carrier's age basis. */
export interface ProductRequest extends Omit<ProductRequestAtAge, 'issueAge'> {
  birthDate: string;
  /** YYYY-MM-DD: the day ages are computed on. */
  asOf: string;
}

type Ineligible = Extract<ProductEligibility, { eligible: false }>;

const no = (code: ProductIneligibilityCode, reason: string): Ineligible => ({ eligible: false, code, reason });

/** $1,000,000: grouped by hand so the message never depends on the runtime's locale data. */
const dollars = (amount: number) => `$${String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;

/**
 * Checks, in order: product type (v1 prices TERM only), term offered, issue age within that term's
 * limits, face within min/max, state, class (Standard when a table is given), table rating, flat
 * extra. The first failure is the reason.
 */
export function productEligibilityAtAge(product: Product, request: ProductRequestAtAge): ProductEligibility {
  const wanted = request.productType ?? 'TERM';
  if (product.type !== wanted) return no('PRODUCT.TYPE_MISMATCH', `${product.name} is ${product.type}, not ${wanted}`);
  if (product.type !== 'TERM') return no('PRODUCT.TYPE_NOT_PRICED', `${product.type} products are not quoted yet: only TERM is priced`);

  if (request.termYears === undefined || request.termYears === null)
    return no('PRODUCT.TERM_REQUIRED', 'a term (in years) is required to quote TERM');
  const term = product.terms.find((t) => t.years === request.termYears);
  if (!term) return no('PRODUCT.TERM_NOT_OFFERED', `${product.name} does not offer a ${request.termYears}-year term`);

  // A term's limits never exceed the product's, but a catalog row may: the stricter pair wins.
  const minAge = Math.max(term.minIssueAge, product.minIssueAge);
  const maxAge = Math.min(term.maxIssueAge, product.maxIssueAge);
  if (request.issueAge < minAge || request.issueAge > maxAge) {
    return no(
      'PRODUCT.AGE_OUT_OF_RANGE',
      `issue age ${request.issueAge} is outside ${minAge}-${maxAge} for the ${term.years}-year term of ${product.name}`,
    );
  }

  if (!Number.isInteger(request.faceAmount) || request.faceAmount < product.minFaceAmount || request.faceAmount > product.maxFaceAmount) {
    return no(
      'PRODUCT.FACE_OUT_OF_RANGE',
      `face amount ${dollars(request.faceAmount)} is outside ${dollars(product.minFaceAmount)}-${dollars(product.maxFaceAmount)} for ${product.name}`,
    );
  }

  if (!product.availableStates.includes(request.state))
    return no('PRODUCT.STATE_NOT_AVAILABLE', `${product.name} is not available in ${request.state}`);
  // A table prices off Standard whatever class was asked, so Standard is the class the product must offer.
  const healthClass = pricingClass(request.healthClass, request.tableRating);
  if (!product.healthClasses.includes(healthClass)) return no('PRODUCT.CLASS_NOT_OFFERED', `${product.name} does not offer ${healthClass}`);

  const table = request.tableRating;
  if (!Number.isInteger(table) || table < 0 || table > MAX_TABLE_RATING) {
    return no('PRODUCT.TABLE_RATING_NOT_ALLOWED', `table rating must be 0-${MAX_TABLE_RATING}, got ${table}`);
  }
  if (table > 0 && !product.fullyUnderwritten) {
    return no('PRODUCT.TABLE_RATING_NOT_ALLOWED', `${product.name} is not fully underwritten: table ratings are not allowed`);
  }
  if ((request.flatExtraPerThousandCents ?? 0) > 0 && !product.fullyUnderwritten) {
    return no('PRODUCT.FLAT_EXTRA_NOT_ALLOWED', `${product.name} is not fully underwritten: flat extras are not allowed`);
  }

  return { eligible: true, issueAge: request.issueAge };
}

/**
 * Eligibility from the client's request: the issue age under the carrier's age basis on `asOf`,
 * then productEligibilityAtAge. Throws RangeError for a malformed date or a birth after asOf
 * (input validation's job, not an outcome).
 */
export function productEligibility(
  product: Product,
  carrier: Pick<Carrier, 'id' | 'ageBasis'>,
  request: ProductRequest,
): ProductEligibility {
  if (product.carrierId !== carrier.id) throw new Error(`product ${product.id} does not belong to carrier ${carrier.id}`);
  const { birthDate, asOf, ...rest } = request;
  return productEligibilityAtAge(product, { ...rest, issueAge: issueAge(carrier.ageBasis, birthDate, asOf) });
}
