/**
 * What the carriers subgraph knows about a carrier and its products, free of any framework: the
 * catalog's rows (carriers.carrier, carriers.product) as the domain, the adapters and the resolvers
 * see them. Who the carriers are is catalog data plus configuration, never code: a carrier of a
 * known protocol is added with its catalog rows and its CARRIER_<CODE>_* settings.
 */
import type {
  AgeBasisCode,
  AmBestCode,
  FinalExpensePlanCode,
  GuaranteeAgeCode,
  HealthClassCode,
  PayPeriodCode,
  ProductTypeCode,
  StateCode,
} from '../../shared/vocabulary';
import type { RiderOffer } from './riders';
import type { ModalFactors } from './premium';

export type {
  AgeBasisCode,
  AmBestCode,
  FinalExpensePlanCode,
  GenderCode,
  GuaranteeAgeCode,
  PayPeriodCode,
  RiderTypeCode,
  HealthClassCode,
  PaymentModeCode,
  ProductTypeCode,
  StateCode,
} from '../../shared/vocabulary';

/** The wire protocols we speak: each is one adapter folder behind the one port. */
export const PROTOCOLS = Object.freeze(['ACORD', 'REST', 'RATEBOOK'] as const);
export type Protocol = (typeof PROTOCOLS)[number];

export const isProtocol = (value: string): value is Protocol => (PROTOCOLS as readonly string[]).includes(value);

/** The level-premium periods we quote. */
export const TERM_YEARS = Object.freeze([10, 15, 20, 25, 30] as const);
export type TermYears = (typeof TERM_YEARS)[number];

/** One level period of a TERM product with its issue-age limits (long terms stop at lower ages). */
export interface ProductTerm {
  years: number;
  minIssueAge: number;
  maxIssueAge: number;
}

export interface Product {
  /** 'prd_' + a stable slug: never renamed, old cases refer to it. */
  id: string;
  carrierId: string;
  /** The carrier's own product code (unique per carrier): what its wire format names. */
  code: string;
  name: string;
  type: ProductTypeCode;
  /** TERM only ([] otherwise). */
  terms: readonly ProductTerm[];
  minIssueAge: number;
  maxIssueAge: number;
  minFaceAmount: number;
  maxFaceAmount: number;
  healthClasses: readonly HealthClassCode[];
  availableStates: readonly StateCode[];
  /** Table ratings (1..8) are allowed only on fully underwritten products. */
  fullyUnderwritten: boolean;
  /** UNIVERSAL_LIFE: the no-lapse guarantee ages offered; absent = not stated in the catalog (the carrier decides). */
  guaranteeAges?: readonly GuaranteeAgeCode[];
  /** WHOLE_LIFE: the pay periods offered; absent = not stated in the catalog (the carrier decides). */
  payPeriods?: readonly PayPeriodCode[];
  /** FINAL_EXPENSE: the plans offered; absent = not stated in the catalog (the carrier decides). */
  finalExpensePlans?: readonly FinalExpensePlanCode[];
  /** Riders offered with their issue ages; absent = not stated in the catalog (the carrier answers per rider). */
  riders?: readonly RiderOffer[];
}

export interface Carrier {
  /** 'car_' + a stable slug. */
  id: string;
  /** Short code used in configuration (CARRIER_<CODE>_URL ...). */
  code: string;
  name: string;
  naicCode: string;
  amBestRating: AmBestCode;
  ageBasis: AgeBasisCode;
  protocol: Protocol;
}

/** A carrier with its catalog products: what an adapter needs to map product ids to the carrier's codes. */
export interface CarrierProfile extends Carrier {
  products: readonly Product[];
}

/**
 * The pricing terms a carrier publishes beside its rates (a rate-book carrier in its book): the
 * annual policy fee, the modal factors (ANNUAL is 1) and its own name for each health class.
 */
export interface RateTerms {
  policyFeeCents: number;
  modalFactors: ModalFactors;
  classNames: Readonly<Record<HealthClassCode, string>>;
}
