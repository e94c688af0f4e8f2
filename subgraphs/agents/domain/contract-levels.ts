/**
 * Contract levels and the hierarchy (docs/domain.md, "Contract levels and commissions"): each agent
 * and agency holds a level with a carrier not above its parent's (its upline's, or the BGA's for an
 * agent directly under the BGA); a commission chain runs from the writing agent up through each
 * upline, as of a date, to the BGA, each level's rate at least the one below it. Pure: the callers
 * load the rows.
 */
import type { LapseChargebackCode } from '../../shared/vocabulary';

/** The party id of the BGA in a commission chain (always its last element). */
export const BGA_PARTY = 'BGA';

/** A contract level code: "L" and the level's number, e.g. L120, L100, L85 (letters, digits, '_', '-' up to 20). */
export const LEVEL_CODE = /^[A-Z][A-Z0-9_-]{0,19}$/;

/** A carrier's contract level: a higher rank is a higher level. */
export interface ContractLevelDef {
  code: string;
  rank: number;
}

/** Who a contract nests under: an upline agent (or agency), or the BGA itself. */
export type Parent = { kind: 'UPLINE'; agentId: string; levelCode: string | null } | { kind: 'BGA'; levelCode: string | null };

/** The rank of a level of this carrier; undefined when the carrier has no such level. */
export function rankOf(levels: readonly ContractLevelDef[], code: string): number | undefined {
  return levels.find((level) => level.code === code)?.rank;
}

/** Why a level code cannot be used at this carrier (unknown there); null when it can. */
export function unknownLevelProblem(levels: readonly ContractLevelDef[], carrierId: string, code: string): string | null {
  if (rankOf(levels, code) !== undefined) return null;
  const known = [...levels].sort((a, b) => b.rank - a.rank).map((l) => l.code);
  return known.length === 0
    ? `carrier ${carrierId} has no contract levels on file`
    : `contract level ${code} is not one of carrier ${carrierId}'s levels (${known.join(', ')})`;
}

/**
 * Why `code` may not nest under `parent` at this carrier: the parent holds no contract there, or
 * `code` is above the parent's level. Null when it nests.
 */
export function aboveParentProblem(levels: readonly ContractLevelDef[], carrierId: string, code: string, parent: Parent): string | null {
  if (parent.levelCode === null) {
    return parent.kind === 'BGA'
      ? `the BGA has no contract with carrier ${carrierId}`
      : `the upline ${parent.agentId} has no contract with carrier ${carrierId}: contract the upline first`;
  }
  const own = rankOf(levels, code);
  const theirs = rankOf(levels, parent.levelCode);
  if (own === undefined || theirs === undefined) return unknownLevelProblem(levels, carrierId, own === undefined ? code : parent.levelCode);
  return own > theirs
    ? `contract level ${code} is above ${parent.kind === 'BGA' ? "the BGA's" : "the upline's"} ${parent.levelCode} at carrier ${carrierId}${
        parent.kind === 'UPLINE' ? ` (upline ${parent.agentId})` : ''
      }: a child's level is never above its parent's`
    : null;
}

/** Why `code` may not be an agent's level given its direct downline's levels at this carrier: one reason per child above it. */
export function belowChildrenProblems(
  levels: readonly ContractLevelDef[],
  carrierId: string,
  code: string,
  children: readonly { agentId: string; levelCode: string }[],
): string[] {
  const own = rankOf(levels, code);
  if (own === undefined) return [unknownLevelProblem(levels, carrierId, code)!];
  return children
    .filter((child) => (rankOf(levels, child.levelCode) ?? Number.NEGATIVE_INFINITY) > own)
    .map(
      (child) =>
        `contract level ${code} is below ${child.levelCode} of downline agent ${child.agentId} at carrier ${carrierId}: a parent's level is never below its child's`,
    );
}

/**
 * Why an agent may not move under a new parent: for each carrier the agent holds a contract with,
 * the new parent must hold one there at a level at least the agent's. Empty when the move nests.
 */
export function moveProblems(
  contracts: readonly { carrierId: string; levelCode: string }[],
  levelsByCarrier: ReadonlyMap<string, readonly ContractLevelDef[]>,
  newParent: (carrierId: string) => Parent,
): string[] {
  return contracts
    .map((contract) =>
      aboveParentProblem(
        levelsByCarrier.get(contract.carrierId) ?? [],
        contract.carrierId,
        contract.levelCode,
        newParent(contract.carrierId),
      ),
    )
    .filter((problem): problem is string => problem !== null);
}

/** Why a move would make the hierarchy loop: the agent itself, or someone in its downline, as the new upline. */
export function cycleProblem(agentId: string, uplineId: string, uplineAncestors: readonly string[]): string | null {
  if (uplineId === agentId) return `agent ${agentId} cannot be their own upline`;
  return uplineAncestors.includes(agentId)
    ? `agent ${uplineId} is in agent ${agentId}'s downline: moving ${agentId} under them would make a cycle`
    : null;
}

/** A level's commission terms for a carrier and product (a schedule row); every field null when the level has no row. */
export interface ScheduleTerms {
  levelCode: string | null;
  firstYearBasisPoints: number | null;
  renewalBasisPoints: number | null;
  renewalYears: number | null;
  chargebackMonths: number | null;
  lapseChargeback: LapseChargebackCode | null;
}

/** One party of a chain as loaded: the writing agent (depth 0) or an upline, with its contract and schedule row. */
export interface ChainRow extends ScheduleTerms {
  agentId: string;
  depth: number;
  partyId: string;
}

export interface CommissionChainLevel {
  partyId: string;
  levelCode: string;
  firstYearBasisPoints: number;
  renewalBasisPoints: number;
  renewalYears: number;
}

export interface CommissionChain {
  agentId: string;
  levels: CommissionChainLevel[];
  chargebackMonths: number;
  lapseChargeback: LapseChargebackCode;
}

export interface ChainProblem {
  agentId: string;
  reason: string;
}

function chainLevel(partyId: string, terms: ScheduleTerms, carrierId: string, productId: string): CommissionChainLevel | string {
  const who = partyId === BGA_PARTY ? 'the BGA' : `agent ${partyId}`;
  if (terms.levelCode === null) return `${who} has no contract with carrier ${carrierId}`;
  if (terms.firstYearBasisPoints === null || terms.renewalBasisPoints === null || terms.renewalYears === null) {
    return `no commission schedule for product ${productId} at level ${terms.levelCode} of carrier ${carrierId} (${who})`;
  }
  return {
    partyId,
    levelCode: terms.levelCode,
    firstYearBasisPoints: terms.firstYearBasisPoints,
    renewalBasisPoints: terms.renewalBasisPoints,
    renewalYears: terms.renewalYears,
  };
}

/**
 * Each writing agent's chain, in the order asked (duplicates once): the agent, each upline nearest
 * first (the rows, as of the chain's date), then the BGA. The chargeback rule is the BGA's schedule
 * row's, the carrier's rule passed down the chain. A chain with a party lacking a contract or a
 * schedule row, or a level paying less than the one below it, is a problem instead.
 */
export function buildCommissionChains(input: {
  carrierId: string;
  productId: string;
  agentIds: readonly string[];
  rows: readonly ChainRow[];
  bga: ScheduleTerms;
}): { chains: CommissionChain[]; problems: ChainProblem[] } {
  const { carrierId, productId } = input;
  const byAgent = new Map<string, ChainRow[]>();
  for (const row of input.rows) {
    const list = byAgent.get(row.agentId) ?? [];
    list.push(row);
    byAgent.set(row.agentId, list);
  }
  const chains: CommissionChain[] = [];
  const problems: ChainProblem[] = [];
  for (const agentId of new Set(input.agentIds)) {
    const rows = (byAgent.get(agentId) ?? []).sort((a, b) => a.depth - b.depth);
    if (rows.length === 0 || rows[0].partyId !== agentId) {
      problems.push({ agentId, reason: `agent ${agentId} not found` });
      continue;
    }
    const levels: CommissionChainLevel[] = [];
    let problem: string | null = null;
    for (const [partyId, terms] of [...rows.map((r) => [r.partyId, r] as const), [BGA_PARTY, input.bga] as const]) {
      const level = chainLevel(partyId, terms, carrierId, productId);
      if (typeof level === 'string') {
        problem = level;
        break;
      }
      const below = levels.at(-1);
      if (below && (level.firstYearBasisPoints < below.firstYearBasisPoints || level.renewalBasisPoints < below.renewalBasisPoints)) {
        problem = `level ${level.levelCode} of ${partyId === BGA_PARTY ? 'the BGA' : `agent ${partyId}`} pays less than ${below.levelCode} of ${below.partyId} below it at carrier ${carrierId}`;
        break;
      }
      levels.push(level);
    }
    if (problem === null && (input.bga.chargebackMonths === null || input.bga.lapseChargeback === null)) {
      problem = `no commission schedule for product ${productId} at the BGA's level of carrier ${carrierId}`;
    }
    if (problem !== null) problems.push({ agentId, reason: problem });
    else chains.push({ agentId, levels, chargebackMonths: input.bga.chargebackMonths!, lapseChargeback: input.bga.lapseChargeback! });
  }
  return { chains, problems };
}
