import { Field, ID, ObjectType } from 'type-graphql';
import { DateScalar, DateTimeScalar } from '../../platform/scalars';
import { RequirementCode, RequirementStatus } from '../shared/enums';
import type { Escalation, VendorCode, VendorDetails, VendorStage } from './domain/requirement-vendors';

export interface RequirementRow {
  id: string;
  caseId: string;
  code: RequirementCode;
  status: RequirementStatus;
  orderedAt: string;
  receivedAt: string | null;
  followUpOn: string | null;
  note: string | null;
  /** The carrier's own id for this requirement, once the carrier has reported it. */
  carrierRequirementId: string | null;
  /** The carrier's text, for a requirement it added that none of our codes names (code OTHER). */
  description: string | null;
  /** The vendor the requirement is ordered from (domain/requirement-vendors.ts), or null. */
  vendor: VendorCode | null;
  vendorOrderId: string | null;
  vendorStage: VendorStage | null;
  vendorStageAt: string | null;
  /** The highest vendor event sequence applied. */
  vendorSequence: number;
  /** What the vendor told us beyond the stage (appointment, provider's expected date); never personal data. */
  vendorDetails: VendorDetails | null;
  /** How many follow-ups the job has made. */
  followUps: number;
  escalation: Escalation;
  /** The day the requirement became overdue, while it is. */
  overdueSince: string | null;
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

  @Field(() => String, {
    nullable: true,
    description:
      "The carrier's own id for this requirement, once the carrier has reported it (carrier sync matches on it, never on the code).",
  })
  carrierRequirementId!: string | null;

  @Field(() => String, { nullable: true, description: "The carrier's description, for a requirement the carrier added (code OTHER)." })
  description!: string | null;
}
