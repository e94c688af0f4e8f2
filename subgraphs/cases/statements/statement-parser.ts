/**
 * Reads a carrier's commission statement as a stream, line by line, never whole: physical lines are
 * cut from the chunks as they come (a CSV record may span lines inside quotes), the first line
 * recognises the layout (layouts.ts), and each following record becomes a parsed line or a listed
 * problem. Memory stays bounded by the longest line (MAX_LINE_CHARS). The insured's last name is
 * handed on for comparison only: never put in a message.
 */
import { StringDecoder } from 'node:string_decoder';
import { coded } from '../../../platform/errors';
import {
  type CsvLayout,
  type FixedWidthLayout,
  fixedWidthCarrierCode,
  layoutsOf,
  type MoneyFormat,
  type PeriodFormat,
  type RateFormat,
  STATEMENT_LAYOUTS,
  type StatementField,
  type StatementLayout,
  type StatementTransaction,
} from './layouts';

/** The longest physical line (or quoted CSV record) read: past it the file is refused. */
export const MAX_LINE_CHARS = 64 * 1024;

export interface StatementLine {
  ok: true;
  /** 1-based physical line number of the record's first line. */
  lineNo: number;
  policyNumber: string;
  /** For comparison with the case's insured; never stored or logged. */
  lastName: string;
  transaction: StatementTransaction;
  premiumCents: number;
  rateBasisPoints: number;
  amountCents: number;
  /** YYYY-MM. */
  period: string;
}

/** A line that cannot be booked: listed as an INVALID exception. The message names columns, never values. */
export interface StatementProblem {
  ok: false;
  lineNo: number;
  policyNumber: string | null;
  message: string;
}

export type ParsedStatementLine = StatementLine | StatementProblem;

export interface OpenedStatement {
  layout: StatementLayout;
  /** The records after the header, in order (blank lines skipped). */
  lines: AsyncGenerator<ParsedStatementLine>;
}

export type StatementSource = AsyncIterable<Buffer | string>;

/** Physical lines of the source, decoded as UTF-8 across chunk boundaries, without their line ends (and without a BOM). */
export async function* physicalLines(source: StatementSource): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let first = true;
  const emit = (line: string) => {
    let text = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    return text;
  };
  for await (const chunk of source) {
    pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let start = 0;
    for (let end = pending.indexOf('\n'); end !== -1; end = pending.indexOf('\n', start)) {
      yield emit(pending.slice(start, end));
      start = end + 1;
    }
    pending = start === 0 ? pending : pending.slice(start);
    if (pending.length > MAX_LINE_CHARS) throw lineTooLong();
  }
  pending += decoder.end();
  if (pending.length > 0) yield emit(pending);
}

const lineTooLong = () =>
  coded('BAD_USER_INPUT', `a line of the statement is longer than ${MAX_LINE_CHARS} characters`, { reason: 'STATEMENT_LINE_TOO_LONG' });

/**
 * Splits one CSV record (RFC 4180: quoted fields, "" for a quote inside them). Returns undefined when
 * the record ends inside quotes: the caller joins the next physical line and asks again.
 */
export function splitCsvRecord(record: string, delimiter: string): string[] | undefined {
  const fields: string[] = [];
  let field = '';
  let i = 0;
  const n = record.length;
  while (true) {
    if (record[i] === '"') {
      // Quoted field: up to the closing quote; "" is one quote.
      i++;
      while (true) {
        const quote = record.indexOf('"', i);
        if (quote === -1) return undefined;
        field += record.slice(i, quote);
        if (record[quote + 1] === '"') {
          field += '"';
          i = quote + 2;
        } else {
          i = quote + 1;
          break;
        }
      }
      // Anything between the closing quote and the delimiter is kept (lenient, as spreadsheets write it).
      const next = record.indexOf(delimiter, i);
      field += record.slice(i, next === -1 ? n : next);
      fields.push(field);
      if (next === -1) return fields;
      field = '';
      i = next + delimiter.length;
    } else {
      const next = record.indexOf(delimiter, i);
      fields.push(record.slice(i, next === -1 ? n : next));
      if (next === -1) return fields;
      i = next + delimiter.length;
    }
  }
}

/** CSV records (with the line number each starts on) from physical lines; a quoted field may hold line breaks. */
async function* csvRecords(lines: AsyncIterator<string>, delimiter: string, startLineNo: number) {
  let lineNo = startLineNo;
  while (true) {
    const next = await lines.next();
    if (next.done) return;
    lineNo++;
    const recordLineNo = lineNo;
    let record = next.value;
    let fields = splitCsvRecord(record, delimiter);
    while (fields === undefined) {
      const more = await lines.next();
      if (more.done) {
        yield { lineNo: recordLineNo, fields: undefined as string[] | undefined };
        return;
      }
      lineNo++;
      record += `\n${more.value}`;
      if (record.length > MAX_LINE_CHARS) throw lineTooLong();
      fields = splitCsvRecord(record, delimiter);
    }
    yield { lineNo: recordLineNo, fields };
  }
}

const normalizeHeader = (header: string) => header.trim().toLowerCase();

/** True when the first line is this layout's header for this carrier. */
export function matchesHeader(layout: StatementLayout, carrierId: string, firstLine: string): boolean {
  if (layout.kind === 'FIXED_WIDTH')
    return firstLine.trimEnd() === `${layout.headerPrefix}${fixedWidthCarrierCode(carrierId, layout.carrierCodeWidth)}`.trimEnd();
  const headers = splitCsvRecord(firstLine, layout.delimiter);
  return (
    headers !== undefined &&
    headers.length === layout.headers.length &&
    headers.every((header, i) => normalizeHeader(header) === normalizeHeader(layout.headers[i]))
  );
}

/** The carrier's layout whose header the first line is, or undefined. */
export function recognizeLayout(carrierId: string, firstLine: string): StatementLayout | undefined {
  return layoutsOf(carrierId).find((layout) => matchesHeader(layout, carrierId, firstLine));
}

function unknownLayout(carrierId: string, firstLine: string | undefined) {
  if (firstLine === undefined)
    return coded('BAD_USER_INPUT', 'the statement file is empty', { reason: 'UNKNOWN_STATEMENT_LAYOUT', carrierId });
  if (layoutsOf(carrierId).length === 0)
    return coded('BAD_USER_INPUT', `no statement layout is agreed with carrier ${carrierId}`, {
      reason: 'UNKNOWN_STATEMENT_LAYOUT',
      carrierId,
    });
  // Another carrier's header: say whose, so the file can be re-sent under the right carrier. The
  // line itself is never echoed (a file without a header starts with an insured's name).
  const other = Object.entries(STATEMENT_LAYOUTS).find(
    ([id, layouts]) => id !== carrierId && layouts.some((layout) => matchesHeader(layout, id, firstLine)),
  );
  const expected = layoutsOf(carrierId)
    .map((layout) => layout.code)
    .join(', ');
  return coded(
    'BAD_USER_INPUT',
    other
      ? `the statement's header is carrier ${other[0]}'s layout, not ${carrierId}'s (${expected})`
      : `the statement's first line is not the header of ${carrierId}'s layout (${expected})`,
    { reason: 'UNKNOWN_STATEMENT_LAYOUT', carrierId },
  );
}

/**
 * Opens a statement: reads up to its first non-blank line and recognises the layout (BAD_USER_INPUT
 * with reason UNKNOWN_STATEMENT_LAYOUT when it is none of the carrier's), then hands back the
 * records as they are read.
 */
export async function openStatement(carrierId: string, source: StatementSource): Promise<OpenedStatement> {
  const lines = physicalLines(source)[Symbol.asyncIterator]();
  let lineNo = 0;
  let header: string | undefined;
  while (header === undefined) {
    const next = await lines.next();
    if (next.done) break;
    lineNo++;
    if (next.value.trim() !== '') header = next.value;
  }
  const layout = header === undefined ? undefined : recognizeLayout(carrierId, header);
  if (!layout) {
    await lines.return?.(undefined);
    throw unknownLayout(carrierId, header);
  }
  return { layout, lines: layout.kind === 'CSV' ? csvLines(layout, lines, lineNo) : fixedWidthLines(layout, lines, lineNo) };
}

async function* csvLines(layout: CsvLayout, lines: AsyncIterator<string>, headerLineNo: number): AsyncGenerator<ParsedStatementLine> {
  const index = Object.fromEntries(
    (Object.entries(layout.fields) as [StatementField, string][]).map(([field, header]) => [field, layout.headers.indexOf(header)]),
  ) as Record<StatementField, number>;
  for await (const { lineNo, fields } of csvRecords(lines, layout.delimiter, headerLineNo)) {
    if (fields === undefined) {
      yield { ok: false, lineNo, policyNumber: null, message: 'a quoted field is not closed before the end of the file' };
      return;
    }
    if (fields.length === 1 && fields[0].trim() === '') continue;
    if (fields.length !== layout.headers.length) {
      yield { ok: false, lineNo, policyNumber: null, message: `the line has ${fields.length} fields, the header ${layout.headers.length}` };
      continue;
    }
    yield readFields(
      layout,
      lineNo,
      (field) => fields[index[field]],
      (field) => layout.fields[field],
    );
  }
}

async function* fixedWidthLines(
  layout: FixedWidthLayout,
  lines: AsyncIterator<string>,
  headerLineNo: number,
): AsyncGenerator<ParsedStatementLine> {
  let lineNo = headerLineNo;
  let details = 0;
  let total = 0;
  let trailerSeen = false;
  const slice = (line: string, [start, length]: readonly [number, number]) => line.slice(start, start + length);
  while (true) {
    const next = await lines.next();
    if (next.done) break;
    lineNo++;
    const line = next.value;
    if (line.trim() === '') continue;
    if (trailerSeen) {
      yield { ok: false, lineNo, policyNumber: null, message: 'a record follows the trailer record' };
      continue;
    }
    if (line.startsWith(layout.trailerType)) {
      trailerSeen = true;
      const count = slice(line, layout.trailer.count).trim();
      const sum = parseMoney(slice(line, layout.trailer.total), layout.money);
      if (!/^\d+$/.test(count) || sum === undefined) {
        yield { ok: false, lineNo, policyNumber: null, message: 'the trailer record is not a count and a total' };
      } else if (Number(count) !== details || sum !== total) {
        yield {
          ok: false,
          lineNo,
          policyNumber: null,
          message: `the trailer says ${Number(count)} detail records totalling ${sum} cents; the file has ${details} totalling ${total} cents`,
        };
      }
      continue;
    }
    details++;
    if (!line.startsWith(layout.detailType)) {
      yield { ok: false, lineNo, policyNumber: null, message: `unknown record type (detail records start with ${layout.detailType})` };
      continue;
    }
    const amount = parseMoney(slice(line, layout.fields.amount), layout.money);
    if (amount !== undefined) total += amount;
    yield readFields(
      layout,
      lineNo,
      (field) => slice(line, layout.fields[field]),
      (field) => `${field} (columns ${layout.fields[field][0] + 1}-${layout.fields[field][0] + layout.fields[field][1]})`,
    );
  }
  if (!trailerSeen) yield { ok: false, lineNo: lineNo + 1, policyNumber: null, message: 'the file ends without its trailer record' };
}

const POLICY_NUMBER = /^[A-Za-z0-9][A-Za-z0-9-]{0,29}$/;

/** One record's fields as a statement line, or the list of what is wrong with it (column names, never values). */
function readFields(
  layout: StatementLayout,
  lineNo: number,
  value: (field: StatementField) => string | undefined,
  column: (field: StatementField) => string,
): ParsedStatementLine {
  const text = (field: StatementField) => (value(field) ?? '').trim();
  const problems: string[] = [];
  const policy = text('policyNumber');
  const policyNumber = POLICY_NUMBER.test(policy) ? policy : null;
  if (!policyNumber) problems.push(`${column('policyNumber')} is not a policy number`);
  const lastName = text('lastName');
  if (lastName === '' || lastName.length > 80) problems.push(`${column('lastName')} is empty or too long`);
  const transaction = parseTransaction(text('transaction'), layout.transactions);
  if (!transaction) problems.push(`${column('transaction')} is not one of ${Object.keys(layout.transactions).join(', ')}`);
  const premiumCents = parseMoney(text('premium'), layout.money);
  if (premiumCents === undefined) problems.push(`${column('premium')} is not an amount (${layout.money})`);
  const rateBasisPoints = parseRate(text('rate'), layout.rate);
  if (rateBasisPoints === undefined) problems.push(`${column('rate')} is not a rate (${layout.rate})`);
  const amountCents = parseMoney(text('amount'), layout.money);
  if (amountCents === undefined) problems.push(`${column('amount')} is not an amount (${layout.money})`);
  const period = parsePeriod(text('period'), layout.period);
  if (!period) problems.push(`${column('period')} is not a period (${layout.period})`);
  if (problems.length > 0) return { ok: false, lineNo, policyNumber, message: problems.join('; ') };
  return {
    ok: true,
    lineNo,
    policyNumber: policyNumber!,
    lastName,
    transaction: transaction!,
    premiumCents: premiumCents!,
    rateBasisPoints: rateBasisPoints!,
    amountCents: amountCents!,
    period: period!,
  };
}

const lowerCodes = new WeakMap<object, Map<string, StatementTransaction>>();

export function parseTransaction(text: string, codes: Readonly<Record<string, StatementTransaction>>): StatementTransaction | undefined {
  let map = lowerCodes.get(codes);
  if (!map) {
    map = new Map(Object.entries(codes).map(([code, transaction]) => [code.toLowerCase(), transaction]));
    lowerCodes.set(codes, map);
  }
  return map.get(text.trim().toLowerCase());
}

/** Largest amount accepted: a trillion dollars, well inside exact integers. */
const MAX_CENTS = 100_000_000_000_000;
const DOLLARS = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/;

/** Money in a layout's format as integer cents (no binary floats), or undefined when it is not one. */
export function parseMoney(raw: string, format: MoneyFormat): number | undefined {
  let text = raw.trim();
  let negative = false;
  if (format === 'CENTS' || format === 'CENTS_TRAILING_SIGN') {
    if (format === 'CENTS_TRAILING_SIGN') {
      const sign = text.at(-1);
      if (sign !== '+' && sign !== '-') return undefined;
      negative = sign === '-';
      text = text.slice(0, -1);
    } else if (text.startsWith('-')) {
      negative = true;
      text = text.slice(1);
    }
    if (!/^\d{1,16}$/.test(text)) return undefined;
    const cents = Number(text);
    return cents > MAX_CENTS ? undefined : negative && cents !== 0 ? -cents : cents;
  }
  if (format === 'DOLLARS_PARENS' && text.startsWith('(') && text.endsWith(')')) {
    negative = true;
    text = text.slice(1, -1).trim();
  } else if (format === 'DOLLARS_TRAILING_SIGN' && (text.endsWith('-') || text.endsWith('+'))) {
    negative = text.endsWith('-');
    text = text.slice(0, -1).trim();
  }
  if (!negative && text.startsWith('-')) {
    negative = true;
    text = text.slice(1);
  }
  if (text.startsWith('$')) text = text.slice(1);
  const match = DOLLARS.exec(text);
  if (!match) return undefined;
  const whole = match[1].replaceAll(',', '');
  if (whole.length > 12) return undefined;
  const cents = Number(whole) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return negative && cents !== 0 ? -cents : cents;
}

/** A rate in a layout's format as basis points of premium (85% = 8500), or undefined. */
export function parseRate(raw: string, format: RateFormat): number | undefined {
  const text = raw.trim();
  if (format === 'BASIS_POINTS') return /^\d{1,6}$/.test(text) ? Number(text) : undefined;
  if (format === 'PERCENT') {
    const match = /^(\d{1,4})(?:\.(\d{1,2}))?\s*%?$/.exec(text);
    return match ? Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) : undefined;
  }
  const match = /^(\d{1,2})?(?:\.(\d{1,4}))?$/.exec(text);
  if (!match || (match[1] === undefined && match[2] === undefined)) return undefined;
  return Number(match[1] ?? 0) * 10_000 + Number((match[2] ?? '').padEnd(4, '0'));
}

/** A period in a layout's format as YYYY-MM (a payment date's month), or undefined. */
export function parsePeriod(raw: string, format: PeriodFormat): string | undefined {
  const text = raw.trim();
  let year: string;
  let month: string;
  let day: string | undefined;
  let match: RegExpExecArray | null;
  switch (format) {
    case 'YYYY-MM':
      match = /^(\d{4})-(\d{2})$/.exec(text);
      if (!match) return undefined;
      [, year, month] = match;
      break;
    case 'MM/YYYY':
      match = /^(\d{1,2})\/(\d{4})$/.exec(text);
      if (!match) return undefined;
      [, month, year] = match;
      break;
    case 'YYYYMM':
      match = /^(\d{4})(\d{2})$/.exec(text);
      if (!match) return undefined;
      [, year, month] = match;
      break;
    case 'YYYY-MM-DD':
      match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
      if (!match) return undefined;
      [, year, month, day] = match;
      break;
    case 'MM/DD/YYYY':
      match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
      if (!match) return undefined;
      [, month, day, year] = match;
      break;
  }
  const y = Number(year);
  const m = Number(month);
  if (y < 1900 || y > 2999 || m < 1 || m > 12) return undefined;
  if (day !== undefined) {
    const d = Number(day);
    const date = new Date(Date.UTC(y, m - 1, d));
    if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  }
  return `${year}-${String(m).padStart(2, '0')}`;
}
