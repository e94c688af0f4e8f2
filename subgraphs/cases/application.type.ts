/**
 * The e-application in the public API (issue #14): the draft an agent fills in over many updates,
 * what it still lacks (`missing`, `inGoodOrder`), and the inputs that start and change it. The shapes
 * map onto the framework-free draft in domain/application.ts. Identifiers (SSN, TIN, driver's
 * license, bank account) are shown masked unless the caller may see them in full; medical answers
 * are not shown at all to those callers.
 */
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateScalar, DateTimeScalar } from '../../platform/scalars';
import { enumOf, Gender, HealthClass, PaymentMode, ProductType, RiderType, register, State } from '../shared/enums';
import { PageInfo } from '../shared/pagination';
import {
  APPLICATION_STATUSES,
  BENEFICIARY_DESIGNATIONS,
  CITIZENSHIPS,
  ENTITY_RELATIONSHIPS,
  EXISTING_POLICY_DISPOSITIONS,
  MISSING_CODES,
  PAYMENT_METHODS,
  PERSON_RELATIONSHIPS,
  SIGNER_ROLES,
} from './domain/application';
import { Agent } from './agent/agent.type';
import { Carrier, Product } from './carrier/carrier.type';

export const ApplicationStatus = register(enumOf(APPLICATION_STATUSES), 'ApplicationStatus', 'Where an e-application stands.', {
  DRAFT: 'Being filled in; changes freely.',
  SIGNED: 'Signed by every required signer; no longer changes. Ready to submit.',
  SUBMITTED: 'Submitted: it became a case (see `caseId`).',
});

export const BeneficiaryDesignation = register(enumOf(BENEFICIARY_DESIGNATIONS), 'BeneficiaryDesignation', 'Which class of beneficiary.', {
  PRIMARY: 'Paid first; primary shares must sum to 100.',
  CONTINGENT: 'Paid only if no primary beneficiary survives; contingent shares, if any, must sum to 100.',
});

export const Relationship = register(
  enumOf([...PERSON_RELATIONSHIPS, ...ENTITY_RELATIONSHIPS]),
  'Relationship',
  'How a party is related to the insured (insurable interest).',
  {
    SPOUSE: 'Husband or wife.',
    DOMESTIC_PARTNER: 'Domestic or civil-union partner.',
    CHILD: 'Son or daughter, including adopted and step-children.',
    PARENT: 'Mother or father.',
    SIBLING: 'Brother or sister.',
    GRANDCHILD: 'Grandson or granddaughter.',
    OTHER_RELATIVE: 'Another relative by blood or marriage.',
    BUSINESS_PARTNER: 'A partner or co-owner in a business (buy-sell, key person).',
    EMPLOYER: "The insured's employer.",
    FRIEND: 'A friend: the carrier may ask for the insurable interest.',
    SELF: 'The insured themself.',
    TRUST: 'A trust (e.g. an irrevocable life insurance trust).',
    ESTATE: "The insured's estate.",
    BUSINESS: 'A business entity.',
  },
);

export const Citizenship = register(enumOf(CITIZENSHIPS), 'Citizenship', "The insured's citizenship or residency status.", {
  US_CITIZEN: 'United States citizen.',
  PERMANENT_RESIDENT: 'Lawful permanent resident (green card).',
  VISA_HOLDER: 'In the United States on a visa.',
  OTHER: 'Another status: the carrier reviews it.',
});

export const PaymentMethod = register(enumOf(PAYMENT_METHODS), 'PaymentMethod', 'How premiums are paid.', {
  EFT: 'Drawn from a bank account (needs `bankAccount`).',
  CHECK: 'Paid by check against a bill.',
  CREDIT_CARD: 'Charged to a card.',
});

export const ExistingPolicyDisposition = register(
  enumOf(EXISTING_POLICY_DISPOSITIONS),
  'ExistingPolicyDisposition',
  'What happens to an existing policy; anything but KEEP makes the application a replacement.',
  {
    KEEP: 'Stays in force unchanged.',
    LAPSE: 'Will be allowed to lapse.',
    SURRENDER: 'Will be surrendered for its cash value.',
    REDUCE: 'Its face amount will be reduced.',
    BORROW: 'Its values will be borrowed against to pay for the new policy.',
  },
);

export const SignerRole = register(enumOf(SIGNER_ROLES), 'SignerRole', 'Who signs an application.', {
  INSURED: 'The insured.',
  OWNER: 'The owner, when not the insured.',
  PAYOR: 'The payor, when another party pays by EFT.',
  AGENT: 'The writing agent.',
});

export const MissingItemCode = register(enumOf(MISSING_CODES), 'MissingItemCode', 'Why an application is not in good order.', {
  REQUIRED: 'The carrier requires this field, form or signature.',
  INVALID_VALUE: 'The value is not acceptable in form (a date, a routing number, a share).',
  INVALID_SSN: 'Not a valid SSN or ITIN (area 000, 666 or 9xx outside ITIN ranges, or a group or serial of zeros).',
  INVALID_TIN: 'Not a valid EIN.',
  SHARES_NOT_100: 'The beneficiaries of a designation do not share exactly 100 percent.',
  NO_PRIMARY_BENEFICIARY: 'There is no primary beneficiary.',
  REQUIRED_IN_STATE: 'The state of application requires this form.',
  FACE_EXCEEDS_FINANCIAL_LIMIT: "The face amount is more than the carrier's income and net worth multiples allow at the insured's age.",
  RELATION_INCONSISTENT: 'The parties and their relations contradict each other.',
  SIGNED_IN_OTHER_STATE: 'A signer signed outside the state of application.',
  SIGNATURE_EXPIRED: "The first signature is older than the carrier's submission window.",
  ANSWER_REQUIRED: 'A question, or a "yes" answer\'s follow-up, is not answered.',
});

export const PartyKind = register(
  enumOf(['INSURED', 'OWNER', 'PERSON', 'TRUST', 'BUSINESS'] as const),
  'PartyKind',
  'Who an owner or payor is.',
  {
    INSURED: 'The insured (the usual owner).',
    OWNER: 'The owner (for the payor: the owner pays).',
    PERSON: 'Another person, with their relation to the insured.',
    TRUST: 'A trust, identified by its TIN.',
    BUSINESS: 'A business, identified by its TIN.',
  },
);
export type PartyKind = keyof typeof PartyKind;

export const BeneficiaryKind = register(
  enumOf(['PERSON', 'TRUST', 'ESTATE', 'BUSINESS'] as const),
  'BeneficiaryKind',
  'Whether a beneficiary is a person or an entity.',
  {
    PERSON: 'A person.',
    TRUST: 'A trust.',
    ESTATE: "The insured's estate.",
    BUSINESS: 'A business.',
  },
);

export const BankAccountType = register(enumOf(['CHECKING', 'SAVINGS'] as const), 'BankAccountType', 'The kind of bank account.', {
  CHECKING: 'A checking account.',
  SAVINGS: 'A savings account.',
});

// ---- Output types -------------------------------------------------------------------------------

@ObjectType({ description: 'A postal address.' })
export class Address {
  @Field(() => String, { nullable: true, description: 'Street line.' })
  line1?: string;
  @Field(() => String, { nullable: true, description: 'Second line (apartment, suite).' })
  line2?: string;
  @Field(() => String, { nullable: true, description: 'City.' })
  city?: string;
  @Field(() => State, { nullable: true, description: 'State.' })
  state?: string;
  @Field(() => String, { nullable: true, description: 'ZIP code (5 or 9 digits).' })
  zip?: string;
}

@ObjectType({ description: "A driver's license: the number is masked unless the caller may see it in full." })
export class DriversLicense {
  @Field(() => String, { nullable: true, description: 'License number (masked `****34` unless the caller may see it in full).' })
  number?: string;
  @Field(() => State, { nullable: true, description: 'Issuing state.' })
  state?: string;
}

@ObjectType({ description: 'The proposed insured (personal data: identifiers masked unless the caller may see them in full).' })
export class ApplicationInsured {
  @Field(() => String, { nullable: true, description: 'First name.' })
  firstName?: string;
  @Field(() => String, { nullable: true, description: 'Last name.' })
  lastName?: string;
  @Field(() => DateScalar, { nullable: true, description: 'Birth date.' })
  birthDate?: string;
  @Field(() => Gender, { nullable: true, description: 'Gender as rated.' })
  gender?: string;
  @Field(() => String, {
    nullable: true,
    description: 'SSN or ITIN: `***-**-1234` unless the caller may see it in full (the writing agent, staff); every full read is logged.',
  })
  ssn?: string;
  @Field(() => Address, { nullable: true, description: 'Residence address.' })
  address?: Address;
  @Field(() => String, { nullable: true, description: 'Phone number.' })
  phone?: string;
  @Field(() => String, { nullable: true, description: 'Email address.' })
  email?: string;
  @Field(() => DriversLicense, { nullable: true, description: "Driver's license." })
  driversLicense?: DriversLicense;
  @Field(() => Citizenship, { nullable: true, description: 'Citizenship or residency status.' })
  citizenship?: string;
  @Field(() => Int, { nullable: true, description: 'Height in inches.' })
  heightInches?: number;
  @Field(() => Int, { nullable: true, description: 'Weight in pounds.' })
  weightPounds?: number;
}

@ObjectType({ description: 'An owner or payor: the insured, the owner, another person, or a trust or business.' })
export class ApplicationParty {
  @Field(() => PartyKind, { description: 'Who the party is.' })
  kind!: PartyKind;
  @Field(() => String, { nullable: true, description: "A person's full name or an entity's name." })
  name?: string;
  @Field(() => DateScalar, { nullable: true, description: "A person's birth date, or the date a trust was signed or a business formed." })
  birthDate?: string;
  @Field(() => String, { nullable: true, description: "A person's SSN or an entity's TIN, masked unless the caller may see it in full." })
  taxId?: string;
  @Field(() => Relationship, { nullable: true, description: "A person's relation to the insured." })
  relationshipToInsured?: string;
  @Field(() => Address, { nullable: true, description: 'Address.' })
  address?: Address;
  @Field(() => String, { nullable: true, description: 'Phone number (people).' })
  phone?: string;
  @Field(() => String, {
    nullable: true,
    description: "Email address: a person's, or for a trust or business, the signing trustee's or officer's.",
  })
  email?: string;
}

@ObjectType({ description: 'A beneficiary designation.' })
export class ApplicationBeneficiary {
  @Field(() => BeneficiaryDesignation, { description: 'Primary or contingent.' })
  designation!: string;
  @Field(() => BeneficiaryKind, { nullable: true, description: 'A person or an entity.' })
  kind?: string;
  @Field(() => String, { nullable: true, description: "The beneficiary's full name (or the entity's)." })
  fullName?: string;
  @Field(() => Relationship, { nullable: true, description: 'Relation to the insured.' })
  relationship?: string;
  @Field(() => Int, { nullable: true, description: 'Share in whole percents.' })
  sharePercent?: number;
  @Field(() => String, { nullable: true, description: 'SSN, masked unless the caller may see it in full.' })
  ssn?: string;
  @Field(() => DateScalar, { nullable: true, description: 'Birth date.' })
  birthDate?: string;
}

@ObjectType({ description: 'The coverage applied for: carrier, product, amount, term or guarantee, class, riders, payment.' })
export class ApplicationCoverage {
  @Field(() => Carrier, { description: 'The carrier.' })
  carrier!: Carrier;
  @Field(() => Product, { description: 'The product.' })
  product!: Product;
  @Field(() => ProductType, { nullable: true, description: "The product's type." })
  productType?: string;
  @Field(() => Int, { nullable: true, description: 'Face amount in whole dollars.' })
  faceAmount?: number;
  @Field(() => Int, { nullable: true, description: 'Term length in years (term products).' })
  termYears?: number;
  @Field(() => Int, { nullable: true, description: 'Age to which the no-lapse guarantee runs (universal life).' })
  guaranteeAge?: number;
  @Field(() => HealthClass, { nullable: true, description: 'The health class applied for.' })
  healthClass?: string;
  @Field(() => [RiderType], { description: 'Riders applied for.' })
  riders!: string[];
  @Field(() => PaymentMode, { nullable: true, description: 'How often premium is paid.' })
  paymentMode?: string;
  @Field(() => PaymentMethod, { nullable: true, description: 'How premium is paid.' })
  paymentMethod?: string;
}

@ObjectType({ description: 'An existing policy on the insured, and what happens to it.' })
export class ExistingPolicy {
  @Field(() => String, { nullable: true, description: "The policy's carrier." })
  carrierName?: string;
  @Field(() => String, { nullable: true, description: 'Policy number.' })
  policyNumber?: string;
  @Field(() => Int, { nullable: true, description: 'Face amount in whole dollars.' })
  faceAmount?: number;
  @Field(() => ExistingPolicyDisposition, { nullable: true, description: 'Kept, or replaced (lapse, surrender, reduce, borrow).' })
  disposition?: string;
}

@ObjectType({ description: 'Existing coverage and replacement answers.' })
export class ApplicationReplacement {
  @Field(() => Boolean, { nullable: true, description: 'The insured has life insurance or annuities in force or applied for.' })
  hasExisting?: boolean;
  @Field(() => [ExistingPolicy], { description: 'Each existing policy.' })
  policies!: ExistingPolicy[];
  @Field(() => Boolean, { description: 'The application replaces coverage (some policy is not kept): the state replacement forms apply.' })
  replacing!: boolean;
}

@ObjectType({ description: 'A follow-up detail of a "yes" answer, by the follow-up\'s code.' })
export class AnswerDetail {
  @Field(() => String, { description: "The follow-up question's code." })
  code!: string;
  @Field(() => String, { description: 'The answer.' })
  answer!: string;
}

@ObjectType({
  description: "An answer to one of the carrier's medical or lifestyle questions (shown only to callers who may see it in full).",
})
export class ApplicationAnswer {
  @Field(() => String, { description: "The question's code." })
  code!: string;
  @Field(() => Boolean, { nullable: true, description: 'Yes or no; a yes opens the follow-ups.' })
  yes?: boolean;
  @Field(() => [AnswerDetail], { description: "Answers to a yes's follow-ups." })
  details!: AnswerDetail[];
}

@ObjectType({ description: 'A follow-up the carrier asks after a "yes".' })
export class QuestionFollowUp {
  @Field(() => String, { description: 'Code, used in `AnswerInput.details`.' })
  code!: string;
  @Field(() => String, { description: 'The question as the carrier asks it.' })
  text!: string;
}

@ObjectType({ description: "One of the carrier's medical or lifestyle questions for this product (the form to render)." })
export class ApplicationQuestion {
  @Field(() => String, { description: 'Code, used in `AnswerInput.code`.' })
  code!: string;
  @Field(() => String, { description: 'The question as the carrier asks it.' })
  text!: string;
  @Field(() => [QuestionFollowUp], { description: 'Asked after a "yes" (reflexive questions).' })
  followUps!: QuestionFollowUp[];
}

@ObjectType({ description: "Financial information that justifies the face amount (the carrier's income and net worth multiples)." })
export class ApplicationFinancials {
  @Field(() => Int, { nullable: true, description: 'Earned income, whole dollars a year.' })
  annualIncome?: number;
  @Field(() => Int, { nullable: true, description: 'Net worth in whole dollars.' })
  netWorth?: number;
  @Field(() => Boolean, { nullable: true, description: "A non-working spouse insured on the working spouse's coverage." })
  nonWorkingSpouse?: boolean;
  @Field(() => Int, { nullable: true, description: "The working spouse's coverage in whole dollars." })
  workingSpouseCoverage?: number;
  @Field(() => Boolean, { nullable: true, description: "The carrier's financial questionnaire is completed." })
  questionnaireCompleted?: boolean;
  @Field(() => Boolean, { nullable: true, description: 'Third-party financial statements are supplied.' })
  thirdPartyFinancials?: boolean;
}

@ObjectType({ description: "The agent's report (agent's statement) on the application." })
export class ApplicationAgentReport {
  @Field(() => Boolean, { nullable: true, description: 'The agent knows of an existing policy being replaced.' })
  knowsOfReplacement?: boolean;
  @Field(() => Boolean, { nullable: true, description: 'The agent is related to the insured.' })
  relatedToInsured?: boolean;
  @Field(() => String, { nullable: true, description: "The agent's comments to the underwriter." })
  comments?: string;
}

@ObjectType({ description: 'The bank account premiums are drawn from: the account number masked unless the caller may see it in full.' })
export class ApplicationBankAccount {
  @Field(() => String, { nullable: true, description: 'ABA routing number (a bank identifier, not personal).' })
  routingNumber?: string;
  @Field(() => String, { nullable: true, description: 'Account number, `****1234` unless the caller may see it in full.' })
  accountNumber?: string;
  @Field(() => BankAccountType, { nullable: true, description: 'Checking or savings.' })
  accountType?: string;
}

@ObjectType({
  description: "A form of the carrier's forms catalog that this application needs, for its state, product, riders and replacement.",
})
export class ApplicationForm {
  @Field(() => String, { description: 'The form code (e.g. REPLACEMENT_NOTICE).' })
  code!: string;
  @Field(() => String, { nullable: true, description: "The carrier's form number." })
  formNumber?: string;
  @Field(() => Boolean, { description: 'The state of application requires it (a state form).' })
  stateForm!: boolean;
  @Field(() => Boolean, { description: 'Completed and attached to the application.' })
  attached!: boolean;
}

@ObjectType({ description: 'A signature on the application.' })
export class ApplicationSignature {
  @Field(() => SignerRole, { description: 'Who signed.' })
  role!: string;
  @Field(() => DateScalar, { nullable: true, description: 'The date of the signature.' })
  signedOn?: string;
  @Field(() => State, { nullable: true, description: 'Where the signer was when signing.' })
  state?: string;
}

@ObjectType({ description: 'One thing the application still lacks: where, which rule, and what to do. Never holds a value.' })
export class MissingItem {
  @Field(() => String, { description: 'A path into the application (`beneficiaries.primary`, `insured.ssn`, `forms.REPLACEMENT_NOTICE`).' })
  path!: string;
  @Field(() => MissingItemCode, { description: 'The rule it breaks.' })
  code!: string;
  @Field(() => String, { description: 'What is wrong, for a person; names the field and the rule, never a value.' })
  message!: string;
}

@ObjectType({ description: 'An e-application: a draft an agent fills in, checked for good order against its carrier, product and state.' })
export class Application {
  @Field(() => ID, { description: 'Opaque id, prefixed app_.' })
  id!: string;
  @Field(() => ApplicationStatus, { description: 'DRAFT, SIGNED or SUBMITTED.' })
  status!: string;
  @Field(() => Agent, { description: 'The writing agent.' })
  agent!: Agent;
  @Field(() => State, { description: 'The state of application (where it is solicited and signed).' })
  state!: string;
  @Field(() => DateTimeScalar, { description: 'When it was started.' })
  createdAt!: string;
  @Field(() => DateTimeScalar, { description: 'When it last changed.' })
  updatedAt!: string;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the last required signer signed.' })
  signedAt?: string | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was submitted as a case.' })
  submittedAt?: string | null;
  @Field(() => ID, { nullable: true, description: 'The case it became (case_...), once submitted.' })
  caseId?: string | null;
}

@ObjectType({ description: 'One application in a list.' })
export class ApplicationEdge {
  @Field(() => Application, { description: 'The application.' })
  node!: Application;
  @Field(() => String, { description: 'Cursor for `after`.' })
  cursor!: string;
}

@ObjectType({ description: 'A page of applications, newest first.' })
export class ApplicationConnection {
  @Field(() => [ApplicationEdge], { description: 'The applications on this page.' })
  edges!: ApplicationEdge[];
  @Field(() => PageInfo, { description: 'Paging.' })
  pageInfo!: PageInfo;
}

// ---- Inputs -------------------------------------------------------------------------------------

@InputType({ description: 'Starts an application from a chosen quote: carrier, product, amount, term and class.' })
export class StartApplicationInput {
  @Field(() => ID, { description: 'The writing agent (agt_...): the caller, or one of their downline.' })
  agentId!: string;
  @Field(() => ID, { description: 'The carrier (car_...).' })
  carrierId!: string;
  @Field(() => ID, { description: "One of the carrier's products (prd_...)." })
  productId!: string;
  @Field(() => State, { description: 'The state of application.' })
  state!: string;
  @Field(() => Int, { description: 'Face amount in whole dollars.' })
  faceAmount!: number;
  @Field(() => Int, { nullable: true, description: 'Term length in years (term products).' })
  termYears?: number | null;
  @Field(() => Int, { nullable: true, description: 'Age to which the no-lapse guarantee runs (universal life).' })
  guaranteeAge?: number | null;
  @Field(() => HealthClass, { description: 'The health class applied for (as quoted).' })
  healthClass!: string;
  @Field(() => PaymentMode, { nullable: true, defaultValue: 'MONTHLY', description: 'How often premium is paid (default MONTHLY).' })
  paymentMode?: string;
  @Field(() => [RiderType], { nullable: true, description: 'Riders applied for.' })
  riders?: string[] | null;
  @Field(() => String, {
    nullable: true,
    description:
      'Makes a retried start safe: the same key from the same caller answers the same application (1 to 100 of A-Z a-z 0-9 _ . : -).',
  })
  idempotencyKey?: string | null;
}

@InputType({ description: 'A postal address.' })
export class AddressInput {
  @Field(() => String, { nullable: true, description: 'Street line.' })
  line1?: string | null;
  @Field(() => String, { nullable: true, description: 'Second line.' })
  line2?: string | null;
  @Field(() => String, { nullable: true, description: 'City.' })
  city?: string | null;
  @Field(() => State, { nullable: true, description: 'State.' })
  state?: string | null;
  @Field(() => String, { nullable: true, description: 'ZIP code: 5 digits, or ZIP+4.' })
  zip?: string | null;
}

@InputType({ description: "A driver's license." })
export class DriversLicenseInput {
  @Field(() => String, { nullable: true, description: 'License number.' })
  number?: string | null;
  @Field(() => State, { nullable: true, description: 'Issuing state.' })
  state?: string | null;
}

@InputType({ description: 'Changes to the insured: fields left out stay as they are; a field set to null is cleared.' })
export class InsuredPatch {
  @Field(() => String, { nullable: true, description: 'First name.' })
  firstName?: string | null;
  @Field(() => String, { nullable: true, description: 'Last name.' })
  lastName?: string | null;
  @Field(() => DateScalar, { nullable: true, description: 'Birth date; not in the future.' })
  birthDate?: string | null;
  @Field(() => Gender, { nullable: true, description: 'Gender as rated.' })
  gender?: string | null;
  @Field(() => String, { nullable: true, description: 'SSN or ITIN (with or without dashes).' })
  ssn?: string | null;
  @Field(() => AddressInput, { nullable: true, description: 'Residence address (replaces the whole address).' })
  address?: AddressInput | null;
  @Field(() => String, { nullable: true, description: 'Phone number.' })
  phone?: string | null;
  @Field(() => String, { nullable: true, description: 'Email address.' })
  email?: string | null;
  @Field(() => DriversLicenseInput, { nullable: true, description: "Driver's license." })
  driversLicense?: DriversLicenseInput | null;
  @Field(() => Citizenship, { nullable: true, description: 'Citizenship or residency status.' })
  citizenship?: string | null;
  @Field(() => Int, { nullable: true, description: 'Height in inches (36 to 96).' })
  heightInches?: number | null;
  @Field(() => Int, { nullable: true, description: 'Weight in pounds (50 to 700).' })
  weightPounds?: number | null;
}

@InputType({ description: 'An owner or payor, as a whole (replaces the one on the application).' })
export class PartyInput {
  @Field(() => PartyKind, { description: 'INSURED, OWNER (payor only), PERSON, TRUST or BUSINESS.' })
  kind!: PartyKind;
  @Field(() => String, { nullable: true, description: "A person's full name or an entity's name." })
  name?: string | null;
  @Field(() => DateScalar, { nullable: true, description: "A person's birth date, or when a trust was signed or a business formed." })
  birthDate?: string | null;
  @Field(() => String, { nullable: true, description: "A person's SSN or an entity's TIN (EIN)." })
  taxId?: string | null;
  @Field(() => Relationship, { nullable: true, description: "A person's relation to the insured." })
  relationshipToInsured?: string | null;
  @Field(() => AddressInput, { nullable: true, description: 'Address.' })
  address?: AddressInput | null;
  @Field(() => String, { nullable: true, description: 'Phone number (people).' })
  phone?: string | null;
  @Field(() => String, {
    nullable: true,
    description: "Email address: a person's, or for a trust or business, the signing trustee's or officer's.",
  })
  email?: string | null;
}

@InputType({ description: 'A beneficiary designation.' })
export class BeneficiaryInput {
  @Field(() => BeneficiaryDesignation, { description: 'PRIMARY or CONTINGENT.' })
  designation!: string;
  @Field(() => BeneficiaryKind, { nullable: true, defaultValue: 'PERSON', description: 'A person (default) or an entity.' })
  kind?: string;
  @Field(() => String, { description: "The beneficiary's full name (or the entity's)." })
  fullName!: string;
  @Field(() => Relationship, { nullable: true, description: 'Relation to the insured.' })
  relationship?: string | null;
  @Field(() => Int, { description: 'Share in whole percents, 1 to 100; the shares of a designation may not exceed 100.' })
  sharePercent!: number;
  @Field(() => String, { nullable: true, description: 'SSN, when the carrier asks it.' })
  ssn?: string | null;
  @Field(() => DateScalar, { nullable: true, description: 'Birth date.' })
  birthDate?: string | null;
}

@InputType({ description: 'Changes to the coverage: fields left out stay as they are.' })
export class CoverageInput {
  @Field(() => Int, { nullable: true, description: 'Face amount in whole dollars.' })
  faceAmount?: number | null;
  @Field(() => Int, { nullable: true, description: 'Term length in years.' })
  termYears?: number | null;
  @Field(() => Int, { nullable: true, description: 'Guarantee age (universal life).' })
  guaranteeAge?: number | null;
  @Field(() => HealthClass, { nullable: true, description: 'The health class applied for.' })
  healthClass?: string | null;
  @Field(() => [RiderType], { nullable: true, description: 'Riders applied for (replaces the list).' })
  riders?: string[] | null;
  @Field(() => PaymentMode, { nullable: true, description: 'How often premium is paid.' })
  paymentMode?: string | null;
  @Field(() => PaymentMethod, { nullable: true, description: 'How premium is paid.' })
  paymentMethod?: string | null;
}

@InputType({ description: 'An existing policy on the insured.' })
export class ExistingPolicyInput {
  @Field(() => String, { nullable: true, description: "The policy's carrier." })
  carrierName?: string | null;
  @Field(() => String, { nullable: true, description: 'Policy number.' })
  policyNumber?: string | null;
  @Field(() => Int, { nullable: true, description: 'Face amount in whole dollars.' })
  faceAmount?: number | null;
  @Field(() => ExistingPolicyDisposition, { nullable: true, description: 'What happens to it.' })
  disposition?: string | null;
}

@InputType({ description: 'Existing coverage and replacement answers (replaces the ones on the application).' })
export class ReplacementInput {
  @Field(() => Boolean, { description: 'The insured has life insurance or annuities in force or applied for.' })
  hasExisting!: boolean;
  @Field(() => [ExistingPolicyInput], { nullable: true, description: 'Each existing policy.' })
  policies?: ExistingPolicyInput[] | null;
}

@InputType({ description: 'A follow-up detail of a "yes" answer.' })
export class AnswerDetailInput {
  @Field(() => String, { description: "The follow-up's code (see `Application.questions`)." })
  code!: string;
  @Field(() => String, { description: 'The answer (up to 2,000 characters).' })
  answer!: string;
}

@InputType({ description: "An answer to one of the carrier's questions; replaces an earlier answer to the same question." })
export class AnswerInput {
  @Field(() => String, { description: "The question's code (see `Application.questions`)." })
  code!: string;
  @Field(() => Boolean, { description: 'Yes or no.' })
  yes!: boolean;
  @Field(() => [AnswerDetailInput], { nullable: true, description: "A yes's follow-up answers." })
  details?: AnswerDetailInput[] | null;
}

@InputType({ description: 'Financial information: fields left out stay as they are.' })
export class FinancialsInput {
  @Field(() => Int, { nullable: true, description: 'Earned income, whole dollars a year.' })
  annualIncome?: number | null;
  @Field(() => Int, { nullable: true, description: 'Net worth in whole dollars.' })
  netWorth?: number | null;
  @Field(() => Boolean, { nullable: true, description: "A non-working spouse insured on the working spouse's coverage." })
  nonWorkingSpouse?: boolean | null;
  @Field(() => Int, { nullable: true, description: "The working spouse's coverage in whole dollars." })
  workingSpouseCoverage?: number | null;
  @Field(() => Boolean, { nullable: true, description: "The carrier's financial questionnaire is completed." })
  questionnaireCompleted?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'Third-party financial statements are supplied.' })
  thirdPartyFinancials?: boolean | null;
}

@InputType({ description: "The agent's report: fields left out stay as they are." })
export class AgentReportInput {
  @Field(() => Boolean, { nullable: true, description: 'The agent knows of an existing policy being replaced.' })
  knowsOfReplacement?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'The agent is related to the insured.' })
  relatedToInsured?: boolean | null;
  @Field(() => String, { nullable: true, description: 'Comments to the underwriter (up to 2,000 characters).' })
  comments?: string | null;
}

@InputType({ description: 'The bank account for EFT (replaces the one on the application).' })
export class BankAccountInput {
  @Field(() => String, { description: 'ABA routing number (nine digits).' })
  routingNumber!: string;
  @Field(() => String, { description: 'Account number (4 to 17 digits).' })
  accountNumber!: string;
  @Field(() => BankAccountType, { nullable: true, defaultValue: 'CHECKING', description: 'Checking (default) or savings.' })
  accountType?: string;
}

@InputType({ description: 'A completed form attached to the application, by its code in `Application.forms`.' })
export class FormInput {
  @Field(() => String, { description: 'The form code.' })
  code!: string;
}

@InputType({
  description:
    'A partial change to a draft application: any of its parts, in any order, as many times as needed. Parts left out stay as they are.',
})
export class ApplicationPatch {
  @Field(() => InsuredPatch, { nullable: true, description: 'The insured (field by field).' })
  insured?: InsuredPatch | null;
  @Field(() => PartyInput, { nullable: true, description: 'The owner (whole).' })
  owner?: PartyInput | null;
  @Field(() => PartyInput, { nullable: true, description: 'The payor (whole); absent means the owner pays.' })
  payor?: PartyInput | null;
  @Field(() => [BeneficiaryInput], { nullable: true, description: 'Every beneficiary (replaces the list).' })
  beneficiaries?: BeneficiaryInput[] | null;
  @Field(() => CoverageInput, { nullable: true, description: 'The coverage (field by field).' })
  coverage?: CoverageInput | null;
  @Field(() => [AnswerInput], { nullable: true, description: 'Answers to the carrier questions (each replaces the same question).' })
  answers?: AnswerInput[] | null;
  @Field(() => ReplacementInput, { nullable: true, description: 'Existing coverage and replacement.' })
  replacement?: ReplacementInput | null;
  @Field(() => FinancialsInput, { nullable: true, description: 'Financial information (field by field).' })
  financials?: FinancialsInput | null;
  @Field(() => AgentReportInput, { nullable: true, description: "The agent's report (field by field)." })
  agentReport?: AgentReportInput | null;
  @Field(() => Boolean, { nullable: true, description: 'The insured signed the HIPAA authorization.' })
  hipaaAuthorized?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: "Part B (medical) is taken by the carrier's phone interview." })
  phoneInterview?: boolean | null;
  @Field(() => BankAccountInput, { nullable: true, description: 'The bank account for EFT.' })
  bankAccount?: BankAccountInput | null;
  @Field(() => [FormInput], { nullable: true, description: 'Forms completed and attached (replaces the list).' })
  forms?: FormInput[] | null;
}

@InputType({ description: 'Which applications to list.' })
export class ApplicationFilter {
  @Field(() => ID, { nullable: true, description: "One agent's applications (within the caller's scope)." })
  agentId?: string | null;
  @Field(() => [ApplicationStatus], { nullable: true, description: 'Only these statuses.' })
  status?: string[] | null;
  @Field(() => ID, { nullable: true, description: 'Only this carrier.' })
  carrierId?: string | null;
}
