/**
 * A carrier's published rate book, parsed and indexed for local pricing: one lookup per product
 * quoted, no network. The CSV has a header naming its columns (COLUMNS' names, in any order; extra
 * columns are ignored); every row is checked, and a book with a row we cannot read is refused whole
 * (CARRIER.MALFORMED) rather than priced from partly.
 *
 * Before the header, lines starting with '#' carry the terms the carrier prices with besides its
 * rates, one `# name=value` each: `policy_fee_cents` (integer cents), `modal_factor.SEMI_ANNUAL`,
 * `modal_factor.QUARTERLY`, `modal_factor.MONTHLY` (decimals), and `class_name.<HealthClass>` (the
 * carrier's own name for a class). Unknown names are ignored; a book that states a term badly is
 * refused. `terms` is null when the book states no fee or factors: such a book cannot price.
 *
 * Riders (Quoting v2): `rider_rate.WAIVER_OF_PREMIUM=<from age>:<permille>,...`,
 * `rider_rate.ACCIDENTAL_DEATH=<cents per $1,000>`, `rider_rate.CHILD_TERM=<cents per $1,000 unit>`,
 * `rider_rate.RETURN_OF_PREMIUM=<from age>:<term>:<hundredths>,...` and, per product,
 * `rider.<product code>=<type>:<min age>-<max age>,...`. A book without them sells no riders.
 *
 * The optional `rate_basis` column says what a permanent product's row is for: the guarantee age
 * (UL, '121'), the pay period (whole life, 'LIFE') or the plan (final expense, 'LEVEL'); empty
 * or absent on TERM rows, whose period is term_years.
 */
import { HEALTH_CLASSES, RIDER_TYPES, type HealthClassCode, type RiderTypeCode } from '../../../shared/vocabulary';
import type { RiderOffer, RiderRates } from '../../domain/riders';
import type { RateTerms } from '../../domain/carrier';
import { CarrierFailure } from '../../domain/carrier-failure';

export interface RateLookup {
  productCode: string;
  /** TERM: the level period; ignored when `basis` is given. */
  termYears: number | null;
  /** A permanent product's rate basis (the `rate_basis` column): guarantee age, pay period or plan. */
  basis?: string;
  age: number;
  gender: 'MALE' | 'FEMALE';
  tobacco: boolean;
  healthClass: HealthClassCode;
  faceAmount: number;
}

interface Band {
  min: number;
  max: number;
  rateThousandths: number;
}

const COLUMNS = [
  'product_code',
  'term_years',
  'issue_age',
  'gender',
  'tobacco',
  'health_class',
  'face_band_min',
  'face_band_max',
  'rate_thousandths',
] as const;
const CLASSES = new Set<string>(HEALTH_CLASSES);
/** Rows parsed between two yields to the event loop (a few milliseconds of work). */
const ROWS_PER_SLICE = 2_000;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A cell of ASCII digits as a number, or -1. */
function wholeNumber(cell: string | undefined): number {
  if (!cell || cell.length > 15) return -1;
  let value = 0;
  for (let i = 0; i < cell.length; i++) {
    const digit = cell.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** Must build the same key as parse() does from a row: the basis, or the term's years when there is none. */
const keyOf = (l: Omit<RateLookup, 'faceAmount'>) =>
  `${l.productCode}|${l.basis || l.termYears}|${l.age}|${l.gender}|${l.tobacco ? 'Y' : 'N'}|${l.healthClass}`;

const RIDERS = new Set<string>(RIDER_TYPES);
const NUMBER_LIST = /^\d+(:\d+)*(,\d+(:\d+)*)*$/;

/** The rider rates and each product's riders from the `# rider...` lines; null rates when the book states none. */
function ridersOf(
  values: ReadonlyMap<string, string>,
  malformed: (what: string) => CarrierFailure,
): { rates: RiderRates | null; offers: Map<string, RiderOffer[]> } {
  const offers = new Map<string, RiderOffer[]>();
  for (const [name, value] of values) {
    if (!name.startsWith('rider.')) continue;
    const list = value.split(',').map((entry) => {
      const match = /^([A-Z_]+):(\d+)-(\d+)$/.exec(entry.trim());
      if (!match || !RIDERS.has(match[1])) throw malformed(`${name} is not a list of rider:min-max`);
      return { type: match[1] as RiderTypeCode, minIssueAge: Number(match[2]), maxIssueAge: Number(match[3]) };
    });
    offers.set(name.slice('rider.'.length), list);
  }
  const named = ['WAIVER_OF_PREMIUM', 'ACCIDENTAL_DEATH', 'CHILD_TERM', 'RETURN_OF_PREMIUM'].map((type) =>
    values.get(`rider_rate.${type}`),
  );
  if (named.every((v) => v === undefined)) return { rates: null, offers };
  named.forEach((value, i) => {
    if (value === undefined || !NUMBER_LIST.test(value)) throw malformed(`rider_rate.${RIDER_TYPES[i]} is ${value ?? 'missing'}`);
  });
  const tuples = (value: string) => value.split(',').map((entry) => entry.split(':').map(Number));
  const [waiver, adb, ctr, rop] = named as string[];
  const ropByAge = new Map<number, Record<string, number>>();
  for (const [fromAge, term, hundredths] of tuples(rop)) {
    if (hundredths === undefined) throw malformed('rider_rate.RETURN_OF_PREMIUM is not a list of age:term:hundredths');
    ropByAge.set(fromAge, { ...ropByAge.get(fromAge), [String(term)]: hundredths });
  }
  return {
    rates: {
      waiverPermilleByAge: tuples(waiver).map(([fromAge, permille]) => ({ fromAge, permille })),
      accidentalDeathCentsPerThousand: wholeNumber(adb),
      childTermCentsPerUnit: wholeNumber(ctr),
      returnOfPremiumByAge: [...ropByAge.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([fromAge, hundredthsByTerm]) => ({ fromAge, hundredthsByTerm })),
    },
    offers,
  };
}

const MODES = ['SEMI_ANNUAL', 'QUARTERLY', 'MONTHLY'] as const;
const DECIMAL = /^\d+(\.\d+)?$/;

/** The `# name=value` lines before the header as the book's terms; null when it states no fee or factors. */
/** The `# name=value` lines before the header. */
function valuesOf(lines: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of lines) {
    const at = line.indexOf('=');
    if (at > 0) values.set(line.slice(1, at).trim(), line.slice(at + 1).trim());
  }
  return values;
}

function termsOf(values: ReadonlyMap<string, string>, malformed: (what: string) => CarrierFailure): RateTerms | null {
  const fee = values.get('policy_fee_cents');
  const factors = MODES.map((mode) => values.get(`modal_factor.${mode}`));
  if (fee === undefined && factors.every((f) => f === undefined)) return null;
  if (fee === undefined || wholeNumber(fee) < 0)
    throw malformed(`policy_fee_cents is ${fee === undefined ? 'missing' : `not whole cents: ${fee}`}`);
  factors.forEach((factor, i) => {
    if (factor === undefined || !DECIMAL.test(factor) || !(Number(factor) > 0 && Number(factor) <= 1))
      throw malformed(`modal_factor.${MODES[i]} is ${factor === undefined ? 'missing' : `not a factor: ${factor}`}`);
  });
  const classNames = Object.fromEntries(
    HEALTH_CLASSES.map((healthClass) => [healthClass, values.get(`class_name.${healthClass}`) || healthClass]),
  );
  return {
    policyFeeCents: wholeNumber(fee),
    modalFactors: { SEMI_ANNUAL: Number(factors[0]), QUARTERLY: Number(factors[1]), MONTHLY: Number(factors[2]) },
    classNames: classNames as Record<HealthClassCode, string>,
  };
}

export class RateBook {
  private constructor(
    private readonly bands: ReadonlyMap<string, readonly Band[]>,
    /** Rows in the book, for logs. */
    readonly rows: number,
    /** The fee, modal factors and class names the carrier publishes with its rates. */
    readonly terms: RateTerms | null,
    /** The carrier's rider rates; null when the book states none (it sells no riders). */
    readonly riderRates: RiderRates | null = null,
    private readonly riderOffers: ReadonlyMap<string, readonly RiderOffer[]> = new Map(),
  ) {}

  /** The riders a product carries, by its code, with their issue ages. */
  ridersOf(productCode: string): readonly RiderOffer[] {
    return this.riderOffers.get(productCode) ?? [];
  }

  /**
   * Parses and indexes a whole book. Async because a book is ~1 MB and ~20,000 rows parsed on the
   * subgraph's event loop: it yields every ROWS_PER_SLICE rows, so quotes for other carriers keep
   * flowing while a book loads.
   */
  static async parse(csv: string): Promise<RateBook> {
    const malformed = (what: string) => new CarrierFailure('CARRIER.MALFORMED', `unreadable rate book: ${what}`);
    const lines = csv.split('\n');
    let first = 0;
    while (first < lines.length && lines[first].startsWith('#')) first++;
    const values = valuesOf(lines.slice(0, first));
    const terms = termsOf(values, malformed);
    const riders = ridersOf(values, malformed);
    const header = (lines[first] ?? '').trim().split(',');
    const at = COLUMNS.map((column) => header.indexOf(column));
    const absent = COLUMNS.filter((_, i) => at[i] < 0);
    if (absent.length) throw malformed(`the header lacks ${absent.join(', ')}`);
    const [product, term, age, gender, tobacco, healthClass, min, max, rate] = at;
    const basis = header.indexOf('rate_basis');

    // One split per line and no regex: this loop is the whole cost of loading a book.
    const bands = new Map<string, Band[]>();
    let rows = 0;
    for (let i = first + 1; i < lines.length; i++) {
      if (i % ROWS_PER_SLICE === 0) await yieldToEventLoop();
      const line = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
      if (!line) continue;
      const cells = line.split(',');
      const numbers = [
        wholeNumber(cells[term]),
        wholeNumber(cells[age]),
        wholeNumber(cells[min]),
        wholeNumber(cells[max]),
        wholeNumber(cells[rate]),
      ];
      const sex = cells[gender];
      const smoker = cells[tobacco];
      if (
        !cells[product] ||
        numbers.includes(-1) ||
        (sex !== 'MALE' && sex !== 'FEMALE') ||
        (smoker !== 'Y' && smoker !== 'N') ||
        !CLASSES.has(cells[healthClass])
      ) {
        throw malformed(`line ${i + 1} is not a rate row`);
      }
      if (numbers[2] > numbers[3]) throw malformed(`line ${i + 1} has an inverted face band`);
      const period = (basis >= 0 && cells[basis]) || numbers[0];
      const key = `${cells[product]}|${period}|${numbers[1]}|${sex}|${smoker}|${cells[healthClass]}`;
      const band = { min: numbers[2], max: numbers[3], rateThousandths: numbers[4] };
      const list = bands.get(key);
      if (list) list.push(band);
      else bands.set(key, [band]);
      rows++;
    }
    if (!rows) throw malformed('no rate rows');
    return new RateBook(bands, rows, terms, riders.rates, riders.offers);
  }

  /** The rate per $1,000 in thousandths of a dollar, or undefined when the book has no row for it (not offered). */
  rate(lookup: RateLookup): number | undefined {
    return this.bands.get(keyOf(lookup))?.find((band) => lookup.faceAmount >= band.min && lookup.faceAmount <= band.max)?.rateThousandths;
  }
}
