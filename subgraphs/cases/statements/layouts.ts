/**
 * Carrier commission statement layouts, as data: one entry per demo carrier (ids as in the carriers
 * catalog), each with its own header names and order, delimiter, money, rate, period and transaction
 * codes; the rate-book carriers send the one fixed-width layout (FIXED_WIDTH_80). The cases subgraph
 * keeps these itself (no carriers code): a statement is booked here, against its cases.
 *
 * A file is recognised by its carrier and its first line: a CSV header whose names match a layout's
 * (in order, case and surrounding spaces aside), or the fixed-width header record naming the carrier.
 * See docs/domain.md, "Carrier commission statements".
 */

/** The transactions a statement line may carry (the same four as cases.commission.transaction). */
export const STATEMENT_TRANSACTIONS = ['FIRST_YEAR', 'RENEWAL', 'CHARGEBACK', 'ADJUSTMENT'] as const;
export type StatementTransaction = (typeof STATEMENT_TRANSACTIONS)[number];

/** The fields every layout carries, whatever it calls them. */
export type StatementField = 'policyNumber' | 'lastName' | 'transaction' | 'premium' | 'rate' | 'amount' | 'period';

/**
 * How a layout writes money: DOLLARS "1,234.56" / "-12.00" / "$12.00"; DOLLARS_PARENS also "(12.00)"
 * for a negative; DOLLARS_TRAILING_SIGN "12.00-"; CENTS an integer number of cents ("123456",
 * "-1200"); CENTS_TRAILING_SIGN zero-padded cents and a sign ("00000123456+", "00000001200-").
 */
export type MoneyFormat = 'DOLLARS' | 'DOLLARS_PARENS' | 'DOLLARS_TRAILING_SIGN' | 'CENTS' | 'CENTS_TRAILING_SIGN';
/** How a layout writes the commission rate: PERCENT "85" / "85.25"; DECIMAL "0.85"; BASIS_POINTS "8500". */
export type RateFormat = 'PERCENT' | 'DECIMAL' | 'BASIS_POINTS';
/** How a layout writes the period paid: a month, or the payment date (its month is the period). */
export type PeriodFormat = 'YYYY-MM' | 'MM/YYYY' | 'YYYYMM' | 'YYYY-MM-DD' | 'MM/DD/YYYY';

interface LayoutBase {
  /** The layout's name, recorded with each statement booked in it. */
  code: string;
  money: MoneyFormat;
  rate: RateFormat;
  period: PeriodFormat;
  /** The carrier's transaction codes (compared case-insensitively) and what each means. */
  transactions: Readonly<Record<string, StatementTransaction>>;
}

export interface CsvLayout extends LayoutBase {
  kind: 'CSV';
  delimiter: ',' | ';' | '|' | '\t';
  /** Every header of the file, in order (columns not named in `fields` are read past). */
  headers: readonly string[];
  /** Which header holds each field. */
  fields: Readonly<Record<StatementField, string>>;
}

export interface FixedWidthLayout extends LayoutBase {
  kind: 'FIXED_WIDTH';
  /** The header record starts with this, then the carrier's code padded to `carrierCodeWidth`. */
  headerPrefix: string;
  carrierCodeWidth: number;
  /** Detail records start with this; the trailer with `trailerType`. */
  detailType: string;
  trailerType: string;
  /** Each field's [start, length] in a detail record (0-based). */
  fields: Readonly<Record<StatementField, readonly [number, number]>>;
  /** The trailer's record count and total amount (cents, signed): [start, length]. */
  trailer: { count: readonly [number, number]; total: readonly [number, number] };
}

export type StatementLayout = CsvLayout | FixedWidthLayout;

const ACORD_CODES = { FY: 'FIRST_YEAR', RN: 'RENEWAL', REN: 'RENEWAL', CB: 'CHARGEBACK', ADJ: 'ADJUSTMENT' } as const;
const REST_CODES = {
  first_year: 'FIRST_YEAR',
  renewal: 'RENEWAL',
  chargeback: 'CHARGEBACK',
  adjustment: 'ADJUSTMENT',
} as const;
const WORD_CODES = {
  'First Year': 'FIRST_YEAR',
  Renewal: 'RENEWAL',
  Chargeback: 'CHARGEBACK',
  'Charge Back': 'CHARGEBACK',
  Adjustment: 'ADJUSTMENT',
} as const;

function csv(
  code: string,
  delimiter: CsvLayout['delimiter'],
  headers: readonly string[],
  fields: Record<StatementField, string>,
  formats: Pick<LayoutBase, 'money' | 'rate' | 'period' | 'transactions'>,
): CsvLayout {
  for (const header of Object.values(fields)) if (!headers.includes(header)) throw new Error(`layout ${code}: ${header} is not a header`);
  return { kind: 'CSV', code, delimiter, headers, fields, ...formats };
}

/**
 * The one fixed-width layout (80 columns; the rate-book carriers' mainframe extract):
 *   header  `HCOMMSTMT` + carrier code (10)
 *   detail  `D` policy(20) last name(20) transaction(2) premium(12: 11 digits of cents + sign)
 *           rate(6: basis points) amount(12: 11 digits of cents + sign) period(6: YYYYMM)
 *   trailer `T` detail count(9) total amount(12: 11 digits of cents + sign)
 */
export function fixedWidth80(code: string): FixedWidthLayout {
  return {
    kind: 'FIXED_WIDTH',
    code,
    headerPrefix: 'HCOMMSTMT',
    carrierCodeWidth: 10,
    detailType: 'D',
    trailerType: 'T',
    money: 'CENTS_TRAILING_SIGN',
    rate: 'BASIS_POINTS',
    period: 'YYYYMM',
    transactions: { FY: 'FIRST_YEAR', RN: 'RENEWAL', CB: 'CHARGEBACK', AJ: 'ADJUSTMENT' },
    fields: {
      policyNumber: [1, 20],
      lastName: [21, 20],
      transaction: [41, 2],
      premium: [43, 12],
      rate: [55, 6],
      amount: [61, 12],
      period: [73, 6],
    },
    trailer: { count: [1, 9], total: [10, 12] },
  };
}

/** The carrier's code in the fixed-width header record: its id without `car_`, upper case (SILVER_BIR...). */
export function fixedWidthCarrierCode(carrierId: string, width = 10): string {
  return carrierId.replace(/^car_/, '').toUpperCase().slice(0, width).padEnd(width, ' ');
}

/** Each demo carrier's statement layouts, by carrier id (the first is the one it sends today). */
export const STATEMENT_LAYOUTS: Readonly<Record<string, readonly StatementLayout[]>> = {
  // ACORD carriers: comma-separated, dollars and percents, ACORD-style transaction codes.
  car_summit: [
    csv(
      'SUMMIT_CSV_V2',
      ',',
      ['Policy Number', 'Insured Last Name', 'Transaction Type', 'Premium', 'Commission Rate', 'Commission Amount', 'Statement Period'],
      {
        policyNumber: 'Policy Number',
        lastName: 'Insured Last Name',
        transaction: 'Transaction Type',
        premium: 'Premium',
        rate: 'Commission Rate',
        amount: 'Commission Amount',
        period: 'Statement Period',
      },
      { money: 'DOLLARS', rate: 'PERCENT', period: 'YYYY-MM', transactions: ACORD_CODES },
    ),
  ],
  car_harborlight: [
    csv(
      'HARBORLIGHT_CSV',
      ',',
      ['Period', 'Policy No', 'Insured', 'Txn', 'Modal Premium', 'Rate %', 'Comm Amt', 'Writing Agent'],
      {
        policyNumber: 'Policy No',
        lastName: 'Insured',
        transaction: 'Txn',
        premium: 'Modal Premium',
        rate: 'Rate %',
        amount: 'Comm Amt',
        period: 'Period',
      },
      { money: 'DOLLARS_PARENS', rate: 'PERCENT', period: 'MM/YYYY', transactions: ACORD_CODES },
    ),
  ],
  car_ironwood: [
    csv(
      'IRONWOOD_CSV',
      ',',
      ['POLICY', 'LAST_NAME', 'TRANS_CODE', 'PREMIUM_AMT', 'COMM_RATE', 'COMM_AMT', 'PAID_DATE'],
      {
        policyNumber: 'POLICY',
        lastName: 'LAST_NAME',
        transaction: 'TRANS_CODE',
        premium: 'PREMIUM_AMT',
        rate: 'COMM_RATE',
        amount: 'COMM_AMT',
        period: 'PAID_DATE',
      },
      { money: 'DOLLARS', rate: 'DECIMAL', period: 'MM/DD/YYYY', transactions: ACORD_CODES },
    ),
  ],
  car_bluestem: [
    csv(
      'BLUESTEM_CSV',
      ',',
      ['Statement Month', 'Contract Number', 'Insured Surname', 'Activity', 'Target Premium', 'Percent', 'Commission'],
      {
        policyNumber: 'Contract Number',
        lastName: 'Insured Surname',
        transaction: 'Activity',
        premium: 'Target Premium',
        rate: 'Percent',
        amount: 'Commission',
        period: 'Statement Month',
      },
      { money: 'DOLLARS_PARENS', rate: 'PERCENT', period: 'YYYYMM', transactions: WORD_CODES },
    ),
  ],
  // REST carriers: machine exports, snake_case headers, cents and basis points.
  car_cedar_crest: [
    csv(
      'CEDAR_CREST_EXPORT',
      ';',
      ['policy_number', 'insured_surname', 'txn', 'premium_cents', 'rate_bps', 'commission_cents', 'period'],
      {
        policyNumber: 'policy_number',
        lastName: 'insured_surname',
        transaction: 'txn',
        premium: 'premium_cents',
        rate: 'rate_bps',
        amount: 'commission_cents',
        period: 'period',
      },
      { money: 'CENTS', rate: 'BASIS_POINTS', period: 'YYYY-MM', transactions: REST_CODES },
    ),
  ],
  car_granite_peak: [
    csv(
      'GRANITE_PEAK_EXPORT',
      '|',
      ['statement_id', 'policy', 'insured_last', 'transaction', 'premium', 'rate_bps', 'amount', 'paid_on'],
      {
        policyNumber: 'policy',
        lastName: 'insured_last',
        transaction: 'transaction',
        premium: 'premium',
        rate: 'rate_bps',
        amount: 'amount',
        period: 'paid_on',
      },
      { money: 'DOLLARS', rate: 'BASIS_POINTS', period: 'YYYY-MM-DD', transactions: REST_CODES },
    ),
  ],
  car_northwind: [
    csv(
      'NORTHWIND_EXPORT',
      ',',
      ['policyNumber', 'insuredLastName', 'transactionType', 'premiumCents', 'rateBasisPoints', 'amountCents', 'period'],
      {
        policyNumber: 'policyNumber',
        lastName: 'insuredLastName',
        transaction: 'transactionType',
        premium: 'premiumCents',
        rate: 'rateBasisPoints',
        amount: 'amountCents',
        period: 'period',
      },
      {
        money: 'CENTS',
        rate: 'BASIS_POINTS',
        period: 'YYYY-MM',
        transactions: { FIRST_YEAR: 'FIRST_YEAR', RENEWAL: 'RENEWAL', CHARGEBACK: 'CHARGEBACK', ADJUSTMENT: 'ADJUSTMENT' },
      },
    ),
  ],
  car_copperleaf: [
    csv(
      'COPPERLEAF_EXPORT',
      '\t',
      ['period', 'policy_no', 'surname', 'kind', 'premium', 'rate', 'commission'],
      {
        policyNumber: 'policy_no',
        lastName: 'surname',
        transaction: 'kind',
        premium: 'premium',
        rate: 'rate',
        amount: 'commission',
        period: 'period',
      },
      { money: 'DOLLARS', rate: 'DECIMAL', period: 'YYYY-MM', transactions: REST_CODES },
    ),
  ],
  // Rate-book carriers: two send CSV from their admin system, two the fixed-width extract.
  car_lanternfield: [
    csv(
      'LANTERNFIELD_CSV',
      ',',
      ['Pol #', 'Name (Last)', 'Type', 'Annual Premium', 'Comp %', 'Comp $', 'Month'],
      {
        policyNumber: 'Pol #',
        lastName: 'Name (Last)',
        transaction: 'Type',
        premium: 'Annual Premium',
        rate: 'Comp %',
        amount: 'Comp $',
        period: 'Month',
      },
      { money: 'DOLLARS_TRAILING_SIGN', rate: 'PERCENT', period: 'MM/YYYY', transactions: WORD_CODES },
    ),
  ],
  car_prairie_star: [
    csv(
      'PRAIRIE_STAR_CSV',
      ',',
      ['Policy', 'Insured', 'Code', 'Premium', 'Rate', 'Commission', 'Paid'],
      {
        policyNumber: 'Policy',
        lastName: 'Insured',
        transaction: 'Code',
        premium: 'Premium',
        rate: 'Rate',
        amount: 'Commission',
        period: 'Paid',
      },
      { money: 'DOLLARS', rate: 'PERCENT', period: 'MM/DD/YYYY', transactions: ACORD_CODES },
    ),
  ],
  car_tidewater: [fixedWidth80('FIXED_WIDTH_80')],
  car_silver_birch: [fixedWidth80('FIXED_WIDTH_80')],
};

/** The layouts a carrier may send (none for a carrier without an agreed layout). */
export function layoutsOf(carrierId: string): readonly StatementLayout[] {
  return STATEMENT_LAYOUTS[carrierId] ?? [];
}
