/**
 * bench:cases, commissions: commissionStatement over the book's commission ledger. The ledger is
 * added once in bulk (generate_series-free: one INSERT ... SELECT per role): every placed case of the
 * book booked as the commission job would book it with the case's agent at 100% (a writing line at
 * 80%, an override to the agent's upline at 20% when it has one, the BGA's 20% share), in the period
 * of its placement, and the cases marked booked. Then it times the statement of the busiest
 * (party, period) of the ledger and of a writing agent, as ADMIN over HTTP.
 */
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import { DEV_IDENTITY_SECRET } from '../platform/config';
import { signIdentity } from '../platform/identity';
import { machineLine, ms, type Timing, table, timeSequential, writeResultsSection } from './bench-support';

/** Books the placed cases once (lines computed_at 2000-01-01 mark the bench's own); returns the line count. */
export async function seedCommissionLedger(pool: pg.Pool): Promise<{ lines: number; seconds: number }> {
  const started = Date.now();
  const done = (await pool.query(`SELECT 1 FROM cases.commission WHERE computed_at = '2000-01-01T00:00:00Z' LIMIT 1`)).rowCount;
  if (!done) {
    const roles = [
      // WRITING: the case's agent at L80.
      `SELECT c.id, c.carrier_id, c.agent_id, 'WRITING', c.agent_id, 8000, 'L80' FROM cases."case" c`,
      // OVERRIDE: the agent's upline, the difference up to L100.
      `SELECT c.id, c.carrier_id, a.upline_id, 'OVERRIDE', c.agent_id, 2000, 'L100' FROM cases."case" c JOIN agents.agent a ON a.id = c.agent_id AND a.upline_id IS NOT NULL`,
      // BGA: its L120 over the top.
      `SELECT c.id, c.carrier_id, 'BGA', 'BGA', c.agent_id, 2000, 'L120' FROM cases."case" c`,
    ];
    for (const select of roles)
      await pool.query(
        `INSERT INTO cases.commission (case_id, carrier_id, party_id, role, writing_agent_id, transaction, policy_year, premium_cents,
           split_basis_points, rate_basis_points, amount_cents, period, level_code, computed_at)
         SELECT s.id, s.carrier_id, s.party, s.role, s.writer, 'FIRST_YEAR', 1, c.annual_premium_cents, 10000, s.rate,
                round(c.annual_premium_cents * s.rate / 10000.0), to_char(c.placed_at AT TIME ZONE 'UTC', 'YYYY-MM'), s.level, '2000-01-01T00:00:00Z'
           FROM (${select} WHERE c.status = 'PLACED' AND c.placed_at IS NOT NULL) AS s (id, carrier_id, party, role, writer, rate, level)
           JOIN cases."case" c ON c.id = s.id
         ON CONFLICT DO NOTHING`,
      );
    await pool.query(`UPDATE cases."case" SET commission_booked_at = placed_at WHERE status = 'PLACED' AND placed_at IS NOT NULL`);
    await pool.query('ANALYZE cases.commission');
  }
  const [{ n }] = (await pool.query(`SELECT count(*)::int AS n FROM cases.commission`)).rows;
  return { lines: n, seconds: Math.round((Date.now() - started) / 1000) };
}

export interface StatementBench {
  baseline: Timing;
  busiest: Timing & { lines: number };
  writer: Timing & { lines: number };
}

const STATEMENT = `query($a: ID!, $p: String!) { commissionStatement(agentId: $a, period: $p) {
  total writingTotal overrideTotal unpaidTotal lines { id caseNumber role transaction premium splitPercent ratePercent amount period payoutBatchId } } }`;

/** Times commissionStatement as ADMIN on the subgraph's URL: the busiest (party, period), and a writing agent's busiest period. */
export async function benchCommissionStatement(pool: pg.Pool, subgraphUrl: string, iterations: number): Promise<StatementBench> {
  const pick = async (role: string) =>
    (
      await pool.query<{ party: string; period: string; lines: number }>(
        `SELECT party_id AS party, period, count(*)::int AS lines FROM cases.commission WHERE party_id <> 'BGA' AND role = $1
          GROUP BY party_id, period ORDER BY count(*) DESC, party_id LIMIT 1`,
        [role],
      )
    ).rows[0]!;
  const post = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(subgraphUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signIdentity({ sub: 'bench', role: 'ADMIN' }, DEV_IDENTITY_SECRET) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
  };
  const ask = (agentId: string, period: string) => post(STATEMENT, { a: agentId, p: period });
  const busiest = await pick('OVERRIDE');
  const writer = await pick('WRITING');
  return {
    // The floor of this machine at this moment: the same subgraph, the same HTTP path, no work.
    baseline: await timeSequential(iterations, () => post('{ __typename }'), 5),
    busiest: { ...(await timeSequential(iterations, () => ask(busiest.party, busiest.period), 5)), lines: busiest.lines },
    writer: { ...(await timeSequential(iterations, () => ask(writer.party, writer.period), 5)), lines: writer.lines },
  };
}

export const commissionStatementRows = (run: StatementBench): string[][] => [
  ['`{ __typename }` on the same subgraph (the floor, same run)', ms(run.baseline.p50), ms(run.baseline.p99), ''],
  [`commissionStatement, busiest upline period (${run.busiest.lines} lines)`, ms(run.busiest.p50), ms(run.busiest.p99), '≤ 20 ms'],
  [`commissionStatement, busiest writing agent period (${run.writer.lines} lines)`, ms(run.writer.p50), ms(run.writer.p99), '≤ 20 ms'],
];

/** The section of bench/RESULTS.md: seeds the ledger on the bench database, times, writes and prints. */
export async function commissionsSection(url: string, subgraphUrl: string, iterations: number): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const ledger = await seedCommissionLedger(pool);
  const run = await benchCommissionStatement(pool, subgraphUrl, iterations);
  const [{ n: cases }] = (await pool.query('SELECT count(*)::int AS n FROM cases."case"')).rows;
  await pool.end();
  const body = `Command: \`DATABASE_URL=postgres://… npm run bench:cases\` (BENCH_ONLY=commissions runs this part alone; ${cases} cases, ${ledger.lines} commission lines: every placed case booked with a writing line, its agent's upline's override and the BGA's share; ${iterations} iterations each after 5 unmeasured, cases subgraph over HTTP on loopback as ADMIN, PostgreSQL 15 local).
${machineLine()}

${table(['measure', 'p50', 'p99', 'target'], commissionStatementRows(run))}

Load average (1 min) on the machine's ${cpus().length} CPUs after the run: ${loadavg()[0].toFixed(2)}.`;
  writeResultsSection('Commission statements on PostgreSQL (bench:cases)', body);
  console.log(body);
}
