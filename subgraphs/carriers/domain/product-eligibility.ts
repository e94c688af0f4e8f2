/**
 * docs/domain.md's per-product eligibility as pure functions: may this product be quoted for this
 * request? An ineligible product is an outcome (it feeds NO_ELIGIBLE_PRODUCT), never an error, so
 * the answer is a value with a namespaced code and a reason a person can read.
 */
import type {
  Carrier,
  FinalExpensePlanCode,
  GuaranteeAgeCode,
  HealthClassCode,
  PayPeriodCode,
  Product,
  ProductTypeCode,
  StateCode,
} from './carrier';
import {
  FINAL_EXPENSE_MAX_AGE,
  FINAL_EXPENSE_MAX_FACE,
  FINAL_EXPENSE_MIN_AGE,
  FINAL_EXPENSE_MIN_FACE,
  GUARANTEED_ISSUE_MAX_AGE,
  GUARANTEED_ISSUE_MAX_FACE,
  GUARANTEED_ISSUE_MIN_AGE,
  guaranteedIssueAllowed,
} from './final-expense';
import { issueAge, MAX_TABLE_RATING, pricingClass } from './premium';

export { MAX_TABLE_RATING } from './premium';

export type ProductIneligibilityCode =
  | 'PRODUCT.TYPE_MISMATCH'
  | 'PRODUCT.NEEDS_ILLUSTRATION'
  | 'PRODUCT.GUARANTEE_NOT_OFFERED'
  | 'PRODUCT.PAY_PERIOD_NOT_OFFERED'
  | 'PRODUCT.PLAN_NOT_OFFERED'
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
  /** UNIVERSAL_LIFE: the age the no-lapse guarantee runs to; 121 when absent. */
  guaranteedToAge?: GuaranteeAgeCode | null;
  /** WHOLE_LIFE: how long premiums are paid; LIFE when absent. */
  payPeriod?: PayPeriodCode | null;
  /** FINAL_EXPENSE: the plan the health answers allow; LEVEL when absent. */
  finalExpensePlan?: FinalExpensePlanCode | null;
}

/** A guarantee must run at least this many years past the issue age. */
export const MIN_GUARANTEE_YEARS = 10;
/** Premiums paid to 65 must run at least this many years: issue ages up to 55. */
export const TO_AGE_65_MAX_ISSUE_AGE = 55;

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
 * What the product type asks for beyond the common checks: the issue-age limits that apply, or the
 * first failure. TERM: a term offered and that term's ages; UNIVERSAL_LIFE: a guarantee age offered
 * that runs at least MIN_GUARANTEE_YEARS; WHOLE_LIFE: a pay period offered (to age 65 up to issue
 * age 55); FINAL_EXPENSE: ages 45-85 and the plan offered (guaranteed issue only at 50-80 and up to
 * $25,000). INDEXED_UNIVERSAL_LIFE needs an illustration: never quoted here.
 */
function typeLimits(product: Product, request: ProductRequestAtAge): { minAge: number; maxAge: number; label: string } | Ineligible {
  const productAges = { minAge: product.minIssueAge, maxAge: product.maxIssueAge, label: product.name };
  switch (product.type) {
    case 'INDEXED_UNIVERSAL_LIFE':
      return no('PRODUCT.NEEDS_ILLUSTRATION', `${product.name} is indexed universal life: it needs an illustration and is not quoted here`);
    case 'TERM': {
      if (request.termYears === undefined || request.termYears === null)
        return no('PRODUCT.TERM_REQUIRED', 'a term (in years) is required to quote TERM');
      const term = product.terms.find((t) => t.years === request.termYears);
      if (!term) return no('PRODUCT.TERM_NOT_OFFERED', `${product.name} does not offer a ${request.termYears}-year term`);
      // A term's limits never exceed the product's, but a catalog row may: the stricter pair wins.
      return {
        minAge: Math.max(term.minIssueAge, product.minIssueAge),
        maxAge: Math.min(term.maxIssueAge, product.maxIssueAge),
        label: `the ${term.years}-year term of ${product.name}`,
      };
    }
    case 'UNIVERSAL_LIFE': {
      const age = request.guaranteedToAge ?? 121;
      if (product.guaranteeAges && !product.guaranteeAges.includes(age))
        return no('PRODUCT.GUARANTEE_NOT_OFFERED', `${product.name} does not offer a guarantee to age ${age}`);
      if (request.issueAge > age - MIN_GUARANTEE_YEARS)
        return no('PRODUCT.GUARANTEE_NOT_OFFERED', `a guarantee to age ${age} needs an issue age of at most ${age - MIN_GUARANTEE_YEARS}`);
      return productAges;
    }
    case 'WHOLE_LIFE': {
      const period = request.payPeriod ?? 'LIFE';
      if (product.payPeriods && !product.payPeriods.includes(period))
        return no('PRODUCT.PAY_PERIOD_NOT_OFFERED', `${product.name} does not offer the ${period} pay period`);
      if (period === 'TO_AGE_65' && request.issueAge > TO_AGE_65_MAX_ISSUE_AGE)
        return no('PRODUCT.PAY_PERIOD_NOT_OFFERED', `premiums paid to age 65 need an issue age of at most ${TO_AGE_65_MAX_ISSUE_AGE}`);
      return productAges;
    }
    case 'FINAL_EXPENSE': {
      const plan = request.finalExpensePlan ?? 'LEVEL';
      if (product.finalExpensePlans && !product.finalExpensePlans.includes(plan))
        return no('PRODUCT.PLAN_NOT_OFFERED', `${product.name} does not offer the ${plan} plan`);
      if (plan === 'GUARANTEED_ISSUE' && !guaranteedIssueAllowed(request.issueAge, request.faceAmount)) {
        return no(
          'PRODUCT.PLAN_NOT_OFFERED',
          `guaranteed issue is for issue ages ${GUARANTEED_ISSUE_MIN_AGE}-${GUARANTEED_ISSUE_MAX_AGE} and faces up to ${dollars(GUARANTEED_ISSUE_MAX_FACE)}`,
        );
      }
      return {
        minAge: Math.max(product.minIssueAge, FINAL_EXPENSE_MIN_AGE),
        maxAge: Math.min(product.maxIssueAge, FINAL_EXPENSE_MAX_AGE),
        label: product.name,
      };
    }
  }
}

/**
 * Checks, in order: product type, what that type asks for (typeLimits), issue age, face within
 * min/max ($5,000-$50,000 at most for final expense), state, class (Standard when a table is given
 * or for final expense), table rating, flat extra. The first failure is the reason.
 */
export function productEligibilityAtAge(product: Product, request: ProductRequestAtAge): ProductEligibility {
  const wanted = request.productType ?? 'TERM';
  if (product.type !== wanted) return no('PRODUCT.TYPE_MISMATCH', `${product.name} is ${product.type}, not ${wanted}`);

  const limits = typeLimits(product, request);
  if ('eligible' in limits) return limits;
  if (request.issueAge < limits.minAge || request.issueAge > limits.maxAge) {
    return no('PRODUCT.AGE_OUT_OF_RANGE', `issue age ${request.issueAge} is outside ${limits.minAge}-${limits.maxAge} for ${limits.label}`);
  }

  const finalExpense = product.type === 'FINAL_EXPENSE';
  const minFace = finalExpense ? Math.max(product.minFaceAmount, FINAL_EXPENSE_MIN_FACE) : product.minFaceAmount;
  const maxFace = finalExpense ? Math.min(product.maxFaceAmount, FINAL_EXPENSE_MAX_FACE) : product.maxFaceAmount;
  if (!Number.isInteger(request.faceAmount) || request.faceAmount < minFace || request.faceAmount > maxFace) {
    return no(
      'PRODUCT.FACE_OUT_OF_RANGE',
      `face amount ${dollars(request.faceAmount)} is outside ${dollars(minFace)}-${dollars(maxFace)} for ${product.name}`,
    );
  }

  if (!product.availableStates.includes(request.state))
    return no('PRODUCT.STATE_NOT_AVAILABLE', `${product.name} is not available in ${request.state}`);
  // A table prices off Standard whatever class was asked, so Standard is the class the product must offer.
  const healthClass = pricingClass(request.healthClass, request.tableRating, product.type);
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
