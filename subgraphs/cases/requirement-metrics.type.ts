import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateScalar, DateTimeScalar } from '../../platform/scalars';
import { RequirementCode } from '../shared/enums';
import type { VendorCode, VendorStage as VendorStageValue } from './domain/requirement-vendors';
import { RequirementVendorCode, VendorStage } from './requirement-vendor.type';

@InputType({ description: 'Which requirements requirementMetrics counts. Every condition given must hold.' })
export class RequirementMetricsFilter {
  @Field(() => DateScalar, { nullable: true, description: 'Ordered on or after this UTC date.' })
  orderedFrom?: string;

  @Field(() => DateScalar, { nullable: true, description: 'Ordered on or before this UTC date.' })
  orderedTo?: string;

  @Field(() => [RequirementCode], { nullable: true, description: 'Only these codes.' })
  codes?: RequirementCode[];

  @Field(() => [RequirementVendorCode], { nullable: true, description: 'Only requirements ordered from these vendors.' })
  vendors?: VendorCode[];

  @Field(() => ID, { nullable: true, description: "Only this case manager's cases (their staff user id)." })
  caseManager?: string;
}

@ObjectType({ description: 'How long requirements of one code from one vendor took, ordered to received, over those received.' })
export class RequirementTurnaround {
  @Field(() => RequirementCode, { description: 'The requirement code.' })
  code!: RequirementCode;

  @Field(() => RequirementVendorCode, { nullable: true, description: 'The vendor; null for requirements without one.' })
  vendor!: VendorCode | null;

  @Field(() => Int, { description: 'How many were received.' })
  received!: number;

  @Field(() => Float, { description: 'Median days from ordered to received (continuous percentile, fractional days).' })
  p50Days!: number;

  @Field(() => Float, { description: '90th percentile of days from ordered to received (continuous percentile, fractional days).' })
  p90Days!: number;
}

@ObjectType({ description: 'Outstanding requirements at one vendor in one stage (open cases).' })
export class VendorStageCount {
  @Field(() => RequirementVendorCode, { description: 'The vendor.' })
  vendor!: VendorCode;

  @Field(() => VendorStage, { description: 'The stage at the vendor.' })
  stage!: VendorStageValue;

  @Field(() => Int, { description: 'How many outstanding requirements are in it.' })
  count!: number;
}

@ObjectType({ description: "One case manager's load: their open cases and those cases' overdue requirements." })
export class CaseManagerWorkload {
  @Field(() => ID, { description: 'The case manager (staff user id).' })
  caseManagerId!: string;

  @Field(() => Int, { description: 'Open cases assigned to them.' })
  openCases!: number;

  @Field(() => Int, { description: 'Overdue (or escalated) outstanding requirements of those cases that match the filter.' })
  overdueRequirements!: number;
}

@ObjectType({
  description:
    "Requirement figures: turnaround per code and vendor, outstanding orders by vendor stage, overdue counts, case managers' workload.",
})
export class RequirementMetrics {
  @Field(() => [RequirementTurnaround], {
    description: 'Per code and vendor, over the received requirements matching the filter (any case status), by code then vendor.',
  })
  turnaround!: RequirementTurnaround[];

  @Field(() => [VendorStageCount], {
    description: 'Outstanding requirements of open cases ordered from a vendor, per vendor and stage, by vendor then stage.',
  })
  outstandingByStage!: VendorStageCount[];

  @Field(() => Int, { description: 'Outstanding requirements of open cases that are overdue (or escalated).' })
  overdue!: number;

  @Field(() => [CaseManagerWorkload], {
    description: 'Per case manager with open cases: most overdue requirements first, then most open cases.',
  })
  caseManagerWorkload!: CaseManagerWorkload[];

  @Field(() => DateTimeScalar, {
    description: 'When these figures were computed (they may come from a cache no older than the last change).',
  })
  asOf!: string;
}
