import { ID, Field, ObjectType, registerEnumType } from 'type-graphql';
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
  'REQUIREMENT_SENT_TO_VENDOR',
  'REQUIREMENT_VENDOR_STATUS',
  'REQUIREMENT_FOLLOW_UP',
  'REQUIREMENT_ESCALATED',
  'REQUIREMENT_CANCELLED',
  'CASE_MANAGER_ASSIGNED',
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
    REQUIREMENT_SENT_TO_VENDOR: { description: 'A requirement was ordered from its vendor (exam or APS), which acknowledged the order.' },
    REQUIREMENT_VENDOR_STATUS: {
      description: "The requirement's vendor reported a new stage (by webhook or when asked); the note names the stage.",
    },
    REQUIREMENT_FOLLOW_UP: { description: 'The follow-up job chased an outstanding requirement (asked its vendor for news).' },
    REQUIREMENT_ESCALATED: {
      description: 'An outstanding requirement was escalated (to the case manager, then to the agent); the note says to whom.',
    },
    REQUIREMENT_CANCELLED: { description: 'A requirement was cancelled (at its vendor too, when it had one).' },
    CASE_MANAGER_ASSIGNED: { description: 'The case was assigned to a case manager (actor: who assigned it; note: the case manager).' },
  },
});

export interface CaseEventRow {
  caseId: string;
  at: string;
  type: CaseEventType;
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus | null;
  requirementCode: RequirementCode | null;
  /** The requirement the event is about, for requirement events written since requirements have their own history. */
  requirementId: string | null;
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

  @Field(() => ID, {
    nullable: true,
    description: 'The requirement, for requirement events (null on events recorded before requirements had ids in the history).',
  })
  requirementId!: string | null;

  @Field(() => String, { description: 'Who: a user id, system:<worker>, or carrier:<carrierId> for what a carrier sent.' })
  actor!: string;

  @Field(() => String, { nullable: true, description: 'Free text: a note, a reason, a carrier message.' })
  note!: string | null;
}
