import type { CarrierApplicationRules } from '../../shared/application-rules';
import type { Application, CarrierAttachment } from '../../shared/application';
import type { CaseStatus, RequirementCode, RequirementStatus } from '../../shared/enums';
import type { HealthClassCode, ProductTypeCode, StateCode } from '../../shared/vocabulary';

/**
 * What the cases subgraph needs of the carriers subgraph, in the cases subgraph's terms: the price of
 * an application, handing it to its carrier, and the carrier's current view of accepted cases. The
 * adapter (graphql/carriers.adapter.ts) asks the carriers subgraph itself as SERVICE; its client
 * errors (BAD_USER_INPUT, CARRIER_UNAVAILABLE) reach the caller with their own code and message.
 */
export interface CarriersPort {
  /** The product's price for this insured now, or why there is none. */
  price(application: PricingRequest, requestId?: string): Promise<Pricing>;
  /** Sends an application to its carrier once (never retried by the carriers subgraph: resend with the same reference). */
  sendApplication(application: CarrierApplication): Promise<SendResult>;
  /** The carrier's view of these applications, asked now in one batched call; references it does not know are left out. */
  caseSnapshots(carrierId: string, carrierReferences: readonly string[]): Promise<CarrierSnapshot[]>;
  /** The carrier and product an application is for, and the carrier's application rules; null when the product is not the carrier's. */
  applicationCatalog(carrierId: string, productId: string): Promise<ApplicationCatalog | null>;
  /** Sends a change of a pending application to its carrier once (never retried by the carriers subgraph: resend with the same reference). */
  requestChange(change: CarrierChangeRequest): Promise<ChangeResult>;
}

/** What an application needs to know of its carrier and product: names and codes, limits, and the carrier's application rules. */
export interface ApplicationCatalog {
  carrier: { id: string; code: string; name: string };
  product: {
    id: string;
    code: string;
    name: string;
    type: ProductTypeCode;
    /** Term lengths in years (TERM products; empty otherwise). */
    terms: number[];
    minFaceAmount: number;
    maxFaceAmount: number;
    availableStates: StateCode[];
    healthClasses: HealthClassCode[];
  };
  /** Null: the carrier takes no e-applications (it has no rules in the catalog). */
  rules: CarrierApplicationRules | null;
}

export interface InsuredFacts {
  birthDate: string;
  gender: string;
  state: string;
  tobacco: boolean;
}

export interface PricingRequest {
  carrierId: string;
  productId: string;
  insured: InsuredFacts;
  healthClass: string;
  tableRating: number;
  faceAmount: number;
  termYears: number | null;
  paymentMode: string;
  /** A flat extra (Money: dollars per $1,000 of face a year) and its years; absent = none. */
  flatExtraPerThousand?: string | null;
  flatExtraYears?: number | null;
}

export type Pricing =
  | {
      priced: true;
      productType: string;
      annualPremium: string;
      modalPremium: string;
      /** What the carrier's requirements grid orders for this insured's age and this face amount (accelerated program applied). */
      expectedRequirements: RequirementCode[];
      /** Within the carrier's accelerated (no exam, no fluids) program, judged on age and face amount. */
      acceleratedUnderwriting: boolean;
    }
  /** `carrierDown`: the carrier could not answer now (a retry may price it); otherwise `message` says why the product does not fit. */
  | { priced: false; carrierDown: boolean; carrierStatus: string | null; message: string | null };

export interface CarrierApplication {
  /** Stable per case: every resend carries it, so the carrier never makes two applications. */
  reference: string;
  caseId: string;
  carrierId: string;
  productId: string;
  insured: InsuredFacts & { firstName: string; lastName: string };
  faceAmount: number;
  termYears: number | null;
  healthClass: string;
  tableRating: number;
  paymentMode: string;
  annualPremium: string;
  agent: { id: string; npn: string; writingNumber: string | null };
  /** The full application (parties, beneficiaries, answers, signatures): personal data, never logged. Absent for legacy cases. */
  application?: Application;
  /** Documents sent with it (the signed application PDF). */
  attachments?: CarrierAttachment[];
  /** The requirements already ordered for the case (our ids and codes): the carrier keeps our id as its requirement's reference. */
  requirements?: { id: string; code: string }[];
}

export interface SendResult {
  accepted: boolean;
  carrierReference: string | null;
  message: string | null;
  /** No decision was reached (timeout, carrier down): send again later with the same reference. */
  retryable: boolean;
  failureCode: string | null;
}

export interface CarrierSnapshot {
  carrierReference: string;
  /** Our status for the carrier's code; null when it maps to none of ours. */
  status: CaseStatus | null;
  carrierStatusCode: string;
  /** What the carrier's code says beyond the status (CarrierStatusQualifier: CONDITIONAL_APPROVAL, RECONSIDERED, FREE_LOOK...). */
  qualifier: string | null;
  /** The carrier's note on the status (a hold, the conditions), in words. */
  statusNote: string | null;
  /** The terms the carrier approved, when it states them. */
  approvedTerms: {
    healthClass: HealthClassCode | null;
    tableRating: number;
    /** Money: dollars per $1,000 of face a year; null when none. */
    flatExtraPerThousand: string | null;
    flatExtraYears: number | null;
    faceAmount: number | null;
  } | null;
  policyNumber: string | null;
  requirements: {
    /** The carrier's own id for the requirement. */
    carrierRequirementId: string | null;
    /** Our requirement id, when the carrier knows it. */
    reference: string | null;
    /** The carrier's words for it. */
    description: string | null;
    code: RequirementCode | null;
    carrierCode: string;
    status: RequirementStatus | null;
    requestedOn: string | null;
    fulfilledOn: string | null;
  }[];
}

/** A change to an application the carrier has accepted; only the fields that change are set. Personal data: never logged. */
export interface CarrierChangeRequest {
  /** Stable per change: every resend carries it, so the carrier never applies a change twice. */
  reference: string;
  caseId: string;
  carrierId: string;
  /** The carrier's id for the application (from its acceptance). */
  carrierReference: string;
  faceAmount: number | null;
  productId: string | null;
  termYears: number | null;
  riders: string[] | null;
  beneficiaries: { designation: string; fullName: string; relationship: string; sharePercent: number }[] | null;
  paymentMode: string | null;
  owner: {
    kind: 'PERSON' | 'ENTITY';
    fullName: string | null;
    relationship: string | null;
    name: string | null;
    tin: string | null;
  } | null;
}

export interface ChangeResult {
  accepted: boolean;
  /** The carrier needs the client's signature on an amendment (accepted changes only). */
  amendmentRequired: boolean;
  message: string | null;
  /** No decision was reached (timeout, carrier down): send again later with the same reference. */
  retryable: boolean;
  failureCode: string | null;
}
