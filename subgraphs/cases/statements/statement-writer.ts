/**
 * Writes statement lines in a carrier's own layout (layouts.ts): what the carrier's system would send.
 * Tests, the demo and the benchmark make their files with it; the parser reads them back. Lines are
 * written one at a time (`statementRecords` is a generator), so a large file is never held whole.
 */
import {
  type CsvLayout,
  type FixedWidthLayout,
  fixedWidthCarrierCode,
  type MoneyFormat,
  type PeriodFormat,
  type RateFormat,
  type StatementField,
  type StatementLayout,
  type StatementTransaction,
} from './layouts';

export interface StatementLineInput {
  policyNumber: string;
  lastName: string;
  transaction: StatementTransaction;
  premiumCents: number;
  rateBasisPoints: number;
  amountCents: number;
  /** YYYY-MM. */
  period: string;
}

/** The layout's header line (for the fixed width, the header record naming the carrier). */
export function headerLine(layout: StatementLayout, carrierId: string): string {
  if (layout.kind === 'FIXED_WIDTH') return `${layout.headerPrefix}${fixedWidthCarrierCode(carrierId, layout.carrierCodeWidth)}`;
  return layout.headers.map((header) => quote(header, layout.delimiter)).join(layout.delimiter);
}

/** The header, each line, and (fixed width) the trailer, each without its line end. */
export function* statementRecords(layout: StatementLayout, carrierId: string, lines: Iterable<StatementLineInput>): Generator<string> {
  yield headerLine(layout, carrierId);
  let count = 0;
  let total = 0;
  for (const line of lines) {
    count++;
    total += line.amountCents;
    yield layout.kind === 'CSV' ? csvLine(layout, line) : fixedWidthLine(layout, line);
  }
  if (layout.kind === 'FIXED_WIDTH') {
    const record = ' '.repeat(80).split('');
    record[0] = layout.trailerType;
    put(record, layout.trailer.count, String(count).padStart(layout.trailer.count[1], '0'));
    put(record, layout.trailer.total, formatMoney(total, layout.money, layout.trailer.total[1]));
    yield record.join('').trimEnd();
  }
}

/** One line as its record in a layout (without the line end). */
export function lineRecord(layout: StatementLayout, line: StatementLineInput): string {
  return layout.kind === 'CSV' ? csvLine(layout, line) : fixedWidthLine(layout, line);
}

/** A whole small file as text (tests); large files go through statementRecords. */
export function statementText(layout: StatementLayout, carrierId: string, lines: Iterable<StatementLineInput>): string {
  return `${[...statementRecords(layout, carrierId, lines)].join('\r\n')}\r\n`;
}

function quote(value: string, delimiter: string): string {
  return value.includes(delimiter) || value.includes('"') || value.includes('\n') ? `"${value.replaceAll('"', '""')}"` : value;
}

function csvLine(layout: CsvLayout, line: StatementLineInput): string {
  const byHeader = new Map<string, string>();
  for (const [field, header] of Object.entries(layout.fields) as [StatementField, string][])
    byHeader.set(header, fieldText(layout, field, line));
  return layout.headers.map((header) => quote(byHeader.get(header) ?? '', layout.delimiter)).join(layout.delimiter);
}

function put(record: string[], [start, length]: readonly [number, number], text: string): void {
  for (let i = 0; i < length; i++) record[start + i] = text[i] ?? ' ';
}

function fixedWidthLine(layout: FixedWidthLayout, line: StatementLineInput): string {
  const record = ' '.repeat(80).split('');
  record[0] = layout.detailType;
  for (const [field, range] of Object.entries(layout.fields) as [StatementField, readonly [number, number]][])
    put(record, range, fieldText(layout, field, line, range[1]));
  return record.join('').trimEnd();
}

function fieldText(layout: StatementLayout, field: StatementField, line: StatementLineInput, width?: number): string {
  switch (field) {
    case 'policyNumber':
      return line.policyNumber;
    case 'lastName':
      return line.lastName;
    case 'transaction':
      return Object.entries(layout.transactions).find(([, transaction]) => transaction === line.transaction)![0];
    case 'premium':
      return formatMoney(line.premiumCents, layout.money, width);
    case 'amount':
      return formatMoney(line.amountCents, layout.money, width);
    case 'rate':
      return formatRate(line.rateBasisPoints, layout.rate, width);
    case 'period':
      return formatPeriod(line.period, layout.period);
  }
}

function dollars(cents: number, thousands: boolean): string {
  const abs = Math.abs(cents);
  const whole = String(Math.floor(abs / 100));
  return `${thousands ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : whole}.${String(abs % 100).padStart(2, '0')}`;
}

export function formatMoney(cents: number, format: MoneyFormat, width?: number): string {
  const negative = cents < 0;
  switch (format) {
    case 'CENTS':
      return String(cents);
    case 'CENTS_TRAILING_SIGN':
      return `${String(Math.abs(cents)).padStart((width ?? 12) - 1, '0')}${negative ? '-' : '+'}`;
    case 'DOLLARS':
      return `${negative ? '-' : ''}${dollars(cents, false)}`;
    case 'DOLLARS_PARENS':
      return negative ? `(${dollars(cents, true)})` : dollars(cents, true);
    case 'DOLLARS_TRAILING_SIGN':
      return `${dollars(cents, true)}${negative ? '-' : ''}`;
  }
}

export function formatRate(basisPoints: number, format: RateFormat, width?: number): string {
  switch (format) {
    case 'BASIS_POINTS':
      return width ? String(basisPoints).padStart(width, '0') : String(basisPoints);
    case 'PERCENT':
      return `${Math.floor(basisPoints / 100)}.${String(basisPoints % 100).padStart(2, '0')}`;
    case 'DECIMAL':
      return `${Math.floor(basisPoints / 10_000)}.${String(basisPoints % 10_000).padStart(4, '0')}`;
  }
}

export function formatPeriod(period: string, format: PeriodFormat): string {
  const [year, month] = period.split('-');
  switch (format) {
    case 'YYYY-MM':
      return period;
    case 'MM/YYYY':
      return `${month}/${year}`;
    case 'YYYYMM':
      return `${year}${month}`;
    case 'YYYY-MM-DD':
      return `${period}-15`;
    case 'MM/DD/YYYY':
      return `${month}/15/${year}`;
  }
}
