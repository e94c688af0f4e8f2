import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The agents subgraph's entity; this subgraph points at agents by id and adds their cases (agent-cases.resolver.ts). */
@ObjectType({ description: "An agent (resolved by the agents subgraph); this subgraph adds the agent's cases." })
@Directive('@key(fields: "id")')
export class Agent {
  @Field(() => ID, { description: 'Opaque id, prefixed agt_.' })
  id!: string;
}
