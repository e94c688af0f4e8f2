import { Field, Float, ID, InputType, ObjectType } from 'type-graphql';
import { Agent } from '../agent/agent.type';

/** A writing agent of a submission and their share of it. */
@InputType({ description: 'A writing agent of a case and their share of its commission (the splits of a case sum to 100).' })
export class WritingAgentInput {
  @Field(() => ID, { description: 'The writing agent (agt_...): a known agent, listed once.' })
  agentId!: string;

  @Field(() => Float, { description: 'Their share in percent, more than 0 and at most 100, with at most two decimals (60 for 60%).' })
  splitPercent!: number;
}

/** A case's writing agent as the schema shows it (commission.resolver.ts resolves Case.writingAgents). */
@ObjectType({ description: "A writing agent of a case and their share of the case's commission." })
export class CaseWritingAgent {
  @Field(() => Agent, { description: 'The writing agent.' })
  agent!: Agent;

  @Field(() => Float, { description: 'Their share in percent (the splits of a case sum to 100).' })
  splitPercent!: number;
}
