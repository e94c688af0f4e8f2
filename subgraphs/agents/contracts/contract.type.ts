import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { DateScalar } from '../../../platform/scalars';
import { LapseChargeback } from '../../shared/enums';
import type { LapseChargebackCode } from '../../shared/vocabulary';
import type { CommissionScheduleRow, ContractRow, HierarchyPeriodRow } from './contract.repository';

/** Products are the carriers subgraph's: this subgraph only points at them by id. */
@ObjectType({ description: 'A carrier product (resolved by the carriers subgraph).' })
@Directive('@key(fields: "id", resolvable: false)')
export class Product {
  @Field(() => ID, { description: 'Opaque id, prefixed prd_.' })
  id!: string;
}

@ObjectType({ description: "One of a carrier's contract levels (commission schedules), e.g. L120, L100, L85." })
export class ContractLevel {
  @Field(() => String, { description: 'The level code, e.g. L100.' })
  code!: string;

  @Field(() => Int, { description: "The level's place in the carrier's order: a higher rank is a higher level." })
  rank!: number;

  @Field(() => Boolean, { description: "True for the level of the BGA's own contract with this carrier." })
  heldByBga!: boolean;
}

@ObjectType({ description: "The BGA's own contract with a carrier: the level the carrier pays the BGA at." })
export class BgaContract implements Pick<ContractRow, 'levelCode' | 'effectiveOn'> {
  @Field(() => String, { description: "The BGA's contract level with the carrier, e.g. L120." })
  levelCode!: string;

  @Field(() => DateScalar, { description: 'Since when.' })
  effectiveOn!: string;
}

@ObjectType({ description: "What a contract level earns on a carrier product: a row of the carrier's commission schedule." })
export class CommissionSchedule implements Omit<CommissionScheduleRow, 'carrierId' | 'productId'> {
  @Field(() => Product, { description: 'The product.' })
  product!: Product;

  @Field(() => String, { description: 'The contract level, e.g. L85.' })
  levelCode!: string;

  @Field(() => Int, { description: 'First-year commission, in basis points of first-year premium (85% = 8500).' })
  firstYearBasisPoints!: number;

  @Field(() => Int, { description: "Renewal commission in years 2 to renewalYears, in basis points of that year's premium." })
  renewalBasisPoints!: number;

  @Field(() => Int, { description: 'The last policy year that pays renewal commission.' })
  renewalYears!: number;

  @Field(() => Int, { description: 'A lapse in policy months 1 to this many charges first-year commission back.' })
  chargebackMonths!: number;

  @Field(() => LapseChargeback, { description: 'How much a lapse inside the chargeback period takes back.' })
  lapseChargeback!: LapseChargebackCode;
}

@ObjectType({ description: "An agent's or agency's contract with a carrier: its contract level there." })
export class AgentContract implements Pick<ContractRow, 'levelCode' | 'effectiveOn'> {
  @Field(() => String, { description: "The contract level, e.g. L85; never above the upline's level with the carrier." })
  levelCode!: string;

  @Field(() => DateScalar, { description: 'Since when the contract has been at this level.' })
  effectiveOn!: string;

  carrierId!: string;
}

@ObjectType({ description: "A period of an agent's place in the hierarchy: under whom, from when, until when." })
export class UplinePeriod implements Omit<HierarchyPeriodRow, 'agentId' | 'uplineId'> {
  @Field(() => DateScalar, { nullable: true, description: 'First day of the period; null: since the agent was added.' })
  validFrom!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'The day the period ended (not part of it); null: the current period.' })
  validTo!: string | null;

  uplineId!: string | null;
}

// The internal commission chain (Query.commissionChains, SERVICE only): @inaccessible like the field.

@ObjectType({ description: 'Internal: one party of a commission chain and its rates for the carrier and product.' })
@Directive('@inaccessible')
export class CommissionChainLevel {
  @Field(() => ID, { description: 'agt_... for the writing agent and each upline; "BGA" for the BGA (the last element).' })
  partyId!: string;

  @Field(() => String, { description: 'The contract level, e.g. L85.' })
  levelCode!: string;

  @Field(() => Int, { description: "The level's first-year rate for this carrier and product, in basis points (85% = 8500)." })
  firstYearBasisPoints!: number;

  @Field(() => Int, { description: 'The renewal rate, years 2..renewalYears, in basis points.' })
  renewalBasisPoints!: number;

  @Field(() => Int, { description: 'The last policy year paying renewal commission.' })
  renewalYears!: number;
}

@ObjectType({ description: "Internal: who is paid on a writing agent's business and at what levels, as of a date." })
@Directive('@inaccessible')
export class CommissionChain {
  @Field(() => ID, { description: 'The writing agent.' })
  agentId!: string;

  @Field(() => [CommissionChainLevel], { description: 'The writing agent first, then each upline as of the date, then the BGA.' })
  levels!: CommissionChainLevel[];

  @Field(() => Int, { description: 'A lapse in policy months 1 to this many charges first-year commission back.' })
  chargebackMonths!: number;

  @Field(() => LapseChargeback, { description: 'How much a lapse inside the chargeback period takes back.' })
  lapseChargeback!: LapseChargebackCode;
}
