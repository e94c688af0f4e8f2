import { Directive, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateScalar } from '../../platform/scalars';
import { AgentStatus, State } from '../shared/enums';
import { PageInfo } from '../shared/pagination';

/** A database row of agents.agent, as the resolvers see it. */
export interface AgentRow {
  id: string;
  npn: string;
  firstName: string;
  lastName: string;
  email: string;
  residentState: string;
  status: AgentStatus;
  uplineId: string | null;
  eoExpiresOn: string | null;
  amlTrainedOn: string | null;
}

@ObjectType({ description: 'An independent agent (producer) contracted with the BGA.' })
@Directive('@key(fields: "id")')
export class Agent implements AgentRow {
  @Field(() => ID, { description: 'Opaque id, prefixed agt_.' })
  id!: string;

  @Field(() => String, { description: 'National Producer Number.' })
  npn!: string;

  @Field(() => String, { description: 'First name (personal data).' })
  firstName!: string;

  @Field(() => String, { description: 'Last name (personal data).' })
  lastName!: string;

  @Field(() => String, { description: 'Email address (personal data).' })
  email!: string;

  @Field(() => State, { description: 'Home state: where the agent holds the resident license.' })
  residentState!: string;

  @Field(() => AgentStatus, { description: 'Standing with the BGA: only ACTIVE agents write business.' })
  status!: AgentStatus;

  @Field(() => DateScalar, { nullable: true, description: 'Last day of errors-and-omissions coverage; null when none is on file.' })
  eoExpiresOn!: string | null;

  @Field(() => DateScalar, {
    nullable: true,
    description: 'Day of the last anti-money-laundering training (annuities only; not checked in v1).',
  })
  amlTrainedOn!: string | null;

  uplineId!: string | null;
}

@ObjectType({ description: 'An edge of an agent list.' })
export class AgentEdge {
  @Field(() => String, { description: 'Opaque cursor of this edge.' })
  cursor!: string;

  @Field(() => Agent, { description: 'The agent.' })
  node!: Agent;
}

@ObjectType({ description: 'A page of agents.' })
export class AgentConnection {
  @Field(() => [AgentEdge], { description: 'The agents of this page, ordered by id.' })
  edges!: AgentEdge[];

  @Field(() => PageInfo, { description: 'Where this page sits in the list.' })
  pageInfo!: PageInfo;

  /** Counted only when selected: the resolver receives the filter and runs count(*) lazily. */
  @Field(() => Int, { description: 'Agents matching the filter, over all pages (computed only when selected).' })
  totalCount!: number;
}

@InputType({ description: 'Which agents to list.' })
export class AgentFilter {
  @Field(() => [AgentStatus], { nullable: true, description: 'Only these statuses.' })
  statuses?: AgentStatus[];

  @Field(() => State, { nullable: true, description: 'Only agents whose home state is this.' })
  residentState?: string;

  @Field(() => String, {
    nullable: true,
    description: 'NPN prefix, or the start of the last name (case-insensitive); at most 100 characters.',
  })
  search?: string;
}

@InputType({ description: 'A new agent.' })
export class CreateAgentInput {
  @Field(() => String, { description: 'National Producer Number: 1 to 10 digits, unique.' })
  npn!: string;

  @Field(() => String, { description: 'First name.' })
  firstName!: string;

  @Field(() => String, { description: 'Last name.' })
  lastName!: string;

  @Field(() => String, { description: 'Email address.' })
  email!: string;

  @Field(() => State, { description: 'Home state.' })
  residentState!: string;

  @Field(() => ID, { nullable: true, description: 'The upline agent or agency, if any.' })
  uplineId?: string;
}
