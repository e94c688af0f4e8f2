/**
 * The statement parser, layout by layout: every carrier's layout reads back what its writer wrote
 * (CSV in each carrier's own headers and formats, and the fixed-width one), hand-written files in
 * each family, the bad inputs of the issue (an unknown layout, bad numbers), and streaming (one byte
 * at a time, a quoted field across lines, a BOM and CRLF).
 */
import { STATEMENT_LAYOUTS, type StatementLayout } from '../layouts';
import { openStatement, type ParsedStatementLine, parseMoney, parsePeriod, parseRate, splitCsvRecord } from '../statement-parser';
import { type StatementLineInput, statementText } from '../statement-writer';

async function* chunks(text: string, size = 7) {
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function readAll(carrierId: string, text: string, size?: number): Promise<{ layout: StatementLayout; lines: ParsedStatementLine[] }> {
  const { layout, lines } = await openStatement(carrierId, chunks(text, size));
  const out: ParsedStatementLine[] = [];
  for await (const line of lines) out.push(line);
  return { layout, lines: out };
}

const SAMPLE: StatementLineInput[] = [
  {
    policyNumber: 'SUM-000123',
    lastName: "O'Brien-Smith",
    transaction: 'FIRST_YEAR',
    premiumCents: 240_000,
    rateBasisPoints: 12_000,
    amountCents: 288_000,
    period: '2026-11',
  },
  {
    policyNumber: 'SUM-000124',
    lastName: 'Nguyen, Jr',
    transaction: 'RENEWAL',
    premiumCents: 123_456,
    rateBasisPoints: 500,
    amountCents: 6_173,
    period: '2026-12',
  },
  {
    policyNumber: 'SUM-000125',
    lastName: 'Lee',
    transaction: 'CHARGEBACK',
    premiumCents: 100_000,
    rateBasisPoints: 12_000,
    amountCents: -120_000,
    period: '2027-01',
  },
  {
    policyNumber: 'SUM-000126',
    lastName: 'Ruiz',
    transaction: 'ADJUSTMENT',
    premiumCents: 0,
    rateBasisPoints: 0,
    amountCents: 1_234_567_89,
    period: '2027-02',
  },
];

describe('every carrier layout reads back what its carrier writes', () => {
  it.each(Object.entries(STATEMENT_LAYOUTS))('%s', async (carrierId, layouts) => {
    for (const layout of layouts) {
      const { layout: recognised, lines } = await readAll(carrierId, statementText(layout, carrierId, SAMPLE));
      expect(recognised.code).toBe(layout.code);
      expect(lines).toEqual(SAMPLE.map((line, i) => ({ ok: true, lineNo: i + 2, ...line })));
    }
  });

  it('gives each ACORD and REST carrier a layout of its own (headers or formats)', () => {
    const csvShapes = Object.values(STATEMENT_LAYOUTS)
      .flat()
      .filter((layout) => layout.kind === 'CSV')
      .map((layout) =>
        JSON.stringify(layout.kind === 'CSV' && [layout.headers, layout.delimiter, layout.money, layout.rate, layout.period]),
      );
    expect(new Set(csvShapes).size).toBe(csvShapes.length);
  });
});

describe('hand-written files', () => {
  it('reads a Summit CSV with quotes, thousands separators, a BOM and CRLF', async () => {
    const text =
      '\ufeffPolicy Number,Insured Last Name,Transaction Type,Premium,Commission Rate,Commission Amount,Statement Period\r\n' +
      'SUM-1,"Doe, ""Jr""",FY,"2,400.00",120,"$2,880.00",2026-11\r\n' +
      '\r\n' +
      'SUM-2,Roe,CB,100.00,120.00,-120.00,2026-11\r\n';
    const { lines } = await readAll('car_summit', text, 1);
    expect(lines).toEqual([
      {
        ok: true,
        lineNo: 2,
        policyNumber: 'SUM-1',
        lastName: 'Doe, "Jr"',
        transaction: 'FIRST_YEAR',
        premiumCents: 240_000,
        rateBasisPoints: 12_000,
        amountCents: 288_000,
        period: '2026-11',
      },
      {
        ok: true,
        lineNo: 4,
        policyNumber: 'SUM-2',
        lastName: 'Roe',
        transaction: 'CHARGEBACK',
        premiumCents: 10_000,
        rateBasisPoints: 12_000,
        amountCents: -12_000,
        period: '2026-11',
      },
    ]);
  });

  it('reads Harborlight negatives in parentheses and MM/YYYY periods; a quoted field may hold a line break', async () => {
    const text =
      'Period,Policy No,Insured,Txn,Modal Premium,Rate %,Comm Amt,Writing Agent\n' +
      '11/2026,HL-9,Smith,CB,"1,000.00",85,"(850.00)","Agent\nTwo"\n' +
      '12/2026,HL-10,Jones,REN,50.00,5,2.50,A\n';
    const { layout, lines } = await readAll('car_harborlight', text);
    expect(layout.code).toBe('HARBORLIGHT_CSV');
    expect(lines.map((line) => line.ok && [line.lineNo, line.amountCents, line.period, line.transaction])).toEqual([
      [2, -85_000, '2026-11', 'CHARGEBACK'],
      [4, 250, '2026-12', 'RENEWAL'],
    ]);
  });

  it('reads a Cedar Crest export (semicolons, cents, basis points)', async () => {
    const text =
      'policy_number;insured_surname;txn;premium_cents;rate_bps;commission_cents;period\nCC-1;Ng;first_year;240000;12000;288000;2026-10\n';
    const { lines } = await readAll('car_cedar_crest', text);
    expect(lines[0]).toMatchObject({
      ok: true,
      premiumCents: 240_000,
      rateBasisPoints: 12_000,
      amountCents: 288_000,
      transaction: 'FIRST_YEAR',
    });
  });

  it('reads the fixed-width layout and checks its trailer', async () => {
    const detail = (policy: string, name: string, code: string, premium: string, rate: string, amount: string, period: string) =>
      `D${policy.padEnd(20)}${name.padEnd(20)}${code}${premium}${rate}${amount}${period}`;
    const text = [
      'HCOMMSTMTTIDEWATER',
      detail('TW-1', 'Hall', 'FY', '00000240000+', '012000', '00000288000+', '202611'),
      detail('TW-2', 'Park', 'CB', '00000100000+', '012000', '00000120000-', '202611'),
      'T00000000200000168000+',
      '',
    ].join('\n');
    const { layout, lines } = await readAll('car_tidewater', text);
    expect(layout.code).toBe('FIXED_WIDTH_80');
    expect(lines).toEqual([
      {
        ok: true,
        lineNo: 2,
        policyNumber: 'TW-1',
        lastName: 'Hall',
        transaction: 'FIRST_YEAR',
        premiumCents: 240_000,
        rateBasisPoints: 12_000,
        amountCents: 288_000,
        period: '2026-11',
      },
      {
        ok: true,
        lineNo: 3,
        policyNumber: 'TW-2',
        lastName: 'Park',
        transaction: 'CHARGEBACK',
        premiumCents: 100_000,
        rateBasisPoints: 12_000,
        amountCents: -120_000,
        period: '2026-11',
      },
    ]);
    const wrongTrailer = text.replace('T00000000200000168000+', 'T00000000300000168000+');
    const bad = await readAll('car_tidewater', wrongTrailer);
    expect(bad.lines.at(-1)).toMatchObject({ ok: false, lineNo: 4, message: expect.stringContaining('trailer says 3 detail records') });
    const noTrailer = await readAll('car_tidewater', text.replace('T00000000200000168000+', ''));
    expect(noTrailer.lines.at(-1)).toMatchObject({ ok: false, message: 'the file ends without its trailer record' });
  });
});

describe('bad input', () => {
  const SUMMIT_HEADER = 'Policy Number,Insured Last Name,Transaction Type,Premium,Commission Rate,Commission Amount,Statement Period';

  it('refuses an unknown layout with a coded error that never echoes the first line', async () => {
    const attempt = openStatement('car_summit', chunks('Smith,SUM-1,FY,100.00\n'));
    await expect(attempt).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', reason: 'UNKNOWN_STATEMENT_LAYOUT' } });
    await expect(openStatement('car_summit', chunks('Smith,SUM-1,FY,100.00\n'))).rejects.not.toThrow(/Smith/);
  });

  it("names the carrier whose layout the header is, when it is another carrier's", async () => {
    const cedar = 'policy_number;insured_surname;txn;premium_cents;rate_bps;commission_cents;period\n';
    await expect(openStatement('car_summit', chunks(cedar))).rejects.toThrow(/car_cedar_crest's layout, not car_summit's/);
  });

  it('refuses an empty file and a carrier without a layout', async () => {
    await expect(openStatement('car_summit', chunks('\n\n'))).rejects.toThrow('the statement file is empty');
    await expect(openStatement('car_gen013', chunks(SUMMIT_HEADER))).rejects.toThrow(
      'no statement layout is agreed with carrier car_gen013',
    );
  });

  it('lists bad numbers, codes, periods and field counts per line, naming columns but not values', async () => {
    const text = [
      SUMMIT_HEADER,
      'SUM-1,Doe,FY,24OO.00,120,2880.00,2026-11',
      'SUM-2,Doe,XX,2400.00,abc,2880.00,2026-13',
      'SUM-3,Doe,FY,2400.00,120',
      ',Doe,FY,2400.00,120,2880.123,2026-11',
      'SUM-5,Doe,FY,2400.00,120,2880.00,2026-11',
    ].join('\n');
    const { lines } = await readAll('car_summit', text);
    expect(lines.map((line) => (line.ok ? 'ok' : line.message))).toEqual([
      'Premium is not an amount (DOLLARS)',
      'Transaction Type is not one of FY, RN, REN, CB, ADJ; Commission Rate is not a rate (PERCENT); Statement Period is not a period (YYYY-MM)',
      'the line has 5 fields, the header 7',
      'Policy Number is not a policy number; Commission Amount is not an amount (DOLLARS)',
      'ok',
    ]);
    expect(lines.some((line) => !line.ok && line.message.includes('Doe'))).toBe(false);
  });

  it('reports an unclosed quote at the end of the file', async () => {
    const { lines } = await readAll('car_summit', `${SUMMIT_HEADER}\nSUM-1,"Doe,FY,1.00,1,1.00,2026-11\n`);
    expect(lines).toEqual([
      { ok: false, lineNo: 2, policyNumber: null, message: 'a quoted field is not closed before the end of the file' },
    ]);
  });

  it('refuses a line longer than the limit rather than holding it', async () => {
    const { lines } = await openStatement('car_summit', chunks(`${SUMMIT_HEADER}\n${'x'.repeat(70_000)}`, 4096));
    await expect(
      (async () => {
        for await (const _ of lines);
      })(),
    ).rejects.toMatchObject({ extensions: { reason: 'STATEMENT_LINE_TOO_LONG' } });
  });
});

describe('field formats', () => {
  it('reads money in every format, exactly', () => {
    expect(parseMoney('1,234,567.89', 'DOLLARS')).toBe(123_456_789);
    expect(parseMoney('$0.1', 'DOLLARS')).toBe(10);
    expect(parseMoney('(12.00)', 'DOLLARS_PARENS')).toBe(-1200);
    expect(parseMoney('12.00-', 'DOLLARS_TRAILING_SIGN')).toBe(-1200);
    expect(parseMoney('00000001200-', 'CENTS_TRAILING_SIGN')).toBe(-1200);
    expect(parseMoney('-1200', 'CENTS')).toBe(-1200);
    for (const bad of ['', '1.234', '1,23.00', '12e3', 'NaN', '--1', '(12.00)'])
      expect(parseMoney(bad, bad === '(12.00)' ? 'DOLLARS' : 'DOLLARS')).toBeUndefined();
    expect(parseMoney('0000001200', 'CENTS_TRAILING_SIGN')).toBeUndefined();
    expect(parseMoney('12.5', 'CENTS')).toBeUndefined();
  });

  it('reads rates and periods', () => {
    expect(parseRate('85', 'PERCENT')).toBe(8500);
    expect(parseRate('85.25%', 'PERCENT')).toBe(8525);
    expect(parseRate('1.2', 'DECIMAL')).toBe(12_000);
    expect(parseRate('.0525', 'DECIMAL')).toBe(525);
    expect(parseRate('12000', 'BASIS_POINTS')).toBe(12_000);
    expect(parseRate('85.123', 'PERCENT')).toBeUndefined();
    expect(parsePeriod('02/29/2028', 'MM/DD/YYYY')).toBe('2028-02');
    expect(parsePeriod('02/30/2028', 'MM/DD/YYYY')).toBeUndefined();
    expect(parsePeriod('1/2027', 'MM/YYYY')).toBe('2027-01');
    expect(parsePeriod('202613', 'YYYYMM')).toBeUndefined();
  });

  it('splits CSV records (RFC 4180), and says when a record continues on the next line', () => {
    expect(splitCsvRecord('a,"b,c","d""e",', ',')).toEqual(['a', 'b,c', 'd"e', '']);
    expect(splitCsvRecord('a|b', '|')).toEqual(['a', 'b']);
    expect(splitCsvRecord('a,"b', ',')).toBeUndefined();
  });
});
