/**
 * The applicant's health answers for field underwriting, framework-free: the code lists, the answers
 * as a client gives them, and the normalized profile every carrier's guidelines read. Health answers
 * are personal data, so normalizing turns every date into whole months before `asOf`: the profile
 * (and its hash, the only form a cache key may hold) never carries a date of use or diagnosis.
 */
import { createHash } from 'node:crypto';

/** Kinds of nicotine and smoking, as carriers' tobacco questions ask them. */
export const NICOTINE_KINDS = Object.freeze(['CIGARETTE', 'CIGAR', 'VAPE', 'CHEW', 'MARIJUANA', 'NICOTINE_REPLACEMENT'] as const);
export type NicotineKindCode = (typeof NICOTINE_KINDS)[number];

/** Final expense plan choice, mildest first: the worst condition decides between LEVEL, GRADED and MODIFIED. */
export const FINAL_EXPENSE_SEVERITIES = Object.freeze(['NONE', 'MODERATE', 'SEVERE', 'KNOCK_OUT'] as const);
export type FinalExpenseSeverity = (typeof FINAL_EXPENSE_SEVERITIES)[number];

export interface ConditionDefinition {
  label: string;
  /** What the condition means for a simplified-issue final expense plan. */
  finalExpense: FinalExpenseSeverity;
  /** A major condition rules out accelerated (no exam) underwriting. */
  major: boolean;
}

/** The coded list of medical conditions the health questions ask about. */
export const CONDITIONS = Object.freeze({
  TYPE_2_DIABETES: { label: 'Type 2 diabetes', finalExpense: 'MODERATE', major: true },
  TYPE_1_DIABETES: { label: 'Type 1 diabetes', finalExpense: 'SEVERE', major: true },
  HYPERTENSION: { label: 'High blood pressure', finalExpense: 'NONE', major: false },
  HIGH_CHOLESTEROL: { label: 'High cholesterol', finalExpense: 'NONE', major: false },
  SLEEP_APNEA: { label: 'Sleep apnea', finalExpense: 'NONE', major: false },
  ASTHMA: { label: 'Asthma', finalExpense: 'NONE', major: false },
  DEPRESSION: { label: 'Depression', finalExpense: 'NONE', major: false },
  ANXIETY: { label: 'Anxiety', finalExpense: 'NONE', major: false },
  CANCER_BREAST: { label: 'Breast cancer', finalExpense: 'SEVERE', major: true },
  CANCER_PROSTATE: { label: 'Prostate cancer', finalExpense: 'SEVERE', major: true },
  CANCER_SKIN_MELANOMA: { label: 'Melanoma', finalExpense: 'MODERATE', major: true },
  HEART_ATTACK: { label: 'Heart attack', finalExpense: 'SEVERE', major: true },
  STROKE: { label: 'Stroke', finalExpense: 'SEVERE', major: true },
  COPD: { label: 'COPD', finalExpense: 'SEVERE', major: true },
  KIDNEY_DISEASE: { label: 'Chronic kidney disease', finalExpense: 'KNOCK_OUT', major: true },
  HEPATITIS_C: { label: 'Hepatitis C', finalExpense: 'MODERATE', major: true },
  ALCOHOL_TREATMENT: { label: 'Alcohol treatment', finalExpense: 'MODERATE', major: true },
  HIV_AIDS: { label: 'HIV/AIDS', finalExpense: 'KNOCK_OUT', major: true },
} as const satisfies Record<string, ConditionDefinition>);
export type ConditionCode = keyof typeof CONDITIONS;
export const CONDITION_CODES = Object.freeze(Object.keys(CONDITIONS) as ConditionCode[]);

/** Hazardous pastimes carriers rate with a flat extra, an exclusion or a decline. */
export const AVOCATIONS = Object.freeze({
  SCUBA_OVER_100_FT: 'Scuba diving below 100 feet',
  SKYDIVING: 'Skydiving',
  MOTOR_RACING: 'Motor racing',
  MOUNTAIN_CLIMBING: 'Mountain climbing',
  HANG_GLIDING: 'Hang gliding or paragliding',
  BASE_JUMPING: 'BASE jumping',
  HELI_SKIING: 'Heli-skiing',
} as const);
export type AvocationCode = keyof typeof AVOCATIONS;
export const AVOCATION_CODES = Object.freeze(Object.keys(AVOCATIONS) as AvocationCode[]);

export const DRIVING_INCIDENTS = Object.freeze(['DUI', 'LICENSE_SUSPENSION'] as const);
export type DrivingIncidentCode = (typeof DRIVING_INCIDENTS)[number];

/** The answers as a client gives them (dates YYYY-MM-DD); every part optional, nothing answered is nothing known. */
export interface HealthAnswers {
  heightInches?: number | null;
  weightPounds?: number | null;
  bloodPressure?: { systolic: number; diastolic: number; treated?: boolean | null } | null;
  cholesterol?: { total: number; ratio: number; treated?: boolean | null } | null;
  nicotine?: readonly { kind: string; lastUsedOn: string; perYear?: number | null }[] | null;
  familyHistory?: { heartDiseaseBefore60?: boolean | null; cancerBefore60?: boolean | null } | null;
  conditions?: readonly { code: string; diagnosedOn: string; controlled?: boolean | null; lastTreatedOn?: string | null }[] | null;
  dui?: readonly { kind?: string | null; occurredOn: string }[] | null;
  avocations?: readonly string[] | null;
  aviation?: { hoursPerYear: number; studentPilot?: boolean | null } | null;
  foreignTravel?: boolean | null;
}

/** The normalized profile: codes checked, dates as whole months before `asOf`, lists in one canonical order. */
export interface HealthProfile {
  build: { heightInches: number; weightPounds: number } | null;
  bloodPressure: { systolic: number; diastolic: number; treated: boolean } | null;
  /** ratioHundredths: the total/HDL ratio in hundredths (4.5 is 450), so limits compare as integers. */
  cholesterol: { total: number; ratioHundredths: number; treated: boolean } | null;
  nicotine: readonly { kind: NicotineKindCode; monthsSince: number; perYear: number | null }[];
  familyHistory: { heartDiseaseBefore60: boolean; cancerBefore60: boolean };
  /** monthsSinceTreatment: since the last treatment, or since diagnosis when none was given. */
  conditions: readonly { code: ConditionCode; monthsSinceDiagnosis: number; monthsSinceTreatment: number; controlled: boolean }[];
  driving: readonly { kind: DrivingIncidentCode; monthsSince: number }[];
  avocations: readonly AvocationCode[];
  aviation: { hoursPerYear: number; studentPilot: boolean } | null;
  foreignTravel: boolean;
}

/** Why an answer was refused: the field's path (health.<path>) and what is wrong, never the value given. */
export interface HealthInputReason {
  field: string;
  message: string;
}

/** Human ranges: an answer outside them is a typing error, not an applicant to rate. */
export const HEALTH_LIMITS = Object.freeze({
  heightInches: { min: 48, max: 96 },
  weightPounds: { min: 70, max: 700 },
  systolic: { min: 70, max: 260 },
  diastolic: { min: 40, max: 160 },
  cholesterolTotal: { min: 80, max: 600 },
  cholesterolRatio: { min: 1, max: 15 },
  perYear: { min: 0, max: 20_000 },
  hoursPerYear: { min: 0, max: 2_000 },
});

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Months since 0000-01 and the day, or null for anything but a calendar date. */
function calendar(value: string): { months: number; day: number } | null {
  const match = ISO_DATE.exec(value);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  if (month < 1 || month > 12 || day < 1 || day > days) return null;
  return { months: year * 12 + month - 1, day };
}

/** Whole months completed from `date` to `asOf` (a date the day before `asOf` is 0), or -1 when `date` is after `asOf`. */
export function wholeMonthsBefore(date: string, asOf: string): number {
  const from = calendar(date);
  const to = calendar(asOf);
  if (!from || !to) throw new RangeError('not a calendar date (YYYY-MM-DD)');
  const months = to.months - from.months - (to.day < from.day ? 1 : 0);
  if (to.months * 32 + to.day < from.months * 32 + from.day) return -1;
  return months;
}

const isInteger = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value);

/**
 * The answers checked and normalized on `asOf` (YYYY-MM-DD). Every refused answer is a reason naming
 * its field (`health.weightPounds`, `health.nicotine[1].lastUsedOn`); a reason never repeats the value.
 * The profile is null when any answer was refused.
 */
export function validateHealthProfile(
  answers: HealthAnswers,
  asOf: string,
): { profile: HealthProfile | null; reasons: HealthInputReason[] } {
  const reasons: HealthInputReason[] = [];
  const refuse = (field: string, message: string) => reasons.push({ field: `health.${field}`, message: `health.${field}: ${message}` });
  const inRange = (field: string, value: number, range: { min: number; max: number }, integer = true): boolean => {
    const ok = (integer ? isInteger(value) : Number.isFinite(value)) && value >= range.min && value <= range.max;
    if (!ok) refuse(field, `must be ${integer ? 'a whole number ' : ''}from ${range.min} to ${range.max}`);
    return ok;
  };
  /** Months before asOf, or null (with a reason) for a malformed or future date. */
  const monthsBefore = (field: string, date: string): number | null => {
    if (!calendar(date)) {
      refuse(field, 'must be a calendar date (YYYY-MM-DD)');
      return null;
    }
    const months = wholeMonthsBefore(date, asOf);
    if (months < 0) refuse(field, 'cannot be in the future');
    return months < 0 ? null : months;
  };
  if (!calendar(asOf)) throw new RangeError('asOf is not a calendar date (YYYY-MM-DD)');

  let build: HealthProfile['build'] = null;
  const { heightInches, weightPounds } = answers;
  if (heightInches != null || weightPounds != null) {
    if (heightInches == null) refuse('heightInches', 'is required with weightPounds');
    if (weightPounds == null) refuse('weightPounds', 'is required with heightInches');
    const heightOk = heightInches != null && inRange('heightInches', heightInches, HEALTH_LIMITS.heightInches);
    const weightOk = weightPounds != null && inRange('weightPounds', weightPounds, HEALTH_LIMITS.weightPounds);
    if (heightOk && weightOk) build = { heightInches: heightInches as number, weightPounds: weightPounds as number };
  }

  let bloodPressure: HealthProfile['bloodPressure'] = null;
  if (answers.bloodPressure) {
    const { systolic, diastolic, treated } = answers.bloodPressure;
    const ok = inRange('bloodPressure.systolic', systolic, HEALTH_LIMITS.systolic);
    const dOk = inRange('bloodPressure.diastolic', diastolic, HEALTH_LIMITS.diastolic);
    if (ok && dOk && diastolic >= systolic) refuse('bloodPressure.diastolic', 'must be lower than systolic');
    else if (ok && dOk) bloodPressure = { systolic, diastolic, treated: treated === true };
  }

  let cholesterol: HealthProfile['cholesterol'] = null;
  if (answers.cholesterol) {
    const { total, ratio, treated } = answers.cholesterol;
    const ok = inRange('cholesterol.total', total, HEALTH_LIMITS.cholesterolTotal);
    if (inRange('cholesterol.ratio', ratio, HEALTH_LIMITS.cholesterolRatio, false) && ok)
      cholesterol = { total, ratioHundredths: Math.round(ratio * 100), treated: treated === true };
  }

  const nicotine: { kind: NicotineKindCode; monthsSince: number; perYear: number | null }[] = [];
  (answers.nicotine ?? []).forEach((use, i) => {
    const kindOk = (NICOTINE_KINDS as readonly string[]).includes(use.kind);
    if (!kindOk) refuse(`nicotine[${i}].kind`, 'is not a known nicotine kind');
    const months = monthsBefore(`nicotine[${i}].lastUsedOn`, use.lastUsedOn);
    const perYearOk = use.perYear == null || inRange(`nicotine[${i}].perYear`, use.perYear, HEALTH_LIMITS.perYear);
    if (kindOk && months !== null && perYearOk)
      nicotine.push({ kind: use.kind as NicotineKindCode, monthsSince: months, perYear: use.perYear ?? null });
  });

  const conditions: HealthProfile['conditions'][number][] = [];
  (answers.conditions ?? []).forEach((condition, i) => {
    const codeOk = Object.hasOwn(CONDITIONS, condition.code);
    if (!codeOk) refuse(`conditions[${i}].code`, 'is not a known condition code');
    const diagnosed = monthsBefore(`conditions[${i}].diagnosedOn`, condition.diagnosedOn);
    const treated = condition.lastTreatedOn == null ? diagnosed : monthsBefore(`conditions[${i}].lastTreatedOn`, condition.lastTreatedOn);
    if (diagnosed !== null && treated !== null && treated > diagnosed)
      refuse(`conditions[${i}].lastTreatedOn`, 'cannot be before diagnosedOn');
    else if (codeOk && diagnosed !== null && treated !== null)
      conditions.push({
        code: condition.code as ConditionCode,
        monthsSinceDiagnosis: diagnosed,
        monthsSinceTreatment: treated,
        controlled: condition.controlled === true,
      });
  });

  const driving: { kind: DrivingIncidentCode; monthsSince: number }[] = [];
  (answers.dui ?? []).forEach((incident, i) => {
    const kind = incident.kind ?? 'DUI';
    const kindOk = (DRIVING_INCIDENTS as readonly string[]).includes(kind);
    if (!kindOk) refuse(`dui[${i}].kind`, 'is not a known driving incident');
    const months = monthsBefore(`dui[${i}].occurredOn`, incident.occurredOn);
    if (kindOk && months !== null) driving.push({ kind: kind as DrivingIncidentCode, monthsSince: months });
  });

  const avocations = new Set<AvocationCode>();
  (answers.avocations ?? []).forEach((code, i) => {
    if (Object.hasOwn(AVOCATIONS, code)) avocations.add(code as AvocationCode);
    else refuse(`avocations[${i}]`, 'is not a known avocation code');
  });

  let aviation: HealthProfile['aviation'] = null;
  if (answers.aviation && inRange('aviation.hoursPerYear', answers.aviation.hoursPerYear, HEALTH_LIMITS.hoursPerYear))
    aviation = { hoursPerYear: answers.aviation.hoursPerYear, studentPilot: answers.aviation.studentPilot === true };

  if (reasons.length > 0) return { profile: null, reasons };
  const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  // One canonical order, so equal answers given in another order make an equal profile (and hash).
  nicotine.sort((a, b) => byText(a.kind, b.kind) || a.monthsSince - b.monthsSince || (a.perYear ?? -1) - (b.perYear ?? -1));
  conditions.sort((a, b) => byText(a.code, b.code) || a.monthsSinceDiagnosis - b.monthsSinceDiagnosis);
  driving.sort((a, b) => byText(a.kind, b.kind) || a.monthsSince - b.monthsSince);
  const profile: HealthProfile = {
    build,
    bloodPressure,
    cholesterol,
    nicotine,
    familyHistory: {
      heartDiseaseBefore60: answers.familyHistory?.heartDiseaseBefore60 === true,
      cancerBefore60: answers.familyHistory?.cancerBefore60 === true,
    },
    conditions,
    driving,
    avocations: [...avocations].sort(byText),
    aviation,
    foreignTravel: answers.foreignTravel === true,
  };
  return { profile, reasons };
}

/** JSON with object keys sorted at every level: one text for one profile. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * sha256 (hex) of the normalized profile: what a cache key holds instead of the answers. The profile
 * has no dates (only whole months before asOf), and the hash holds none of its numbers either.
 */
export function healthProfileHash(profile: HealthProfile): string {
  return createHash('sha256').update(canonicalJson(profile)).digest('hex');
}

const SEVERITY_RANK: Record<FinalExpenseSeverity, number> = { NONE: 0, MODERATE: 1, SEVERE: 2, KNOCK_OUT: 3 };

/** The worst final expense severity among the profile's conditions (NONE without any). */
export function finalExpenseSeverity(profile: HealthProfile): FinalExpenseSeverity {
  let worst: FinalExpenseSeverity = 'NONE';
  for (const condition of profile.conditions) {
    const severity = CONDITIONS[condition.code].finalExpense;
    if (SEVERITY_RANK[severity] > SEVERITY_RANK[worst]) worst = severity;
  }
  return worst;
}

/** True when any condition is a major one (accelerated underwriting is then out of reach). */
export function hasMajorCondition(profile: HealthProfile): boolean {
  return profile.conditions.some((condition) => CONDITIONS[condition.code].major);
}

/** True when a DUI happened within `years` years before asOf. */
export function duiWithinYears(profile: HealthProfile, years: number): boolean {
  return profile.driving.some((incident) => incident.kind === 'DUI' && incident.monthsSince < years * 12);
}
