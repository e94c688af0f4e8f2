/**
 * A carrier's application rules as carrier data, like its rates: what its application requires per
 * product type, its financial multiples by age, its forms catalog (carrier × state × product → form
 * numbers) and its medical and lifestyle questions with their reflexive follow-ups. The carriers
 * subgraph serves them to the cases subgraph, whose good-order check (cases/domain/good-order.ts,
 * CarrierApplicationRules) reads exactly this shape; the subgraphs share no code, so the shape is
 * written on both sides and a test holds them together.
 */
import type { ProductTypeCode, RiderTypeCode, StateCode } from '../../shared/vocabulary';

/** From `minAge` (inclusive) to the next band's: face up to income × incomeMultiple or net worth × netWorthMultiple. */
export interface FinancialBand {
  minAge: number;
  incomeMultiple: number;
  netWorthMultiple: number;
}

/** When a catalog form applies: always, unless a phone interview replaces it (part B), on a replacement, for a permanent product. */
export const FORM_CONDITIONS = Object.freeze(['ALWAYS', 'NO_PHONE_INTERVIEW', 'REPLACEMENT', 'PERMANENT_PRODUCT'] as const);
export type FormCondition = (typeof FORM_CONDITIONS)[number];

/** One entry of the forms catalog; absent `states`, `productTypes` or `productCodes` mean all. */
export interface FormRequirement {
  code: string;
  formNumber: string;
  states?: readonly StateCode[];
  productTypes?: readonly ProductTypeCode[];
  productCodes?: readonly string[];
  when: FormCondition;
  rider?: RiderTypeCode;
}

/** A yes/no question; a "yes" needs every follow-up answered. */
export interface QuestionRule {
  code: string;
  text: string;
  productTypes?: readonly ProductTypeCode[];
  followUps: readonly { code: string; text: string }[];
}

export interface ApplicationRules {
  carrierCode: string;
  /** Paths into the application (`insured.ssn`, `coverage.termYears`) that must hold a value. */
  requiredFields: {
    all: readonly string[];
    byProductType?: Readonly<Partial<Record<ProductTypeCode, readonly string[]>>>;
  };
  /** Sorted by minAge. */
  financialBands: readonly FinancialBand[];
  /** Whole dollars. */
  financialQuestionnaireOver: number;
  /** Whole dollars. */
  thirdPartyFinancialsOver: number;
  forms: readonly FormRequirement[];
  questions: readonly QuestionRule[];
  submissionWindowDays: number;
}
