import { Field, ID, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../../../platform/scalars';
import { AgentEventType, State } from '../../shared/enums';
import type { AgentEventRow } from './agent-event.repository';

@ObjectType({ description: "One entry of an agent's append-only history: contracting, licensing, appointments, hierarchy." })
export class AgentEvent implements Omit<AgentEventRow, 'agentId' | 'carrierId'> {
  @Field(() => ID, { description: 'Opaque id; later events have larger ids.' })
  id!: string;

  @Field(() => DateTimeScalar, { description: 'When it happened.' })
  at!: string;

  @Field(() => AgentEventType, { description: 'What happened.' })
  type!: AgentEventType;

  @Field(() => String, { description: "Who or what made the change: a user id, or a background job's name." })
  actor!: string;

  @Field(() => State, { nullable: true, description: 'The state it concerns (licenses, appointments); null otherwise.' })
  state!: string | null;

  @Field(() => String, { nullable: true, description: 'The status before (status changes only).' })
  fromStatus!: string | null;

  @Field(() => String, { nullable: true, description: 'The status after (status changes only).' })
  toStatus!: string | null;

  @Field(() => String, { nullable: true, description: 'A note for staff; never personal data.' })
  note!: string | null;

  carrierId!: string | null;
}
