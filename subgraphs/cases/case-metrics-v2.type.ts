import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CaseStatus } from '../shared/enums';
import { DateScalar, DateTimeScalar, MoneyScalar } from '../../platform/scalars';
import { Agent } from './agent/agent.type';

export const MetricsInterval = { WEEK: 'WEEK', MONTH: 'MONTH', QUARTER: 'QUARTER' } as const;
export type MetricsInterval = keyof typeof MetricsInterval;
registerEnumType(MetricsInterval, {
  name: 'MetricsInterval',
  description: 'The length of one period of caseMetricsSeries (calendar periods in UTC).',
  valuesConfig: {
    WEEK: { description: 'ISO weeks, Monday to Sunday.' },
    MONTH: { description: 'Calendar months.' },
    QUARTER: { description: 'Calendar quarters (January, April, July, October).' },
  },
});

export const MetricsBasis = { SUBMITTED: 'SUBMITTED', ISSUED: 'ISSUED', PLACED: 'PLACED' } as const;
export type MetricsBasis = keyof typeof MetricsBasis;
registerEnumType(MetricsBasis, {
  name: 'MetricsBasis',
  description: 'Which date of a case puts it into a period of caseMetricsSeries.',
  valuesConfig: {
    SUBMITTED: { description: 'The submission date: each period is the cohort submitted in it.' },
    ISSUED: { description: 'The issue date: each period is the cases issued in it.' },
    PLACED: { description: 'The placement date: each period is the cases placed in it.' },
  },
});

export const CycleStage = { APPROVAL: 'APPROVAL', ISSUE: 'ISSUE', PLACEMENT: 'PLACEMENT' } as const;
export type CycleStage = keyof typeof CycleStage;
registerEnumType(CycleStage, {
  name: 'CycleStage',
  description: 'A stage a case reaches, measured from its submission.',
  valuesConfig: {
    APPROVAL: { description: 'Submission to approval (approvedAt).' },
    ISSUE: { description: 'Submission to issue (issuedAt).' },
    PLACEMENT: { description: 'Submission to placement (placedAt).' },
  },
});

@ObjectType({ description: 'Days from submission to one stage, over the cohort cases that reached it (continuous percentiles).' })
export class CycleTime {
  @Field(() => CycleStage, { description: 'The stage.' })
  stage!: CycleStage;

  @Field(() => Int, { description: 'How many cases of the cohort reached it.' })
  cases!: number;

  @Field(() => Float, { nullable: true, description: 'Median days (percentile_cont 0.5); null when none reached it.' })
  p50Days!: number | null;

  @Field(() => Float, { nullable: true, description: '90th percentile of days (percentile_cont 0.9); null when none reached it.' })
  p90Days!: number | null;
}

@ObjectType({ description: 'The figures of one period (and one group, with groupBy) of caseMetricsSeries.' })
export class MetricsPeriod {
  @Field(() => DateScalar, { description: 'First day of the period (UTC).' })
  start!: string;

  @Field(() => DateScalar, { description: 'Last day of the period (UTC), inclusive.' })
  end!: string;

  @Field(() => [String], {
    description: 'The group keys in groupBy order (carrier id, agent id, YYYY-MM, product type); empty without groupBy.',
  })
  group!: string[];

  @Field(() => Int, { description: "Cases whose basis date lies in the period (the period's cohort)." })
  submitted!: number;

  @Field(() => Int, { description: 'Of those, approved at some time (approvedAt set).' })
  approved!: number;

  @Field(() => Int, { description: 'Of those, issued at some time (issuedAt set).' })
  issued!: number;

  @Field(() => Int, { description: 'Of those, placed now.' })
  placed!: number;

  @Field(() => Int, { description: 'Of those, declined now.' })
  declined!: number;

  @Field(() => Int, { description: 'Of those, not taken now.' })
  notTaken!: number;

  @Field(() => MoneyScalar, { description: "Annual premium of the period's cohort." })
  submittedPremium!: string;

  @Field(() => MoneyScalar, { description: "Annual premium of the period's placed cases." })
  placedPremium!: string;

  @Field(() => Float, { nullable: true, description: 'placed / closed; null when none is closed.' })
  placementRatio!: number | null;

  @Field(() => Float, { nullable: true, description: 'placed / submitted (placement of submitted); null when the period is empty.' })
  placementOfSubmitted!: number | null;
}

@ObjectType({ description: 'Case figures per calendar period, by the date the basis names.' })
export class CaseMetricsSeries {
  @Field(() => [MetricsPeriod], {
    description:
      'Periods in time order, then groups by key. Without groupBy every period from `from` to `to` is listed, empty ones with zeros; with groupBy only non-empty (period, group) pairs.',
  })
  periods!: MetricsPeriod[];

  @Field(() => DateTimeScalar, {
    description: 'When these figures were computed (they may come from a cache no older than the last case change).',
  })
  asOf!: string;
}

@ObjectType({ description: 'Cases of a funnel that left it in one closed status other than PLACED.' })
export class FunnelExit {
  @Field(() => CaseStatus, { description: 'The exit status (DECLINED, POSTPONED, WITHDRAWN, INCOMPLETE, NOT_TAKEN).' })
  status!: CaseStatus;

  @Field(() => Int, { description: 'Cases in it.' })
  count!: number;
}

@ObjectType({ description: 'The pipeline funnel of one cohort (the cases submitted in the filter range, as they stand now).' })
export class CaseFunnel {
  @Field(() => Int, { description: 'Cases in the cohort.' })
  submitted!: number;

  @Field(() => Int, { description: 'Of those, approved at some time.' })
  approved!: number;

  @Field(() => Int, { description: 'Of those, issued at some time.' })
  issued!: number;

  @Field(() => Int, { description: 'Of those, placed now.' })
  placed!: number;

  @Field(() => Int, { description: 'Of those, still open (in no closed status).' })
  open!: number;

  @Field(() => [FunnelExit], { description: 'Where the rest left: closed cases by exit status, most first.' })
  exits!: FunnelExit[];
}

@ObjectType({ description: "One agent's production over the cohort, with their downline's rolled up." })
export class AgentProduction {
  @Field(() => Int, { description: 'Rank by placedPremium (1 is the top).' })
  rank!: number;

  @Field(() => ID, { description: 'The agent id.' })
  agentId!: string;

  @Field(() => Agent, { description: 'The agent.' })
  agent!: { id: string };

  @Field(() => MoneyScalar, { description: 'Placed annual premium written by the agent and their downline.' })
  placedPremium!: string;

  @Field(() => Int, { description: 'Placed cases written by the agent and their downline.' })
  placed!: number;

  @Field(() => MoneyScalar, { description: 'Placed annual premium the agent wrote themself.' })
  ownPlacedPremium!: string;

  @Field(() => Int, { description: 'Placed cases the agent wrote themself.' })
  ownPlaced!: number;
}
