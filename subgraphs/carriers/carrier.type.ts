import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { AgeBasis, AmBestRating } from '../shared/enums';
import type { CircuitStateName } from './carrier-policy';
import type { Carrier as CatalogCarrier } from './domain/carrier';

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

/** A row of carriers.carrier, as the resolvers see it: the domain's Carrier, its protocol as stored (any text). */
export interface CarrierRow extends Omit<CatalogCarrier, 'protocol'> {
  protocol: string;
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
