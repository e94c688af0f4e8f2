import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '../../platform/scalars';
import { CaseStatus, RequirementCode } from '../shared/enums';

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
  'CHANGE_REQUESTED',
  'CHANGE_ACCEPTED',
  'CHANGE_REJECTED',
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
    CHANGE_REQUESTED: {
      description: 'A change to the pending case was requested (Case.changes); the note names the kinds of change, never their values.',
    },
    CHANGE_ACCEPTED: { description: 'The carrier accepted a requested change; the note names its kinds and carries the carrier message.' },
    CHANGE_REJECTED: { description: "The carrier rejected a requested change; the note carries the carrier's message." },
  },
});

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
