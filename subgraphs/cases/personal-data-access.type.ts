import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '../../platform/scalars';
import { PageInfo } from '../shared/pagination';

export const PersonalDataSubjectKind = { APPLICATION: 'APPLICATION', CASE: 'CASE' } as const;
export type PersonalDataSubjectKind = keyof typeof PersonalDataSubjectKind;
registerEnumType(PersonalDataSubjectKind, {
  name: 'PersonalDataSubjectKind',
  description: 'What holds the personal data that was read.',
  valuesConfig: {
    APPLICATION: { description: 'An application (e-application) before it becomes a case.' },
    CASE: { description: 'A submitted case.' },
  },
});

/** One full read of one personal data field, as the log stores it. */
export interface PersonalDataAccessRow {
  id: number;
  at: string;
  actorSub: string;
  actorRole: string;
  subjectKind: PersonalDataSubjectKind;
  subjectId: string;
  field: string;
  requestId: string;
  reason: string | null;
}

@ObjectType({
  description: 'One read of personal data in full (unmasked), as the access log recorded it. The value itself is never logged.',
})
export class PersonalDataAccess {
  @Field(() => ID, { description: 'The log entry id.' })
  id!: string;

  @Field(() => DateTimeScalar, { description: 'When the value was read.' })
  at!: string;

  @Field(() => String, { description: "Who read it: the caller's stable subject (a user id, an agent id or service:<name>)." })
  actor!: string;

  @Field(() => String, { description: "The caller's role at the time: AGENT, STAFF, ADMIN or SERVICE." })
  actorRole!: string;

  @Field(() => PersonalDataSubjectKind, { description: 'What holds the value.' })
  subjectKind!: PersonalDataSubjectKind;

  @Field(() => ID, { description: 'The id of the application or case that holds the value.' })
  subjectId!: string;

  @Field(() => String, { description: 'Which value was read, by field name (e.g. insured.ssn), never the value.' })
  field!: string;

  @Field(() => String, { description: 'The request id of the read (x-request-id), to find it in the other logs.' })
  requestId!: string;

  @Field(() => String, { nullable: true, description: 'Why a service read it, when it gave a reason.' })
  reason!: string | null;
}

@ObjectType({ description: 'An edge of the personal data access log.' })
export class PersonalDataAccessEdge {
  @Field(() => String, { description: 'Opaque cursor of this edge.' })
  cursor!: string;

  @Field(() => PersonalDataAccess, { description: 'The log entry.' })
  node!: PersonalDataAccess;
}

@ObjectType({ description: 'A page of the personal data access log, newest first.' })
export class PersonalDataAccessConnection {
  @Field(() => [PersonalDataAccessEdge], { description: 'The entries of this page, newest first.' })
  edges!: PersonalDataAccessEdge[];

  @Field(() => PageInfo, { description: 'Where this page sits in the log.' })
  pageInfo!: PageInfo;
}

@InputType({ description: 'Which access log entries. Every condition given must hold.' })
export class PersonalDataAccessFilter {
  @Field(() => ID, { nullable: true, description: 'Only reads of this application or case.' })
  subjectId?: string;

  @Field(() => String, { nullable: true, description: "Only reads by this actor (the caller's subject, e.g. user:... or agt_...)." })
  actor?: string;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Only reads at or after this instant.' })
  from?: string;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Only reads before this instant.' })
  to?: string;
}
