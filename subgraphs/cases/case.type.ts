import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CaseStatus, Gender, HealthClass, PaymentMode, RequirementCode, RequirementStatus, State } from '../shared/enums';
import { PageInfo } from '../shared/pagination';
import { DateScalar, DateTimeScalar } from '../../platform/scalars';

export const CASE_EVENT_TYPES = [
  'STATUS_CHANGED',
  'REQUIREMENT_ORDERED',
  'REQUIREMENT_RECEIVED',
  'REQUIREMENT_WAIVED',
  'NOTE',
  'CARRIER_SYNC',
  'SUBMITTED_TO_CARRIER',
  'SUBMISSION_REJECTED',
  'APPOINTMENT_REQUESTED',
] as const;
export type CaseEventType = (typeof CASE_EVENT_TYPES)[number];
export const CaseEventType = Object.fromEntries(CASE_EVENT_TYPES.map((t) => [t, t])) as { [K in CaseEventType]: K };
registerEnumType(CaseEventType, {
  name: 'CaseEventType',
  description: 'What happened to a case.',
  valuesConfig: {
    STATUS_CHANGED: { description: 'A person moved the case to another status.' },
    REQUIREMENT_ORDERED: { description: 'A requirement was ordered.' },
    REQUIREMENT_RECEIVED: { description: 'A requirement was received.' },
    REQUIREMENT_WAIVED: { description: 'A requirement was waived, with a reason.' },
    NOTE: { description: 'A note was added.' },
    CARRIER_SYNC: { description: 'The carrier reported a change (actor carrier:<carrierId>).' },
    SUBMITTED_TO_CARRIER: { description: 'The application reached the carrier, which accepted it.' },
    SUBMISSION_REJECTED: { description: 'The carrier rejected the application; the note carries its message.' },
    APPOINTMENT_REQUESTED: { description: 'A just-in-time appointment was requested with the submission.' },
  },
});

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

export interface RequirementRow {
  id: string;
  caseId: string;
  code: RequirementCode;
  status: RequirementStatus;
  orderedAt: string;
  receivedAt: string | null;
  followUpOn: string | null;
  note: string | null;
}

@ObjectType({ description: 'An underwriting or delivery requirement of a case.' })
export class Requirement {
  @Field(() => ID, { description: 'Opaque id, prefixed req_.' })
  id!: string;

  @Field(() => RequirementCode, { description: 'What is required.' })
  code!: RequirementCode;

  @Field(() => RequirementStatus, { description: 'Ordered, received, waived or cancelled.' })
  status!: RequirementStatus;

  @Field(() => DateTimeScalar, { description: 'When it was ordered.' })
  orderedAt!: string;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was received.' })
  receivedAt!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'The day to chase it if it has not arrived.' })
  followUpOn!: string | null;

  @Field(() => String, { nullable: true, description: 'A note (for a waiver: the reason).' })
  note!: string | null;
}

export interface CaseEventRow {
  caseId: string;
  at: string;
  type: CaseEventType;
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus | null;
  requirementCode: RequirementCode | null;
  actor: string;
  note: string | null;
}

@ObjectType({ description: "One entry of a case's append-only history." })
export class CaseEvent {
  @Field(() => DateTimeScalar, { description: 'When it happened.' })
  at!: string;

  @Field(() => CaseEventType, { description: 'What happened.' })
  type!: CaseEventType;

  @Field(() => CaseStatus, { nullable: true, description: 'The status before, for status changes.' })
  fromStatus!: CaseStatus | null;

  @Field(() => CaseStatus, { nullable: true, description: 'The status after, for status changes.' })
  toStatus!: CaseStatus | null;

  @Field(() => RequirementCode, { nullable: true, description: 'The requirement, for requirement events.' })
  requirementCode!: RequirementCode | null;

  @Field(() => String, { description: 'Who: a user id, system:<worker>, or carrier:<carrierId> for what a carrier sent.' })
  actor!: string;

  @Field(() => String, { nullable: true, description: 'Free text: a note, a reason, a carrier message.' })
  note!: string | null;
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
