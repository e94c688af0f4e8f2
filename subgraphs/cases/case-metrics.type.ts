import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CaseStatus, RequirementCode } from '../shared/enums';
import { DateTimeScalar, MoneyScalar } from '../../platform/scalars';
import { Agent } from './agent/agent.type';
import { Carrier } from './carrier/carrier.type';
import { CycleTime } from './case-metrics-v2.type';

export const MetricsGrouping = { CARRIER: 'CARRIER', AGENT: 'AGENT', MONTH: 'MONTH', PRODUCT_TYPE: 'PRODUCT_TYPE' } as const;
export type MetricsGrouping = keyof typeof MetricsGrouping;
registerEnumType(MetricsGrouping, {
  name: 'MetricsGrouping',
  description: 'How caseMetrics and caseMetricsSeries split the cases into groups.',
  valuesConfig: {
    CARRIER: { description: 'One group per carrier (key: carrier id).' },
    AGENT: { description: 'One group per writing agent (key: agent id).' },
    MONTH: { description: 'One group per month of submission, UTC (key: YYYY-MM).' },
    PRODUCT_TYPE: { description: 'One group per product type (key: TERM, WHOLE_LIFE, ...).' },
  },
});

@ObjectType({
  description:
    'Figures over one cohort of cases: those submitted in the date range that match the filter, as they stand now (each figure says how it is computed).',
})
export class CaseMetricsFigures {
  @Field(() => Int, { description: 'Cases in the cohort.' })
  submitted!: number;

  @Field(() => Int, { description: 'Of those, not yet in a closed status.' })
  open!: number;

  @Field(() => Int, { description: 'Placed (in force).' })
  placed!: number;

  @Field(() => Int, { description: 'Declined.' })
  declined!: number;

  @Field(() => Int, { description: 'Not taken.' })
  notTaken!: number;

  @Field(() => Float, { nullable: true, description: 'placed / closed; null when none is closed.' })
  placementRatio!: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'placed / submitted (placement of submitted, the figure most industry goals quote); null when the cohort is empty. Not placementRatio.',
  })
  placementOfSubmitted!: number | null;

  @Field(() => Float, { nullable: true, description: 'notTaken / (placed + notTaken); null when both are 0.' })
  notTakenRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'declined / (declined + postponed + reached APPROVED or later); null when 0.' })
  declineRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'Mean days from submission to issue, over cohort cases issued.' })
  averageDaysToIssue!: number | null;

  @Field(() => Float, { nullable: true, description: 'Median days from submission to issue, over cohort cases issued.' })
  medianDaysToIssue!: number | null;

  @Field(() => Float, { nullable: true, description: 'Mean days from submission to placement, over cohort cases placed.' })
  averageDaysToPlace!: number | null;

  @Field(() => MoneyScalar, { description: 'Annual premium of the cohort.' })
  submittedPremium!: string;

  @Field(() => MoneyScalar, { description: "Annual premium of the cohort's placed cases." })
  placedPremium!: string;
}

@ObjectType({ description: 'Cases of the cohort in one status.' })
export class StatusCount {
  @Field(() => CaseStatus, { description: 'The status.' })
  status!: CaseStatus;

  @Field(() => Int, { description: 'Cases in it.' })
  count!: number;
}

@ObjectType({ description: "Outstanding requirements of one code, over the cohort's open cases." })
export class RequirementAging {
  @Field(() => RequirementCode, { description: 'The requirement.' })
  code!: RequirementCode;

  @Field(() => Int, { description: 'How many are outstanding (ORDERED).' })
  outstanding!: number;

  @Field(() => Float, { description: 'Their mean age in days.' })
  averageAgeDays!: number;

  @Field(() => Int, { description: 'How many are past their follow-up date.' })
  pastFollowUp!: number;
}

@ObjectType({ description: 'The figures of one group of the cohort.' })
export class CaseMetricsGroup {
  @Field(() => String, { description: 'Carrier id, agent id, YYYY-MM (UTC), or product type.' })
  key!: string;

  @Field(() => String, {
    description:
      'A label to show: the month spelled out, the product type in words; for carriers and agents the id (select carrier { name } or agent { lastName } for names).',
  })
  label!: string;

  @Field(() => Carrier, { nullable: true, description: 'The carrier, for CARRIER groups.' })
  carrier!: Carrier | null;

  @Field(() => Agent, { nullable: true, description: 'The agent, for AGENT groups.' })
  agent!: Agent | null;

  @Field(() => CaseMetricsFigures, { description: "The group's figures." })
  figures!: CaseMetricsFigures;
}

@ObjectType({ description: 'Case metrics for dashboards: totals, statuses, groups and requirement aging over one cohort.' })
export class CaseMetrics {
  @Field(() => CaseMetricsFigures, { description: 'Figures over the whole cohort.' })
  totals!: CaseMetricsFigures;

  @Field(() => [StatusCount], { description: 'Cases of the cohort by current status.' })
  byStatus!: StatusCount[];

  @Field(() => [CaseMetricsGroup], { description: 'Figures per group; empty without groupBy.' })
  groups!: CaseMetricsGroup[];

  @Field(() => [RequirementAging], { description: "Outstanding requirements of the cohort's open cases, by code." })
  requirementsAging!: RequirementAging[];

  @Field(() => [CycleTime], {
    description: 'Days from submission to approval, issue and placement (p50, p90), over the cohort cases that reached each stage.',
  })
  cycleTimes?: CycleTime[];

  @Field(() => DateTimeScalar, {
    description: 'When these figures were computed (they may come from a cache no older than the last case change).',
  })
  asOf!: string;
}
