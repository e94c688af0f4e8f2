/**
 * docs/domain.md "Underwriting requirements" as pure functions: which requirements a carrier's
 * underwriters will order for an insured of this issue age at this face amount, and whether the case
 * qualifies for the carrier's accelerated (no exam, no fluids) program. Each carrier has its own grid
 * and rules (catalog data, carriers.carrier_underwriting); nothing here knows a carrier.
 */
import type { ProductTypeCode, RequirementCodeValue as RequirementCode } from '../../shared/vocabulary';

export type { RequirementCode };

/**
 * One row of a grid: for issue ages minAge..maxAge (inclusive) and face amounts strictly over
 * `overFace` dollars ("over $250,000": 250,000 itself is not over), these codes.
 */
export interface RequirementBand {
  minAge: number;
  maxAge: number;
  /** Whole dollars; 0 = at any amount. */
  overFace: number;
  codes: RequirementCode[];
  /** The accelerated program replaces these (the exam, the fluids): dropped when the case is accelerated-eligible. */
  waivedWhenAccelerated?: boolean;
  /** An "APS if treated" row: applies only when the insured is treated for a condition (the caller's health facts decide). */
  ifTreated?: boolean;
}

/** A carrier's requirements by issue age and face amount. */
export interface RequirementGrid {
  /** Ordered on every fully underwritten case (MIB, Rx check, MVR ...). */
  always: RequirementCode[];
  bands: RequirementBand[];
  /**
   * What a simplified-issue product (final expense, no-exam term) orders instead of the grid at any
   * age and amount: database checks only, never an exam or fluids.
   */
  simplifiedIssue: RequirementCode[];
}

/** A carrier's accelerated underwriting program: who may skip the exam and the fluids. */
export interface AcceleratedRules {
  /** Issue ages, inclusive. */
  minAge: number;
  maxAge: number;
  /** Whole dollars, inclusive. */
  maxFace: number;
  /** No major condition (heart disease, cancer, diabetes with complications ...). */
  noMajorCondition: boolean;
  /** Height and weight within the carrier's Standard build chart. */
  buildWithinStandard: boolean;
  /** No DUI within this many years; null = the program does not ask. */
  noDuiWithinYears: number | null;
  /** The program assumes the Rx and MIB checks come back clean: a hit sends the case to full underwriting later. */
  rxAndMibCleanAssumed: boolean;
}

/** What the caller knows of the insured's health; absent, eligibility is judged on age and face alone. */
export interface HealthFacts {
  majorCondition: boolean;
  buildWithinStandard: boolean;
  /** Whole years since the last DUI; null = never. */
  duiYearsAgo: number | null;
}

export interface AcceleratedVerdict {
  eligible: boolean;
  /** Why not, one sentence each; empty when eligible. */
  reasons: string[];
}

const dollars = (amount: number) => `$${amount.toLocaleString('en-US')}`;

/**
 * May this case go through the carrier's accelerated program? Age and face are always checked; the
 * health conditions only when `health` is given (without it the answer is "eligible on age and
 * face", which the carrier's own Rx and MIB checks may still overturn).
 */
export function acceleratedEligibility(
  rules: AcceleratedRules,
  input: { issueAge: number; faceAmount: number; health?: HealthFacts | null },
): AcceleratedVerdict {
  const reasons: string[] = [];
  const { issueAge, faceAmount, health } = input;
  if (issueAge < rules.minAge) reasons.push(`issue age ${issueAge} is under the accelerated program's minimum of ${rules.minAge}`);
  if (issueAge > rules.maxAge) reasons.push(`issue age ${issueAge} is over the accelerated program's maximum of ${rules.maxAge}`);
  if (faceAmount > rules.maxFace)
    reasons.push(`face amount ${dollars(faceAmount)} is over the accelerated program's maximum of ${dollars(rules.maxFace)}`);
  if (health) {
    if (rules.noMajorCondition && health.majorCondition) reasons.push('a major condition needs full underwriting');
    if (rules.buildWithinStandard && !health.buildWithinStandard) reasons.push('build outside Standard needs full underwriting');
    if (rules.noDuiWithinYears !== null && health.duiYearsAgo !== null && health.duiYearsAgo < rules.noDuiWithinYears)
      reasons.push(`a DUI within ${rules.noDuiWithinYears} years needs full underwriting`);
  }
  return { eligible: reasons.length === 0, reasons };
}

/** Alphabetical: the same list whatever order the grid's rows are written in. */
const sortedUnique = (codes: Iterable<RequirementCode>): RequirementCode[] => [...new Set(codes)].sort();

/**
 * The requirements a fully underwritten case starts with: the grid's "always" codes plus every band
 * covering this issue age whose amount threshold the face exceeds. An accelerated-eligible case drops
 * the bands the grid marks as replaced by the program; "if treated" bands count only when `treated`.
 * Sorted, each code once.
 */
export function expectedRequirements(
  grid: RequirementGrid,
  input: { issueAge: number; faceAmount: number; accelerated: boolean; treated?: boolean },
): RequirementCode[] {
  const codes: RequirementCode[] = [...grid.always];
  for (const band of grid.bands) {
    if (input.issueAge < band.minAge || input.issueAge > band.maxAge || input.faceAmount <= band.overFace) continue;
    if (band.ifTreated && !input.treated) continue;
    if (band.waivedWhenAccelerated && input.accelerated) continue;
    codes.push(...band.codes);
  }
  return sortedUnique(codes);
}

/** What a simplified-issue product orders: the grid's list for such products, sorted, each code once. */
export function simplifiedIssueRequirements(grid: RequirementGrid): RequirementCode[] {
  return sortedUnique(grid.simplifiedIssue);
}

/** A carrier's underwriting data as the catalog keeps it (carriers.carrier_underwriting). */
export interface CarrierUnderwriting {
  requirementGrid: RequirementGrid;
  acceleratedRules: AcceleratedRules;
}

export interface QuoteRequirementsInput {
  issueAge: number;
  faceAmount: number;
  productType: ProductTypeCode;
  /** false for simplified-issue products (no exam at any age); absent = fully underwritten unless FINAL_EXPENSE. */
  fullyUnderwritten?: boolean;
  health?: HealthFacts | null;
  /** The insured is treated for a condition: the grid's "APS if treated" rows apply. */
  treated?: boolean;
}

export interface QuoteRequirements {
  expectedRequirements: RequirementCode[];
  acceleratedUnderwriting: boolean;
  /** Why the case is not accelerated; empty when it is. */
  acceleratedReasons: string[];
}

/** A product underwritten without exam or fluids at any age: final expense, and products the catalog marks not fully underwritten. */
export const isSimplifiedIssue = (input: Pick<QuoteRequirementsInput, 'productType' | 'fullyUnderwritten'>): boolean =>
  input.productType === 'FINAL_EXPENSE' || input.fullyUnderwritten === false;

/**
 * The requirements and the accelerated verdict of one quote (or one case) at one carrier. A carrier
 * without underwriting data in the catalog answers an empty list and not accelerated, saying so,
 * rather than failing the quote. A simplified-issue product orders its own short list and is never
 * "accelerated": it has no exam to skip.
 */
export function quoteRequirements(underwriting: CarrierUnderwriting | null | undefined, input: QuoteRequirementsInput): QuoteRequirements {
  if (!underwriting)
    return {
      expectedRequirements: [],
      acceleratedUnderwriting: false,
      acceleratedReasons: ['the catalog has no requirements grid for this carrier'],
    };
  if (isSimplifiedIssue(input))
    return {
      expectedRequirements: simplifiedIssueRequirements(underwriting.requirementGrid),
      acceleratedUnderwriting: false,
      acceleratedReasons: ['simplified issue: the product asks no exam and no fluids at any age'],
    };
  const verdict = acceleratedEligibility(underwriting.acceleratedRules, input);
  return {
    expectedRequirements: expectedRequirements(underwriting.requirementGrid, { ...input, accelerated: verdict.eligible }),
    acceleratedUnderwriting: verdict.eligible,
    acceleratedReasons: verdict.reasons,
  };
}
