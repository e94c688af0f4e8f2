/**
 * Metrics v2 on the cases subgraph (with the agents subgraph answering scopes), over real HTTP
 * against this file's own database: caseMetricsSeries, caseFunnel, caseMetrics.cycleTimes and
 * placementOfSubmitted, agentProduction with the downline rolled up, each checked against a
 * hand-built cohort of nine cases; scope with an agent's identity; the limits; and the CSV exports,
 * streamed in keyset batches with backpressure.
 */
import 'reflect-metadata';
import http from 'node:http';
import { Writable } from 'node:stream';
import type pg from 'pg';
import { agentsSubgraph } from '../../subgraphs/agents/agents.subgraph';
import { casesSubgraph } from '../../subgraphs/cases/cases.subgraph';
import { DEV_IDENTITY_SECRET, readCommonConfig } from '../../platform/config';
import { signIdentity, type Identity } from '../../platform/identity';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/shared/subgraph-server';
import { CASES_CSV_HEADER, caseExportRoute } from '../../subgraphs/cases/case-export.route';
import type { AgentsPort } from '../../subgraphs/cases/ports/agents.port';
import { createLogger } from '../../platform/logger';
import { until } from '../support/wait';
import { codes, graphql } from '../support/graphql';
import { testPool } from '../support/test-pool';

const RUN = Date.now().toString(36);
const HEAD = `agt_mv${RUN}h`; // an agency: A1 under it, A2 under A1
const A1 = `agt_mv${RUN}a1`;
const A2 = `agt_mv${RUN}a2`;
const B = `agt_mv${RUN}b`; // another branch
const BIG = `agt_mv${RUN}big`; // the large export's agent
const CAR_S = `car_mv${RUN}s`;
const CAR_B = `car_mv${RUN}b`;
const STAFF: Identity = { sub: 'user:test-staff', role: 'STAFF' };
const AS_A1: Identity = { sub: `agent:${A1}`, role: 'AGENT', agentId: A1 };
const ALL = { agentIds: [HEAD, A1, A2, B] };

let agents: RunningSubgraph;
let cases: RunningSubgraph;
let pool: pg.Pool;
const ask = (query: string, variables: Record<string, unknown> = {}, identity: Identity = STAFF) =>
  graphql(cases.url, query, variables, { headers: signIdentity(identity, DEV_IDENTITY_SECRET) });

const day = (d: string, plus = 0) => new Date(Date.parse(`${d}T00:00:00.000Z`) + plus * 86_400_000).toISOString();
let counter = 0;
async function insertCase(
  agentId: string,
  carrierId: string,
  productType: string,
  status: string,
  submitted: string,
  premiumCents: number,
  days: { approved?: number; issued?: number; placed?: number; closed?: number } = {},
) {
  const at = (plus?: number) => (plus === undefined ? null : day(submitted, plus));
  await pool.query(
    `INSERT INTO cases."case" (id, case_number, agent_id, carrier_id, product_id, product_type, insured_first_name, insured_last_name, insured_birth_date,
       insured_gender, insured_state, insured_tobacco, face_amount, term_years, applied_health_class, payment_mode, annual_premium_cents, modal_premium_cents,
       status, submitted_at, approved_at, issued_at, placed_at, closed_at, created_by)
     VALUES ($1, $2, $3, $4, 'prd_summit_term', $5, 'Test', 'Insured', '1980-01-01', 'MALE', 'TX', false, 500000, 20, 'PREFERRED', 'ANNUAL', $6, $6,
       $7, $8, $9, $10, $11, $12, 'user:test')`,
    [
      `case_mv${RUN}_${++counter}`,
      `MV-${RUN}-${counter}`,
      agentId,
      carrierId,
      productType,
      premiumCents,
      status,
      day(submitted),
      at(days.approved),
      at(days.issued),
      at(days.placed),
      at(days.closed ?? days.placed),
    ],
  );
}

beforeAll(async () => {
  const common = readCommonConfig({ ...process.env, DEBUG_STATS: 'true', LOG_LEVEL: 'silent' });
  agents = await startSubgraph(agentsSubgraph, common, 0);
  cases = await startSubgraph(casesSubgraph, common, 0, '127.0.0.1', {
    env: {
      ...process.env,
      AGENTS_SUBGRAPH_URL: agents.url,
      EXPORT_MAX_ROWS: '5',
      EXPORT_BATCH_ROWS: '500',
      OUTBOX_POLL_MS: '0',
      SYNC_INTERVAL_MS: '0',
      FOLLOW_UP_INTERVAL_MS: '0',
      COMMISSION_INTERVAL_MS: '0',
    },
  });
  pool = testPool(2);
  let n = 0;
  for (const [id, upline] of [
    [HEAD, null],
    [A1, HEAD],
    [A2, A1],
    [B, null],
    [BIG, null],
  ] as const) {
    await pool.query(
      `INSERT INTO agents.agent (id, npn, first_name, last_name, email, resident_state, status, upline_id) VALUES ($1, $2, 'Test', 'Agent', $3, 'TX', 'ACTIVE', $4)`,
      [id, `8${Date.now().toString().slice(-8)}${n++}`, `${id}@example.com`, upline],
    );
  }
  // The cohort, by hand (days after submission in braces).
  await insertCase(A1, CAR_S, 'TERM', 'PLACED', '2025-01-06', 1000_00, { approved: 10, issued: 20, placed: 30 }); // 1
  await insertCase(A1, CAR_S, 'TERM', 'PLACED', '2025-01-15', 2000_00, { approved: 20, issued: 40, placed: 50 }); // 2
  await insertCase(A2, CAR_B, 'WHOLE_LIFE', 'PLACED', '2025-02-03', 3000_00, { approved: 30, issued: 40, placed: 70 }); // 3
  await insertCase(A2, CAR_B, 'TERM', 'NOT_TAKEN', '2025-02-10', 500_00, { approved: 10, issued: 20, closed: 60 }); // 4
  await insertCase(HEAD, CAR_S, 'TERM', 'DECLINED', '2025-03-03', 400_00, { closed: 20 }); // 5
  await insertCase(B, CAR_S, 'TERM', 'WITHDRAWN', '2025-03-20', 300_00, { closed: 5 }); // 6
  await insertCase(B, CAR_B, 'TERM', 'IN_UNDERWRITING', '2025-04-01', 200_00); // 7
  await insertCase(B, CAR_S, 'TERM', 'APPROVED', '2025-04-02', 100_00, { approved: 10 }); // 8
  await insertCase(HEAD, CAR_S, 'TERM', 'PLACED', '2025-04-07', 800_00, { approved: 5, issued: 10, placed: 15 }); // 9
});

afterAll(async () => {
  await cases?.stop();
  await agents?.stop();
  await pool?.end();
});

const SERIES = `query($interval: MetricsInterval!, $basis: MetricsBasis!, $from: Date!, $to: Date!, $filter: CaseFilter, $groupBy: [MetricsGrouping!]) {
  caseMetricsSeries(interval: $interval, basis: $basis, from: $from, to: $to, filter: $filter, groupBy: $groupBy) {
    periods { start end group submitted approved issued placed declined notTaken submittedPremium placedPremium placementRatio placementOfSubmitted } } }`;
const zero = {
  group: [],
  submitted: 0,
  approved: 0,
  issued: 0,
  placed: 0,
  declined: 0,
  notTaken: 0,
  submittedPremium: '0.00',
  placedPremium: '0.00',
  placementRatio: null,
  placementOfSubmitted: null,
};

describe('caseMetricsSeries', () => {
  it('counts each month by submission date, empty months included', async () => {
    const response = await ask(SERIES, { interval: 'MONTH', basis: 'SUBMITTED', from: '2025-01-01', to: '2025-05-31', filter: ALL });
    expect(response.errors).toBeUndefined();
    expect(response.data!.caseMetricsSeries.periods).toEqual([
      {
        ...zero,
        start: '2025-01-01',
        end: '2025-01-31',
        submitted: 2,
        approved: 2,
        issued: 2,
        placed: 2,
        submittedPremium: '3000.00',
        placedPremium: '3000.00',
        placementRatio: 1,
        placementOfSubmitted: 1,
      },
      {
        ...zero,
        start: '2025-02-01',
        end: '2025-02-28',
        submitted: 2,
        approved: 2,
        issued: 2,
        placed: 1,
        notTaken: 1,
        submittedPremium: '3500.00',
        placedPremium: '3000.00',
        placementRatio: 0.5,
        placementOfSubmitted: 0.5,
      },
      {
        ...zero,
        start: '2025-03-01',
        end: '2025-03-31',
        submitted: 2,
        declined: 1,
        submittedPremium: '700.00',
        placementRatio: 0,
        placementOfSubmitted: 0,
      },
      // Case 7 is open and case 8 approved but open: placed / closed = 1 / 1, placed / submitted = 1 / 3.
      {
        ...zero,
        start: '2025-04-01',
        end: '2025-04-30',
        submitted: 3,
        approved: 2,
        issued: 1,
        placed: 1,
        submittedPremium: '1100.00',
        placedPremium: '800.00',
        placementRatio: 1,
        placementOfSubmitted: 1 / 3,
      },
      { ...zero, start: '2025-05-01', end: '2025-05-31' },
    ]);
  });

  it('counts by the placement date with basis PLACED', async () => {
    const response = await ask(SERIES, { interval: 'MONTH', basis: 'PLACED', from: '2025-01-01', to: '2025-04-30', filter: ALL });
    // Placed on 2025-02-05 (1), 2025-03-06 (2), 2025-04-14 (3) and 2025-04-22 (9).
    expect(
      response.data!.caseMetricsSeries.periods.map((p: { start: string; placed: number; placedPremium: string }) => [
        p.start,
        p.placed,
        p.placedPremium,
      ]),
    ).toEqual([
      ['2025-01-01', 0, '0.00'],
      ['2025-02-01', 1, '1000.00'],
      ['2025-03-01', 1, '2000.00'],
      ['2025-04-01', 2, '3800.00'],
    ]);
  });

  it('uses ISO weeks, the first one starting before from', async () => {
    const response = await ask(SERIES, { interval: 'WEEK', basis: 'SUBMITTED', from: '2025-01-01', to: '2025-01-31', filter: ALL });
    expect(
      response.data!.caseMetricsSeries.periods.map((p: { start: string; end: string; submitted: number }) => [p.start, p.end, p.submitted]),
    ).toEqual([
      ['2024-12-30', '2025-01-05', 0],
      ['2025-01-06', '2025-01-12', 1],
      ['2025-01-13', '2025-01-19', 1],
      ['2025-01-20', '2025-01-26', 0],
      ['2025-01-27', '2025-02-02', 0],
    ]);
  });

  it('splits quarters by two groupings at once (carrier × product type)', async () => {
    const response = await ask(SERIES, {
      interval: 'QUARTER',
      basis: 'SUBMITTED',
      from: '2025-01-01',
      to: '2025-06-30',
      filter: ALL,
      groupBy: ['CARRIER', 'PRODUCT_TYPE'],
    });
    expect(response.errors).toBeUndefined();
    expect(
      response.data!.caseMetricsSeries.periods.map(
        (p: { start: string; end: string; group: string[]; submitted: number; placed: number }) => [
          p.start,
          p.end,
          p.group,
          p.submitted,
          p.placed,
        ],
      ),
    ).toEqual([
      ['2025-01-01', '2025-03-31', [CAR_B, 'TERM'], 1, 0],
      ['2025-01-01', '2025-03-31', [CAR_B, 'WHOLE_LIFE'], 1, 1],
      ['2025-01-01', '2025-03-31', [CAR_S, 'TERM'], 4, 2],
      ['2025-04-01', '2025-06-30', [CAR_B, 'TERM'], 1, 0],
      ['2025-04-01', '2025-06-30', [CAR_S, 'TERM'], 2, 1],
    ]);
  });

  it('refuses more than 10 years of weeks, more than 2 groupings, and from after to, naming the limit', async () => {
    const week = await ask(SERIES, { interval: 'WEEK', basis: 'SUBMITTED', from: '2015-01-01', to: '2025-01-01' });
    expect(codes(week)).toEqual(['BAD_USER_INPUT']);
    expect(week.errors![0].message).toContain('at most 10 years');
    // Ten years less a day is allowed.
    expect(
      (await ask(SERIES, { interval: 'WEEK', basis: 'SUBMITTED', from: '2015-01-01', to: '2024-12-31', filter: ALL })).errors,
    ).toBeUndefined();
    const three = await ask(SERIES, {
      interval: 'MONTH',
      basis: 'SUBMITTED',
      from: '2025-01-01',
      to: '2025-02-01',
      groupBy: ['CARRIER', 'AGENT', 'PRODUCT_TYPE'],
    });
    expect(codes(three)).toEqual(['BAD_USER_INPUT']);
    expect(three.errors![0].message).toContain('at most 2 groupings');
    const backwards = await ask(SERIES, { interval: 'MONTH', basis: 'SUBMITTED', from: '2025-03-01', to: '2025-02-01' });
    expect(codes(backwards)).toEqual(['BAD_USER_INPUT']);
    expect(codes(await ask(SERIES, { interval: 'MONTH', basis: 'SENT', from: '2025-01-01', to: '2025-02-01' }))).toEqual([
      'BAD_USER_INPUT',
    ]);
  });

  it("shows an agent their own and their downline's cases only, even when they ask for others", async () => {
    const response = await ask(
      SERIES,
      { interval: 'MONTH', basis: 'SUBMITTED', from: '2025-01-01', to: '2025-04-30', filter: ALL, groupBy: ['AGENT'] },
      AS_A1,
    );
    expect(
      response.data!.caseMetricsSeries.periods.map((p: { start: string; group: string[]; submitted: number }) => [
        p.start,
        p.group,
        p.submitted,
      ]),
    ).toEqual([
      ['2025-01-01', [A1], 2],
      ['2025-02-01', [A2], 2],
    ]);
  });

  it('is cached under the generation and scope: a second ask runs no SQL, a case write makes it fresh', async () => {
    const variables = { interval: 'MONTH', basis: 'SUBMITTED', from: '2025-01-01', to: '2025-12-31', filter: { agentIds: [B] } };
    const first = await graphql(cases.url, SERIES, variables, { headers: signIdentity(STAFF, DEV_IDENTITY_SECRET), debugStats: true });
    const second = await graphql(cases.url, SERIES, variables, { headers: signIdentity(STAFF, DEV_IDENTITY_SECRET), debugStats: true });
    expect(second.data).toEqual(first.data);
    expect(second.extensions!.stats).toMatchObject({ sql: 0, cacheHits: 1 });
    // A status move (a case write) bumps the generation: the next answer is computed again.
    await pool.query(`UPDATE cases."case" SET status = 'WITHDRAWN', closed_at = now() WHERE agent_id = $1 AND status = 'IN_UNDERWRITING'`, [
      B,
    ]);
    await cases.cache.incr('metrics:gen');
    const third = await graphql(cases.url, SERIES, variables, { headers: signIdentity(STAFF, DEV_IDENTITY_SECRET), debugStats: true });
    expect(third.extensions!.stats.sql).toBe(1);
    await pool.query(
      `UPDATE cases."case" SET status = 'IN_UNDERWRITING', closed_at = NULL WHERE agent_id = $1 AND status = 'WITHDRAWN' AND submitted_at = $2`,
      [B, day('2025-04-01')],
    );
    await cases.cache.incr('metrics:gen');
  });
});

describe('caseFunnel', () => {
  const FUNNEL = `query($filter: CaseFilter) { caseFunnel(filter: $filter) { submitted approved issued placed open exits { status count } } }`;
  it('follows the cohort from submission to placement, with the exits by status', async () => {
    const response = await ask(FUNNEL, { filter: { ...ALL, submittedFrom: '2025-01-01', submittedTo: '2025-04-30' } });
    expect(response.data!.caseFunnel).toEqual({
      submitted: 9,
      approved: 6, // 1, 2, 3, 4, 8, 9
      issued: 5, // 1, 2, 3, 4, 9
      placed: 4,
      open: 2,
      exits: [
        { status: 'DECLINED', count: 1 },
        { status: 'NOT_TAKEN', count: 1 },
        { status: 'WITHDRAWN', count: 1 },
      ],
    });
  });
  it("is an agent's scope only", async () => {
    expect((await ask(FUNNEL, { filter: ALL }, AS_A1)).data!.caseFunnel).toEqual({
      submitted: 4,
      approved: 4,
      issued: 4,
      placed: 3,
      open: 0,
      exits: [{ status: 'NOT_TAKEN', count: 1 }],
    });
  });
});

describe('caseMetrics v2 figures', () => {
  const METRICS = `query($filter: CaseFilter) { caseMetrics(filter: $filter) { totals { submitted placed placementRatio placementOfSubmitted } cycleTimes { stage cases p50Days p90Days } } }`;
  it('has cycle-time percentiles per stage and placement of submitted beside the placement ratio', async () => {
    const response = await ask(METRICS, { filter: ALL });
    expect(response.errors).toBeUndefined();
    const metrics = response.data!.caseMetrics;
    expect(metrics.totals).toEqual({ submitted: 9, placed: 4, placementRatio: 4 / 7, placementOfSubmitted: 4 / 9 });
    expect(metrics.cycleTimes).toEqual([
      // approval after 5, 10, 10, 10, 20, 30 days: p50 between 10 and 10, p90 at 4.5 of 5 → 25
      { stage: 'APPROVAL', cases: 6, p50Days: 10, p90Days: 25 },
      // issue after 10, 20, 20, 40, 40
      { stage: 'ISSUE', cases: 5, p50Days: 20, p90Days: 40 },
      // placement after 15, 30, 50, 70: p50 40, p90 at 2.7 of 3 → 50 + 0.7 × 20 = 64
      { stage: 'PLACEMENT', cases: 4, p50Days: 40, p90Days: 64 },
    ]);
    const agent = (await ask(METRICS, {}, AS_A1)).data!.caseMetrics;
    expect(agent.cycleTimes[2]).toEqual({ stage: 'PLACEMENT', cases: 3, p50Days: 50, p90Days: 66 }); // 30, 50, 70
  });
});

describe('agentProduction', () => {
  const RANKING = `query($filter: CaseFilter, $first: Int) { agentProduction(filter: $filter, first: $first) { rank agentId agent { id } placedPremium placed ownPlacedPremium ownPlaced } }`;
  it('ranks agents by placed premium with their downline rolled up', async () => {
    const response = await ask(RANKING, { filter: ALL });
    expect(response.errors).toBeUndefined();
    expect(response.data!.agentProduction).toEqual([
      { rank: 1, agentId: HEAD, agent: { id: HEAD }, placedPremium: '6800.00', placed: 4, ownPlacedPremium: '800.00', ownPlaced: 1 },
      { rank: 2, agentId: A1, agent: { id: A1 }, placedPremium: '6000.00', placed: 3, ownPlacedPremium: '3000.00', ownPlaced: 2 },
      { rank: 3, agentId: A2, agent: { id: A2 }, placedPremium: '3000.00', placed: 1, ownPlacedPremium: '3000.00', ownPlaced: 1 },
    ]);
    expect((await ask(RANKING, { filter: ALL, first: 1 })).data!.agentProduction.map((r: { agentId: string }) => r.agentId)).toEqual([
      HEAD,
    ]);
    expect(codes(await ask(RANKING, { first: 101 }))).toEqual(['BAD_USER_INPUT']);
  });
  it("ranks within an agent's scope only", async () => {
    expect(
      (await ask(RANKING, { filter: ALL }, AS_A1)).data!.agentProduction.map((r: { agentId: string; placedPremium: string }) => [
        r.agentId,
        r.placedPremium,
      ]),
    ).toEqual([
      [A1, '6000.00'],
      [A2, '3000.00'],
    ]);
  });
});

/** A GET on the cases subgraph with a signed identity: status, headers, body (optionally read after a pause). */
function get(
  path: string,
  identity: Identity | null = STAFF,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(new URL(path, cases.url), { headers: identity ? signIdentity(identity, DEV_IDENTITY_SECRET) : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    request.on('error', reject);
  });
}
const lines = (body: string) => body.split('\r\n').filter(Boolean);

const BIG_ROWS = 20_000;
let bigInserted = false;
/** BIG_ROWS cases of one agent, one a minute through 2024. */
async function insertBig(): Promise<void> {
  if (bigInserted) return;
  bigInserted = true;
  await pool.query(
    `INSERT INTO cases."case" (id, case_number, agent_id, carrier_id, product_id, product_type, insured_first_name, insured_last_name, insured_birth_date,
       insured_gender, insured_state, insured_tobacco, face_amount, term_years, applied_health_class, payment_mode, annual_premium_cents, modal_premium_cents,
       status, submitted_at, created_by)
     SELECT 'case_mv${RUN}_big' || n, 'MVB-${RUN}-' || n, $1, $2, 'prd_summit_term', 'TERM', 'Test', 'Insured', '1980-01-01', 'MALE', 'TX', false, 500000, 20,
            'PREFERRED', 'ANNUAL', 100000 + n, 100000 + n, 'SUBMITTED', timestamptz '2024-01-01' + n * interval '1 minute', 'user:test'
       FROM generate_series(1, ${BIG_ROWS}) n`,
    [BIG, CAR_S],
  );
}

/**
 * A response whose client takes nothing until release(): every chunk stays buffered, so write()
 * says "wait for drain" once 16 kB are held. Records the most it ever held.
 */
class HeldResponse extends Writable {
  text = '';
  mostHeld = 0;
  statusCode = 0;
  headersSent = false;
  private held: Array<() => void> = [];
  private flowing = false;
  constructor() {
    super({ highWaterMark: 16 * 1024, decodeStrings: false });
  }
  writeHead(status: number): this {
    this.statusCode = status;
    this.headersSent = true;
    return this;
  }
  override _write(chunk: string | Buffer, _encoding: string, callback: () => void): void {
    this.text += chunk.toString();
    if (this.flowing) callback();
    else this.held.push(callback);
  }
  override write(chunk: string): boolean {
    const ok = super.write(chunk);
    this.mostHeld = Math.max(this.mostHeld, this.writableLength);
    return ok;
  }
  release(): void {
    this.flowing = true;
    for (const callback of this.held.splice(0)) callback();
  }
}

describe('CSV exports', () => {
  it('streams the filtered case list with a header, no personal data', async () => {
    const response = await get(`/export/cases.csv?agentIds=${HEAD},${A1},${A2},${B}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    const rows = lines(response.body);
    expect(rows[0]).toBe(CASES_CSV_HEADER.join(','));
    expect(rows).toHaveLength(1 + 9);
    expect(response.body).not.toContain('Insured');
    // In submission order; premiums as money.
    expect(rows[1]).toContain(`,PLACED,${A1},${CAR_S},`);
    expect(rows[1]).toContain(',1000.00,');
  });

  it('gives an agent their scope only, and refuses an unsigned caller', async () => {
    const response = await get('/export/cases.csv', AS_A1);
    expect(response.status).toBe(200);
    const rows = lines(response.body).slice(1);
    expect(rows).toHaveLength(4);
    expect(rows.every((row) => row.includes(`,${A1},`) || row.includes(`,${A2},`))).toBe(true);
    expect((await get('/export/cases.csv', null)).status).toBe(401);
  });

  it('refuses an export over EXPORT_MAX_ROWS without a filter, naming the limit; bad filters are BAD_USER_INPUT', async () => {
    const response = await get('/export/cases.csv');
    expect(response.status).toBe(400);
    const error = JSON.parse(response.body).errors[0];
    expect(error.extensions.code).toBe('LIMIT_EXCEEDED');
    expect(error.message).toContain('limited to 5 rows');
    expect(JSON.parse((await get('/export/cases.csv?statuses=LOST')).body).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(JSON.parse((await get('/export/cases.csv?insuredName=x')).body).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('exports metrics questions: a series with two groupings, the funnel, the ranking, within scope', async () => {
    const series = await get(
      `/export/metrics.csv?query=series&interval=QUARTER&basis=SUBMITTED&from=2025-01-01&to=2025-06-30&groupBy=CARRIER,PRODUCT_TYPE&agentIds=${HEAD},${A1},${A2},${B}`,
    );
    expect(series.status).toBe(200);
    const rows = lines(series.body);
    expect(rows[0]).toBe(
      'start,end,group,submitted,approved,issued,placed,declined,notTaken,submittedPremium,placedPremium,placementRatio,placementOfSubmitted',
    );
    expect(rows).toHaveLength(1 + 5);
    expect(rows[3]).toBe(`2025-01-01,2025-03-31,${CAR_S}|TERM,4,2,2,2,1,0,3700.00,3000.00,0.5,0.5`);
    const funnel = lines((await get(`/export/metrics.csv?query=funnel&agentIds=${HEAD},${A1},${A2},${B}`, AS_A1)).body);
    expect(funnel).toEqual(['stage,count', 'SUBMITTED,4', 'APPROVED,4', 'ISSUED,4', 'PLACED,3', 'OPEN,0', 'NOT_TAKEN,1']);
    const ranking = lines((await get(`/export/metrics.csv?query=production&agentIds=${HEAD},${A1},${A2},${B}`)).body);
    expect(ranking.slice(1)).toEqual([`1,${HEAD},6800.00,4,800.00,1`, `2,${A1},6000.00,3,3000.00,2`, `3,${A2},3000.00,1,3000.00,1`]);
    const tooLong = await get('/export/metrics.csv?query=series&interval=WEEK&basis=SUBMITTED&from=2000-01-01&to=2020-01-01');
    expect(tooLong.status).toBe(400);
    expect(JSON.parse(tooLong.body).errors[0].message).toContain('at most 10 years');
  });

  it('streams a larger export over HTTP, every row once', async () => {
    await insertBig();
    const response = await get(`/export/cases.csv?agentIds=${BIG}`);
    const rows = lines(response.body);
    expect(rows).toHaveLength(1 + BIG_ROWS);
    expect(new Set(rows.map((row) => row.split(',')[0])).size).toBe(1 + BIG_ROWS);
  });

  it('reads the next batch only once the response drained: one batch held at a time, whatever the size', async () => {
    await insertBig();
    const reads = jest.spyOn(cases.pool, 'query');
    const batchCount = () =>
      reads.mock.calls.filter(([sql]) => typeof sql === 'string' && sql.includes('ORDER BY submitted_at, id LIMIT')).length;
    const response = new HeldResponse();
    const route = caseExportRoute({
      pool: cases.pool,
      cache: cases.cache,
      agents: { scope: async () => [] } as unknown as AgentsPort,
      identitySecret: DEV_IDENTITY_SECRET,
      identityMaxSkewMs: 60_000,
      maxRows: 5,
      batchRows: 500,
      logger: createLogger('test', 'silent'),
    });
    const request = {
      method: 'GET',
      url: `/export/cases.csv?agentIds=${BIG}`,
      headers: signIdentity(STAFF, DEV_IDENTITY_SECRET),
    } as unknown as http.IncomingMessage;
    const done = route(request, response as unknown as http.ServerResponse);
    // The client takes nothing: the route wrote the header and one batch, and waits for 'drain'.
    await until('the first batch written', async () => (response.writableLength > 0 && batchCount() === 1 ? true : undefined));
    await new Promise((resolve) => setImmediate(resolve));
    expect(batchCount()).toBe(1);
    response.release();
    await done;
    expect(response.text.split('\r\n').filter(Boolean)).toHaveLength(1 + BIG_ROWS);
    expect(batchCount()).toBe(BIG_ROWS / 500 + 1); // the last batch reads nothing and ends the file
    // What the response ever held at once: the header and one batch (~100 kB), not the file (~3.7 MB).
    expect(response.mostHeld).toBeLessThan(150_000);
    expect(response.text.length).toBeGreaterThan(3_000_000);
    reads.mockRestore();
  });
});
