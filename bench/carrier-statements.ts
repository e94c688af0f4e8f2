/**
 * BENCH_ONLY=statements (bench:cases): a carrier's 100,000-line commission statement booked and
 * reconciled on PostgreSQL, streamed from a file the way the watched folder reads it. A database of
 * its own (bga_bench_statements; BENCH_STATEMENTS_DATABASE names another) holds 100,000 placed
 * Summit cases with policy numbers and their expected first-year commission rows (writing agent,
 * agency override, BGA: 300,000 rows), seeded once; each run clears the statements booked before,
 * writes the file line by line (mostly matching lines, some mismatched, unmatched, duplicate and
 * unreadable ones), books it, and reports the time, the SQL statements and the memory (RSS and heap
 * before, after and at peak, sampled every 50 ms). BENCH_STATEMENT_LINES sets the size.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import pg from 'pg';
import { newStats } from '../platform/stats';
import { casesMigrations } from '../subgraphs/cases/cases.migrations';
import { STATEMENT_LAYOUTS } from '../subgraphs/cases/statements/layouts';
import { bookStatement } from '../subgraphs/cases/statements/statement.service';
import { headerLine, lineRecord, type StatementLineInput } from '../subgraphs/cases/statements/statement-writer';
import { Db } from '../subgraphs/shared/db';
import { migrate } from '../subgraphs/shared/migrate';
import { machineLine, table, writeResultsSection } from './bench-support';

const LINES = Number(process.env.BENCH_STATEMENT_LINES ?? 100_000);
const DATABASE = process.env.BENCH_STATEMENTS_DATABASE ?? 'bga_bench_statements';
if (!/^[a-z_][a-z0-9_]*$/.test(DATABASE)) throw new Error('BENCH_STATEMENTS_DATABASE must be a plain lower-case database name');
const CARRIER = 'car_summit';
const PERIOD = '2026-11';
const LAST_NAMES = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez'];

/** Case i's first-year premium, in cents (the seed and the file agree on it). */
const premiumOf = (i: number) => 120_000 + (i % 4_000) * 25;
const policyOf = (i: number) => `BS${String(i).padStart(7, '0')}`;

async function database(adminUrl: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE])).rowCount;
  if (!exists) await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${DATABASE}`;
  return url.toString();
}

/** 100,000 placed cases (or LINES) with their commission rows: writing 85%, agency override 15%, BGA 20% (the carrier pays 120%). */
async function seed(pool: pg.Pool): Promise<number> {
  await migrate(pool, 'cases', casesMigrations);
  const [{ n, k }] = (
    await pool.query(
      `SELECT (SELECT count(*)::int FROM cases."case" WHERE id LIKE 'case_bs%') AS n, (SELECT count(*)::int FROM cases.commission WHERE case_id LIKE 'case_bs%') AS k`,
    )
  ).rows;
  if (n >= LINES && k >= 3 * LINES) return 0;
  const started = Date.now();
  await pool.query(
    `INSERT INTO cases."case" (id, case_number, agent_id, carrier_id, product_id, product_type, insured_first_name, insured_last_name, insured_birth_date,
       insured_gender, insured_state, insured_tobacco, face_amount, term_years, applied_health_class, payment_mode, annual_premium_cents, modal_premium_cents,
       status, submitted_at, placed_at, created_by, policy_number)
     SELECT 'case_bs' || i, 'BS-' || i, 'agt_bench_' || (i % 1000), $1, 'prd_summit_level_term', 'TERM', 'Pat', ($2::text[])[1 + i % 10], '1980-01-01',
       'FEMALE', 'TX', false, 500000, 20, 'PREFERRED', 'ANNUAL', 120000 + (i % 4000) * 25, 120000 + (i % 4000) * 25,
       'PLACED', '2026-09-01T10:00:00.000Z', '2026-10-01T10:00:00.000Z', 'bench', 'BS' || lpad(i::text, 7, '0')
     FROM generate_series(0, $3::int) AS i ON CONFLICT DO NOTHING`,
    [CARRIER, LAST_NAMES, LINES - 1],
  );
  await pool.query(
    `INSERT INTO cases.commission (case_id, carrier_id, party_id, role, writing_agent_id, transaction, premium_cents, split_basis_points, rate_basis_points, amount_cents, period, computed_at)
     SELECT 'case_bs' || i, $1, party, role, 'agt_bench_' || (i % 1000), 'FIRST_YEAR', p, 10000, rate, round(p * rate / 10000.0), $2, now()
     FROM generate_series(0, $3::int) AS i CROSS JOIN LATERAL (SELECT 120000 + (i % 4000) * 25 AS p) premium CROSS JOIN LATERAL
       (VALUES ('agt_bench_' || (i % 1000), 'WRITING', 8500), ('agt_bench_agency', 'OVERRIDE', 1500), ('BGA', 'BGA', 2000)) AS parties(party, role, rate)
     ON CONFLICT DO NOTHING`,
    [CARRIER, PERIOD, LINES - 1],
  );
  await pool.query('VACUUM ANALYZE cases."case", cases.commission');
  return Math.round((Date.now() - started) / 1000);
}

/** Case i's line as the carrier pays it: the three expected rows' sum (the carrier pays the BGA's 120%). */
function lineFor(i: number): StatementLineInput {
  const premium = premiumOf(i);
  const expected = [8500, 1500, 2000].reduce((sum, rate) => sum + Math.round((premium * rate) / 10_000), 0);
  return {
    policyNumber: policyOf(i),
    lastName: LAST_NAMES[i % 10],
    transaction: 'FIRST_YEAR',
    premiumCents: premium,
    rateBasisPoints: 12_000,
    amountCents: expected,
    period: PERIOD,
  };
}

/** The file's lines: 97% as expected, 1% short by $10 (MISMATCHED), 1% unknown policies, 0.5% repeated, 0.5% unreadable. */
function* lines(count: number): Generator<StatementLineInput | string> {
  for (let i = 0; i < count; i++) {
    const line = lineFor(i);
    if (i % 100 === 1) yield { ...line, policyNumber: `XX${String(i).padStart(7, '0')}` };
    else if (i % 100 === 2) yield { ...line, amountCents: line.amountCents - 1_000 };
    else if (i % 200 === 3) yield `${line.policyNumber},${line.lastName},FY,12O0.00,120,1440.00,${PERIOD}`;
    else if (i % 200 === 5) yield lineFor(i - 1);
    else yield line;
  }
}

async function writeStatement(path: string, count: number): Promise<number> {
  const layout = STATEMENT_LAYOUTS[CARRIER][0];
  const out = createWriteStream(path);
  out.write(`${headerLine(layout, CARRIER)}\r\n`);
  // Unreadable lines are written raw, in their place.
  for (const line of lines(count))
    if (!out.write(`${typeof line === 'string' ? line : lineRecord(layout, line)}\r\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  return (await stat(path)).size;
}

v8.setFlagsFromString('--expose-gc');
/** A full garbage collection (gc exposed at run time: bench:cases runs without --expose-gc). */
const collect: () => void = runInNewContext('gc');

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** Clears earlier statements, writes a file of `count` lines and books it, sampling memory every 50 ms. */
async function bookFile(pool: pg.Pool, dir: string, count: number, liveHeap = false) {
  await pool.query('TRUNCATE cases.statement_exception, cases.statement_line, cases.statement_file');
  const path = join(dir, `summit-2026-11-${count}.csv`);
  const bytes = await writeStatement(path, count);
  collect();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    if (!liveHeap) peakHeap = Math.max(peakHeap, now.heapUsed);
  }, 50);
  const stats = newStats();
  if (liveHeap) {
    // What is held, not garbage not yet collected: a full collection and a reading every 20 SQL
    // statements (about 10 batches of 1,000 lines), at the same points of the file whatever its size.
    let sql = 0;
    Object.defineProperty(stats, 'sql', {
      get: () => sql,
      set: (value: number) => {
        sql = value;
        if (sql % 20 === 0) {
          collect();
          peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
        }
      },
    });
  }
  const started = performance.now();
  const { statement } = await bookStatement(new Db(pool, stats), {
    carrierId: CARRIER,
    fileName: 'summit-2026-11.csv',
    source: 'WATCHED_FOLDER',
    bookedBy: 'bench',
    open: () => createReadStream(path, { highWaterMark: 64 * 1024 }),
  });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const after = process.memoryUsage();
  peakRss = Math.max(peakRss, after.rss);
  peakHeap = Math.max(peakHeap, after.heapUsed);
  return { path, bytes, before, after, peakRss, peakHeap, stats, seconds, statement };
}

export async function benchCarrierStatements(adminUrl: string): Promise<void> {
  const url = await database(adminUrl);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const seeded = await seed(pool);
  console.log(
    seeded ? `statements: seeded ${LINES} placed cases and their commissions in ${seeded} s` : `statements: using ${LINES} seeded cases`,
  );
  const dir = await mkdtemp(join(tmpdir(), 'bench-statement-'));
  // Memory first: a tenth of the file, then all of it, with full collections (is what is held growing with the file?); then the timed run, left alone.
  const small = await bookFile(pool, dir, Math.max(1, Math.floor(LINES / 10)), true);
  const large = await bookFile(pool, dir, LINES, true);
  const { path, bytes, before, after, peakRss, peakHeap, stats, seconds, statement } = await bookFile(pool, dir, LINES);
  const againStarted = performance.now();
  const again = await bookStatement(new Db(pool), {
    carrierId: CARRIER,
    fileName: 'copy.csv',
    source: 'WATCHED_FOLDER',
    bookedBy: 'bench',
    open: () => createReadStream(path),
  });
  const againMs = performance.now() - againStarted;
  const [{ booked }] = (await pool.query('SELECT count(*)::int AS booked FROM cases.statement_line')).rows;
  await pool.end();
  await rm(dir, { recursive: true, force: true });

  const body = `Command: \`DATABASE_URL=postgres://… BENCH_ONLY=statements npm run bench:cases\` (${new Date().toISOString().slice(0, 10)}; database ${DATABASE} of its own: ${LINES} placed ${CARRIER} cases with 3 expected first-year commission rows each; the statement written line by line in Summit's CSV layout, ${mib(bytes)}, and booked from the file as the watched folder does: sha-256 pass, then parsed as a stream, batches of 1,000 lines, one transaction; PostgreSQL 15 local, fsync off).
${machineLine()}

${table(
  ['measure', 'value', 'target'],
  [
    [
      `${statement.lineCount} lines booked and reconciled`,
      `${seconds.toFixed(1)} s (${Math.round(statement.lineCount / seconds)} lines/s)`,
      '≤ 60 s',
    ],
    ['SQL statements for the file', String(stats.sql), `${5 + Math.ceil(LINES / 1000)} + one per batch holding unreadable lines`],
    ['RSS before → after (peak)', `${mib(before.rss)} → ${mib(after.rss)} (${mib(peakRss)})`, 'bounded: not the file'],
    ['heap used before → after (peak, garbage included)', `${mib(before.heapUsed)} → ${mib(after.heapUsed)} (${mib(peakHeap)})`, ''],
    [
      `live heap (full GC every 20 statements), peak over before: ${small.statement.lineCount} lines (${mib(small.bytes)}) vs ${large.statement.lineCount} lines (${mib(large.bytes)})`,
      `+${mib(small.peakHeap - small.before.heapUsed)} vs +${mib(large.peakHeap - large.before.heapUsed)} (RSS +${mib(small.peakRss - small.before.rss)} vs +${mib(large.peakRss - large.before.rss)})`,
      'not 10× (streamed)',
    ],
    [
      'the same file again',
      `alreadyBooked ${again.alreadyBooked}, ${againMs.toFixed(0)} ms, lines booked ${booked} (unchanged)`,
      'books nothing',
    ],
  ],
)}

Outcome: ${statement.matchedCount} MATCHED, ${statement.mismatchedCount} MISMATCHED, ${statement.unmatchedCount} UNMATCHED, ${statement.duplicateCount} DUPLICATE, ${statement.invalidCount} INVALID; received ${(statement.receivedCents / 100).toFixed(2)}.`;
  if (LINES === 100_000) writeResultsSection('Carrier commission statements: a 100,000-line file on PostgreSQL (bench:cases)', body);
  console.log(body);
  if (seconds > 60) throw new Error(`statements: booking took ${seconds.toFixed(1)} s (target ≤ 60 s)`);
}
