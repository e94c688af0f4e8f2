import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** Entities the carriers subgraph owns; this subgraph only points at them by id. */
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
