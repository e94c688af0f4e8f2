/**
 * A carrier's application rules: carrier data, like its rates. The carriers subgraph keeps and serves
 * them (the demo carriers' in subgraphs/carriers/fixtures/application-rules.fixture.ts); the cases
 * subgraph's good-order check (cases/domain/good-order.ts) reads them. Framework-free, like the
 * vocabulary: the one shape both sides of that exchange speak.
 */
import type { ProductTypeCode, RiderTypeCode, StateCode } from './vocabulary';

/** From `minAge` (inclusive) to the next band's: the face amount may be up to income × incomeMultiple or net worth × netWorthMultiple. */
export interface FinancialBand {
  minAge: number;
  incomeMultiple: number;
  netWorthMultiple: number;
}

export const FORM_CONDITIONS = Object.freeze(['ALWAYS', 'NO_PHONE_INTERVIEW', 'REPLACEMENT', 'PERMANENT_PRODUCT'] as const);
export type FormCondition = (typeof FORM_CONDITIONS)[number];

/** One entry of the carrier's forms catalog: a form, where it applies (all states when `states` is absent) and when. */
export interface FormRequirement {
  code: string;
  /** The carrier's own form number. */
  formNumber: string;
  states?: readonly StateCode[];
  productTypes?: readonly ProductTypeCode[];
  /** Only for these products (the carrier's product codes). */
  productCodes?: readonly string[];
  when: FormCondition;
  /** Only when this rider is chosen (rider disclosures). */
  rider?: RiderTypeCode;
}

/** A yes/no medical or lifestyle question; a "yes" needs each follow-up's detail. */
export interface QuestionRule {
  code: string;
  text: string;
  productTypes?: readonly ProductTypeCode[];
  followUps: readonly { code: string; text: string }[];
}

/** A carrier's application rules: carrier data, like its rates, served by the carriers subgraph. */
export interface CarrierApplicationRules {
  carrierCode: string;
  /** Paths into the application that must hold a value: for every product, and per product type. */
  requiredFields: {
    all: readonly string[];
    byProductType?: Readonly<Partial<Record<ProductTypeCode, readonly string[]>>>;
  };
  /** Sorted by minAge; below the first band (juveniles) income justification does not apply. */
  financialBands: readonly FinancialBand[];
  /** Whole dollars: above this face amount the financial questionnaire is required. */
  financialQuestionnaireOver: number;
  /** Whole dollars: above this face amount third-party financial statements are required. */
  thirdPartyFinancialsOver: number;
  forms: readonly FormRequirement[];
  questions: readonly QuestionRule[];
  /** Days from the first signature within which the carrier must receive the application. */
  submissionWindowDays: number;
}
