import { Directive, Field, ID, InputType, ObjectType } from 'type-graphql';
import { DateScalar } from '../../platform/scalars';
import { State } from '../shared/enums';

/**
 * The types of the SERVICE-only operations the agents subgraph's appointment filing worker asks this
 * subgraph for directly: file a producer appointment request with a carrier, and read the carrier's
 * answers. Each is @inaccessible, like the fields that use them: none is in the public API.
 */

@Directive('@inaccessible')
@InputType({ description: 'A producer appointment request to file with a carrier. SERVICE only (the agents filing worker).' })
export class CarrierAppointmentInput {
  @Field(() => String, { description: 'Our appointment id: the carrier deduplicates on it, so a resend never files twice.' })
  reference!: string;

  @Field(() => ID, { description: 'The carrier (car_...).' })
  carrierId!: string;

  @Field(() => String, { description: "The producer's National Producer Number." })
  npn!: string;

  @Field(() => State, { description: 'The state of the appointment.' })
  state!: string;

  @Field(() => String, { description: 'PRE_APPOINTMENT or JUST_IN_TIME (AppointmentFiling).' })
  filing!: string;

  @Field(() => DateScalar, { nullable: true, description: 'Just-in-time: the date of the application the filing goes with.' })
  applicationOn?: string | null;
}

@Directive('@inaccessible')
@ObjectType({ description: "The carrier's answer to an appointment filing." })
export class CarrierAppointmentFiling {
  @Field(() => Boolean, { description: 'True when the carrier received the request (it decides later).' })
  received!: boolean;

  @Field(() => String, { nullable: true, description: "The carrier's id for the request, when received." })
  carrierReference!: string | null;

  @Field(() => String, { nullable: true, description: "The carrier's words when it refused the request, or what went wrong." })
  message!: string | null;

  @Field(() => Boolean, {
    description: 'True when the filing should be sent again later with the same reference (the carrier could not be reached).',
  })
  retryable!: boolean;

  @Field(() => String, { nullable: true, description: 'CARRIER.* failure code when not received.' })
  failureCode!: string | null;
}

@Directive('@inaccessible')
@ObjectType({ description: 'An appointment request as the carrier reports it now. SERVICE only.' })
export class CarrierAppointmentReport {
  @Field(() => String, { description: "The carrier's id for the request." })
  carrierReference!: string;

  @Field(() => String, { description: "The carrier's own status code." })
  carrierStatusCode!: string;

  @Field(() => String, {
    nullable: true,
    description: 'SUBMITTED (received, undecided), ACTIVE, REJECTED or TERMINATED; null when the carrier sent a code we do not map.',
  })
  status!: string | null;

  @Field(() => String, { nullable: true, description: "The carrier's producer id for the agent, once ACTIVE." })
  writingNumber!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'The day the appointment took effect.' })
  effectiveOn!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'The day the appointment ended.' })
  terminatedOn!: string | null;

  @Field(() => String, { nullable: true, description: "The carrier's reason for a rejection or termination, in its words." })
  reason!: string | null;
}
