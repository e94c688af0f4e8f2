import { Directive, Field, ID, InputType, Int, ObjectType, Float, registerEnumType } from 'type-graphql';
import { AgeBasis, AmBestRating, HealthClass, ProductType, State, type StateCode } from '../shared/enums';
import type { CircuitStateName } from './carrier-policy';

export const CircuitState = {
  CLOSED: 'CLOSED',
  OPEN: 'OPEN',
  HALF_OPEN: 'HALF_OPEN',
} as const satisfies Record<CircuitStateName, CircuitStateName>;
registerEnumType(CircuitState, {
  name: 'CircuitState',
  description: "State of the circuit breaker in front of a carrier's system.",
  valuesConfig: {
    CLOSED: { description: 'Calls go through: the carrier answers normally.' },
    OPEN: { description: 'Repeated failures: calls are refused without reaching the carrier until a cooldown passes.' },
    HALF_OPEN: { description: 'The cooldown has passed: the next call tests the carrier and closes or reopens the circuit.' },
  },
});

/** A row of carriers.carrier, as the resolvers see it. */
export interface CarrierRow {
  id: string;
  code: string;
  name: string;
  naicCode: string;
  amBestRating: AmBestRating;
  ageBasis: AgeBasis;
  protocol: string;
}

/** Issue-age limits for one level-premium period, as stored in carriers.product.terms. */
export interface ProductTermRow {
  years: number;
  minIssueAge: number;
  maxIssueAge: number;
}

/** A row of carriers.product, as the resolvers see it. */
export interface ProductRow {
  id: string;
  carrierId: string;
  code: string;
  name: string;
  type: ProductType;
  terms: ProductTermRow[];
  /** The years of `terms`, ascending; empty for anything but TERM. */
  termYears: number[];
  minIssueAge: number;
  maxIssueAge: number;
  minFaceAmount: number;
  maxFaceAmount: number;
  healthClasses: HealthClass[];
  availableStates: StateCode[];
  fullyUnderwritten: boolean;
}

@ObjectType({ description: "What the carriers subgraph has seen of a carrier's system lately." })
export class CarrierHealth {
  @Field(() => CircuitState, { description: "The circuit breaker's state for this carrier." })
  circuit!: CircuitStateName;

  @Field(() => Float, { description: 'Share of failed calls over the recent window, 0..1 (0 when no call was made yet).' })
  recentErrorRate!: number;

  @Field(() => Int, { nullable: true, description: 'Median latency of recent calls in milliseconds; null when no call was made yet.' })
  p50LatencyMs!: number | null;
}

@ObjectType({ description: 'Issue-age limits of a product for one level-premium period: long terms stop at lower ages.' })
export class ProductTerm implements ProductTermRow {
  @Field(() => Int, { description: 'Length of the level-premium period in years.' })
  years!: number;

  @Field(() => Int, { description: 'Youngest issue age for this period.' })
  minIssueAge!: number;

  @Field(() => Int, { description: 'Oldest issue age for this period.' })
  maxIssueAge!: number;
}

@ObjectType({ description: 'An insurance carrier the BGA is appointed with.' })
@Directive('@key(fields: "id")')
export class Carrier implements Omit<CarrierRow, 'code' | 'protocol'> {
  @Field(() => ID, { description: 'Opaque id, prefixed car_.' })
  id!: string;

  @Field(() => String, { description: "The carrier's name." })
  name!: string;

  @Field(() => String, { description: "The carrier's NAIC company code." })
  naicCode!: string;

  @Field(() => AmBestRating, { description: 'AM Best financial strength rating.' })
  amBestRating!: AmBestRating;

  @Field(() => AgeBasis, { description: 'How this carrier computes issue age.' })
  ageBasis!: AgeBasis;
}

@ObjectType({ description: 'A life insurance product a carrier offers through the BGA.' })
@Directive('@key(fields: "id")')
export class Product {
  @Field(() => ID, { description: 'Opaque id, prefixed prd_.' })
  id!: string;

  @Field(() => String, { description: "The carrier's product code." })
  code!: string;

  @Field(() => String, { description: "The product's marketing name." })
  name!: string;

  @Field(() => ProductType, { description: 'Kind of product.' })
  type!: ProductType;

  @Field(() => [Int], { description: 'Level-premium periods offered, in years, ascending (TERM only; empty otherwise).' })
  termYears!: number[];

  @Field(() => [ProductTerm], { description: 'Issue-age limits per period: long terms stop at lower ages.' })
  terms!: ProductTermRow[];

  @Field(() => Int, { description: 'Youngest issue age for any period.' })
  minIssueAge!: number;

  @Field(() => Int, { description: 'Oldest issue age for any period.' })
  maxIssueAge!: number;

  @Field(() => Int, { description: 'Smallest face amount in whole dollars.' })
  minFaceAmount!: number;

  @Field(() => Int, { description: 'Largest face amount in whole dollars.' })
  maxFaceAmount!: number;

  @Field(() => [HealthClass], { description: 'Health classes this product offers.' })
  healthClasses!: HealthClass[];

  @Field(() => [State], { description: 'States where the product is sold.' })
  availableStates!: string[];
}

@InputType({ description: 'Which products to list; every product when omitted.' })
export class ProductFilter {
  @Field(() => [ID], { nullable: true, description: 'Only products of these carriers (car_...).' })
  carrierIds?: string[];

  @Field(() => ProductType, { nullable: true, description: 'Only products of this type.' })
  type?: ProductType;

  @Field(() => State, { nullable: true, description: 'Only products sold in this state.' })
  state?: string;
}
