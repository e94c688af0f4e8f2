/**
 * The one port every carrier protocol implements. The domain (compareQuotes, submission, status)
 * speaks only these types; each protocol folder (acord/, rest/, ratebook/) maps its wire format to
 * them in its own *.mapper.ts. Expected failures are values (CarrierFailure) with namespaced codes;
 * bugs are thrown.
 */
import type { Cache } from '../../../platform/cache';
import type { Logger } from '../../../platform/logger';
import type { CarrierEndpointConfig } from '../carriers.config';
import type {
  AgeBasisCode,
  CarrierProfile,
  FinalExpensePlanCode,
  GuaranteeAgeCode,
  HealthClassCode,
  PaymentModeCode,
  PayPeriodCode,
  Product,
  ProductTypeCode,
  Protocol,
  RiderTypeCode,
  StateCode,
} from '../domain/carrier';
import type { RiderAsk, RiderQuote } from '../domain/riders';
import type { Application, CarrierAttachment } from '../../shared/application';

export { CarrierFailure, type CarrierFailureCode } from '../domain/carrier-failure';

/** A normalized quote request: no names, no birth date — the issue age under this carrier's basis. */
export interface QuoteRequest {
  state: StateCode;
  issueAge: number;
  gender: 'MALE' | 'FEMALE';
  tobacco: boolean;
  /** The class asked for; with a table it prices as Standard (domain/premium.ts pricingClass). */
  healthClass: HealthClassCode;
  tableRating: number;
  /** A flat extra in cents per $1,000 of face a year, added to the annual premium; 0 or absent = none. */
  flatExtraPerThousandCents?: number;
  /** How many years the flat extra is charged; present exactly when the flat extra is. */
  flatExtraYears?: number;
  faceAmount: number;
  /** The type of every product in productIds. */
  productType: ProductTypeCode;
  /** TERM: the level period; null for every other type. */
  termYears: number | null;
  /** UNIVERSAL_LIFE: the age the no-lapse guarantee runs to. */
  guaranteedToAge?: GuaranteeAgeCode;
  /** WHOLE_LIFE: how long premiums are paid. */
  payPeriod?: PayPeriodCode;
  /** FINAL_EXPENSE: the plan the health answers allow. */
  finalExpensePlan?: FinalExpensePlanCode;
  /** Riders asked, each type at most once; absent or empty = none. */
  riders?: RiderAsk[];
  /** Products of this carrier already judged eligible by product-eligibility.ts; the adapter prices them. */
  productIds: string[];
}

export interface CarrierQuote {
  productId: string;
  healthClass: HealthClassCode;
  carrierClassName: string;
  issueAge: number;
  ageBasis: AgeBasisCode;
  faceAmount: number;
  termYears: number | null;
  guaranteedToAge: GuaranteeAgeCode | null;
  payPeriod: PayPeriodCode | null;
  finalExpensePlan: FinalExpensePlanCode | null;
  /** One per asked rider, in the order asked: its yearly premium (already in annualPremiumCents) or why it is not offered. */
  riders: RiderQuote[];
  annualPremiumCents: number;
  policyFeeCents: number;
  modalPremiumsCents: Record<PaymentModeCode, number>;
}

export interface ApplicationRequest {
  /** Stable per case: TransRefGUID / Idempotency-Key. A resend with it never makes a second application. */
  reference: string;
  caseId: string;
  productId: string;
  insured: { firstName: string; lastName: string; birthDate: string; gender: 'MALE' | 'FEMALE'; state: StateCode; tobacco: boolean };
  faceAmount: number;
  termYears: number | null;
  healthClass: HealthClassCode;
  tableRating: number;
  paymentMode: PaymentModeCode;
  annualPremiumCents: number;
  agent: { id: string; npn: string; writingNumber: string | null };
  /** The full application: every party, beneficiary, answer and signature. Absent: the carrier gets the basics above, as before. */
  application?: Application;
  /** Documents sent with it (the signed application PDF). */
  attachments?: CarrierAttachment[];
  /**
   * The requirements we have already ordered for the case (our requirement id and code): the
   * carrier adopts our id as its reference when it orders the same code, so its reports name ours.
   */
  requirements?: { id: string; code: string }[];
}

export type ApplicationResult = { accepted: true; carrierReference: string; message?: string } | { accepted: false; message: string };

/**
 * A change to an application the carrier accepted, named by the carrier's reference; only what
 * changes is set. Personal data (beneficiary names, the owner's name and TIN): never logged or cached.
 */
export interface ChangeRequest {
  /** Stable per change: TransRefGUID / Idempotency-Key. A resend with it never applies the change twice. */
  reference: string;
  caseId: string;
  /** The carrier's id for the application. */
  carrierReference: string;
  faceAmount: number | null;
  /** Another product of this carrier (our id; adapters send the carrier's code). */
  productId: string | null;
  termYears: number | null;
  /** The riders wanted: replaces those applied for. */
  riders: RiderTypeCode[] | null;
  /** Replaces every beneficiary. */
  beneficiaries: { designation: 'PRIMARY' | 'CONTINGENT'; fullName: string; relationship: string; sharePercent: number }[] | null;
  paymentMode: PaymentModeCode | null;
  owner: { kind: 'PERSON'; fullName: string; relationship: string } | { kind: 'ENTITY'; name: string; tin: string } | null;
}

/** The carrier's decision on a change: accepted (with or without an amendment for the client to sign) or rejected with its message. */
export type ChangeDecision = { accepted: true; amendmentRequired: boolean; message?: string } | { accepted: false; message: string };

export interface CarrierRequirementStatus {
  /** The carrier's own id for this requirement (stable); null when the carrier names none. */
  carrierRequirementId: string | null;
  /** Our requirement id, when the carrier knows it (it adopted it from the application or a vendor's results). */
  reference: string | null;
  /** The carrier's words for the requirement (what a code we do not know asks for). */
  description: string | null;
  /** The carrier's own requirement code, mapped by the caller's code map; unknown codes stay visible. */
  carrierCode: string;
  code: string | null;
  status: 'ORDERED' | 'RECEIVED' | 'WAIVED' | 'CANCELLED' | null;
  requestedOn: string | null;
  fulfilledOn: string | null;
}

export interface CarrierCaseStatus {
  carrierReference: string;
  /** The carrier's own status code (an ACORD PolicyStatus tc for ACORD carriers). */
  carrierStatusCode: string;
  /** Our CaseStatus, or null when the carrier's code maps to none of ours. */
  status: string | null;
  policyNumber: string | null;
  requirements: CarrierRequirementStatus[];
  /** What qualifies the status (a conditional approval, a reconsideration, a free-look cancellation...); null for a plain one. */
  qualifier: CarrierStatusQualifier | null;
  /** The carrier's note on the status (a hold, the conditions, non-material changes), in words; null when none. */
  statusNote: string | null;
  /** The terms the carrier approved, when it says (a counter offer names them); null otherwise. */
  approvedTerms: ApprovedTerms | null;
}

/**
 * What a carrier's status code says beyond our CaseStatus (docs/domain.md "Carrier status as carriers send it"): PROPOSED is
 * not yet submitted (no change to the case); RECONSIDERED reopens an INCOMPLETE case as APPROVED;
 * FREE_LOOK cancels a PLACED policy in its free-look period (NOT_TAKEN); the rest are notes.
 */
export const CARRIER_STATUS_QUALIFIERS = [
  'PROPOSED',
  'PENDING_TRANSMISSION',
  'CONDITIONAL_APPROVAL',
  'TENTATIVE_OFFER',
  'ISSUE_HOLD',
  'COUNTER_OFFER',
  'NON_MATERIAL_CHANGES',
  'NOT_ELIGIBLE',
  'HOME_OFFICE_WITHDREW',
  'CUSTOMER_CANCELLED',
  'FURTHER_INFORMATION_UNOBTAINABLE',
  'RECONSIDERED',
  'NOT_PLACED',
  'FREE_LOOK',
] as const;
export type CarrierStatusQualifier = (typeof CARRIER_STATUS_QUALIFIERS)[number];

/** Approved terms as the carrier states them: the class, table, flat extra and face amount it will issue. */
export interface ApprovedTerms {
  /** Null when the carrier names no class of ours (rated: the table says it). */
  healthClass: HealthClassCode | null;
  tableRating: number;
  /** Cents per $1,000 of face a year; 0 = none. */
  flatExtraPerThousandCents: number;
  /** Years the flat extra is charged; 0 when none. */
  flatExtraYears: number;
  /** Null when the carrier keeps the amount applied for. */
  faceAmount: number | null;
}

/** A producer appointment request to file with the carrier (its contracting desk). */
export interface AppointmentRequest {
  /** Our appointment id: TransRefGUID / Idempotency-Key / appointmentRef. A resend never files a second request. */
  reference: string;
  /** The producer's NPN (a public producer number, not personal data). */
  npn: string;
  state: StateCode;
  filing: 'PRE_APPOINTMENT' | 'JUST_IN_TIME';
  /** Just-in-time: the application's date (YYYY-MM-DD); null otherwise. */
  applicationOn: string | null;
}

/** The carrier's answer to a filing: received (under its own id) or refused with its words. */
export type AppointmentFilingResult = { received: true; carrierReference: string } | { received: false; message: string };

/** An appointment as the carrier reports it, mapped to our AppointmentStatus where the code is known. */
export interface CarrierAppointmentStatus {
  carrierReference: string;
  /** The carrier's own status code. */
  carrierStatusCode: string;
  /** SUBMITTED (received, undecided), ACTIVE, REJECTED or TERMINATED; null for a code we do not map. */
  status: 'SUBMITTED' | 'ACTIVE' | 'REJECTED' | 'TERMINATED' | null;
  writingNumber: string | null;
  effectiveOn: string | null;
  terminatedOn: string | null;
  /** The carrier's reason for a rejection (or a termination), in its words. */
  reason: string | null;
}

/** Kinds of real network requests an adapter makes, as counted in `CarrierAdapter.calls`. */
export type NetworkCallKind = keyof CarrierAdapter['calls'];

export interface CallOptions {
  /** Abort when the deadline passes: adapters pass it to fetch. */
  signal: AbortSignal;
  /**
   * Adapters call this once per real network request made for this call (token fetches and
   * rate-book downloads included, each with its kind), right before sending it. The caller counts
   * carrier calls per GraphQL request from it and marks an answer `cached` when none was needed
   * (a rate-book price from a table already held). Optional for callers; adapters must call it.
   */
  onNetworkCall?: (kind: NetworkCallKind) => void;
}

export interface CarrierAdapter {
  readonly carrierId: string;
  readonly protocol: Protocol;
  /** The carrier's current product catalog (for the catalog refresh: upsert, never delete). */
  products(options: CallOptions): Promise<Product[]>;
  /** Prices the request; an empty list means no eligible product at this carrier. */
  quote(request: QuoteRequest, options: CallOptions): Promise<CarrierQuote[]>;
  /**
   * Several requests in ONE network exchange, answered in request order (each answer what `quote`
   * would give). Protocols that carry many requests in one exchange implement it (ACORD: one TXLife
   * of many 111s; REST: POST /v1/quotes/batch); a quote matrix then asks such a carrier once for all
   * its cells. Rate books price locally and need none.
   */
  quoteBatch?(requests: readonly QuoteRequest[], options: CallOptions): Promise<CarrierQuote[][]>;
  submitApplication(application: ApplicationRequest, options: CallOptions): Promise<ApplicationResult>;
  /** Sends a change of an accepted application once (a write: never retried by the policy; resend with the same reference). */
  requestChange(change: ChangeRequest, options: CallOptions): Promise<ChangeDecision>;
  /** Batched where the protocol allows it: one call for many references of this carrier. */
  caseStatuses(carrierReferences: string[], options: CallOptions): Promise<Map<string, CarrierCaseStatus>>;
  /**
   * Files a producer appointment request with the carrier's contracting desk (a write: never retried
   * by the policy; resend with the same reference). Absent: the carrier takes no requests this way.
   */
  fileAppointment?(request: AppointmentRequest, options: CallOptions): Promise<AppointmentFilingResult>;
  /** The carrier's answer on appointment requests it received, by its references (unknown ones left out). */
  appointmentStatuses?(carrierReferences: string[], options: CallOptions): Promise<Map<string, CarrierAppointmentStatus>>;
  /** Counts of real network calls made, by kind, for stats and benchmarks. */
  readonly calls: {
    quote: number;
    token: number;
    rateBook: number;
    submit: number;
    status: number;
    products: number;
    change: number;
    appointment: number;
    appointmentStatus: number;
  };
}

/** What every adapter factory gets besides its carrier: the shared cache (tokens, rate books) and a logger. */
export interface CarrierAdapterDeps {
  cache: Cache;
  logger: Logger;
}

/**
 * The signature of each protocol's factory (acord/acord.adapter.ts `createAcordAdapter`,
 * rest/rest.adapter.ts `createRestAdapter`, ratebook/ratebook.adapter.ts `createRatebookAdapter`).
 * `carrier` is its catalog row with its products (ids <-> the carrier's product codes); `endpoint` is that carrier's configuration (carriers.config.ts): base URL, OAuth2 client
 * credentials, deadline. A factory must not do I/O: the first call connects.
 */
export type CarrierAdapterFactory = (carrier: CarrierProfile, endpoint: CarrierEndpointConfig, deps: CarrierAdapterDeps) => CarrierAdapter;
