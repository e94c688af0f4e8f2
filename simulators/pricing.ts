/**
 * How a simulated carrier prices, written on its own: the carriers subgraph has its own premium
 * code, and an adapter test compares the two, so a mistake on either side shows as a difference
 * of a cent. The arithmetic is the industry's: base = rate per $1,000 × face / 1,000 × (1 + 0.25 ×
 * table), the rate being Standard's whenever there is a table, rounded half-up to cents once;
 * annual = base + flat extra + policy fee; each mode = annual × factor,
 * rounded half-up. Everything stays in safe integers: no binary float touches a cent.
 */

/** Half-up integer division of non-negative safe integers. */
function roundedQuotient(numerator: number, denominator: number): number {
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}

function assertWhole(name: string, value: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) throw new RangeError(`${name} must be a whole number, got ${value}`);
}

/** The base premium in cents: rate × face / 10,000 × (4 + table) / 4, one division, one rounding (Standard's rate with a table). */
export function basePremium(rateThousandths: number, faceAmount: number, tableRating: number): number {
  assertWhole('rate', rateThousandths, 10_000_000);
  assertWhole('face amount', faceAmount, 1_000_000_000);
  assertWhole('table rating', tableRating, 8);
  const numerator = rateThousandths * faceAmount * (4 + tableRating);
  if (!Number.isSafeInteger(numerator)) throw new RangeError('premium out of range');
  return roundedQuotient(numerator, 40_000);
}

/**
 * The annual premium in cents: the base, plus a flat extra (cents per $1,000 a year × face / 1,000,
 * rounded half-up on its own, neither table-rated nor part of the fee), plus the riders' premiums
 * (each already rounded), plus the policy fee.
 */
export function annualPremium(
  rateThousandths: number,
  faceAmount: number,
  tableRating: number,
  policyFeeCents: number,
  flatExtraPerThousandCents = 0,
  riderCents = 0,
): number {
  assertWhole('policy fee', policyFeeCents);
  assertWhole('flat extra', flatExtraPerThousandCents, 1_000_000);
  assertWhole('riders', riderCents);
  const extraNumerator = flatExtraPerThousandCents * faceAmount;
  if (!Number.isSafeInteger(extraNumerator)) throw new RangeError('premium out of range');
  return basePremium(rateThousandths, faceAmount, tableRating) + roundedQuotient(extraNumerator, 1000) + riderCents + policyFeeCents;
}

/** What a rider's price depends on besides its kind. */
export interface RiderPricing {
  /** The base premium in cents (rate × face × table, before extras, fee and riders). */
  baseCents: number;
  /** Accidental death and child term: the rider's amount in dollars. */
  amount: number;
  /** Waiver: permille of the base; accidental death: cents per $1,000; child term: cents per $1,000 unit; ROP: hundredths of the base. */
  rate: number;
}

/**
 * A rider's yearly premium in cents as the carrier prices it: waiver = base × permille / 1,000;
 * accidental death = amount × cents per $1,000 / 1,000; child term = units × cents per unit;
 * return of premium = base × (multiplier − 1). Each rounded half-up once.
 */
export function riderPremium(kind: string, pricing: RiderPricing): number {
  assertWhole('base premium', pricing.baseCents);
  assertWhole('rider amount', pricing.amount, 10_000_000);
  assertWhole('rider rate', pricing.rate, 100_000);
  switch (kind) {
    case 'WAIVER_OF_PREMIUM':
      return roundedQuotient(pricing.baseCents * pricing.rate, 1000);
    case 'ACCIDENTAL_DEATH':
      return roundedQuotient(pricing.amount * pricing.rate, 1000);
    case 'CHILD_TERM':
      return Math.floor(pricing.amount / 1000) * pricing.rate;
    case 'RETURN_OF_PREMIUM':
      return roundedQuotient(pricing.baseCents * (pricing.rate - 100), 100);
    default:
      throw new RangeError(`no such rider: ${kind}`);
  }
}

/** The class a carrier rates at: a table is a rating on Standard, so any class asked with a table is priced as Standard. */
export function ratedClass<C extends string>(healthClass: C, tableRating: number): C | 'STANDARD' {
  return tableRating > 0 ? 'STANDARD' : healthClass;
}

/** A modal factor as the carrier writes it (0.0875) read as digits over a power of ten: 875 / 10,000. */
function factorAsFraction(factor: number): [number, number] {
  const [whole, fraction = ''] = String(factor).split('.');
  if (!/^\d+$/.test(whole) || !/^\d*$/.test(fraction)) throw new RangeError(`not a modal factor: ${factor}`);
  return [Number(whole + fraction), 10 ** fraction.length];
}

export interface ModalPremiumSet {
  ANNUAL: number;
  SEMI_ANNUAL: number;
  QUARTERLY: number;
  MONTHLY: number;
}

/** Each mode's premium from the annual premium and the carrier's factors. */
export function modalPremiums(annualCents: number, factors: { SEMI_ANNUAL: number; QUARTERLY: number; MONTHLY: number }): ModalPremiumSet {
  assertWhole('annual premium', annualCents);
  const mode = (factor: number) => {
    const [numerator, denominator] = factorAsFraction(factor);
    return roundedQuotient(annualCents * numerator, denominator);
  };
  return {
    ANNUAL: annualCents,
    SEMI_ANNUAL: mode(factors.SEMI_ANNUAL),
    QUARTERLY: mode(factors.QUARTERLY),
    MONTHLY: mode(factors.MONTHLY),
  };
}

// ---------------------------------------------------------------- issue age

type Ymd = [year: number, month: number, day: number];

const leap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const lengthOf = (year: number, month: number) =>
  month === 2 ? (leap(year) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
const before = (a: Ymd, b: Ymd) => (a[0] !== b[0] ? a[0] < b[0] : a[1] !== b[1] ? a[1] < b[1] : a[2] < b[2]);

function ymd(text: string): Ymd {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const parts: Ymd = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  if (!match || parts[1] < 1 || parts[1] > 12 || parts[2] < 1 || parts[2] > lengthOf(parts[0], parts[1]))
    throw new RangeError(`not a date: ${text}`);
  return parts;
}

/** The birthday in a given year (29 February is 28 February in other years). */
const birthdayIn = (birth: Ymd, year: number): Ymd => [year, birth[1], Math.min(birth[2], lengthOf(year, birth[1]))];

/**
 * The insured's age under the carrier's basis on `asOf`: LAST = completed years; NEAREST = one
 * more from the half-birthday on (the last birthday plus six calendar months, the day clamped to
 * the month's length).
 */
export function ageOn(basis: 'NEAREST' | 'LAST', birthDate: string, asOf: string): number {
  const birth = ymd(birthDate);
  const day = ymd(asOf);
  if (before(day, birth)) throw new RangeError('the date is before the birth date');
  let last = day[0] - birth[0];
  if (before(day, birthdayIn(birth, day[0]))) last--;
  if (basis === 'LAST') return last;
  const birthday = birthdayIn(birth, birth[0] + last);
  const monthIndex = birthday[1] + 5; // zero-based month six months on
  const year = birthday[0] + Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  const half: Ymd = [year, month, Math.min(birthday[2], lengthOf(year, month))];
  return before(day, half) ? last : last + 1;
}
