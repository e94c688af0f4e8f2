import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar, DateTimeScalar } from '../../platform/scalars';
import { CaseStatus, Gender, HealthClass, PaymentMode, State } from '../shared/enums';
import { PageInfo } from '../shared/pagination';
import { WritingAgentInput } from './commissions/writing-agent.type';

export const CaseOrder = { SUBMITTED_AT_DESC: 'SUBMITTED_AT_DESC', SUBMITTED_AT_ASC: 'SUBMITTED_AT_ASC' } as const;
export type CaseOrder = keyof typeof CaseOrder;
registerEnumType(CaseOrder, {
  name: 'CaseOrder',
  description: 'Order of a case list; cursors encode (submittedAt, id).',
  valuesConfig: {
    SUBMITTED_AT_DESC: { description: 'Newest submissions first.' },
    SUBMITTED_AT_ASC: { description: 'Oldest submissions first.' },
  },
});

/** A row of cases."case" as the resolvers use it. */
export interface CaseRow {
  id: string;
  caseNumber: string;
  agentId: string;
  carrierId: string;
  productId: string;
  productType: string;
  insuredFirstName: string;
  insuredLastName: string;
  insuredBirthDate: string;
  insuredGender: Gender;
  insuredState: string;
  insuredTobacco: boolean;
  faceAmount: number;
  approvedFaceAmount: number | null;
  termYears: number | null;
  appliedHealthClass: HealthClass;
  approvedHealthClass: HealthClass | null;
  tableRating: number;
  /** The approved flat extra, cents per $1,000 of face a year (0 = none), and for how many years. */
  flatExtraPerThousandCents: number;
  flatExtraYears: number | null;
  paymentMode: PaymentMode;
  annualPremiumCents: number;
  modalPremiumCents: number;
  status: CaseStatus;
  carrierReference: string | null;
  policyNumber: string | null;
  submittedAt: string;
  approvedAt: string | null;
  issuedAt: string | null;
  placedAt: string | null;
  closedAt: string | null;
  /** The staff user managing the case (assignCaseManager), or null. */
  caseManagerId: string | null;
}

@ObjectType({ description: 'The person insured (personal data: shown only to callers who may see the case).' })
export class Insured {
  @Field(() => String, { description: 'First name.' })
  firstName!: string;

  @Field(() => String, { description: 'Last name.' })
  lastName!: string;

  @Field(() => DateScalar, { description: 'Birth date.' })
  birthDate!: string;

  @Field(() => Gender, { description: 'Gender as rated.' })
  gender!: Gender;

  @Field(() => State, { description: 'State of residence: where the policy is written.' })
  state!: string;

  @Field(() => Boolean, { description: 'Uses tobacco or nicotine.' })
  tobacco!: boolean;
}

@ObjectType({ description: 'A new-business case: one application for one insured with one carrier.' })
@Directive('@key(fields: "id")')
export class Case {
  @Field(() => ID, { description: 'Opaque id, prefixed case_.' })
  id!: string;

  @Field(() => String, { description: "The BGA's case number, as people quote it (BGA-0100001)." })
  caseNumber!: string;

  @Field(() => Int, { description: 'Face amount applied for, in whole dollars.' })
  faceAmount!: number;

  @Field(() => Int, { nullable: true, description: 'Face amount approved, when approved other than applied.' })
  approvedFaceAmount!: number | null;

  @Field(() => Int, { nullable: true, description: 'Level-premium period in years (TERM).' })
  termYears!: number | null;

  @Field(() => HealthClass, { description: 'The health class applied for.' })
  appliedHealthClass!: HealthClass;

  @Field(() => HealthClass, { nullable: true, description: 'The health class approved.' })
  approvedHealthClass!: HealthClass | null;

  @Field(() => Int, {
    description: 'The table rating: as applied for, or as the carrier approved it (0 = none; each table adds 25% to the Standard premium).',
  })
  tableRating!: number;

  @Field(() => PaymentMode, { description: 'How often the client pays.' })
  paymentMode!: PaymentMode;

  @Field(() => CaseStatus, { description: 'Where the case stands.' })
  status!: CaseStatus;

  @Field(() => String, { nullable: true, description: "The carrier's id for the application, set once the carrier accepts it." })
  carrierReference!: string | null;

  @Field(() => String, { nullable: true, description: 'The policy number, set at ISSUED.' })
  policyNumber!: string | null;

  @Field(() => DateTimeScalar, { description: 'When the case was submitted.' })
  submittedAt!: string;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the case was first issued.' })
  issuedAt!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the case was placed (in force).' })
  placedAt!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the case reached a closed status.' })
  closedAt!: string | null;
}

@ObjectType({ description: 'An edge of a case list.' })
export class CaseEdge {
  @Field(() => String, { description: 'Opaque cursor of this edge.' })
  cursor!: string;

  @Field(() => Case, { description: 'The case.' })
  node!: Case;
}

@ObjectType({ description: 'A page of cases.' })
export class CaseConnection {
  @Field(() => [CaseEdge], { description: 'The cases of this page, in the requested order.' })
  edges!: CaseEdge[];

  @Field(() => PageInfo, { description: 'Where this page sits in the list.' })
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Cases matching the filter over all pages (computed only when selected).' })
  totalCount!: number;
}

@InputType({ description: 'Which cases. Every condition given must hold.' })
export class CaseFilter {
  @Field(() => [CaseStatus], { nullable: true, description: 'Only these statuses.' })
  statuses?: CaseStatus[];

  @Field(() => [ID], { nullable: true, description: 'Only these carriers.' })
  carrierIds?: string[];

  @Field(() => [ID], { nullable: true, description: "Only these agents' cases." })
  agentIds?: string[];

  @Field(() => [ID], { nullable: true, description: "Only these case managers' cases (their staff user ids)." })
  caseManagerIds?: string[];

  @Field(() => DateScalar, { nullable: true, description: 'Submitted on or after this UTC date.' })
  submittedFrom?: string;

  @Field(() => DateScalar, { nullable: true, description: 'Submitted on or before this UTC date.' })
  submittedTo?: string;

  @Field(() => Boolean, {
    nullable: true,
    description: 'true: only open cases; false: only closed ones (PLACED, DECLINED, POSTPONED, WITHDRAWN, INCOMPLETE, NOT_TAKEN).',
  })
  open?: boolean;
}

@InputType({ description: 'A status change asked of a case.' })
export class CaseStatusChangeInput {
  @Field(() => CaseStatus, { description: 'The status to move to: one of Case.allowedNextStatuses.' })
  status!: CaseStatus;

  @Field(() => String, { nullable: true, description: 'Why, for the history.' })
  note?: string;

  @Field(() => String, { nullable: true, description: "The carrier's policy number: required for ISSUED." })
  policyNumber?: string;

  @Field(() => HealthClass, { nullable: true, description: 'The class approved (APPROVED / APPROVED_OTHER_THAN_APPLIED).' })
  approvedHealthClass?: HealthClass;

  @Field(() => Int, { nullable: true, description: 'The face amount approved (APPROVED_OTHER_THAN_APPLIED).' })
  approvedFaceAmount?: number;
}

@InputType({ description: 'The person to insure.' })
export class InsuredInput {
  @Field(() => String, { description: 'First name (1 to 100 characters).' })
  firstName!: string;

  @Field(() => String, { description: 'Last name (1 to 100 characters).' })
  lastName!: string;

  @Field(() => DateScalar, { description: 'Birth date (in the past).' })
  birthDate!: string;

  @Field(() => Gender, { description: 'Gender as rated.' })
  gender!: Gender;

  @Field(() => State, { description: 'State of residence: where the policy is written.' })
  state!: string;

  @Field(() => Boolean, { description: 'Uses tobacco or nicotine.' })
  tobacco!: boolean;
}

@InputType({
  description:
    'A new case: a signed application (`applicationId`), or the inline fields of the deprecated way. Everything is checked before anything is written.',
})
export class SubmitCaseInput {
  @Field(() => String, {
    description: 'Per caller: the same key and payload twice make one case; the same key with another payload is CONFLICT.',
  })
  idempotencyKey!: string;

  @Field(() => ID, {
    nullable: true,
    description:
      'A signed application in good order (app_...): the case is made from it, with every party, answer and signature, and the other fields are taken from it (leave them out).',
  })
  applicationId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The writing agent (required without applicationId).' })
  agentId?: string;

  @Field(() => ID, { nullable: true, description: 'The carrier (required without applicationId).' })
  carrierId?: string;

  @Field(() => ID, { nullable: true, description: "The carrier's product (required without applicationId)." })
  productId?: string;

  @Field(() => InsuredInput, {
    nullable: true,
    description: 'The person to insure (required without applicationId).',
    deprecationReason:
      'Submit a signed application with applicationId: an inline insured carries no owner, beneficiaries, answers or signatures, so the carrier cannot take it in good order.',
  })
  insured?: InsuredInput;

  @Field(() => Int, { nullable: true, description: 'Face amount in whole dollars (required without applicationId).' })
  faceAmount?: number;

  @Field(() => Int, { nullable: true, description: 'Level-premium period (TERM): 10, 15, 20, 25 or 30.' })
  termYears?: number;

  @Field(() => HealthClass, { nullable: true, description: 'The health class applied for (required without applicationId).' })
  healthClass?: HealthClass;

  @Field(() => Int, { nullable: true, defaultValue: 0, description: 'Table rating, 0 (none) to 8.' })
  tableRating?: number;

  @Field(() => PaymentMode, { nullable: true, defaultValue: 'MONTHLY', description: 'How often the client pays.' })
  paymentMode?: PaymentMode;

  @Field(() => [WritingAgentInput], {
    nullable: true,
    description: "The writing agents and their splits, summing to 100, the case's agent among them; the case's agent at 100% when omitted.",
  })
  writingAgents?: WritingAgentInput[] | null;
}
