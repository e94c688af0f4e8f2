import { Directive, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { FinalExpensePlan, HealthClass, PayPeriod, ProductType, RiderType, State, type StateCode } from '../shared/enums';
import type { Product as CatalogProduct, ProductTerm as CatalogProductTerm } from './domain/carrier';

/** Issue-age limits for one level-premium period, as stored in carriers.product.terms. */
export type ProductTermRow = CatalogProductTerm;

/** A row of carriers.product, as the resolvers see it: the domain's Product, with the years of its terms. */
export interface ProductRow extends CatalogProduct {
  terms: ProductTermRow[];
  /** The years of `terms`, ascending; empty for anything but TERM. */
  termYears: number[];
  healthClasses: HealthClass[];
  availableStates: StateCode[];
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

@ObjectType({ description: 'A rider a product offers, and the issue ages it is offered at.' })
export class ProductRider {
  @Field(() => RiderType, { description: 'Which rider.' })
  type!: RiderType;

  @Field(() => Int, { description: 'Youngest issue age the rider is added at.' })
  minIssueAge!: number;

  @Field(() => Int, { description: 'Oldest issue age the rider is added at.' })
  maxIssueAge!: number;
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

  @Field(() => [Int], {
    nullable: true,
    description:
      'UNIVERSAL_LIFE: the ages its no-lapse guarantee can run to (QuoteInput.guaranteedToAge). Null when the catalog does not say: the carrier answers.',
  })
  guaranteeAges?: number[];

  @Field(() => [PayPeriod], {
    nullable: true,
    description: 'WHOLE_LIFE: the pay periods offered (QuoteInput.payPeriod). Null when the catalog does not say: the carrier answers.',
  })
  payPeriods?: PayPeriod[];

  @Field(() => [FinalExpensePlan], {
    nullable: true,
    description:
      'FINAL_EXPENSE: the plans offered (chosen from the health answers). Null when the catalog does not say: the carrier answers.',
  })
  finalExpensePlans?: FinalExpensePlan[];

  @Field(() => [ProductRider], {
    nullable: true,
    description:
      'The riders this product offers, with their issue ages (QuoteInput.riders). Null when the catalog does not say: each quote answers per rider.',
  })
  riders?: ProductRider[];
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
