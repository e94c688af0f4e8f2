import { Field, Int, ObjectType } from 'type-graphql';
import { DateScalar, DateTimeScalar } from '../../platform/scalars';
import { AppointmentFiling, AppointmentStatus, State } from '../shared/enums';

@ObjectType({ description: "A carrier's appointment of an agent in one state." })
export class Appointment {
  @Field(() => State, { description: 'The state the appointment is for.' })
  state!: string;

  @Field(() => AppointmentStatus, {
    description:
      'REQUESTED (not yet at the carrier), SUBMITTED (the carrier received it), ACTIVE, REJECTED (see rejectionReason) or TERMINATED.',
  })
  status!: AppointmentStatus;

  @Field(() => String, { nullable: true, description: "The carrier's producer id for this agent." })
  writingNumber!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'The day the appointment became active.' })
  effectiveOn!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'The day the appointment ended.' })
  terminatedOn!: string | null;

  @Field(() => AppointmentFiling, {
    description:
      "When it is filed with the carrier: before any application (the carrier's pre-appointment states) or with the first application.",
  })
  filing!: AppointmentFiling;

  @Field(() => DateScalar, {
    nullable: true,
    description: 'Just-in-time: the date of the application the filing goes with; null for pre-appointment.',
  })
  applicationOn!: string | null;

  @Field(() => DateScalar, {
    nullable: true,
    description: 'Just-in-time: the last day the carrier may receive the filing (15 days after the application); null for pre-appointment.',
  })
  filingDueOn!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the carrier received the request; null while it is still to be sent.' })
  submittedAt!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the carrier decided (appointed or rejected); null while undecided.' })
  decidedAt!: string | null;

  @Field(() => String, { nullable: true, description: "The carrier's reason, in its words, when it rejected the appointment." })
  rejectionReason!: string | null;

  id!: string;
  agentId!: string;
  carrierId!: string;
}

@ObjectType({ description: 'Appointments of one carrier, state and status: where contracting waits on carriers.' })
export class AppointmentMetric {
  @Field(() => State, { description: 'The state.' })
  state!: string;

  @Field(() => AppointmentStatus, { description: 'The status counted.' })
  status!: AppointmentStatus;

  @Field(() => Int, { description: 'How many appointments.' })
  count!: number;

  @Field(() => Int, {
    description: 'Among them, just-in-time filings the carrier had not received by their 15-day deadline (REQUESTED only; 0 otherwise).',
  })
  overdueFilings!: number;

  @Field(() => DateTimeScalar, { description: 'When the oldest of them was requested: how long the queue has waited.' })
  oldestRequestedAt!: string;

  carrierId!: string;
}
