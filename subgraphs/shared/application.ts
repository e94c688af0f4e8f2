/**
 * The e-application as a draft (issue #14): everything an application holds, every part optional
 * until it is complete, and the code lists of what can still be missing. Framework-free: the API
 * types map onto these. Dates are YYYY-MM-DD; face amounts, income and net worth are whole dollars,
 * as face amounts are everywhere else in the code base.
 * Shared (like application-rules.ts): the cases subgraph drafts and checks it, the carriers subgraph
 * sends it to the carrier in the carrier's own protocol.
 */
import type { GenderCode, HealthClassCode, PaymentModeCode, ProductTypeCode, RiderTypeCode, StateCode } from './vocabulary';

/** ACORD RelationRoleCode of each party to an application, for the carrier feeds that name parties by role. */
export const PARTY_ROLE_CODES = Object.freeze({
  INSURED: 32,
  OWNER: 8,
  PAYOR: 31,
  PRIMARY_BENEFICIARY: 34,
  CONTINGENT_BENEFICIARY: 36,
  PRIMARY_WRITING_AGENT: 37,
} as const);
export type PartyRole = keyof typeof PARTY_ROLE_CODES;

/** What an application can still lack; each is one not-in-good-order reason. */
export const MISSING_CODES = Object.freeze([
  'REQUIRED',
  'INVALID_VALUE',
  'INVALID_SSN',
  'INVALID_TIN',
  'SHARES_NOT_100',
  'NO_PRIMARY_BENEFICIARY',
  'REQUIRED_IN_STATE',
  'FACE_EXCEEDS_FINANCIAL_LIMIT',
  'RELATION_INCONSISTENT',
  'SIGNED_IN_OTHER_STATE',
  'SIGNATURE_EXPIRED',
  'ANSWER_REQUIRED',
] as const);
export type MissingCode = (typeof MISSING_CODES)[number];

/** One thing the application still lacks: where (a path into the draft), which rule, and a message with no personal data. */
export interface MissingItem {
  path: string;
  code: MissingCode;
  message: string;
}

export const APPLICATION_STATUSES = Object.freeze(['DRAFT', 'SIGNED', 'SUBMITTED'] as const);
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** How a beneficiary or third-party owner is related to the insured. Entities have their own. */
export const PERSON_RELATIONSHIPS = Object.freeze([
  'SPOUSE',
  'DOMESTIC_PARTNER',
  'CHILD',
  'PARENT',
  'SIBLING',
  'GRANDCHILD',
  'OTHER_RELATIVE',
  'BUSINESS_PARTNER',
  'EMPLOYER',
  'FRIEND',
  'SELF',
] as const);
export const ENTITY_RELATIONSHIPS = Object.freeze(['TRUST', 'ESTATE', 'BUSINESS'] as const);
export type PersonRelationship = (typeof PERSON_RELATIONSHIPS)[number];
export type EntityRelationship = (typeof ENTITY_RELATIONSHIPS)[number];
export type Relationship = PersonRelationship | EntityRelationship;

export const CITIZENSHIPS = Object.freeze(['US_CITIZEN', 'PERMANENT_RESIDENT', 'VISA_HOLDER', 'OTHER'] as const);
export type Citizenship = (typeof CITIZENSHIPS)[number];

export const PAYMENT_METHODS = Object.freeze(['EFT', 'CHECK', 'CREDIT_CARD'] as const);
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** What happens to an existing policy; anything but KEEP makes the new one a replacement. */
export const EXISTING_POLICY_DISPOSITIONS = Object.freeze(['KEEP', 'LAPSE', 'SURRENDER', 'REDUCE', 'BORROW'] as const);
export type ExistingPolicyDisposition = (typeof EXISTING_POLICY_DISPOSITIONS)[number];

export const SIGNER_ROLES = Object.freeze(['INSURED', 'OWNER', 'PAYOR', 'AGENT'] as const);
export type SignerRole = (typeof SIGNER_ROLES)[number];

export interface Address {
  line1?: string;
  line2?: string;
  city?: string;
  state?: StateCode;
  zip?: string;
}

export interface DriversLicense {
  number?: string;
  state?: StateCode;
}

/** A natural person on the application (insured, owner, payor). */
export interface PersonParty {
  kind: 'PERSON';
  fullName?: string;
  birthDate?: string;
  gender?: GenderCode;
  /** SSN or ITIN, digits with or without dashes. */
  ssn?: string;
  address?: Address;
  phone?: string;
  email?: string;
  driversLicense?: DriversLicense;
  citizenship?: Citizenship;
  heightInches?: number;
  weightPounds?: number;
  /** A third party's relation to the insured (insurable interest); not asked of the insured. */
  relationshipToInsured?: PersonRelationship;
}

/** A trust or a business as owner or payor: identified by its TIN (EIN). */
export interface EntityParty {
  kind: 'TRUST' | 'BUSINESS';
  name?: string;
  tin?: string;
  /** The date the trust was signed or the business formed. */
  establishedOn?: string;
  address?: Address;
  /** Where the trustee or officer who signs for it receives the signing link. */
  email?: string;
}

/** The insured is the owner (the usual case). */
export interface InsuredIsParty {
  kind: 'INSURED';
}
/** The payor is the owner; an application without a payor means this. */
export interface OwnerIsParty {
  kind: 'OWNER';
}

export type Owner = InsuredIsParty | PersonParty | EntityParty;
export type Payor = OwnerIsParty | InsuredIsParty | PersonParty | EntityParty;

export const BENEFICIARY_DESIGNATIONS = Object.freeze(['PRIMARY', 'CONTINGENT'] as const);
export type BeneficiaryDesignation = (typeof BENEFICIARY_DESIGNATIONS)[number];

export interface Beneficiary {
  designation: BeneficiaryDesignation;
  /** A person, or an entity (a trust, the insured's estate, a business). */
  kind?: 'PERSON' | 'TRUST' | 'ESTATE' | 'BUSINESS';
  fullName?: string;
  relationship?: Relationship;
  /** Whole percent, 1 to 100. */
  sharePercent?: number;
  ssn?: string;
  birthDate?: string;
}

export interface Coverage {
  carrierCode?: string;
  productCode?: string;
  productType?: ProductTypeCode;
  /** Whole dollars. */
  faceAmount?: number;
  termYears?: number;
  guaranteeAge?: number;
  healthClassApplied?: HealthClassCode;
  riders?: readonly RiderTypeCode[];
  paymentMode?: PaymentModeCode;
  paymentMethod?: PaymentMethod;
}

export interface ExistingPolicy {
  carrierName?: string;
  policyNumber?: string;
  /** Whole dollars. */
  faceAmount?: number;
  disposition?: ExistingPolicyDisposition;
}

export interface ExistingCoverage {
  hasExisting?: boolean;
  policies?: readonly ExistingPolicy[];
}

/** An answer to one of the carrier's questions; a "yes" opens the question's follow-ups, answered in `details` by code. */
export interface QuestionAnswer {
  yes?: boolean;
  details?: Readonly<Record<string, string>>;
}

export interface Financial {
  /** The insured's earned income, whole dollars a year. */
  annualIncome?: number;
  /** Whole dollars. */
  netWorth?: number;
  /** The insured does not work and is insured on the strength of the working spouse's coverage. */
  nonWorkingSpouse?: boolean;
  /** The working spouse's coverage in force or applied for, whole dollars (the non-working spouse's limit). */
  workingSpouseCoverage?: number;
  /** The carrier's financial questionnaire is completed (over $1,000,000). */
  questionnaireCompleted?: boolean;
  /** Third-party financial statements are supplied (over $5,000,000). */
  thirdPartyFinancials?: boolean;
}

export interface AgentReport {
  agentId?: string;
  /** The agent knows of an existing policy being replaced. */
  knowsOfReplacement?: boolean;
  relatedToInsured?: boolean;
  comments?: string;
}

export interface Signature {
  role: SignerRole;
  signedOn?: string;
  /** Where the signer was when signing. */
  state?: StateCode;
}

/** A form attached to the application, by the catalog's form code. */
export interface AttachedForm {
  code: string;
  formNumber?: string;
}

/** The account premiums are drawn from (EFT). */
export interface BankAccount {
  /** ABA routing number: nine digits with its check digit. */
  routingNumber?: string;
  accountNumber?: string;
  accountType?: 'CHECKING' | 'SAVINGS';
}

export interface Application {
  id?: string;
  status?: ApplicationStatus;
  /** The state of application (the insured's or owner's resident state where it is solicited and signed). */
  state?: StateCode;
  /** The insured; `fullName` is the first and last names joined when the application is taken name by name. */
  insured?: Omit<PersonParty, 'kind' | 'relationshipToInsured'> & { firstName?: string; lastName?: string };
  owner?: Owner;
  /** Absent: the owner pays. */
  payor?: Payor;
  beneficiaries?: readonly Beneficiary[];
  coverage?: Coverage;
  existingCoverage?: ExistingCoverage;
  /** Answers to the carrier's medical and lifestyle questions, by question code. */
  answers?: Readonly<Record<string, QuestionAnswer>>;
  /** Part B (medical) is taken by the carrier's phone interview instead of on paper. */
  phoneInterview?: boolean;
  financial?: Financial;
  agentReport?: AgentReport;
  hipaaAuthorized?: boolean;
  /** Where premiums are drawn from when the payment method is EFT. */
  bankAccount?: BankAccount;
  signatures?: readonly Signature[];
  forms?: readonly AttachedForm[];
}

/** Whether any existing policy will lapse, be surrendered, reduced or borrowed against: the new policy is a replacement. */
export function isReplacement(application: Application): boolean {
  if (application.existingCoverage?.hasExisting !== true) return false;
  return (application.existingCoverage.policies ?? []).some((policy) => policy.disposition && policy.disposition !== 'KEEP');
}

/** Signed through our e-signature (status SIGNED or later, with signatures): carriers then expect the signed application PDF. */
export function isElectronicallySigned(application: Application): boolean {
  return (application.status === 'SIGNED' || application.status === 'SUBMITTED') && (application.signatures ?? []).length > 0;
}

/**
 * A document sent with an application (the signed application PDF): its bytes in base64 and their
 * SHA-256 (hex), which the carrier checks against the bytes it receives.
 */
export interface CarrierAttachment {
  /** What the document is: SIGNED_APPLICATION for the e-signed application. */
  type: string;
  fileName: string;
  contentType: string;
  sha256: string;
  contentBase64: string;
}
