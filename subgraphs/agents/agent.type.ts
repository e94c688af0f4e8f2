import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { AgentStatus, AppointmentStatus, LineOfAuthority, State } from '../shared/enums';
import { PageInfo } from '../shared/pagination';
import { DateScalar } from '../../platform/scalars';
import type { EligibilityReason as EligibilityReasonCode } from './eligibility';

export const EligibilityReason = {
  AGENT_NOT_ACTIVE: 'AGENT_NOT_ACTIVE',
  NOT_LICENSED_IN_STATE: 'NOT_LICENSED_IN_STATE',
  LICENSE_EXPIRED: 'LICENSE_EXPIRED',
  NO_LIFE_AUTHORITY: 'NO_LIFE_AUTHORITY',
  NOT_APPOINTED: 'NOT_APPOINTED',
  EO_EXPIRED: 'EO_EXPIRED',
} as const satisfies Record<EligibilityReasonCode, EligibilityReasonCode>;
registerEnumType(EligibilityReason, {
  name: 'EligibilityReason',
  description: "Why an agent may not write a carrier's business in a state.",
  valuesConfig: {
    AGENT_NOT_ACTIVE: { description: 'The agent is not ACTIVE with the BGA.' },
    NOT_LICENSED_IN_STATE: 'No license in the state (resident in the home state, non-resident elsewhere).',
    LICENSE_EXPIRED: 'The license in the state is expired, revoked or not yet effective.',
    NO_LIFE_AUTHORITY: 'The active license lacks the LIFE line of authority.',
    NOT_APPOINTED: 'Pre-appointment state and no ACTIVE appointment with the carrier.',
    EO_EXPIRED: 'Errors-and-omissions coverage missing or expired.',
  } as never,
});

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

@ObjectType({ description: 'A state insurance license held by an agent.' })
export class License {
  @Field(() => State, { description: 'The licensing state.' })
  state!: string;

  @Field(() => String, { description: "The state's license number." })
  number!: string;

  @Field(() => Boolean, { description: 'True for the home-state (resident) license; false for a non-resident license.' })
  resident!: boolean;

  @Field(() => [LineOfAuthority], { description: 'Lines of business the license authorizes.' })
  linesOfAuthority!: LineOfAuthority[];

  @Field(() => DateScalar, { description: 'First day the license is valid.' })
  effectiveOn!: string;

  @Field(() => DateScalar, { description: 'Last day the license is valid.' })
  expiresOn!: string;

  @Field(() => Boolean, { description: 'Effective, not expired and not revoked today (UTC).' })
  active!: boolean;

  revoked!: boolean;
  agentId!: string;
}

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

@ObjectType({ description: "Whether an agent may write a carrier's business for an insured in a state today." })
export class Eligibility {
  @Field(() => Boolean, { description: 'True when every licensing and contracting rule is met.' })
  eligible!: boolean;

  @Field(() => [EligibilityReason], { description: 'Every rule not met; empty when eligible.' })
  reasons!: EligibilityReasonCode[];

  @Field(() => Boolean, {
    description:
      'True in a just-in-time state with no active or requested appointment: eligible, and submitting a case requests the appointment.',
  })
  appointmentWillBeRequested!: boolean;
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

@InputType({ description: 'A state license to record for an agent.' })
export class LicenseInput {
  @Field(() => State, { description: 'The licensing state.' })
  state!: string;

  @Field(() => String, { description: "The state's license number." })
  number!: string;

  @Field(() => Boolean, { description: 'True for the home-state license.' })
  resident!: boolean;

  @Field(() => [LineOfAuthority], { description: 'Lines of authority granted.' })
  linesOfAuthority!: LineOfAuthority[];

  @Field(() => DateScalar, { description: 'First valid day.' })
  effectiveOn!: string;

  @Field(() => DateScalar, { description: 'Last valid day (on or after effectiveOn).' })
  expiresOn!: string;
}
