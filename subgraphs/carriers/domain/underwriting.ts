/**
 * Field underwriting: from a carrier's own guidelines (its data, like its rates) and a normalized
 * health profile, the class the carrier would likely offer, or a table, or a decline, with the
 * guideline behind each class it could not give. Pure and cheap: it runs once per carrier and
 * product in every comparison, so it reads precomputed charts by index and allocates little.
 *
 * The estimate is the best class no guideline excludes. Each guideline the profile meets yields a
 * limit (the best outcome that guideline allows); the estimate is the worst limit, and every limit
 * that excluded a better class is a reason. Limits are not added together: two tables are the worse
 * of the two, not their sum (a field estimate, not the carrier's debit count).
 */
import { formatMoney } from '../../../platform/money';
import { HEALTH_CLASSES, type HealthClassCode } from '../../shared/vocabulary';
import {
  AVOCATIONS,
  CONDITIONS,
  type AvocationCode,
  type ConditionCode,
  duiWithinYears,
  hasMajorCondition,
  type HealthProfile,
} from './health-profile';

export { duiWithinYears, hasMajorCondition };

/** What a reason is about: the guideline family that excluded a better class. */
export const UNDERWRITING_FACTORS = Object.freeze([
  'BUILD',
  'BLOOD_PRESSURE',
  'CHOLESTEROL',
  'NICOTINE',
  'FAMILY_HISTORY',
  'DRIVING',
  'CONDITION',
  'AVOCATION',
  'AVIATION',
  'FOREIGN_TRAVEL',
] as const);
export type UnderwritingFactorCode = (typeof UNDERWRITING_FACTORS)[number];

/** The most a guideline allows: a class, a table rating (1-8, priced as Standard), or a decline. */
export type UnderwritingOutcome = HealthClassCode | { table: number } | 'DECLINE';

/** A hazard rated apart from the class: a flat extra per $1,000 a year, an exclusion rider, or a decline. */
export type HazardRule = { flatExtraPerThousandCents: number } | 'EXCLUSION' | 'DECLINE';

export interface ConditionRule {
  /** The best outcome when the condition is treated and controlled. */
  controlled: UnderwritingOutcome;
  /** The outcome when it is not controlled. */
  uncontrolled: UnderwritingOutcome;
  /** A better outcome when diagnosed at or after this age and controlled (e.g. type 2 diabetes after 50). */
  onsetAfterAge?: { age: number; outcome: UnderwritingOutcome };
  /** Better outcomes once this many whole years have passed since the last treatment (cancer, heart attack), any order. */
  afterYears?: readonly { years: number; outcome: UnderwritingOutcome }[];
  /** Declined while fewer years than this have passed since the last treatment. */
  declineWithinYears?: number;
}

export interface BuildChart {
  /** The chart's first row; shorter or taller applicants are read at the nearest row. */
  minHeightInches: number;
  /** Per class, the maximum weight in pounds for each height: index 0 is minHeightInches. */
  maxWeight: Readonly<Record<HealthClassCode, readonly number[]>>;
  /** Table bands above Standard, mildest first, each with its maximum weight per height; beyond the last band, a decline. */
  tables: readonly { table: number; maxWeight: readonly number[] }[];
}

type ClassLimits<T> = Readonly<Record<HealthClassCode, T>>;

/** One carrier's field underwriting guidelines: carrier data, kept in the catalog like its rates. */
export interface UnderwritingGuidelines {
  build: BuildChart;
  bloodPressure: {
    limits: ClassLimits<{ systolic: number; diastolic: number }>;
    /** Whether blood pressure controlled by medication may still get Preferred Plus. */
    treatedPreferredPlus: boolean;
    /** Above Standard's limit and under declineAbove. */
    aboveStandard: UnderwritingOutcome;
    declineAbove: { systolic: number; diastolic: number };
  };
  cholesterol: {
    /** ratioHundredths: total/HDL ratio in hundredths (5.0 is 500). */
    limits: ClassLimits<{ total: number; ratioHundredths: number }>;
    treatedPreferredPlus: boolean;
    aboveStandard: UnderwritingOutcome;
  };
  nicotine: {
    /** Nicotine that counts as tobacco within this many months means tobacco rates. */
    tobaccoWithinMonths: number;
    /** Months clean a non-tobacco class needs (Standard needs only tobaccoWithinMonths). */
    cleanMonths: Readonly<Record<'PREFERRED_PLUS' | 'PREFERRED' | 'STANDARD_PLUS', number>>;
    /** The best class offered at tobacco rates. */
    tobaccoBestClass: HealthClassCode;
    /** Cigars a year still rated non-tobacco (0: any cigar is tobacco), and the best class they allow. */
    cigarsPerYear: number;
    cigarBestClass: HealthClassCode;
    /** Marijuana uses a week still rated non-tobacco (0: any use is tobacco), and the best class they allow. */
    marijuanaPerWeek: number;
    marijuanaBestClass: HealthClassCode;
    /** Whether patches, gum and lozenges count as tobacco. */
    nicotineReplacementIsTobacco: boolean;
  };
  familyHistory: {
    /** What a parent's or sibling's death before 60 rules out: Preferred Plus, or Preferred (and so Preferred Plus) too. */
    excludes: 'PREFERRED_PLUS' | 'PREFERRED';
    /** Whether cancer counts, or only heart disease. */
    countsCancer: boolean;
    /** From this issue age on, family history no longer matters. */
    ignoredFromAge: number;
  };
  driving: {
    /** A DUI within this many years: no preferred class (Standard Plus at best). */
    duiNoPreferredYears: number;
    /** A DUI within this many years: recentDui. */
    duiRecentYears: number;
    recentDui: 'STANDARD' | 'DECLINE';
    /** A license suspension within this many years: no Preferred Plus. */
    suspensionNoPreferredPlusYears: number;
  };
  /** A condition the guidelines do not list is declined (it goes to the underwriter). */
  conditions: Readonly<Partial<Record<ConditionCode, ConditionRule>>>;
  /** An avocation the guidelines do not list is not rated. */
  avocations: Readonly<Partial<Record<AvocationCode, HazardRule>>>;
  aviation: { underHours: number; under: HazardRule | null; over: HazardRule; studentPilot: HazardRule };
  foreignTravel: HazardRule;
  /** Years a flat extra is charged. */
  flatExtraYears: number;
}

export interface UnderwritingReason {
  factor: UnderwritingFactorCode;
  message: string;
}

export interface UnderwritingEstimate {
  tobacco: boolean;
  /** Null when declined; STANDARD with a table rating. */
  estimatedClass: HealthClassCode | null;
  tableRating: number;
  flatExtraPerThousandCents: number;
  flatExtraYears: number;
  declined: boolean;
  reasons: UnderwritingReason[];
}

/** Ranks: 0-3 the classes best first, 4-11 tables 1-8, 12 a decline. */
const STANDARD_RANK = 3;
const DECLINE_RANK = 12;
const MAX_TABLE = 8;

export const CLASS_LABELS: Readonly<Record<HealthClassCode, string>> = Object.freeze({
  PREFERRED_PLUS: 'Preferred Plus',
  PREFERRED: 'Preferred',
  STANDARD_PLUS: 'Standard Plus',
  STANDARD: 'Standard',
});

const classRank = (healthClass: HealthClassCode) => HEALTH_CLASSES.indexOf(healthClass);

function rankOf(outcome: UnderwritingOutcome): number {
  if (outcome === 'DECLINE') return DECLINE_RANK;
  if (typeof outcome === 'string') return classRank(outcome);
  if (!Number.isInteger(outcome.table) || outcome.table < 1) throw new RangeError('a table rating is 1 to 8');
  return outcome.table > MAX_TABLE ? DECLINE_RANK : STANDARD_RANK + outcome.table;
}

function rankLabel(rank: number): string {
  if (rank >= DECLINE_RANK) return 'declined';
  if (rank > STANDARD_RANK) return `table ${rank - STANDARD_RANK} at best`;
  return `${CLASS_LABELS[HEALTH_CLASSES[rank]]} at best`;
}

const heightText = (inches: number) => `${Math.floor(inches / 12)}'${inches % 12}"`;
const durationText = (months: number) =>
  months % 12 === 0 ? `${months / 12} year${months === 12 ? '' : 's'}` : `${months} month${months === 1 ? '' : 's'}`;

/** The chart's row for a height (clamped to the chart). */
function buildRow(chart: BuildChart, heightInches: number): number {
  const last = chart.maxWeight.STANDARD.length - 1;
  return Math.min(Math.max(heightInches - chart.minHeightInches, 0), last);
}

/** True when the profile's build is within Standard's limit (or no build was given): accelerated underwriting needs it. */
export function buildWithinStandard(guidelines: UnderwritingGuidelines, profile: HealthProfile): boolean {
  if (!profile.build) return true;
  const row = buildRow(guidelines.build, profile.build.heightInches);
  return profile.build.weightPounds <= guidelines.build.maxWeight.STANDARD[row];
}

function buildRank(chart: BuildChart, build: NonNullable<HealthProfile['build']>): number {
  const row = buildRow(chart, build.heightInches);
  for (let rank = 0; rank <= STANDARD_RANK; rank++) if (build.weightPounds <= chart.maxWeight[HEALTH_CLASSES[rank]][row]) return rank;
  for (const band of chart.tables) if (build.weightPounds <= band.maxWeight[row]) return rankOf({ table: band.table });
  return DECLINE_RANK;
}

const better = (a: number, b: number) => Math.min(a, b);

function conditionRank(rule: ConditionRule | undefined, condition: HealthProfile['conditions'][number], issueAge: number): number {
  if (!rule) return DECLINE_RANK;
  if (rule.declineWithinYears !== undefined && condition.monthsSinceTreatment < rule.declineWithinYears * 12) return DECLINE_RANK;
  let rank = rankOf(condition.controlled ? rule.controlled : rule.uncontrolled);
  const ageAtDiagnosis = issueAge - Math.floor(condition.monthsSinceDiagnosis / 12);
  if (condition.controlled && rule.onsetAfterAge && ageAtDiagnosis >= rule.onsetAfterAge.age)
    rank = better(rank, rankOf(rule.onsetAfterAge.outcome));
  for (const step of rule.afterYears ?? [])
    if (condition.monthsSinceTreatment >= step.years * 12) rank = better(rank, rankOf(step.outcome));
  return rank;
}

/**
 * The likely offer of the carrier whose guidelines these are, for this profile at this issue age.
 * `asOf` is the day the profile's months were counted to (kept for the callers' symmetry: the
 * profile already holds whole months before it).
 */
export function estimateUnderwriting(
  guidelines: UnderwritingGuidelines,
  profile: HealthProfile,
  context: { issueAge: number; asOf?: string },
): UnderwritingEstimate {
  const limits: { factor: UnderwritingFactorCode; rank: number; text: string }[] = [];
  const limit = (factor: UnderwritingFactorCode, rank: number, text: string) => {
    if (rank > 0) limits.push({ factor, rank, text });
  };
  const reasons: UnderwritingReason[] = [];
  let flatExtraPerThousandCents = 0;
  const hazard = (factor: UnderwritingFactorCode, rule: HazardRule | null | undefined, label: string) => {
    if (!rule) return;
    if (rule === 'DECLINE') limit(factor, DECLINE_RANK, label);
    else if (rule === 'EXCLUSION') reasons.push({ factor, message: `${label}: excluded from coverage by rider` });
    else {
      flatExtraPerThousandCents += rule.flatExtraPerThousandCents;
      reasons.push({ factor, message: `${label}: flat extra $${formatMoney(rule.flatExtraPerThousandCents)} per $1,000` });
    }
  };

  if (profile.build) {
    const rank = buildRank(guidelines.build, profile.build);
    const height = heightText(profile.build.heightInches);
    limit(
      'BUILD',
      rank,
      rank > STANDARD_RANK ? `Weight above Standard's limit for ${height}` : `Weight above the best classes' limits for ${height}`,
    );
  }

  if (profile.bloodPressure) {
    const { systolic, diastolic, treated } = profile.bloodPressure;
    const rules = guidelines.bloodPressure;
    let rank = -1;
    for (let r = 0; r <= STANDARD_RANK && rank < 0; r++) {
      const max = rules.limits[HEALTH_CLASSES[r]];
      if (systolic <= max.systolic && diastolic <= max.diastolic && !(r === 0 && treated && !rules.treatedPreferredPlus)) rank = r;
    }
    if (rank < 0)
      rank =
        systolic > rules.declineAbove.systolic || diastolic > rules.declineAbove.diastolic ? DECLINE_RANK : rankOf(rules.aboveStandard);
    const pp = rules.limits.PREFERRED_PLUS;
    const onlyTreatment = rank === 1 && systolic <= pp.systolic && diastolic <= pp.diastolic;
    limit(
      'BLOOD_PRESSURE',
      rank,
      onlyTreatment ? 'Blood pressure treated with medication' : "Blood pressure above the best classes' limits",
    );
  }

  if (profile.cholesterol) {
    const { total, ratioHundredths, treated } = profile.cholesterol;
    const rules = guidelines.cholesterol;
    let rank = -1;
    for (let r = 0; r <= STANDARD_RANK && rank < 0; r++) {
      const max = rules.limits[HEALTH_CLASSES[r]];
      if (total <= max.total && ratioHundredths <= max.ratioHundredths && !(r === 0 && treated && !rules.treatedPreferredPlus)) rank = r;
    }
    if (rank < 0) rank = rankOf(rules.aboveStandard);
    const pp = rules.limits.PREFERRED_PLUS;
    const onlyTreatment = rank === 1 && total <= pp.total && ratioHundredths <= pp.ratioHundredths;
    limit('CHOLESTEROL', rank, onlyTreatment ? 'Cholesterol treated with medication' : "Cholesterol above the best classes' limits");
  }

  // Nicotine: the worst use decides; an allowed use (occasional cigars, marijuana within the
  // carrier's allowance, nicotine replacement where it is not tobacco) caps the class without tobacco rates.
  const rules = guidelines.nicotine;
  let tobacco = false;
  let nicotineRank = 0;
  let nicotineText = '';
  for (const use of profile.nicotine) {
    let allowedCap = -1;
    let what = 'Nicotine';
    if (use.kind === 'CIGAR') {
      what = 'Cigars';
      if (rules.cigarsPerYear > 0 && use.perYear !== null && use.perYear <= rules.cigarsPerYear)
        allowedCap = classRank(rules.cigarBestClass);
    } else if (use.kind === 'MARIJUANA') {
      what = 'Marijuana';
      if (rules.marijuanaPerWeek > 0 && use.perYear !== null && use.perYear <= rules.marijuanaPerWeek * 52)
        allowedCap = classRank(rules.marijuanaBestClass);
    } else if (use.kind === 'NICOTINE_REPLACEMENT') {
      what = 'Nicotine replacement';
      if (!rules.nicotineReplacementIsTobacco) allowedCap = 0;
    }
    if (allowedCap >= 0) {
      if (use.monthsSince < rules.tobaccoWithinMonths && allowedCap > nicotineRank) {
        nicotineRank = allowedCap;
        nicotineText = `${what} within the non-tobacco allowance`;
      }
      continue;
    }
    if (use.monthsSince < rules.tobaccoWithinMonths) {
      tobacco = true;
      continue;
    }
    const clean = rules.cleanMonths;
    const rank =
      use.monthsSince >= clean.PREFERRED_PLUS ? 0 : use.monthsSince >= clean.PREFERRED ? 1 : use.monthsSince >= clean.STANDARD_PLUS ? 2 : 3;
    if (rank > nicotineRank) {
      nicotineRank = rank;
      nicotineText = `${what} within the ${durationText(clean[HEALTH_CLASSES[rank - 1] as keyof typeof clean])} ${CLASS_LABELS[HEALTH_CLASSES[rank - 1]]} needs clean`;
    }
  }
  if (tobacco) {
    const rank = Math.max(nicotineRank, classRank(rules.tobaccoBestClass));
    limit('NICOTINE', rank, `Tobacco or nicotine within ${durationText(rules.tobaccoWithinMonths)}, tobacco rates`);
  } else limit('NICOTINE', nicotineRank, nicotineText);

  const family = guidelines.familyHistory;
  const { heartDiseaseBefore60, cancerBefore60 } = profile.familyHistory;
  if (context.issueAge < family.ignoredFromAge && (heartDiseaseBefore60 || (cancerBefore60 && family.countsCancer)))
    limit('FAMILY_HISTORY', family.excludes === 'PREFERRED_PLUS' ? 1 : 2, 'A parent or sibling died of heart disease or cancer before 60');

  const driving = guidelines.driving;
  for (const incident of profile.driving) {
    if (incident.kind === 'DUI' && incident.monthsSince < driving.duiRecentYears * 12)
      limit('DRIVING', rankOf(driving.recentDui), `A DUI within ${durationText(driving.duiRecentYears * 12)}`);
    else if (incident.kind === 'DUI' && incident.monthsSince < driving.duiNoPreferredYears * 12)
      limit('DRIVING', 2, `A DUI within ${durationText(driving.duiNoPreferredYears * 12)}`);
    else if (incident.kind === 'LICENSE_SUSPENSION' && incident.monthsSince < driving.suspensionNoPreferredPlusYears * 12)
      limit('DRIVING', 1, `A license suspension within ${durationText(driving.suspensionNoPreferredPlusYears * 12)}`);
  }

  for (const condition of profile.conditions) {
    const rank = conditionRank(guidelines.conditions[condition.code], condition, context.issueAge);
    limit('CONDITION', rank, `${CONDITIONS[condition.code].label}${condition.controlled ? '' : ', not controlled'}`);
  }

  for (const avocation of profile.avocations) hazard('AVOCATION', guidelines.avocations[avocation], AVOCATIONS[avocation]);
  if (profile.aviation) {
    const aviation = guidelines.aviation;
    if (profile.aviation.studentPilot) hazard('AVIATION', aviation.studentPilot, 'Student pilot');
    else if (profile.aviation.hoursPerYear < aviation.underHours)
      hazard('AVIATION', aviation.under, `Private pilot under ${aviation.underHours} hours a year`);
    else hazard('AVIATION', aviation.over, `Private pilot, ${aviation.underHours} hours a year or more`);
  }
  if (profile.foreignTravel) hazard('FOREIGN_TRAVEL', guidelines.foreignTravel, 'Travel to a high-risk destination');

  let rank = 0;
  for (const l of limits) if (l.rank > rank) rank = l.rank;
  // The deciding guideline first, then the milder ones, each saying what it allows at best.
  limits.sort((a, b) => b.rank - a.rank);
  const classReasons = limits.map((l) => ({ factor: l.factor, message: `${l.text}: ${rankLabel(l.rank)}` }));
  const declined = rank >= DECLINE_RANK;
  return {
    tobacco,
    estimatedClass: declined ? null : HEALTH_CLASSES[Math.min(rank, STANDARD_RANK)],
    tableRating: !declined && rank > STANDARD_RANK ? rank - STANDARD_RANK : 0,
    flatExtraPerThousandCents: declined ? 0 : flatExtraPerThousandCents,
    flatExtraYears: declined || flatExtraPerThousandCents === 0 ? 0 : guidelines.flatExtraYears,
    declined,
    reasons: [...classReasons, ...reasons],
  };
}

/** What a quote prices for an estimate: the class (STANDARD with a table), tobacco rates or not, the table and the flat extra. */
export interface UnderwritingPricing {
  healthClass: HealthClassCode;
  tobacco: boolean;
  tableRating: number;
  flatExtraPerThousandCents: number;
  flatExtraYears: number;
}

/**
 * The pricing inputs for one carrier's estimate, or null when it declines (no quote from that
 * carrier's product: an outcome, not an error). The flat extra's years stop at `maxYears` (a term's
 * length), since a flat extra is never charged longer than the premiums it is added to.
 */
export function pricingOf(estimate: UnderwritingEstimate, maxYears?: number | null): UnderwritingPricing | null {
  if (estimate.declined || !estimate.estimatedClass) return null;
  const years = maxYears ? Math.min(estimate.flatExtraYears, maxYears) : estimate.flatExtraYears;
  return {
    healthClass: estimate.estimatedClass,
    tobacco: estimate.tobacco,
    tableRating: estimate.tableRating,
    flatExtraPerThousandCents: years > 0 ? estimate.flatExtraPerThousandCents : 0,
    flatExtraYears: estimate.flatExtraPerThousandCents > 0 ? years : 0,
  };
}

/**
 * What the requirements grid and the accelerated program need to know of a health profile at one
 * carrier: a disqualifying condition, the build against this carrier's Standard limit, the years
 * since the last DUI, and whether anything is under treatment (the grid's "APS if treated" rows).
 * Without the carrier's guidelines the build cannot be judged and counts as within Standard.
 */
export function requirementHealthFacts(
  guidelines: UnderwritingGuidelines | null,
  profile: HealthProfile,
): { majorCondition: boolean; buildWithinStandard: boolean; duiYearsAgo: number | null; treated: boolean } {
  const duiMonths = profile.driving.filter((incident) => incident.kind === 'DUI').map((incident) => incident.monthsSince);
  return {
    majorCondition: hasMajorCondition(profile),
    buildWithinStandard: guidelines ? buildWithinStandard(guidelines, profile) : true,
    duiYearsAgo: duiMonths.length ? Math.floor(Math.min(...duiMonths) / 12) : null,
    treated: profile.conditions.length > 0 || !!profile.bloodPressure?.treated || !!profile.cholesterol?.treated,
  };
}
