import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { badInput } from '../../platform/errors';
import { formatMoney } from '../../platform/money';
import { DateScalar, MoneyScalar } from '../../platform/scalars';
import { HealthClass } from '../shared/enums';
import {
  AVOCATION_CODES,
  AVOCATIONS,
  type AvocationCode,
  CONDITION_CODES,
  CONDITIONS,
  type ConditionCode,
  DRIVING_INCIDENTS,
  type DrivingIncidentCode,
  type HealthProfile,
  NICOTINE_KINDS,
  type NicotineKindCode,
  validateHealthProfile,
} from './domain/health-profile';
import { UNDERWRITING_FACTORS, type UnderwritingEstimate, type UnderwritingFactorCode } from './domain/underwriting';

/** Registers a domain code list as a GraphQL enum, every value described (front ends read the descriptions). */
function register<K extends string>(keys: readonly K[], name: string, description: string, valueDescriptions: Record<K, string>) {
  const values = Object.freeze(Object.fromEntries(keys.map((k) => [k, k]))) as { readonly [P in K]: P };
  registerEnumType(values, {
    name,
    description,
    valuesConfig: Object.fromEntries(keys.map((key) => [key, { description: valueDescriptions[key] }])) as never,
  });
  return values;
}

export const NicotineKind = register(
  NICOTINE_KINDS,
  'NicotineKind',
  'A kind of tobacco or nicotine use, as the tobacco questions ask it.',
  {
    CIGARETTE: 'Cigarettes.',
    CIGAR: 'Cigars (some carriers rate a few a year as non-tobacco).',
    VAPE: 'E-cigarettes and vaping.',
    CHEW: 'Chewing tobacco or snuff.',
    MARIJUANA: 'Marijuana, smoked or otherwise (some carriers rate occasional use as non-tobacco).',
    NICOTINE_REPLACEMENT: 'Nicotine gum, patches or lozenges (tobacco at some carriers, not at others).',
  },
);
export type NicotineKind = NicotineKindCode;

export const MedicalCondition = register(
  CONDITION_CODES,
  'MedicalCondition',
  "A coded medical condition from the health questions; each carrier's guidelines rate it.",
  Object.fromEntries(CONDITION_CODES.map((code) => [code, `${CONDITIONS[code].label}.`])) as Record<ConditionCode, string>,
);
export type MedicalCondition = ConditionCode;

export const Avocation = register(
  AVOCATION_CODES,
  'Avocation',
  'A hazardous pastime carriers rate with a flat extra, an exclusion rider or a decline.',
  Object.fromEntries(AVOCATION_CODES.map((code) => [code, `${AVOCATIONS[code]}.`])) as Record<AvocationCode, string>,
);
export type Avocation = AvocationCode;

export const DrivingIncident = register(DRIVING_INCIDENTS, 'DrivingIncident', 'A driving record entry carriers underwrite.', {
  DUI: 'Driving under the influence (DUI or DWI).',
  LICENSE_SUSPENSION: "A suspension or revocation of the driver's license.",
});
export type DrivingIncident = DrivingIncidentCode;

export const UnderwritingFactor = register(
  UNDERWRITING_FACTORS,
  'UnderwritingFactor',
  'The guideline family behind an underwriting reason.',
  {
    BUILD: "Height and weight against the carrier's build chart.",
    BLOOD_PRESSURE: 'Blood pressure readings and treatment.',
    CHOLESTEROL: 'Cholesterol total, ratio and treatment.',
    NICOTINE: 'Tobacco and nicotine use.',
    FAMILY_HISTORY: 'Parents and siblings dead of heart disease or cancer before 60.',
    DRIVING: 'DUIs and license suspensions.',
    CONDITION: 'A medical condition.',
    AVOCATION: 'A hazardous pastime.',
    AVIATION: 'Private or student piloting.',
    FOREIGN_TRAVEL: 'Travel to a high-risk destination.',
  },
);
export type UnderwritingFactor = UnderwritingFactorCode;

@InputType({ description: 'A blood pressure reading.' })
export class BloodPressureInput {
  @Field(() => Int, { description: 'Systolic pressure in mmHg, 70 to 260.' })
  systolic!: number;

  @Field(() => Int, { description: 'Diastolic pressure in mmHg, 40 to 160, below systolic.' })
  diastolic!: number;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'True when controlled by medication.' })
  treated?: boolean | null;
}

@InputType({ description: 'A cholesterol reading.' })
export class CholesterolInput {
  @Field(() => Int, { description: 'Total cholesterol in mg/dL, 80 to 600.' })
  total!: number;

  @Field(() => Float, { description: 'Total cholesterol over HDL, 1.0 to 15.0.' })
  ratio!: number;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'True when controlled by medication.' })
  treated?: boolean | null;
}

@InputType({ description: 'One kind of tobacco or nicotine use.' })
export class NicotineUseInput {
  @Field(() => NicotineKind, { description: 'What was used.' })
  kind!: NicotineKind;

  @Field(() => DateScalar, { description: 'The day of the last use; not after asOf. Never stored, logged or cached as given.' })
  lastUsedOn!: string;

  @Field(() => Int, {
    nullable: true,
    description: 'Uses a year (cigars, marijuana): needed for a carrier to rate occasional use as non-tobacco.',
  })
  perYear?: number | null;
}

@InputType({ description: 'Deaths of parents or siblings before 60.' })
export class FamilyHistoryInput {
  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'A parent or sibling died of heart disease before 60.' })
  heartDiseaseBefore60?: boolean | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'A parent or sibling died of cancer before 60.' })
  cancerBefore60?: boolean | null;
}

@InputType({ description: 'A diagnosed medical condition.' })
export class MedicalConditionInput {
  @Field(() => MedicalCondition, { description: 'The condition, from the coded list.' })
  code!: MedicalCondition;

  @Field(() => DateScalar, { description: 'The day of diagnosis; not after asOf. Never stored, logged or cached as given.' })
  diagnosedOn!: string;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description: 'True when treated and controlled (diabetes: A1C under 7.0; sleep apnea: compliant with treatment).',
  })
  controlled?: boolean | null;

  @Field(() => DateScalar, {
    nullable: true,
    description: 'The day treatment ended (cancer, heart attack); not before diagnosedOn. The diagnosis day when omitted.',
  })
  lastTreatedOn?: string | null;
}

@InputType({ description: 'A DUI or license suspension.' })
export class DrivingIncidentInput {
  @Field(() => DrivingIncident, { nullable: true, defaultValue: 'DUI', description: 'What happened.' })
  kind?: DrivingIncident | null;

  @Field(() => DateScalar, { description: 'The day it happened; not after asOf.' })
  occurredOn!: string;
}

@InputType({ description: 'Flying as a private or student pilot (airline pilots are not rated here).' })
export class AviationInput {
  @Field(() => Int, { description: 'Hours flown a year as a pilot, 0 to 2,000.' })
  hoursPerYear!: number;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'True for a student pilot.' })
  studentPilot?: boolean | null;
}

@InputType({
  description:
    "The applicant's health answers for field underwriting: with them, each carrier is quoted at the class its own guidelines would likely give. Personal data: never stored, logged or put in a cache key (only a hash of the normalized answers is).",
})
export class HealthProfileInput {
  @Field(() => Int, { nullable: true, description: 'Height in inches, 48 to 96; give it with weightPounds.' })
  heightInches?: number | null;

  @Field(() => Int, { nullable: true, description: 'Weight in pounds, 70 to 700; give it with heightInches.' })
  weightPounds?: number | null;

  @Field(() => BloodPressureInput, { nullable: true, description: 'The latest blood pressure reading.' })
  bloodPressure?: BloodPressureInput | null;

  @Field(() => CholesterolInput, { nullable: true, description: 'The latest cholesterol reading.' })
  cholesterol?: CholesterolInput | null;

  @Field(() => [NicotineUseInput], { nullable: true, description: 'Every kind of tobacco or nicotine ever used, with its last use.' })
  nicotine?: NicotineUseInput[] | null;

  @Field(() => FamilyHistoryInput, { nullable: true, description: 'Parents and siblings dead of heart disease or cancer before 60.' })
  familyHistory?: FamilyHistoryInput | null;

  @Field(() => [MedicalConditionInput], { nullable: true, description: 'Diagnosed conditions from the coded list.' })
  conditions?: MedicalConditionInput[] | null;

  @Field(() => [DrivingIncidentInput], { nullable: true, description: 'DUIs and license suspensions in the last ten years.' })
  dui?: DrivingIncidentInput[] | null;

  @Field(() => [Avocation], { nullable: true, description: 'Hazardous pastimes taken up in the last two years or planned.' })
  avocations?: Avocation[] | null;

  @Field(() => AviationInput, { nullable: true, description: 'Flying as a private or student pilot.' })
  aviation?: AviationInput | null;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description: 'True when travel to a destination under a government do-not-travel advisory is planned within two years.',
  })
  foreignTravel?: boolean | null;
}

/**
 * The health answers checked and normalized on `asOf`, or BAD_USER_INPUT naming every refused field
 * (`health.weightPounds`, `health.conditions[0].diagnosedOn`), never the value given.
 */
export function healthProfileFromInput(input: HealthProfileInput, asOf: string): HealthProfile {
  const { profile, reasons } = validateHealthProfile(input, asOf);
  if (profile) return profile;
  const fields = reasons.map((reason) => reason.field);
  throw badInput(
    `health answers refused: ${fields.join(', ')}`,
    reasons.map((reason) => reason.message),
  );
}

/** Quote.underwriting as the resolvers see it: money already formatted. */
export interface QuoteUnderwritingView {
  estimatedClass: HealthClass | null;
  tableRating: number;
  flatExtraPerThousand: string | null;
  flatExtraYears: number | null;
  declined: boolean;
  tobacco: boolean;
  reasons: { factor: UnderwritingFactor; message: string }[];
}

/** The estimate as Quote.underwriting shows it. */
export function quoteUnderwritingView(estimate: UnderwritingEstimate): QuoteUnderwritingView {
  const extra = estimate.flatExtraPerThousandCents > 0;
  return {
    estimatedClass: estimate.estimatedClass,
    tableRating: estimate.tableRating,
    flatExtraPerThousand: extra ? formatMoney(estimate.flatExtraPerThousandCents) : null,
    flatExtraYears: extra ? estimate.flatExtraYears : null,
    declined: estimate.declined,
    tobacco: estimate.tobacco,
    reasons: estimate.reasons,
  };
}

@ObjectType({ description: 'One guideline that kept the estimate from a better class, or a hazard rated apart from the class.' })
export class UnderwritingReason {
  @Field(() => UnderwritingFactor, { description: 'The guideline family.' })
  factor!: UnderwritingFactor;

  @Field(() => String, { description: "What the guideline says and what it allows at best; never repeats the applicant's answers." })
  message!: string;
}

@ObjectType({
  description:
    "The field underwriting estimate: the best class this carrier's guidelines would likely give the health answers, or a table, or a decline, with the reasons. An estimate, not an offer: the carrier's underwriter decides.",
})
export class QuoteUnderwriting {
  @Field(() => HealthClass, {
    nullable: true,
    description: 'The class the carrier would likely give; STANDARD with a table rating; null when declined.',
  })
  estimatedClass!: HealthClass | null;

  @Field(() => Int, { description: 'Table rating: 0 for none, 1 to 8 (tables A-H), priced off the Standard rate.' })
  tableRating!: number;

  @Field(() => MoneyScalar, {
    nullable: true,
    description: 'Flat extra in dollars per $1,000 of face a year for hazards (avocations, aviation, travel); null for none.',
  })
  flatExtraPerThousand!: string | null;

  @Field(() => Int, { nullable: true, description: 'Years the flat extra is charged; null without a flat extra.' })
  flatExtraYears!: number | null;

  @Field(() => Boolean, { description: 'True when the guidelines would decline the applicant.' })
  declined!: boolean;

  @Field(() => Boolean, { description: 'True when the carrier would rate the applicant at tobacco rates under its own nicotine rules.' })
  tobacco!: boolean;

  @Field(() => [UnderwritingReason], {
    description:
      'Each guideline that excluded a better class (the deciding one first), then the hazards rated apart; empty for the best class.',
  })
  reasons!: UnderwritingReason[];
}
