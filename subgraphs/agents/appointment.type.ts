import { Field, ObjectType } from 'type-graphql';
import { DateScalar } from '../../platform/scalars';
import { AppointmentStatus, State } from '../shared/enums';

@ObjectType({ description: "A carrier's appointment of an agent in one state." })
export class Appointment {
  @Field(() => State, { description: 'The state the appointment is for.' })
  state!: string;

  @Field(() => AppointmentStatus, { description: 'Requested, active or terminated.' })
  status!: AppointmentStatus;

  @Field(() => String, { nullable: true, description: "The carrier's producer id for this agent." })
  writingNumber!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'The day the appointment became active.' })
  effectiveOn!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'The day the appointment ended.' })
  terminatedOn!: string | null;

  id!: string;
  agentId!: string;
  carrierId!: string;
}
