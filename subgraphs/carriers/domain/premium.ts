/**
 * docs/domain.md "Premium, to the cent" as pure functions: issue ages and premiums, money in integer
 * cents. Every implementation must agree to the cent, so nothing here goes through a binary float:
 * dates are integer fields, products are BigInt, rounding is half-up exactly once per figure.
 */
import type { AgeBasisCode, HealthClassCode, ProductTypeCode } from '../../shared/vocabulary';

interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** 'YYYY-MM-DD' as integer fields; a malformed or impossible date is a bug upstream (the Date scalar validates input). */
function parseDate(value: string): CalendarDate {
  const match = ISO_DATE.exec(value);
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  if (!match || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
    throw new RangeError(`not a calendar date (YYYY-MM-DD): ${value}`);
  return { year, month, day };
}

/** Dates compare as one integer, YYYYMMDD. */
function ordinal(date: CalendarDate): number {
  return date.year * 10_000 + date.month * 100 + date.day;
}

/** The birthday as it falls in `year`: a 29 February birthday falls on 28 February in other years. */
function birthdayIn(birth: CalendarDate, year: number): CalendarDate {
  const day = birth.month === 2 && birth.day === 29 && !isLeapYear(year) ? 28 : birth.day;
  return { year, month: birth.month, day };
}

/** Six calendar months later, the day clamped to the month's end (31 August → 28/29 February). */
function plusSixMonths(date: CalendarDate): CalendarDate {
  const zeroBased = date.month - 1 + 6;
  const year = date.year + Math.floor(zeroBased / 12);
  const month = (zeroBased % 12) + 1;
  return { year, month, day: Math.min(date.day, daysInMonth(year, month)) };
}

function lastBirthdayAge(birth: CalendarDate, asOf: CalendarDate): number {
  if (ordinal(asOf) < ordinal(birth)) throw new RangeError('asOf is before the birth date');
  const hadBirthdayThisYear = ordinal(asOf) >= ordinal(birthdayIn(birth, asOf.year));
  return asOf.year - birth.year - (hadBirthdayThisYear ? 0 : 1);
}

/** Age last birthday: completed years on `asOf`. */
export function ageLastBirthday(birthDate: string, asOf: string): number {
  return lastBirthdayAge(parseDate(birthDate), parseDate(asOf));
}

/** The last birthday on or before `asOf`, plus 6 calendar months. */
function halfBirthdayOf(birth: CalendarDate, asOf: CalendarDate): CalendarDate {
  return plusSixMonths(birthdayIn(birth, birth.year + lastBirthdayAge(birth, asOf)));
}

/** The half-birthday that decides age nearest on `asOf`, as YYYY-MM-DD (for messages and tests). */
export function halfBirthday(birthDate: string, asOf: string): string {
  const half = halfBirthdayOf(parseDate(birthDate), parseDate(asOf));
  return `${String(half.year).padStart(4, '0')}-${String(half.month).padStart(2, '0')}-${String(half.day).padStart(2, '0')}`;
}

/** Age nearest birthday: age last birthday, plus one from the half-birthday on. */
export function ageNearestBirthday(birthDate: string, asOf: string): number {
  const birth = parseDate(birthDate);
  const day = parseDate(asOf);
  return lastBirthdayAge(birth, day) + (ordinal(day) >= ordinal(halfBirthdayOf(birth, day)) ? 1 : 0);
}

/** The issue age under a carrier's age basis. */
export function issueAge(basis: AgeBasisCode, birthDate: string, asOf: string): number {
  return basis === 'NEAREST' ? ageNearestBirthday(birthDate, asOf) : ageLastBirthday(birthDate, asOf);
}

/** Half-up division of non-negative BigInts (every figure here is non-negative). */
export function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (numerator < 0n || denominator <= 0n) throw new RangeError('divideHalfUp expects a non-negative numerator and a positive denominator');
  return (2n * numerator + denominator) / (2n * denominator);
}

function requireInteger(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): bigint {
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw new RangeError(`${name} must be an integer in ${min}..${max}, got ${value}`);
  return BigInt(value);
}

export interface AnnualPremiumInput {
  /** Annual rate per $1,000 of face, in thousandths of a dollar (620 = $0.620). */
  rateThousandths: number;
  /** Whole dollars. */
  faceAmount: number;
  /** 0 = none; 1..8, each table adds 25% to the rate. */
  tableRating: number;
  policyFeeCents: number;
  /** A flat extra in cents per $1,000 of face per year (250 = $2.50); 0 or absent = none. */
  flatExtraPerThousandCents?: number;
  /** The riders' yearly premiums, each already rounded once (domain/riders.ts); 0 or absent = none. */
  riderPremiumsCents?: number;
}

/** The largest table rating carriers use (table H, 300%): beyond it they decline. */
export const MAX_TABLE_RATING = 8;

/**
 * Flat extras as we accept them: at most $100.00 per $1,000 a year (carriers' own flat extras run
 * about $1 to $25; more is a typo) for 1 to 30 years (and never longer than a term's level period).
 */
export const MAX_FLAT_EXTRA_PER_THOUSAND_CENTS = 10_000;
export const MAX_FLAT_EXTRA_YEARS = 30;

/**
 * The class a request is priced at. A table rating is a substandard rating on top of Standard: a
 * preferred class never carries one, so with a table any class asked prices as Standard.
 */
export function pricingClass(healthClass: HealthClassCode, tableRating: number, productType?: ProductTypeCode): HealthClassCode {
  // Final expense has plans instead of classes: its one rate class is Standard whatever was asked.
  return tableRating > 0 || productType === 'FINAL_EXPENSE' ? 'STANDARD' : healthClass;
}

/**
 * The base premium in cents: rate × face / 1,000 dollars × (1 + 0.25 × table), rounded half-up once.
 * Rate is thousandths of a dollar, so dollars = rate/1000 × face/1000 and cents = rate × face / 10,000;
 * (1 + table/4) = (4 + table)/4 keeps the table exact. The rate must already be the Standard rate
 * when a table is given (pricingClass).
 */
export function basePremiumCents(input: Pick<AnnualPremiumInput, 'rateThousandths' | 'faceAmount' | 'tableRating'>): number {
  const rate = requireInteger('rateThousandths', input.rateThousandths, 0);
  const face = requireInteger('faceAmount', input.faceAmount, 0);
  const table = requireInteger('tableRating', input.tableRating, 0, MAX_TABLE_RATING);
  return Number(divideHalfUp(rate * face * (4n + table), 40_000n));
}

/** The flat extra a year in cents: (cents per $1,000) × face / 1,000, rounded half-up once; never table-rated. */
export function flatExtraCents(flatExtraPerThousandCents: number, faceAmount: number): number {
  const perThousand = requireInteger('flatExtraPerThousandCents', flatExtraPerThousandCents, 0);
  const face = requireInteger('faceAmount', faceAmount, 0);
  return Number(divideHalfUp(perThousand * face, 1_000n));
}

/**
 * Annual premium in cents: the rounded base, plus the flat extra, plus the riders, plus the policy
 * fee (none of them table-rated). Modal premiums are taken from this figure, so the flat extra and
 * the riders are in every mode's premium before its factor.
 */
export function annualPremiumCents(input: AnnualPremiumInput): number {
  const fee = requireInteger('policyFeeCents', input.policyFeeCents, 0);
  const riders = requireInteger('riderPremiumsCents', input.riderPremiumsCents ?? 0, 0);
  const extra = flatExtraCents(input.flatExtraPerThousandCents ?? 0, input.faceAmount);
  return Number(BigInt(basePremiumCents(input)) + BigInt(extra) + riders + fee);
}

export interface RatedPremiumInput extends Omit<AnnualPremiumInput, 'rateThousandths'> {
  /** The class asked for; with a table it prices as Standard. */
  healthClass: HealthClassCode;
  /** Final expense prices at Standard whatever class was asked (pricingClass). */
  productType?: ProductTypeCode;
  /** The carrier's rate for a class, of the applicant's gender, age, tobacco status, term and face band; undefined when it has none. */
  rateOf: (healthClass: HealthClassCode) => number | undefined;
}

export interface RatedPremium {
  /** The class the premium is priced at (Standard whenever a table is given). */
  healthClass: HealthClassCode;
  rateThousandths: number;
  annualPremiumCents: number;
}

/** The annual premium as carriers price it: the rate of pricingClass, the table, the flat extra, the fee. Undefined when that class has no rate. */
export function ratedAnnualPremium(input: RatedPremiumInput): RatedPremium | undefined {
  const healthClass = pricingClass(input.healthClass, input.tableRating, input.productType);
  const rateThousandths = input.rateOf(healthClass);
  if (rateThousandths === undefined) return undefined;
  return { healthClass, rateThousandths, annualPremiumCents: annualPremiumCents({ ...input, rateThousandths }) };
}

/** A decimal factor exactly as written (0.0875 → 875 / 10,000), read from its shortest decimal form, never multiplied as a float. */
export function exactDecimal(value: number): { numerator: bigint; denominator: bigint } {
  const text = String(value);
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new RangeError(`not a plain non-negative decimal: ${text}`);
  const fraction = match[2] ?? '';
  return { numerator: BigInt(match[1] + fraction), denominator: 10n ** BigInt(fraction.length) };
}

export type ModalFactors = { readonly SEMI_ANNUAL: number; readonly QUARTERLY: number; readonly MONTHLY: number };
export interface ModalPremiums {
  ANNUAL: number;
  SEMI_ANNUAL: number;
  QUARTERLY: number;
  MONTHLY: number;
}

/** One modal premium: annual × factor, rounded half-up to cents. */
export function modalPremiumCents(annualCents: number, factor: number): number {
  const annual = requireInteger('annualCents', annualCents, 0);
  const { numerator, denominator } = exactDecimal(factor);
  return Number(divideHalfUp(annual * numerator, denominator));
}

/** Every mode's premium from the annual premium and the carrier's factors (ANNUAL is the annual premium itself). */
export function modalPremiumsCents(annualCents: number, modalFactors: ModalFactors): ModalPremiums {
  return {
    ANNUAL: Number(requireInteger('annualCents', annualCents, 0)),
    SEMI_ANNUAL: modalPremiumCents(annualCents, modalFactors.SEMI_ANNUAL),
    QUARTERLY: modalPremiumCents(annualCents, modalFactors.QUARTERLY),
    MONTHLY: modalPremiumCents(annualCents, modalFactors.MONTHLY),
  };
}

/** Payments a year per mode: a modal premium times this is what the client pays in a year. */
export const PAYMENTS_PER_YEAR: Readonly<Record<keyof ModalPremiums, number>> = Object.freeze({
  ANNUAL: 1,
  SEMI_ANNUAL: 2,
  QUARTERLY: 4,
  MONTHLY: 12,
});

/** Money formatting lives with the Money scalar's rules, shared by every subgraph. */
export { formatMoney, parseMoney } from '../../../platform/money';
