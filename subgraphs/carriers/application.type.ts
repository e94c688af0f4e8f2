import { Directive, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { CaseStatus, Gender, HealthClass, PaymentMode, RiderType, State } from '../shared/enums';
import { DateScalar, DateTimeScalar, MoneyScalar } from '../../platform/scalars';
import { CarrierApprovedTerms, CarrierRequirement, CarrierStatusQualifier } from './case/case.type';
import type { CarrierStatusQualifier as QualifierCode } from './adapters/carrier-adapter.port';

/**
 * The types of the SERVICE-only operations the cases subgraph asks this subgraph for directly: hand
 * an application to its carrier (the outbox worker) and read carrier statuses fresh (the sync
 * worker). Each is @inaccessible, like the fields that use them: none is in the public API.
 */

@Directive('@inaccessible')
@InputType({ description: 'The insured on an application (personal data: never logged or cached).' })
export class ApplicationInsuredInput {
  @Field(() => String, { description: 'First name.' })
  firstName!: string;

  @Field(() => String, { description: 'Last name.' })
  lastName!: string;

  @Field(() => DateScalar, { description: 'Birth date.' })
  birthDate!: string;

  @Field(() => Gender, { description: 'Gender as rated.' })
  gender!: Gender;

  @Field(() => State, { description: 'State of residence.' })
  state!: string;

  @Field(() => Boolean, { description: 'Tobacco or nicotine use.' })
  tobacco!: boolean;
}

@Directive('@inaccessible')
@InputType({ description: 'The writing agent on an application.' })
export class ApplicationAgentInput {
  @Field(() => ID, { description: 'The agent (agt_...).' })
  id!: string;

  @Field(() => String, { description: 'National Producer Number.' })
  npn!: string;

  @Field(() => String, { nullable: true, description: "The carrier's producer id for the agent, when appointed." })
  writingNumber?: string | null;
}

@Directive('@inaccessible')
@InputType({ description: 'An application to send to its carrier. SERVICE only (the cases outbox).' })
export class CarrierApplicationInput {
  @Field(() => String, {
    description: 'Stable per case (TransRefGUID / Idempotency-Key): a resend with it never makes a second application.',
  })
  reference!: string;

  @Field(() => ID, { description: 'The case (case_...).' })
  caseId!: string;

  @Field(() => ID, { description: 'The carrier (car_...).' })
  carrierId!: string;

  @Field(() => ID, { description: 'The product applied for (prd_...).' })
  productId!: string;

  @Field(() => ApplicationInsuredInput, { description: 'The insured.' })
  insured!: ApplicationInsuredInput;

  @Field(() => Int, { description: 'Face amount in whole dollars.' })
  faceAmount!: number;

  @Field(() => Int, { nullable: true, description: 'Level-premium period in years (TERM).' })
  termYears?: number | null;

  @Field(() => HealthClass, { description: 'The health class applied for.' })
  healthClass!: HealthClass;

  @Field(() => Int, { nullable: true, defaultValue: 0, description: 'Table rating, 0..8.' })
  tableRating?: number | null;

  @Field(() => PaymentMode, { description: 'Payment mode.' })
  paymentMode!: PaymentMode;

  @Field(() => MoneyScalar, { description: 'Annual premium as priced at submission.' })
  annualPremium!: string;

  @Field(() => ApplicationAgentInput, { description: 'The writing agent.' })
  agent!: ApplicationAgentInput;

  @Field(() => String, {
    nullable: true,
    description:
      'The full application, as JSON: {"application": Application, "attachments": [{type, fileName, contentType, sha256, contentBase64}]}, the shapes of subgraphs/shared/application.ts (parties, beneficiaries, answers, signatures; the signed PDF in base64 with its SHA-256 in hex). Personal data: never logged or cached. Absent for a case without a full application: the carrier gets the basics above.',
  })
  fullApplication?: string | null;

  @Field(() => [ApplicationRequirementInput], {
    nullable: true,
    description: 'The requirements we already ordered (our ids and codes): the carrier keeps our id as its requirement’s reference.',
  })
  requirements?: ApplicationRequirementInput[] | null;
}

@Directive('@inaccessible')
@ObjectType({ description: 'What the carrier said to an application. Failures are values, so the outbox can decide to retry.' })
export class CarrierSubmission {
  @Field(() => Boolean, { description: 'True when the carrier accepted the application (a resend of an accepted one answers the same).' })
  accepted!: boolean;

  @Field(() => String, { nullable: true, description: "The carrier's id for the application, when accepted." })
  carrierReference!: string | null;

  @Field(() => String, { nullable: true, description: "The carrier's message, or why the application did not reach it." })
  message!: string | null;

  @Field(() => Boolean, {
    description:
      'True when the application did not reach a decision (timeout, carrier down, circuit open): send it again later with the same reference. False for an acceptance or a rejection.',
  })
  retryable!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Namespaced failure code (CARRIER.REJECTED, CARRIER.TIMEOUT, ...) when not accepted.',
  })
  failureCode!: string | null;
}

@Directive('@inaccessible')
@ObjectType({ description: 'A case as its carrier reports it now, for the case sync. SERVICE only.' })
export class CarrierCaseSnapshot {
  @Field(() => String, { description: "The carrier's id for the application." })
  carrierReference!: string;

  @Field(() => CaseStatus, { nullable: true, description: "Our status for the carrier's code; null when it maps to none of ours." })
  status!: CaseStatus | null;

  @Field(() => String, { description: "The carrier's own status code." })
  carrierStatusCode!: string;

  @Field(() => String, { nullable: true, description: 'The policy number, once issued.' })
  policyNumber!: string | null;

  @Field(() => CarrierStatusQualifier, {
    nullable: true,
    description: "What the carrier's code says beyond the status; null for a plain one.",
  })
  qualifier!: QualifierCode | null;

  @Field(() => String, { nullable: true, description: "The carrier's note on the status (a hold, the conditions), in words." })
  statusNote!: string | null;

  @Field(() => CarrierApprovedTerms, { nullable: true, description: 'The terms the carrier approved, when it states them.' })
  approvedTerms!: CarrierApprovedTerms | null;

  @Field(() => [CarrierRequirement], { description: 'The requirements the carrier lists for the case.' })
  requirements!: CarrierRequirement[];

  @Field(() => DateTimeScalar, { description: 'When the carrier gave this answer.' })
  asOf!: string;
}

@Directive('@inaccessible')
@InputType({ description: 'A requirement we already ordered for a case, listed on its application so the carrier adopts our id.' })
export class ApplicationRequirementInput {
  @Field(() => ID, { description: 'Our requirement (req_...).' })
  id!: string;

  @Field(() => String, { description: 'Its code (a RequirementCode value).' })
  code!: string;
}

@Directive('@inaccessible')
@InputType({ description: 'A beneficiary named by a change (personal data: never logged or cached).' })
export class CarrierChangeBeneficiaryInput {
  @Field(() => String, { description: 'PRIMARY or CONTINGENT.' })
  designation!: string;

  @Field(() => String, { description: 'Full name of the person, or name of the trust, estate or business.' })
  fullName!: string;

  @Field(() => String, { description: 'Relation to the insured.' })
  relationship!: string;

  @Field(() => Int, { description: 'Whole percent.' })
  sharePercent!: number;
}

@Directive('@inaccessible')
@InputType({ description: 'The new owner named by a change (personal data: never logged or cached).' })
export class CarrierChangeOwnerInput {
  @Field(() => String, { description: 'PERSON or ENTITY.' })
  kind!: string;

  @Field(() => String, { nullable: true, description: "A person's full name." })
  fullName?: string | null;

  @Field(() => String, { nullable: true, description: "A person's relation to the insured." })
  relationship?: string | null;

  @Field(() => String, { nullable: true, description: "An entity's name." })
  name?: string | null;

  @Field(() => String, { nullable: true, description: "An entity's TIN, nine digits." })
  tin?: string | null;
}

@Directive('@inaccessible')
@InputType({ description: 'A change of an accepted application, to send to its carrier. SERVICE only (the cases change worker).' })
export class CarrierChangeInput {
  @Field(() => String, {
    description: 'Stable per change (TransRefGUID / Idempotency-Key): a resend with it never applies the change twice.',
  })
  reference!: string;

  @Field(() => ID, { description: 'The case (case_...).' })
  caseId!: string;

  @Field(() => ID, { description: 'The carrier (car_...).' })
  carrierId!: string;

  @Field(() => String, { description: "The carrier's id for the application." })
  carrierReference!: string;

  @Field(() => Int, { nullable: true, description: 'The new face amount in whole dollars.' })
  faceAmount?: number | null;

  @Field(() => ID, { nullable: true, description: 'Another product of the same carrier (prd_...).' })
  productId?: string | null;

  @Field(() => Int, { nullable: true, description: 'The new level term in years.' })
  termYears?: number | null;

  @Field(() => [RiderType], { nullable: true, description: 'The riders wanted: replaces those applied for.' })
  riders?: string[] | null;

  @Field(() => [CarrierChangeBeneficiaryInput], { nullable: true, description: 'The beneficiaries: replaces them all.' })
  beneficiaries?: CarrierChangeBeneficiaryInput[] | null;

  @Field(() => PaymentMode, { nullable: true, description: 'The new payment mode.' })
  paymentMode?: PaymentMode | null;

  @Field(() => CarrierChangeOwnerInput, { nullable: true, description: 'The new owner.' })
  owner?: CarrierChangeOwnerInput | null;
}

@Directive('@inaccessible')
@ObjectType({ description: 'What the carrier said to a change. Failures are values, so the change worker can decide to resend.' })
export class CarrierChangeResult {
  @Field(() => Boolean, { description: 'True when the carrier accepted the change (a resend of an accepted one answers the same).' })
  accepted!: boolean;

  @Field(() => Boolean, { description: "True when the carrier needs the client's signature on an amendment (accepted changes only)." })
  amendmentRequired!: boolean;

  @Field(() => String, { nullable: true, description: "The carrier's message, or why the change did not reach it." })
  message!: string | null;

  @Field(() => Boolean, {
    description: 'True when no decision was reached (timeout, carrier down, circuit open): resend later with the same reference.',
  })
  retryable!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Namespaced failure code (CARRIER.REJECTED, CARRIER.TIMEOUT, ...) when not accepted.',
  })
  failureCode!: string | null;
}
