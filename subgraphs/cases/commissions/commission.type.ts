import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateScalar, DateTimeScalar, MoneyScalar } from '../../../platform/scalars';
import { CommissionRole, CommissionTransaction } from '../../shared/enums';
import { Agent } from '../agent/agent.type';
import { Carrier } from '../carrier/carrier.type';

/** One line of the commission ledger (commission.resolver.ts adds case, carrier, party and writingAgent). */
@ObjectType({
  description: 'One line of the commission ledger: what one party is owed (or charged back) on one writing split of one case.',
})
export class CommissionLine {
  @Field(() => ID, { description: 'The line id.' })
  id!: string;

  @Field(() => String, { description: 'The case number (BGA-0100001).' })
  caseNumber!: string;

  @Field(() => CommissionRole, { description: 'Who the line pays.' })
  role!: CommissionRole;

  @Field(() => CommissionTransaction, { description: 'What the line is for.' })
  transaction!: CommissionTransaction;

  @Field(() => Int, { description: 'The policy year (1 for first-year lines and their chargebacks).' })
  policyYear!: number;

  @Field(() => MoneyScalar, { description: 'The annual premium the line is computed on.' })
  premium!: number;

  @Field(() => Float, { description: "The writing agent's split of the case, in percent." })
  splitPercent!: number;

  @Field(() => Float, {
    description: "The party's rate on this split, in percent of premium: its level, or the difference between its level and the one below.",
  })
  ratePercent!: number;

  @Field(() => MoneyScalar, { description: 'The amount, rounded half-up to the cent; negative for a chargeback.' })
  amount!: number;

  @Field(() => String, { description: 'The payout period the line belongs to (YYYY-MM).' })
  period!: string;

  @Field(() => String, { nullable: true, description: "The party's contract level code at this carrier and product (L85)." })
  levelCode!: string | null;

  @Field(() => DateTimeScalar, { description: 'When the line was booked.' })
  bookedAt!: string;

  @Field(() => ID, { nullable: true, description: 'The payout batch that paid the line; null while unpaid.' })
  payoutBatchId!: string | null;
}

@ObjectType({
  description:
    "An agent's commission statement for a period: their own (writing) lines and the overrides due to them on their downline's business.",
})
export class CommissionStatement {
  @Field(() => Agent, { description: 'The agent (or agency) the statement is for.' })
  agent!: Agent;

  @Field(() => String, { description: 'The period (YYYY-MM).' })
  period!: string;

  @Field(() => [CommissionLine], { description: 'Every line of the period, in booking order.' })
  lines!: CommissionLine[];

  @Field(() => MoneyScalar, { description: 'Writing lines, net of their chargebacks.' })
  writingTotal!: number;

  @Field(() => MoneyScalar, { description: "Override lines on the downline's business, net of their chargebacks." })
  overrideTotal!: number;

  @Field(() => MoneyScalar, { description: 'Chargeback lines (negative; already counted in the totals above).' })
  chargebackTotal!: number;

  @Field(() => MoneyScalar, { description: 'Every line of the period.' })
  total!: number;

  @Field(() => MoneyScalar, { description: 'Lines of the period not yet in a payout batch.' })
  unpaidTotal!: number;
}

@ObjectType({
  description: "A payout batch: the unpaid commission lines of its period and earlier (never the BGA's own share), paid together.",
})
export class PayoutBatch {
  @Field(() => ID, { description: 'The batch id (pay_YYYY_MM).' })
  id!: string;

  @Field(() => String, { description: 'The period (YYYY-MM): one batch per period.' })
  period!: string;

  @Field(() => Int, { description: 'Lines in the batch.' })
  lineCount!: number;

  @Field(() => MoneyScalar, { description: 'Their sum (chargebacks net off).' })
  total!: number;

  @Field(() => DateTimeScalar, { description: 'When the batch was made.' })
  createdAt!: string;
}

@InputType({ description: 'A placed policy that lapsed.' })
export class RecordPolicyLapseInput {
  @Field(() => ID, { description: 'The case (case_...), PLACED with its commissions booked.' })
  caseId!: string;

  @Field(() => DateScalar, { description: 'The day the policy lapsed: on or after its placement, not in the future.' })
  lapsedOn!: string;

  @Field(() => Int, {
    nullable: true,
    description: 'Premium months paid before the lapse; whole months from placement to lapsedOn when omitted.',
  })
  paidMonths?: number | null;
}

@ObjectType({ description: 'A lapse of a placed policy and the chargeback it booked.' })
export class PolicyLapse {
  @Field(() => ID, { description: 'The case.' })
  caseId!: string;

  @Field(() => DateScalar, { description: 'The day the policy lapsed.' })
  lapsedOn!: string;

  @Field(() => Int, { description: 'Premium months paid before the lapse.' })
  paidMonths!: number;

  @Field(() => MoneyScalar, {
    description:
      "What was charged back (negative, every party's share): none after the chargeback period, the unearned months' share when pro-rated, all of it when full.",
  })
  chargeback!: number;

  @Field(() => DateTimeScalar, { description: 'When the lapse was recorded.' })
  recordedAt!: string;
}

@ObjectType({ description: 'Commission of one carrier in one period.' })
export class CommissionPeriodFigures {
  @Field(() => Carrier, { description: 'The carrier.' })
  carrier!: Carrier;

  @Field(() => String, { description: 'The period (YYYY-MM).' })
  period!: string;

  @Field(() => MoneyScalar, {
    description: "Expected first-year commission booked in the period, every party's share: what the carrier pays the BGA.",
  })
  expected!: number;

  @Field(() => MoneyScalar, { description: 'Charged back in the period (negative).' })
  chargebacks!: number;

  @Field(() => MoneyScalar, {
    description:
      "Received: the sum of the carrier's commission statement lines for the period, matched to a case or not (see carrierStatementExceptions).",
  })
  received!: number;

  @Field(() => Int, { description: 'Cases with a line in the period.' })
  cases!: number;
}

@ObjectType({ description: 'Days from placement to the first payout batch that paid a line of the case.' })
export class PlacementToFirstCommission {
  @Field(() => Int, { description: 'Cases placed in the periods asked and paid since.' })
  cases!: number;

  @Field(() => Float, { nullable: true, description: 'Mean days; null without cases.' })
  meanDays!: number | null;

  @Field(() => Float, { nullable: true, description: 'Median days; null without cases.' })
  medianDays!: number | null;
}

@ObjectType({ description: 'Commission metrics over a range of periods.' })
export class CommissionMetrics {
  @Field(() => [CommissionPeriodFigures], { description: 'By period, then carrier.' })
  byCarrierPeriod!: CommissionPeriodFigures[];

  @Field(() => PlacementToFirstCommission, { description: 'Time from placement to the first commission paid.' })
  placementToFirstCommission!: PlacementToFirstCommission;
}

@ObjectType({ description: 'A placed case whose expected commissions could not be computed yet (retried with a growing delay).' })
export class CommissionException {
  @Field(() => ID, { description: 'The case.' })
  caseId!: string;

  @Field(() => String, {
    description: 'Why (no contract with the carrier, a chain the arithmetic cannot use, the agents subgraph unreachable).',
  })
  reason!: string;

  @Field(() => Int, { description: 'Attempts so far.' })
  attempts!: number;

  @Field(() => DateTimeScalar, { description: 'The first failed attempt.' })
  firstAt!: string;

  @Field(() => DateTimeScalar, { description: 'The latest failed attempt.' })
  lastAt!: string;
}
