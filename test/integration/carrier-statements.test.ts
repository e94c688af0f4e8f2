/**
 * Carrier commission statements end to end: a statement booked and reconciled against the expected
 * commissions (MATCHED, MISMATCHED with expected vs received, UNMATCHED, DUPLICATE, INVALID), the
 * SQL statements of a file of N lines (constant per batch of 1,000), a second upload of the same bytes
 * booking nothing, an unknown layout booking nothing, the watched folder (processed, failed, already
 * booked), what was received by carrier and period, and through the gateway the upload mutation (ADMIN
 * only) and the exception list for staff. Cases and their commission rows are written with SQL, as the
 * placement and the commission worker leave them; every policy number is this run's own.
 */
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { DEV_IDENTITY_SECRET } from '../../platform/config';
import { signIdentity } from '../../platform/identity';
import { createLogger } from '../../platform/logger';
import { newStats } from '../../platform/stats';
import { Db } from '../../subgraphs/shared/db';
import { STATEMENT_LAYOUTS } from '../../subgraphs/cases/statements/layouts';
import { receivedByCarrierPeriod } from '../../subgraphs/cases/statements/statement.repository';
import { bookStatement } from '../../subgraphs/cases/statements/statement.service';
import { StatementFolderWorker } from '../../subgraphs/cases/statements/statement-folder.worker';
import { type StatementLineInput, statementText } from '../../subgraphs/cases/statements/statement-writer';
import { codes, graphql } from '../support/graphql';
import { type Stack, startStack } from '../support/stack';
import { testPool } from '../support/test-pool';

const RUN = Date.now().toString(36).toUpperCase();
// A period of this run's own (the received-by-period figures are read back exactly).
const PERIOD = `2${String(Date.now() % 1000).padStart(3, '0')}-0${1 + (Date.now() % 9)}`;
let stack: Stack;
let pool: pg.Pool;
let admin: string;
let staff: string;
const SUMMIT = STATEMENT_LAYOUTS.car_summit[0];
const TIDEWATER = STATEMENT_LAYOUTS.car_tidewater[0];
const logger = createLogger('test', 'silent');

let caseCounter = 0;
/** A placed case with a policy number, and its first-year commission rows as the worked example of docs/domain.md has them (2,880.00 in all). */
async function placedCase(
  carrierId: string,
  lastName: string,
  rows: [role: string, party: string, cents: number][],
): Promise<{ id: string; policy: string }> {
  const n = ++caseCounter;
  const id = `case_st${RUN.toLowerCase()}_${n}`;
  const policy = `P${RUN}-${n}`;
  await pool.query(
    `INSERT INTO cases."case" (id, case_number, agent_id, carrier_id, product_id, product_type, insured_first_name, insured_last_name, insured_birth_date,
       insured_gender, insured_state, insured_tobacco, face_amount, term_years, applied_health_class, payment_mode, annual_premium_cents, modal_premium_cents,
       status, submitted_at, placed_at, created_by, policy_number)
     VALUES ($1, $2, 'agt_st', $3, 'prd_summit_level_term', 'TERM', 'T', $4, '1980-01-01', 'MALE', 'TX', false, 500000, 20, 'PREFERRED', 'ANNUAL', 240000, 240000,
       'PLACED', '2026-01-02T10:00:00.000Z', '2026-02-02T10:00:00.000Z', 'user:test', $5)`,
    [id, `ST-${RUN}-${n}`, carrierId, lastName, policy],
  );
  for (const [i, [role, party, cents]] of rows.entries())
    await pool.query(
      `INSERT INTO cases.commission (case_id, carrier_id, party_id, role, writing_agent_id, transaction, premium_cents, split_basis_points, rate_basis_points, amount_cents, period, computed_at)
       VALUES ($1, $2, $3, $4, $5, $6, 240000, 10000, 100, $7, $8, now())`,
      [id, carrierId, party, role, `agt_w${i}`, cents < 0 ? 'CHARGEBACK' : 'FIRST_YEAR', cents, PERIOD],
    );
  return { id, policy };
}

const WORKED_EXAMPLE: [string, string, number][] = [
  ['WRITING', 'agt_a', 122_400],
  ['WRITING', 'agt_b', 81_600],
  ['OVERRIDE', 'agt_agency', 21_600],
  ['OVERRIDE', 'agt_agency', 14_400],
  ['BGA', 'BGA', 28_800],
  ['BGA', 'BGA', 19_200],
];
const line = (
  policyNumber: string,
  lastName: string,
  amountCents: number,
  extra: Partial<StatementLineInput> = {},
): StatementLineInput => ({
  policyNumber,
  lastName,
  transaction: 'FIRST_YEAR',
  premiumCents: 240_000,
  rateBasisPoints: 12_000,
  amountCents,
  period: PERIOD,
  ...extra,
});
async function* chunks(text: string) {
  yield Buffer.from(text);
}
const lineCount = async (fileId: string) =>
  Number((await pool.query('SELECT count(*) AS n FROM cases.statement_line WHERE file_id = $1', [fileId])).rows[0].n);

beforeAll(async () => {
  stack = await startStack({ env: { OUTBOX_POLL_MS: '0', SYNC_INTERVAL_MS: '0', FOLLOW_UP_INTERVAL_MS: '0' } });
  pool = testPool(2);
  admin = await stack.token('ADMIN');
  staff = await stack.token('STAFF');
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await stack?.stop();
});

describe('booking and reconciling a statement', () => {
  it('books every line once and lists unmatched, mismatched, duplicate and unreadable lines', async () => {
    const matched = await placedCase('car_summit', 'Alvarez', WORKED_EXAMPLE);
    const mismatched = await placedCase('car_summit', 'Baker', WORKED_EXAMPLE);
    const misnamed = await placedCase('car_summit', 'Chen', WORKED_EXAMPLE);
    const notTaken = await placedCase('car_summit', 'Diaz', [
      ['WRITING', 'agt_a', -204_000],
      ['OVERRIDE', 'agt_agency', -36_000],
      ['BGA', 'BGA', -48_000],
    ]);
    const text =
      statementText(SUMMIT, 'car_summit', [
        line(matched.policy, 'ALVAREZ', 288_000),
        line(mismatched.policy, 'Baker', 280_000),
        line(misnamed.policy, 'Someone', 288_001),
        line(notTaken.policy, 'Diaz', -288_000, { transaction: 'CHARGEBACK' }),
        line(`X${RUN}-404`, 'Nobody', 10_000),
        line(matched.policy, 'ALVAREZ', 288_000),
      ]) + `${matched.policy},Alvarez,FY,2400.00,120,28.80.00,${PERIOD}\r\n`;
    const db = new Db(pool, newStats());
    const { statement, alreadyBooked } = await bookStatement(db, {
      carrierId: 'car_summit',
      fileName: '../inbox/summit-2026-11.csv',
      source: 'UPLOAD',
      bookedBy: 'user:test',
      open: () => chunks(text),
    });
    expect(alreadyBooked).toBe(false);
    expect(statement).toMatchObject({
      fileName: 'summit-2026-11.csv',
      layout: 'SUMMIT_CSV_V2',
      lineCount: 7,
      matchedCount: 3,
      mismatchedCount: 1,
      unmatchedCount: 1,
      duplicateCount: 1,
      invalidCount: 1,
      receivedCents: 288_000 + 280_000 + 288_001 - 288_000 + 10_000,
    });
    const lines = (
      await pool.query(
        'SELECT line_no, case_id, status, expected_cents::int AS expected, insured_name_matches FROM cases.statement_line WHERE file_id = $1 ORDER BY line_no',
        [statement.id],
      )
    ).rows;
    expect(lines).toEqual([
      { line_no: 2, case_id: matched.id, status: 'MATCHED', expected: 288_000, insured_name_matches: true },
      { line_no: 3, case_id: mismatched.id, status: 'MISMATCHED', expected: 288_000, insured_name_matches: true },
      { line_no: 4, case_id: misnamed.id, status: 'MATCHED', expected: 288_000, insured_name_matches: false },
      { line_no: 5, case_id: notTaken.id, status: 'MATCHED', expected: -288_000, insured_name_matches: true },
      { line_no: 6, case_id: null, status: 'UNMATCHED', expected: null, insured_name_matches: null },
    ]);
    const exceptions = (
      await pool.query(
        'SELECT line_no, kind, expected_cents::int AS expected, received_cents::int AS received FROM cases.statement_exception WHERE file_id = $1 ORDER BY line_no',
        [statement.id],
      )
    ).rows;
    expect(exceptions).toEqual([
      { line_no: 3, kind: 'MISMATCHED', expected: 288_000, received: 280_000 },
      { line_no: 6, kind: 'UNMATCHED', expected: null, received: 10_000 },
      { line_no: 7, kind: 'DUPLICATE', expected: null, received: 288_000 },
      { line_no: 8, kind: 'INVALID', expected: null, received: null },
    ]);
    // The insured's name is stored nowhere.
    const stored = JSON.stringify((await pool.query('SELECT * FROM cases.statement_exception WHERE file_id = $1', [statement.id])).rows);
    expect(stored).not.toMatch(/Alvarez|ALVAREZ|Nobody|Someone/);

    // The same bytes again: nothing booked, the first statement answered.
    const again = await bookStatement(new Db(pool), {
      carrierId: 'car_summit',
      fileName: 'copy.csv',
      source: 'UPLOAD',
      bookedBy: 'user:test',
      open: () => chunks(text),
    });
    expect(again.alreadyBooked).toBe(true);
    expect(again.statement.id).toBe(statement.id);
    expect(await lineCount(statement.id)).toBe(5);

    // Another file repeating a booked line: DUPLICATE, not booked twice.
    const later = await bookStatement(new Db(pool), {
      carrierId: 'car_summit',
      fileName: 'later.csv',
      source: 'UPLOAD',
      bookedBy: 'user:test',
      open: () =>
        chunks(
          statementText(SUMMIT, 'car_summit', [
            line(matched.policy, 'Alvarez', 288_000),
            line(matched.policy, 'Alvarez', 500, { transaction: 'ADJUSTMENT' }),
          ]),
        ),
    });
    expect(later.statement).toMatchObject({ lineCount: 2, duplicateCount: 1, mismatchedCount: 1, matchedCount: 0 });
    const unexpected = await pool.query(
      'SELECT kind, expected_cents, message FROM cases.statement_exception WHERE file_id = $1 AND kind = $2',
      [later.statement.id, 'MISMATCHED'],
    );
    expect(unexpected.rows).toEqual([
      { kind: 'MISMATCHED', expected_cents: null, message: 'no commission of this transaction is expected for the policy' },
    ]);

    // What was received by carrier and period: the booked lines of both files.
    const received = await receivedByCarrierPeriod(new Db(pool), { carrierIds: ['car_summit'], fromPeriod: PERIOD, toPeriod: PERIOD });
    expect(received).toEqual([
      {
        carrierId: 'car_summit',
        period: PERIOD,
        receivedCents: 288_000 + 280_000 + 288_001 - 288_000 + 10_000 + 500,
        matchedCents: 288_000 + 280_000 + 288_001 - 288_000 + 500,
        lines: 6,
      },
    ]);
  });

  it('refuses an unknown layout with a coded error, booking nothing', async () => {
    const before = Number((await pool.query('SELECT count(*) AS n FROM cases.statement_file')).rows[0].n);
    const text = statementText(STATEMENT_LAYOUTS.car_cedar_crest[0], 'car_cedar_crest', [line(`P${RUN}-1`, 'Alvarez', 1)]);
    await expect(
      bookStatement(new Db(pool), {
        carrierId: 'car_summit',
        fileName: 'x.csv',
        source: 'UPLOAD',
        bookedBy: 'user:test',
        open: () => chunks(text),
      }),
    ).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', reason: 'UNKNOWN_STATEMENT_LAYOUT' } });
    expect(Number((await pool.query('SELECT count(*) AS n FROM cases.statement_file')).rows[0].n)).toBe(before);
  });

  // On PGlite every connection shares one session: two transactions at once need PostgreSQL.
  (process.env.BGA_TEST_TEMPLATE_DATABASE ? it : it.skip)('books the same bytes once when two uploads race', async () => {
    const text = statementText(SUMMIT, 'car_summit', [line(`R${RUN}-1`, 'Nobody', 1), line(`R${RUN}-2`, 'Nobody', 2)]);
    const upload = () =>
      bookStatement(new Db(pool), {
        carrierId: 'car_summit',
        fileName: 'race.csv',
        source: 'UPLOAD',
        bookedBy: 'user:test',
        open: () => chunks(text),
      });
    const [a, b] = await Promise.all([upload(), upload()]);
    expect([a.alreadyBooked, b.alreadyBooked].sort()).toEqual([false, true]);
    expect(a.statement.id).toBe(b.statement.id);
    expect(await lineCount(a.statement.id)).toBe(2);
  });

  it.each([
    [10, 6],
    [1_000, 6],
    [2_500, 8],
  ])('books a file of %i lines in %i SQL statements (one per batch of 1,000)', async (n, expected) => {
    const lines = Array.from({ length: n }, (_, i) => line(`N${RUN}-${n}-${i}`, 'Nobody', 100 + i));
    const stats = newStats();
    const { statement } = await bookStatement(new Db(pool, stats), {
      carrierId: 'car_summit',
      fileName: `n${n}.csv`,
      source: 'UPLOAD',
      bookedBy: 'user:test',
      open: () => chunks(statementText(SUMMIT, 'car_summit', lines)),
    });
    expect(statement.unmatchedCount).toBe(n);
    // By hash, BEGIN, the file, one per batch, its totals, COMMIT.
    expect(stats.sql).toBe(expected);
  });
});

describe('the watched folder', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'statements-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('books what is dropped in a carrier folder, moves it to processed or failed, and books the same bytes once', async () => {
    const covered = await placedCase('car_tidewater', 'Hall', WORKED_EXAMPLE);
    const fixed = statementText(TIDEWATER, 'car_tidewater', [line(covered.policy, 'Hall', 288_000)]);
    await mkdir(join(dir, 'car_tidewater'), { recursive: true });
    await mkdir(join(dir, 'car_summit'), { recursive: true });
    await writeFile(join(dir, 'car_tidewater', 'tw-2026-11.dat'), fixed);
    await writeFile(join(dir, 'car_tidewater', 'copy-of-tw-2026-11.dat'), fixed);
    await writeFile(join(dir, 'car_tidewater', 'still-uploading.part'), fixed);
    await writeFile(join(dir, 'car_summit', 'garbage.csv'), 'not,a,statement\n');
    const worker = new StatementFolderWorker({ pool, logger, dir, intervalMs: 60_000, settleMs: 0 });
    expect(await worker.runOnce()).toBe(3);
    expect(await worker.runOnce()).toBe(0);
    expect(await readdir(join(dir, 'car_tidewater'))).toEqual(['still-uploading.part']);
    expect((await readdir(join(dir, 'processed', 'car_tidewater'))).map((name) => name.replace(/^\d{8}T\d{9}Z-/, '')).sort()).toEqual([
      'copy-of-tw-2026-11.dat',
      'tw-2026-11.dat',
    ]);
    const failed = await readdir(join(dir, 'failed', 'car_summit'));
    expect(failed).toHaveLength(2);
    const reason = await readFile(join(dir, 'failed', 'car_summit', failed.find((name) => name.endsWith('.error.txt'))!), 'utf8');
    expect(reason).toMatch(/^UNKNOWN_STATEMENT_LAYOUT: /);
    const booked = (
      await pool.query(
        `SELECT f.source, f.layout, l.status FROM cases.statement_line l JOIN cases.statement_file f ON f.id = l.file_id WHERE l.case_id = $1`,
        [covered.id],
      )
    ).rows;
    expect(booked).toEqual([{ source: 'WATCHED_FOLDER', layout: 'FIXED_WIDTH_80', status: 'MATCHED' }]);
  });

  it('takes back a claim that outlived its lease', async () => {
    await mkdir(join(dir, '.working', 'car_summit'), { recursive: true });
    const stale = join(dir, '.working', 'car_summit', 'stale.csv');
    await writeFile(stale, statementText(SUMMIT, 'car_summit', [line(`L${RUN}-1`, 'Nobody', 1)]));
    const { utimes } = await import('node:fs/promises');
    await utimes(stale, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    const worker = new StatementFolderWorker({ pool, logger, dir, intervalMs: 60_000, settleMs: 0, leaseMs: 60_000 });
    expect(await worker.runOnce()).toBe(1);
    expect((await readdir(join(dir, 'processed', 'car_summit'))).some((name) => name.endsWith('stale.csv'))).toBe(true);
  });
});

describe('through the gateway', () => {
  const UPLOAD = `mutation($input: UploadCarrierCommissionStatementInput!) {
    uploadCarrierCommissionStatement(input: $input) {
      alreadyBooked
      statement { id carrier { id name } layout source lineCount matchedCount mismatchedCount unmatchedCount receivedAmount
        lines(first: 2) { edges { node { lineNumber policyNumber caseId case { id status } transaction amount expectedAmount status } } pageInfo { hasNextPage endCursor } }
        exceptions { edges { node { lineNumber kind expectedAmount receivedAmount } } } }
    } }`;

  it('lets an admin upload a statement, books it once, and lists its exceptions for staff', async () => {
    const a = await placedCase('car_harborlight', 'Evans', WORKED_EXAMPLE);
    const b = await placedCase('car_harborlight', 'Ford', WORKED_EXAMPLE);
    const layout = STATEMENT_LAYOUTS.car_harborlight[0];
    const text = statementText(layout, 'car_harborlight', [
      line(a.policy, 'Evans', 288_000),
      line(b.policy, 'Ford', 290_000),
      line(`X${RUN}-9`, 'Gray', 100),
    ]);
    const input = { carrierId: 'car_harborlight', fileName: 'harborlight.csv', content: Buffer.from(text).toString('base64') };

    const forbidden = await graphql(stack.url, UPLOAD, { input }, { token: staff });
    expect(codes(forbidden)).toEqual(['FORBIDDEN']);

    const first = await graphql(stack.url, UPLOAD, { input }, { token: admin });
    expect(first.errors).toBeUndefined();
    const upload = first.data!.uploadCarrierCommissionStatement;
    expect(upload).toMatchObject({
      alreadyBooked: false,
      statement: {
        carrier: { id: 'car_harborlight', name: expect.any(String) },
        layout: 'HARBORLIGHT_CSV',
        source: 'UPLOAD',
        lineCount: 3,
        matchedCount: 1,
        mismatchedCount: 1,
        unmatchedCount: 1,
        receivedAmount: '5781.00',
      },
    });
    expect(upload.statement.lines.edges.map((edge: any) => edge.node)).toEqual([
      {
        lineNumber: 2,
        policyNumber: a.policy,
        caseId: a.id,
        case: { id: a.id, status: 'PLACED' },
        transaction: 'FIRST_YEAR',
        amount: '2880.00',
        expectedAmount: '2880.00',
        status: 'MATCHED',
      },
      {
        lineNumber: 3,
        policyNumber: b.policy,
        caseId: b.id,
        case: { id: b.id, status: 'PLACED' },
        transaction: 'FIRST_YEAR',
        amount: '2900.00',
        expectedAmount: '2880.00',
        status: 'MISMATCHED',
      },
    ]);
    expect(upload.statement.lines.pageInfo.hasNextPage).toBe(true);
    expect(upload.statement.exceptions.edges.map((edge: any) => edge.node)).toEqual([
      { lineNumber: 3, kind: 'MISMATCHED', expectedAmount: '2880.00', receivedAmount: '2900.00' },
      { lineNumber: 4, kind: 'UNMATCHED', expectedAmount: null, receivedAmount: '1.00' },
    ]);

    // Uploaded again: nothing booked, the first statement answered.
    const second = await graphql(stack.url, UPLOAD, { input: { ...input, fileName: 'again.csv' } }, { token: admin });
    expect(second.data!.uploadCarrierCommissionStatement).toMatchObject({
      alreadyBooked: true,
      statement: { id: upload.statement.id, lineCount: 3 },
    });
    expect(await lineCount(upload.statement.id)).toBe(3);

    const EXCEPTIONS = `query($id: ID, $kinds: [CarrierStatementExceptionKind!]) { carrierStatementExceptions(statementId: $id, kinds: $kinds, first: 10) {
      edges { node { statementId carrier { id } lineNumber kind policyNumber transaction expectedAmount receivedAmount message } } } }`;
    const listed = await graphql(stack.url, EXCEPTIONS, { id: upload.statement.id, kinds: ['UNMATCHED'] }, { token: staff });
    expect(listed.data!.carrierStatementExceptions.edges.map((edge: any) => edge.node)).toEqual([
      {
        statementId: upload.statement.id,
        carrier: { id: 'car_harborlight' },
        lineNumber: 4,
        kind: 'UNMATCHED',
        policyNumber: `X${RUN}-9`,
        transaction: 'FIRST_YEAR',
        expectedAmount: null,
        receivedAmount: '1.00',
        message: 'no policy of this carrier has this number',
      },
    ]);
    const list = await graphql(
      stack.url,
      '{ carrierCommissionStatements(carrierId: "car_harborlight", first: 1) { edges { node { id fileName } } } }',
      {},
      { token: staff },
    );
    expect(list.data!.carrierCommissionStatements.edges).toEqual([{ node: { id: upload.statement.id, fileName: 'harborlight.csv' } }]);
    const agent = await stack.agentToken('agt_st');
    expect(codes(await graphql(stack.url, EXCEPTIONS, { id: upload.statement.id }, { token: agent }))).toEqual(['FORBIDDEN']);
  });

  it('answers an unknown layout with BAD_USER_INPUT and its reason, and counts the statements of an upload', async () => {
    const bad = await graphql(
      stack.url,
      UPLOAD,
      { input: { carrierId: 'car_summit', fileName: 'x.csv', content: 'bm9wZQo=' } },
      { token: admin },
    );
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'UNKNOWN_STATEMENT_LAYOUT' });
    const lines = Array.from({ length: 1_500 }, (_, i) => line(`G${RUN}-${i}`, 'Nobody', 100 + i));
    const direct = await graphql(
      stack.subgraphs.cases.url,
      'mutation($input: UploadCarrierCommissionStatementInput!) { uploadCarrierCommissionStatement(input: $input) { statement { unmatchedCount } } }',
      { input: { carrierId: 'car_summit', fileName: 'big.csv', content: statementText(SUMMIT, 'car_summit', lines), encoding: 'TEXT' } },
      { headers: signIdentity({ sub: 'user:test-admin', role: 'ADMIN' }, DEV_IDENTITY_SECRET) },
    );
    expect(direct.errors).toBeUndefined();
    expect(direct.data!.uploadCarrierCommissionStatement.statement.unmatchedCount).toBe(1_500);
    expect(direct.extensions!.stats.sql).toBe(7);
  });
});
