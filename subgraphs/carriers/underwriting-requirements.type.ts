import { Field, Int, ObjectType } from 'type-graphql';
import { RequirementCode } from '../shared/enums';
import { Carrier, type CarrierRow } from './carrier.type';
import { Product, type ProductRow } from './product.type';

/** What underwritingRequirements answers, before the carrier and product resolve to their types. */
export interface UnderwritingRequirementsView {
  carrier: CarrierRow;
  product: ProductRow | null;
  issueAge: number;
  requirements: RequirementCode[];
  acceleratedUnderwriting: boolean;
  acceleratedReasons: string[];
}

@ObjectType({
  description:
    "The requirements a carrier's underwriters will order for an insured of this age at this face amount, from the carrier's requirements grid, and whether the case qualifies for its accelerated (no exam, no fluids) program.",
})
export class UnderwritingRequirements implements UnderwritingRequirementsView {
  @Field(() => Carrier, { description: 'The carrier whose grid answered.' })
  carrier!: CarrierRow;

  @Field(() => Product, {
    nullable: true,
    description: 'The product asked about; null when none was named (the answer is then the fully underwritten grid).',
  })
  product!: ProductRow | null;

  @Field(() => Int, { description: "The insured's issue age under the carrier's age basis, today." })
  issueAge!: number;

  @Field(() => [RequirementCode], {
    description:
      'The requirements a new case starts with, sorted by code: the database checks always, the exam and fluids unless the case is accelerated, APS, EKG, inspection and the rest by age and amount. Rows that apply only when the insured is treated for a condition are not included (no health facts are asked here). Empty when the catalog has no grid for the carrier. A simplified-issue or final expense product asks only its database checks.',
  })
  requirements!: RequirementCode[];

  @Field(() => Boolean, {
    description:
      "True when the case qualifies for the carrier's accelerated program (no exam, no fluids). Judged on issue age and face amount alone, since no health facts are asked here: a major condition, a build outside Standard, a recent DUI or an Rx or MIB hit still sends the case to full underwriting. False for simplified-issue products and for carriers without a grid.",
  })
  acceleratedUnderwriting!: boolean;

  @Field(() => [String], { description: 'Why the case is not accelerated, one sentence each; empty when it is.' })
  acceleratedReasons!: string[];
}
