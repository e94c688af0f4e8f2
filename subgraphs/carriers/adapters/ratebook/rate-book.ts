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
 */
import { HEALTH_CLASSES, type HealthClassCode } from '../../../shared/vocabulary';
import type { RateTerms } from '../../domain/carrier';
import { CarrierFailure } from '../../domain/carrier-failure';

export interface RateLookup {
  productCode: string;
  termYears: number;
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

/** Must build the same key as parse() does from a row. */
const keyOf = (l: Omit<RateLookup, 'faceAmount'>) =>
  `${l.productCode}|${l.termYears}|${l.age}|${l.gender}|${l.tobacco ? 'Y' : 'N'}|${l.healthClass}`;

const MODES = ['SEMI_ANNUAL', 'QUARTERLY', 'MONTHLY'] as const;
const DECIMAL = /^\d+(\.\d+)?$/;

/** The `# name=value` lines before the header as the book's terms; null when it states no fee or factors. */
function termsOf(lines: readonly string[], malformed: (what: string) => CarrierFailure): RateTerms | null {
  const values = new Map<string, string>();
  for (const line of lines) {
    const at = line.indexOf('=');
    if (at > 0) values.set(line.slice(1, at).trim(), line.slice(at + 1).trim());
  }
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
  ) {}

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
    const terms = termsOf(lines.slice(0, first), malformed);
    const header = (lines[first] ?? '').trim().split(',');
    const at = COLUMNS.map((column) => header.indexOf(column));
    const absent = COLUMNS.filter((_, i) => at[i] < 0);
    if (absent.length) throw malformed(`the header lacks ${absent.join(', ')}`);
    const [product, term, age, gender, tobacco, healthClass, min, max, rate] = at;

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
      const key = `${cells[product]}|${numbers[0]}|${numbers[1]}|${sex}|${smoker}|${cells[healthClass]}`;
      const band = { min: numbers[2], max: numbers[3], rateThousandths: numbers[4] };
      const list = bands.get(key);
      if (list) list.push(band);
      else bands.set(key, [band]);
      rows++;
    }
    if (!rows) throw malformed('no rate rows');
    return new RateBook(bands, rows, terms);
  }

  /** The rate per $1,000 in thousandths of a dollar, or undefined when the book has no row for it (not offered). */
  rate(lookup: RateLookup): number | undefined {
    return this.bands.get(keyOf(lookup))?.find((band) => lookup.faceAmount >= band.min && lookup.faceAmount <= band.max)?.rateThousandths;
  }
}
