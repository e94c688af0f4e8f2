import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { State } from '../../shared/enums';

/** The agents subgraph's view of Carrier: only the contracting data it owns. */
@ObjectType({ description: 'An insurance carrier the BGA is appointed with.' })
@Directive('@key(fields: "id")')
export class Carrier {
  @Field(() => ID, { description: 'Opaque id, prefixed car_.' })
  id!: string;

  @Field(() => [State], {
    description: 'States where this carrier requires an ACTIVE appointment before the application; elsewhere appointment is just-in-time.',
  })
  preAppointmentStates!: string[];
}
