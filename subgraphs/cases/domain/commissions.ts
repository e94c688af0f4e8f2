/**
 * Commission arithmetic (docs/domain.md "Commissions"), pure: the lines a placed case books for each
 * writing agent's split from the commission chains the agents subgraph answers, the chargebacks of a
 * not-taken or lapsed policy, and the small checks around them (splits, periods). Amounts are integer
 * cents, rates and splits basis points (85% = 8,500; a 60% split = 6,000), every line rounded half-up
 * to the cent on its own. No I/O.
 */
import type { CommissionRoleCode } from '../../shared/vocabulary';

/** The party id of the BGA's own share. */
export const BGA_PARTY = 'BGA';
/** A whole case: splits sum to this. */
export const FULL_SPLIT = 10_000;

export type LapseChargebackRule = 'FULL' | 'PRO_RATA';

/** One level of a chain: the writing agent first, then each upline as of the case's submission date, the BGA last. */
export interface ChainLevel {
  partyId: string;
  levelCode: string;
  firstYearBasisPoints: number;
  renewalBasisPoints: number;
  renewalYears: number;
}

/** What the agents subgraph answers for one writing agent at a carrier and product on a day. */
export interface CommissionChain {
  agentId: string;
  levels: ChainLevel[];
  chargebackMonths: number;
  lapseChargeback: LapseChargebackRule;
}

/** A writing agent's share of a case. */
export interface WritingShare {
  agentId: string;
  splitBasisPoints: number;
}

/** One line of the commission ledger, before it is written. */
export interface CommissionLine {
  partyId: string;
  role: CommissionRoleCode;
  writingAgentId: string;
  premiumCents: number;
  splitBasisPoints: number;
  /** The party's rate on this split: its level, or the difference between its level and the one below. */
  rateBasisPoints: number;
  amountCents: number;
  levelCode: string;
}

/** A chain the arithmetic cannot use: the case books nothing and is retried (an exception for staff). */
export class ChainError extends Error {}

/** n / d rounded half-up (away from zero at exactly half), for integers; d > 0. */
export function divideHalfUp(n: bigint, d: bigint): bigint {
  const negative = n < 0n;
  const a = negative ? -n : n;
  const q = a / d;
  const rounded = (a % d) * 2n >= d ? q + 1n : q;
  return negative ? -rounded : rounded;
}

/** premium × split × rate, in cents, rounded half-up. */
export function lineAmount(premiumCents: number, splitBasisPoints: number, rateBasisPoints: number): number {
  return Number(divideHalfUp(BigInt(premiumCents) * BigInt(splitBasisPoints) * BigInt(rateBasisPoints), BigInt(FULL_SPLIT) * 10_000n));
}

/** Why a chain cannot be used for this writing agent; undefined when it can. */
export function chainProblem(chain: CommissionChain | undefined, agentId: string): string | undefined {
  if (!chain) return `no commission chain for writing agent ${agentId}`;
  const { levels } = chain;
  if (levels.length < 2) return `the chain of ${agentId} has no BGA level`;
  if (levels[0]!.partyId !== agentId) return `the chain of ${agentId} does not start with the writing agent`;
  if (levels[levels.length - 1]!.partyId !== BGA_PARTY) return `the chain of ${agentId} does not end with the BGA`;
  if (new Set(levels.map((level) => level.partyId)).size !== levels.length) return `the chain of ${agentId} names a party twice`;
  for (let i = 0; i < levels.length; i++) {
    const rate = levels[i]!.firstYearBasisPoints;
    if (!Number.isInteger(rate) || rate < 0) return `the chain of ${agentId} has an invalid first-year rate`;
    if (i > 0 && rate < levels[i - 1]!.firstYearBasisPoints) return `the chain of ${agentId} has a level above its parent's`;
  }
  if (!Number.isInteger(chain.chargebackMonths) || chain.chargebackMonths < 0)
    return `the chain of ${agentId} has invalid chargeback months`;
  return undefined;
}

/**
 * The first-year lines of a placed case: per writing share, the writing agent's level on the split,
 * each upline the difference between its level and the one below it, the BGA its difference over the
 * top agency. A difference of zero books no line. Throws ChainError when a share has no usable chain.
 */
export function firstYearLines(
  premiumCents: number,
  shares: readonly WritingShare[],
  chains: ReadonlyMap<string, CommissionChain>,
): CommissionLine[] {
  if (!Number.isSafeInteger(premiumCents) || premiumCents < 0) throw new ChainError('the premium must be a whole number of cents');
  const lines: CommissionLine[] = [];
  for (const share of shares) {
    const chain = chains.get(share.agentId);
    const problem = chainProblem(chain, share.agentId);
    if (problem) throw new ChainError(problem);
    const levels = chain!.levels;
    levels.forEach((level, i) => {
      const rate = i === 0 ? level.firstYearBasisPoints : level.firstYearBasisPoints - levels[i - 1]!.firstYearBasisPoints;
      if (i > 0 && rate === 0) return;
      lines.push({
        partyId: level.partyId,
        role: i === 0 ? 'WRITING' : level.partyId === BGA_PARTY ? 'BGA' : 'OVERRIDE',
        writingAgentId: share.agentId,
        premiumCents,
        splitBasisPoints: share.splitBasisPoints,
        rateBasisPoints: rate,
        amountCents: lineAmount(premiumCents, share.splitBasisPoints, rate),
        levelCode: level.levelCode,
      });
    });
  }
  return lines;
}

/** A share of each line to take back: numerator / denominator, 0 ≤ it ≤ 1. */
export interface Fraction {
  numerator: number;
  denominator: number;
}

/**
 * How much of the first-year commission a lapse takes back: after `paidMonths` paid months, within a
 * chargeback period of `chargebackMonths`, the unearned months' share when PRO_RATA (4 paid of 12 →
 * 8/12), all of it when FULL; nothing once the period is over.
 */
export function lapseChargebackFraction(paidMonths: number, chargebackMonths: number, rule: LapseChargebackRule): Fraction {
  if (paidMonths >= chargebackMonths) return { numerator: 0, denominator: 1 };
  if (rule === 'FULL') return { numerator: 1, denominator: 1 };
  return { numerator: chargebackMonths - paidMonths, denominator: chargebackMonths };
}

/** Not taken after placement: every line back. */
export const NOT_TAKEN_FRACTION: Fraction = { numerator: 1, denominator: 1 };

/**
 * The chargeback of first-year lines: one negative line per line, its amount the fraction of the
 * line's rounded half-up (to the cent, on its own); a line that would take back nothing is left out.
 */
export function chargebackLines(lines: readonly CommissionLine[], fraction: Fraction): CommissionLine[] {
  if (fraction.numerator === 0) return [];
  return lines
    .map((line) => ({
      ...line,
      amountCents: -Number(divideHalfUp(BigInt(line.amountCents) * BigInt(fraction.numerator), BigInt(fraction.denominator))),
    }))
    .filter((line) => line.amountCents !== 0);
}

/** Whole months from placement to a lapse (a month is paid once its day of the month has come again). */
export function paidMonthsBetween(placedOn: string, lapsedOn: string): number {
  const [py, pm, pd] = placedOn.split('-').map(Number) as [number, number, number];
  const [ly, lm, ld] = lapsedOn.split('-').map(Number) as [number, number, number];
  const months = (ly - py) * 12 + (lm - pm) - (ld < pd ? 1 : 0);
  return Math.max(0, months);
}

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** A payout period, YYYY-MM. */
export const isPeriod = (value: string): boolean => PERIOD.test(value);

/** The period (YYYY-MM, UTC) of an instant or a date. */
export const periodOf = (isoInstantOrDate: string): string => isoInstantOrDate.slice(0, 7);

/** A split in percent (up to two decimals) as basis points; undefined when it is not one. */
export function splitPercentToBasisPoints(percent: number): number | undefined {
  const basisPoints = Math.round(percent * 100);
  if (!Number.isFinite(percent) || Math.abs(basisPoints - percent * 100) > 1e-6) return undefined;
  return basisPoints;
}

/** Basis points as a percent (6,000 → 60). */
export const basisPointsToPercent = (basisPoints: number): number => basisPoints / 100;

/**
 * What is wrong with a case's writing agents, each reason naming its field (empty when nothing): every
 * split more than 0 and at most 100 with at most two decimals, no agent twice, the case's own agent
 * among them, and the splits summing to exactly 100.
 */
export function writingShareProblems(
  shares: readonly { agentId: string; splitPercent: number }[],
  caseAgentId: string,
  field = 'writingAgents',
): { reasons: string[]; shares: WritingShare[] } {
  const reasons: string[] = [];
  const result: WritingShare[] = [];
  const seen = new Set<string>();
  if (shares.length === 0) reasons.push(`${field} must name at least one writing agent`);
  shares.forEach((share, i) => {
    const basisPoints = splitPercentToBasisPoints(share.splitPercent);
    if (basisPoints === undefined || basisPoints <= 0 || basisPoints > FULL_SPLIT)
      reasons.push(`${field}[${i}].splitPercent must be more than 0 and at most 100, with at most two decimals`);
    if (seen.has(share.agentId)) reasons.push(`${field}[${i}].agentId names an agent already listed`);
    seen.add(share.agentId);
    result.push({ agentId: share.agentId, splitBasisPoints: basisPoints ?? 0 });
  });
  if (shares.length && !seen.has(caseAgentId)) reasons.push(`${field} must include the case's agent (agentId)`);
  const total = result.reduce((sum, share) => sum + share.splitBasisPoints, 0);
  if (shares.length && total !== FULL_SPLIT)
    reasons.push(`${field} splitPercent must sum to 100 (they sum to ${basisPointsToPercent(total)})`);
  return { reasons, shares: result };
}
