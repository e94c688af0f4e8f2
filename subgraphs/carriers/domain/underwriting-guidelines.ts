/**
 * A carrier's underwriting guidelines read back from stored JSON (the catalog keeps them like
 * rates): every part checked, so a malformed row fails where it is read, naming its path, and never
 * halfway through a comparison. The checks are the ones the estimate relies on: a limit for every
 * class, better classes stricter, table bands above Standard, known codes only.
 */
import { HEALTH_CLASSES } from '../../shared/vocabulary';
import { AVOCATIONS, CONDITIONS } from './health-profile';
import type { ConditionRule, HazardRule, UnderwritingGuidelines, UnderwritingOutcome } from './underwriting';

type Json = Record<string, unknown>;

function fail(path: string, what: string): never {
  throw new RangeError(`underwriting guidelines: ${path} ${what}`);
}

function object(value: unknown, path: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(path, 'must be an object');
  return value as Json;
}

function int(value: unknown, path: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max)
    fail(path, `must be an integer from ${min} to ${max}`);
  return value as number;
}

function bool(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') fail(path, 'must be true or false');
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (!allowed.includes(value as T)) fail(path, `must be one of ${allowed.join(', ')}`);
  return value as T;
}

function outcome(value: unknown, path: string): UnderwritingOutcome {
  if (value === 'DECLINE') return value;
  if (typeof value === 'string') return oneOf(value, HEALTH_CLASSES, path);
  return { table: int(object(value, path).table, `${path}.table`, 1, 8) };
}

function hazard(value: unknown, path: string): HazardRule {
  if (value === 'DECLINE' || value === 'EXCLUSION') return value;
  return { flatExtraPerThousandCents: int(object(value, path).flatExtraPerThousandCents, `${path}.flatExtraPerThousandCents`, 1, 10_000) };
}

function rows(value: unknown, path: string, length?: number): number[] {
  if (!Array.isArray(value) || value.length === 0 || (length !== undefined && value.length !== length))
    fail(path, length === undefined ? 'must be a list of weights' : `must have ${length} rows`);
  return value.map((weight, i) => int(weight, `${path}[${i}]`, 1, 2_000));
}

/** Per-class limits, better classes no looser than worse ones. */
function classLimits<K extends string>(value: unknown, path: string, keys: readonly K[]) {
  const limits = object(value, path);
  const out = {} as Record<(typeof HEALTH_CLASSES)[number], Record<K, number>>;
  for (const healthClass of HEALTH_CLASSES) {
    const limit = object(limits[healthClass], `${path}.${healthClass}`);
    out[healthClass] = Object.fromEntries(keys.map((key) => [key, int(limit[key], `${path}.${healthClass}.${key}`)])) as Record<K, number>;
  }
  for (const key of keys)
    for (let i = 1; i < HEALTH_CLASSES.length; i++)
      if (out[HEALTH_CLASSES[i]][key] < out[HEALTH_CLASSES[i - 1]][key])
        fail(`${path}.${HEALTH_CLASSES[i]}.${key}`, 'is stricter than a better class');
  return out;
}

function conditionRule(value: unknown, path: string): ConditionRule {
  const rule = object(value, path);
  const read: ConditionRule = {
    controlled: outcome(rule.controlled, `${path}.controlled`),
    uncontrolled: outcome(rule.uncontrolled, `${path}.uncontrolled`),
  };
  if (rule.onsetAfterAge !== undefined) {
    const onset = object(rule.onsetAfterAge, `${path}.onsetAfterAge`);
    read.onsetAfterAge = {
      age: int(onset.age, `${path}.onsetAfterAge.age`, 0, 120),
      outcome: outcome(onset.outcome, `${path}.onsetAfterAge.outcome`),
    };
  }
  if (rule.afterYears !== undefined) {
    if (!Array.isArray(rule.afterYears)) fail(`${path}.afterYears`, 'must be a list');
    read.afterYears = rule.afterYears.map((step, i) => {
      const s = object(step, `${path}.afterYears[${i}]`);
      return {
        years: int(s.years, `${path}.afterYears[${i}].years`, 0, 100),
        outcome: outcome(s.outcome, `${path}.afterYears[${i}].outcome`),
      };
    });
  }
  if (rule.declineWithinYears !== undefined) read.declineWithinYears = int(rule.declineWithinYears, `${path}.declineWithinYears`, 0, 100);
  return read;
}

/** Stored guidelines (parsed JSON) as UnderwritingGuidelines, or a RangeError naming the first bad path. */
export function readUnderwritingGuidelines(value: unknown): UnderwritingGuidelines {
  const g = object(value, 'guidelines');

  const build = object(g.build, 'build');
  const maxWeight = object(build.maxWeight, 'build.maxWeight');
  const standard = rows(maxWeight.STANDARD, 'build.maxWeight.STANDARD');
  const byClass = Object.fromEntries(HEALTH_CLASSES.map((c) => [c, rows(maxWeight[c], `build.maxWeight.${c}`, standard.length)])) as Record<
    (typeof HEALTH_CLASSES)[number],
    number[]
  >;
  if (!Array.isArray(build.tables)) fail('build.tables', 'must be a list');
  const tables = build.tables.map((band, i) => {
    const b = object(band, `build.tables[${i}]`);
    return {
      table: int(b.table, `build.tables[${i}].table`, 1, 8),
      maxWeight: rows(b.maxWeight, `build.tables[${i}].maxWeight`, standard.length),
    };
  });
  for (let row = 0; row < standard.length; row++) {
    const column = [...HEALTH_CLASSES.map((c) => byClass[c][row]), ...tables.map((t) => t.maxWeight[row])];
    for (let i = 1; i < column.length; i++)
      if (column[i] <= column[i - 1]) fail(`build row ${row}`, 'must allow more weight at each worse class and table');
  }

  const bp = object(g.bloodPressure, 'bloodPressure');
  const declineAbove = object(bp.declineAbove, 'bloodPressure.declineAbove');
  const cholesterol = object(g.cholesterol, 'cholesterol');
  const nicotine = object(g.nicotine, 'nicotine');
  const clean = object(nicotine.cleanMonths, 'nicotine.cleanMonths');
  const family = object(g.familyHistory, 'familyHistory');
  const driving = object(g.driving, 'driving');
  const conditions = object(g.conditions, 'conditions');
  const avocations = object(g.avocations, 'avocations');
  const aviation = object(g.aviation, 'aviation');
  for (const code of Object.keys(conditions))
    if (!Object.hasOwn(CONDITIONS, code)) fail(`conditions.${code}`, 'is not a known condition code');
  for (const code of Object.keys(avocations))
    if (!Object.hasOwn(AVOCATIONS, code)) fail(`avocations.${code}`, 'is not a known avocation code');

  return {
    build: { minHeightInches: int(build.minHeightInches, 'build.minHeightInches', 36, 96), maxWeight: byClass, tables },
    bloodPressure: {
      limits: classLimits(bp.limits, 'bloodPressure.limits', ['systolic', 'diastolic'] as const),
      treatedPreferredPlus: bool(bp.treatedPreferredPlus, 'bloodPressure.treatedPreferredPlus'),
      aboveStandard: outcome(bp.aboveStandard, 'bloodPressure.aboveStandard'),
      declineAbove: {
        systolic: int(declineAbove.systolic, 'bloodPressure.declineAbove.systolic'),
        diastolic: int(declineAbove.diastolic, 'bloodPressure.declineAbove.diastolic'),
      },
    },
    cholesterol: {
      limits: classLimits(cholesterol.limits, 'cholesterol.limits', ['total', 'ratioHundredths'] as const),
      treatedPreferredPlus: bool(cholesterol.treatedPreferredPlus, 'cholesterol.treatedPreferredPlus'),
      aboveStandard: outcome(cholesterol.aboveStandard, 'cholesterol.aboveStandard'),
    },
    nicotine: {
      tobaccoWithinMonths: int(nicotine.tobaccoWithinMonths, 'nicotine.tobaccoWithinMonths', 0, 240),
      cleanMonths: {
        PREFERRED_PLUS: int(clean.PREFERRED_PLUS, 'nicotine.cleanMonths.PREFERRED_PLUS', 0, 240),
        PREFERRED: int(clean.PREFERRED, 'nicotine.cleanMonths.PREFERRED', 0, 240),
        STANDARD_PLUS: int(clean.STANDARD_PLUS, 'nicotine.cleanMonths.STANDARD_PLUS', 0, 240),
      },
      tobaccoBestClass: oneOf(nicotine.tobaccoBestClass, HEALTH_CLASSES, 'nicotine.tobaccoBestClass'),
      cigarsPerYear: int(nicotine.cigarsPerYear, 'nicotine.cigarsPerYear', 0, 365),
      cigarBestClass: oneOf(nicotine.cigarBestClass, HEALTH_CLASSES, 'nicotine.cigarBestClass'),
      marijuanaPerWeek: int(nicotine.marijuanaPerWeek, 'nicotine.marijuanaPerWeek', 0, 50),
      marijuanaBestClass: oneOf(nicotine.marijuanaBestClass, HEALTH_CLASSES, 'nicotine.marijuanaBestClass'),
      nicotineReplacementIsTobacco: bool(nicotine.nicotineReplacementIsTobacco, 'nicotine.nicotineReplacementIsTobacco'),
    },
    familyHistory: {
      excludes: oneOf(family.excludes, ['PREFERRED_PLUS', 'PREFERRED'] as const, 'familyHistory.excludes'),
      countsCancer: bool(family.countsCancer, 'familyHistory.countsCancer'),
      ignoredFromAge: int(family.ignoredFromAge, 'familyHistory.ignoredFromAge', 0, 130),
    },
    driving: {
      duiNoPreferredYears: int(driving.duiNoPreferredYears, 'driving.duiNoPreferredYears', 0, 50),
      duiRecentYears: int(driving.duiRecentYears, 'driving.duiRecentYears', 0, 50),
      recentDui: oneOf(driving.recentDui, ['STANDARD', 'DECLINE'] as const, 'driving.recentDui'),
      suspensionNoPreferredPlusYears: int(driving.suspensionNoPreferredPlusYears, 'driving.suspensionNoPreferredPlusYears', 0, 50),
    },
    conditions: Object.fromEntries(Object.entries(conditions).map(([code, rule]) => [code, conditionRule(rule, `conditions.${code}`)])),
    avocations: Object.fromEntries(Object.entries(avocations).map(([code, rule]) => [code, hazard(rule, `avocations.${code}`)])),
    aviation: {
      underHours: int(aviation.underHours, 'aviation.underHours', 0, 10_000),
      under: aviation.under === null ? null : hazard(aviation.under, 'aviation.under'),
      over: hazard(aviation.over, 'aviation.over'),
      studentPilot: hazard(aviation.studentPilot, 'aviation.studentPilot'),
    },
    foreignTravel: hazard(g.foreignTravel, 'foreignTravel'),
    flatExtraYears: int(g.flatExtraYears, 'flatExtraYears', 1, 30),
  };
}
