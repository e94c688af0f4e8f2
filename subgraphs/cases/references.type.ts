import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** Entities other subgraphs own; this subgraph only points at them by id. */
@ObjectType({ description: 'An insurance carrier (resolved by the carriers subgraph).' })
@Directive('@key(fields: "id")')
export class Carrier {
  @Field(() => ID, { description: 'Opaque id, prefixed car_.' })
  id!: string;
}

@ObjectType({ description: 'A carrier product (resolved by the carriers subgraph).' })
@Directive('@key(fields: "id")')
export class Product {
  @Field(() => ID, { description: 'Opaque id, prefixed prd_.' })
  id!: string;
}

@ObjectType({ description: "An agent (resolved by the agents subgraph); this subgraph adds the agent's cases." })
@Directive('@key(fields: "id")')
export class Agent {
  @Field(() => ID, { description: 'Opaque id, prefixed agt_.' })
  id!: string;
}
