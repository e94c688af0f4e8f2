import { Field, ID, ObjectType } from 'type-graphql';
import { DateScalar, DateTimeScalar } from '../../platform/scalars';
import { RequirementCode, RequirementStatus } from '../shared/enums';

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
