/**
 * Commissions in the schema: Case.writingAgents, commissionStatement (an agent's own, any for ADMIN),
 * payout batches (ADMIN), recordPolicyLapse (staff), the commission exceptions list (staff) and
 * commissionMetrics (ADMIN). The expected lines themselves are booked by the commission job
 * (commission.worker.ts), never in a request.
 */
import DataLoader from 'dataloader';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { todayUtc } from '../../../platform/dates';
import { badInput, conflict, forbidden, notFound } from '../../../platform/errors';
import { parseId, parseIds } from '../../../platform/ids';
import { requireRole, requireSignedIn } from '../../shared/auth';
import type { Db } from '../../shared/db';
import { groupBy } from '../../shared/loaders';
import { Agent } from '../agent/agent.type';
import { bumpMetricsGeneration } from '../case-metrics.cache';
import { appendEvent, lockCase, nowIso } from '../case.repository';
import { CASE_MANAGERS, canSeeCase } from '../case.scope';
import { Case, type CaseRow } from '../case.type';
import type { CasesContext } from '../cases.context';
import { Carrier } from '../carrier/carrier.type';
import {
  basisPointsToPercent,
  BGA_PARTY,
  chargebackLines,
  FULL_SPLIT,
  isPeriod,
  lapseChargebackFraction,
  paidMonthsBetween,
  periodOf,
} from '../domain/commissions';
import {
  type CommissionLineRow,
  commissionByCarrierPeriod,
  commissionExceptions,
  commissionTermsOf,
  firstYearLinesOfCase,
  insertCommissionLines,
  insertPayoutBatch,
  insertPolicyLapse,
  markReversed,
  type PayoutBatchRow,
  payoutBatchList,
  payoutBatchOfPeriod,
  placementToFirstPayout,
  type PolicyLapseRow,
  policyLapseOf,
  statementLines,
  type WritingAgentRow,
  writingAgentsByCaseIds,
} from './commission.repository';
import {
  CommissionException,
  CommissionLine,
  CommissionMetrics,
  type CommissionPeriodFigures,
  CommissionStatement,
  PayoutBatch,
  PolicyLapse,
  RecordPolicyLapseInput,
} from './commission.type';
import { receivedByCarrierPeriod } from '../statements/statement.repository';
import { CaseWritingAgent } from './writing-agent.type';

/** A line as the resolvers carry it: the schema's fields and the ids its references need. */
type LineValue = CommissionLine & { caseId: string; carrierId: string; partyId: string; writingAgentId: string };

const lineValue = (row: CommissionLineRow): LineValue => ({
  id: row.id,
  caseId: row.caseId,
  caseNumber: row.caseNumber,
  carrierId: row.carrierId,
  partyId: row.partyId,
  writingAgentId: row.writingAgentId,
  role: row.role,
  transaction: row.transaction,
  policyYear: row.policyYear,
  premium: Number(row.premiumCents),
  splitPercent: basisPointsToPercent(row.splitBasisPoints),
  ratePercent: basisPointsToPercent(row.rateBasisPoints),
  amount: Number(row.amountCents),
  period: row.period,
  levelCode: row.levelCode,
  bookedAt: row.computedAt,
  payoutBatchId: row.payoutBatchId,
});

const batchValue = (row: PayoutBatchRow): PayoutBatch => ({
  id: row.id,
  period: row.period,
  lineCount: row.lineCount,
  total: Number(row.totalCents),
  createdAt: row.createdAt,
});

const lapseValue = (row: PolicyLapseRow): PolicyLapse => ({
  caseId: row.caseId,
  lapsedOn: row.lapsedOn,
  paidMonths: row.paidMonths,
  chargeback: Number(row.chargebackCents),
  recordedAt: row.recordedAt,
});

function parsePeriod(value: string, argument: string): string {
  if (!isPeriod(value)) throw badInput(`${argument} must be a month written YYYY-MM`);
  return value;
}

/** Per-request loaders of writing agents, kept beside the request's context (no shared loader file to grow). */
const writingAgentLoaders = new WeakMap<CasesContext, DataLoader<string, WritingAgentRow[]>>();
function writingAgentLoader(ctx: CasesContext): DataLoader<string, WritingAgentRow[]> {
  let loader = writingAgentLoaders.get(ctx);
  if (!loader) {
    const db: Db = ctx.db;
    loader = new DataLoader(async (caseIds) => groupBy(caseIds, await writingAgentsByCaseIds(db, caseIds), (row) => row.caseId));
    writingAgentLoaders.set(ctx, loader);
  }
  return loader;
}

/** Case.writingAgents. */
@Resolver(() => Case)
export class CaseWritingAgentsResolver {
  @FieldResolver(() => [CaseWritingAgent], {
    description:
      "The case's writing agents and their splits (summing to 100), largest split first; the case's agent at 100% when none were given.",
  })
  async writingAgents(@Root() row: CaseRow, @Ctx() ctx: CasesContext): Promise<CaseWritingAgent[]> {
    const rows = await writingAgentLoader(ctx).load(row.id);
    if (!rows.length) return [{ agent: { id: row.agentId }, splitPercent: basisPointsToPercent(FULL_SPLIT) }];
    return rows.map((writer) => ({ agent: { id: writer.agentId }, splitPercent: basisPointsToPercent(writer.splitBasisPoints) }));
  }
}

/** The references of a commission line. */
@Resolver(() => CommissionLine)
export class CommissionLineResolver {
  @FieldResolver(() => Case, { nullable: true, description: 'The case; null when the caller may not see it.' })
  async case(@Root() line: LineValue, @Ctx() ctx: CasesContext): Promise<CaseRow | undefined> {
    const row = await ctx.loaders.case.load(line.caseId);
    return row && (await canSeeCase(ctx, row)) ? row : undefined;
  }

  @FieldResolver(() => Carrier, { description: 'The carrier.' })
  carrier(@Root() line: LineValue): Carrier {
    return { id: line.carrierId };
  }

  @FieldResolver(() => Agent, { nullable: true, description: "The party paid: an agent or agency; null for the BGA's own share." })
  party(@Root() line: LineValue): Agent | null {
    return line.partyId === BGA_PARTY ? null : { id: line.partyId };
  }

  @FieldResolver(() => Agent, { description: 'The writing agent whose split the line comes from.' })
  writingAgent(@Root() line: LineValue): Agent {
    return { id: line.writingAgentId };
  }
}

@Resolver()
export class CommissionResolver {
  @Query(() => CommissionStatement, {
    description:
      "An agent's commission statement for a period (YYYY-MM): their writing lines and the overrides due to them on their downline's business. An agent reads their own; ADMIN anyone's.",
  })
  async commissionStatement(
    @Arg('agentId', () => ID, { description: 'The agent or agency (agt_...).' }) agentId: string,
    @Arg('period', () => String, { description: 'The month, YYYY-MM.' }) period: string,
    @Ctx() ctx: CasesContext,
  ): Promise<CommissionStatement> {
    requireSignedIn(ctx.identity);
    parseId('agent', agentId, 'agentId');
    parsePeriod(period, 'period');
    const { identity } = ctx;
    if (identity.role !== 'ADMIN' && !(identity.role === 'AGENT' && identity.agentId === agentId))
      throw forbidden('an agent reads only their own commission statement');
    const lines = (await statementLines(ctx.db, agentId, period)).map(lineValue);
    const sum = (keep: (line: LineValue) => boolean) => lines.reduce((total, line) => (keep(line) ? total + line.amount : total), 0);
    return {
      agent: { id: agentId },
      period,
      lines,
      writingTotal: sum((line) => line.role === 'WRITING'),
      overrideTotal: sum((line) => line.role === 'OVERRIDE'),
      chargebackTotal: sum((line) => line.transaction === 'CHARGEBACK'),
      total: sum(() => true),
      unpaidTotal: sum((line) => line.payoutBatchId === null),
    };
  }

  @Mutation(() => PayoutBatch, {
    description:
      "Pays a period (ADMIN): one batch per period, made of the unpaid lines of the period and earlier (never the BGA's own share). Asking again for a period answers its batch and pays nothing more.",
  })
  async createPayoutBatch(
    @Arg('period', () => String, { description: 'The month, YYYY-MM, not after the current one.' }) period: string,
    @Ctx() ctx: CasesContext,
  ): Promise<PayoutBatch> {
    requireRole(ctx.identity, ['ADMIN']);
    parsePeriod(period, 'period');
    if (period > periodOf(todayUtc())) throw badInput('period must not be after the current month');
    const made = await ctx.db.transaction((tx) =>
      insertPayoutBatch(tx, `pay_${period.replace('-', '_')}`, period, ctx.identity.sub, nowIso()),
    );
    return batchValue(made ?? (await payoutBatchOfPeriod(ctx.db, period))!);
  }

  @Query(() => [PayoutBatch], { description: 'Payout batches, latest period first (ADMIN).' })
  async payoutBatches(
    @Ctx() ctx: CasesContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 24, description: 'How many, 1 to 120.' }) first: number,
  ): Promise<PayoutBatch[]> {
    requireRole(ctx.identity, ['ADMIN']);
    if (!Number.isInteger(first) || first < 1 || first > 120) throw badInput('first must be between 1 and 120');
    return (await payoutBatchList(ctx.db, first)).map(batchValue);
  }

  @Mutation(() => PolicyLapse, {
    description:
      "Records that a placed policy lapsed (STAFF): within the carrier's chargeback period its first-year commission is charged back, pro-rated by unearned months or in full as the schedule says, as negative lines. Recording the same lapse again answers it; another lapse of the policy is CONFLICT.",
  })
  async recordPolicyLapse(
    @Arg('input', () => RecordPolicyLapseInput, { description: 'The policy and its lapse.' }) input: RecordPolicyLapseInput,
    @Ctx() ctx: CasesContext,
  ): Promise<PolicyLapse> {
    requireRole(ctx.identity, CASE_MANAGERS);
    const caseId = parseId('case', input.caseId, 'input.caseId');
    if (input.lapsedOn > todayUtc()) throw badInput('input.lapsedOn must not be in the future');
    if (input.paidMonths != null && (!Number.isInteger(input.paidMonths) || input.paidMonths < 0 || input.paidMonths > 1200))
      throw badInput('input.paidMonths must be a whole number from 0 to 1,200');
    const recorded = await ctx.db.transaction(async (tx) => {
      const row = await lockCase(tx, caseId);
      if (!row) throw notFound('case');
      const before = await policyLapseOf(tx, caseId);
      if (before) {
        if (before.lapsedOn === input.lapsedOn && (input.paidMonths == null || input.paidMonths === before.paidMonths)) return before;
        throw conflict('a lapse is already recorded for this policy', { lapsedOn: before.lapsedOn });
      }
      if (row.status !== 'PLACED' || !row.placedAt) throw conflict('only a placed policy lapses');
      const placedOn = new Date(row.placedAt).toISOString().slice(0, 10);
      if (input.lapsedOn < placedOn) throw badInput('input.lapsedOn must be on or after the placement day');
      const terms = await commissionTermsOf(tx, caseId);
      if (!terms) throw conflict("the case's expected commissions are not booked yet; record the lapse once they are");
      const paidMonths = input.paidMonths ?? paidMonthsBetween(placedOn, input.lapsedOn);
      const at = nowIso();
      const lines = chargebackLines(
        await firstYearLinesOfCase(tx, caseId),
        lapseChargebackFraction(paidMonths, terms.chargebackMonths, terms.lapseChargeback),
      );
      await insertCommissionLines(
        tx,
        { caseId, carrierId: row.carrierId, transaction: 'CHARGEBACK', policyYear: 1, period: periodOf(at), at },
        lines,
      );
      if (lines.length) await markReversed(tx, caseId, at);
      const chargebackCents = lines.reduce((total, line) => total + line.amountCents, 0);
      await appendEvent(tx, {
        caseId,
        at,
        type: 'NOTE',
        actor: ctx.identity.sub,
        note: `policy lapsed on ${input.lapsedOn} after ${paidMonths} paid months; commission charged back: ${(chargebackCents / 100).toFixed(2)}`,
      });
      return (await insertPolicyLapse(
        tx,
        { caseId, lapsedOn: input.lapsedOn, paidMonths, chargebackCents, recordedBy: ctx.identity.sub },
        at,
      ))!;
    });
    await bumpMetricsGeneration(ctx.cache);
    return lapseValue(recorded);
  }

  @Query(() => [CommissionException], {
    description: 'Placed cases whose expected commissions could not be computed yet, oldest first (STAFF); each is retried.',
  })
  async commissionExceptions(
    @Ctx() ctx: CasesContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 100, description: 'How many, 1 to 500.' }) first: number,
  ): Promise<CommissionException[]> {
    requireRole(ctx.identity, CASE_MANAGERS);
    if (!Number.isInteger(first) || first < 1 || first > 500) throw badInput('first must be between 1 and 500');
    return commissionExceptions(ctx.db, first);
  }

  @Query(() => CommissionMetrics, {
    description:
      "Commission by carrier and period over a range of periods (ADMIN): expected first-year commission, chargebacks, what the carriers' statements paid, and the time from placement to the first commission paid.",
  })
  async commissionMetrics(
    @Arg('from', () => String, { description: 'The first period, YYYY-MM.' }) from: string,
    @Arg('to', () => String, { description: 'The last period, YYYY-MM (at most 36 months after from).' }) to: string,
    @Ctx() ctx: CasesContext,
    @Arg('carrierIds', () => [ID], { nullable: true, description: 'Only these carriers; all when omitted.' }) carrierIds?: string[],
  ): Promise<CommissionMetrics> {
    requireRole(ctx.identity, ['ADMIN']);
    parsePeriod(from, 'from');
    parsePeriod(to, 'to');
    const months = (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5)) - Number(from.slice(5));
    if (months < 0 || months > 36) throw badInput('to must be from 0 to 36 months after from');
    const carriers = parseIds('carrier', carrierIds, 'carrierIds') ?? null;
    const [rows, received, firsts] = await Promise.all([
      commissionByCarrierPeriod(ctx.db, from, to, carriers),
      receivedByCarrierPeriod(ctx.db, { carrierIds: carriers, fromPeriod: from, toPeriod: to }),
      placementToFirstPayout(ctx.db, from, to, carriers),
    ]);
    // Expected (our ledger) beside received (the carriers' statements), by carrier and period: a
    // period either side has alone still shows, with zero on the other side.
    const figures = new Map<string, CommissionPeriodFigures>();
    const at = (carrierId: string, period: string) => {
      const key = `${period} ${carrierId}`;
      let row = figures.get(key);
      if (!row) {
        row = { carrier: { id: carrierId }, period, expected: 0, chargebacks: 0, received: 0, cases: 0 };
        figures.set(key, row);
      }
      return row;
    };
    for (const row of rows)
      Object.assign(at(row.carrierId, row.period), { expected: row.expectedCents, chargebacks: row.chargebackCents, cases: row.cases });
    for (const row of received) at(row.carrierId, row.period).received = Number(row.receivedCents);
    return {
      byCarrierPeriod: [...figures.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row),
      placementToFirstCommission: firsts ?? { cases: 0, meanDays: null, medianDays: null },
    };
  }
}
