/**
 * A carrier's published rate book, parsed and indexed for local pricing: one lookup per product
 * quoted, no network. The CSV has a header naming its columns (RATE_TABLE_CSV_HEADER's names, in
 * any order; extra columns are ignored); every row is checked, and a book with a row we cannot read
 * is refused whole (CARRIER.MALFORMED) rather than priced from partly.
 */
import { HEALTH_CLASSES, type HealthClassCode } from '../../fixtures/carriers.fixture';
import { CarrierFailure } from '../carrier-adapter.port';

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

export class RateBook {
  private constructor(
    private readonly bands: ReadonlyMap<string, readonly Band[]>,
    /** Rows in the book, for logs. */
    readonly rows: number,
  ) {}

  /**
   * Parses and indexes a whole book. Async because a book is ~1 MB and ~20,000 rows parsed on the
   * subgraph's event loop: it yields every ROWS_PER_SLICE rows, so quotes for other carriers keep
   * flowing while a book loads.
   */
  static async parse(csv: string): Promise<RateBook> {
    const malformed = (what: string) => new CarrierFailure('CARRIER.MALFORMED', `unreadable rate book: ${what}`);
    const lines = csv.split('\n');
    const header = (lines[0] ?? '').trim().split(',');
    const at = COLUMNS.map((column) => header.indexOf(column));
    const absent = COLUMNS.filter((_, i) => at[i] < 0);
    if (absent.length) throw malformed(`the header lacks ${absent.join(', ')}`);
    const [product, term, age, gender, tobacco, healthClass, min, max, rate] = at;

    // One split per line and no regex: this loop is the whole cost of loading a book.
    const bands = new Map<string, Band[]>();
    let rows = 0;
    for (let i = 1; i < lines.length; i++) {
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
    return new RateBook(bands, rows);
  }

  /** The rate per $1,000 in thousandths of a dollar, or undefined when the book has no row for it (not offered). */
  rate(lookup: RateLookup): number | undefined {
    return this.bands.get(keyOf(lookup))?.find((band) => lookup.faceAmount >= band.min && lookup.faceAmount <= band.max)?.rateThousandths;
  }
}
