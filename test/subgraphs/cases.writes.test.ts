/**
 * Case management and dashboard figures on the cases subgraph, over real HTTP against the test
 * database: status moves with their rules and history, requirements, notes, and caseMetrics checked
 * figure by figure against a small hand-built cohort, with its generation-keyed cache.
 */
import 'reflect-metadata';
import type pg from 'pg';
import { casesSubgraph } from '../../subgraphs/cases/cases.subgraph';
import { DEV_IDENTITY_SECRET, readCommonConfig } from '../../platform/config';
import { signIdentity, type Identity } from '../../platform/identity';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/shared/subgraph-server';
import { codes, graphql } from '../support/graphql';
import { testPool } from '../support/test-pool';

const STAFF: Identity = { sub: 'user:test-staff', role: 'STAFF' };
const RUN = Date.now().toString(36);
const AGENT = `agt_m${RUN}`;
let subgraph: RunningSubgraph;
let pool: pg.Pool;
let caseCounter = 0;
const ask = (query: string, variables: Record<string, unknown> = {}, identity: Identity = STAFF) =>
  graphql(subgraph.url, query, variables, { headers: signIdentity(identity, DEV_IDENTITY_SECRET) });

interface CaseSeed {
  status: string;
  submittedAt: string;
  approvedAt?: string;
  issuedAt?: string;
  placedAt?: string;
  closedAt?: string;
  premiumCents: number;
  productType?: string;
}
async function insertCase(seed: CaseSeed): Promise<string> {
  const id = `case_m${RUN}_${++caseCounter}`;
  await pool.query(
    `INSERT INTO cases."case" (id, case_number, agent_id, carrier_id, product_id, product_type, insured_first_name, insured_last_name, insured_birth_date,
       insured_gender, insured_state, insured_tobacco, face_amount, term_years, applied_health_class, payment_mode, annual_premium_cents, modal_premium_cents,
       status, submitted_at, approved_at, issued_at, placed_at, closed_at, created_by)
     VALUES ($1, $2, $3, 'car_summit', 'prd_summit_term', $4, 'Test', 'Insured', '1980-01-01', 'MALE', 'TX', false, 500000, 20, 'PREFERRED', 'ANNUAL', $5, $5,
       $6, $7, $8, $9, $10, $11, 'user:test')`,
    [
      id,
      `TST-${(Date.now() % 1e9) * 10 + caseCounter}`,
      AGENT,
      seed.productType ?? 'TERM',
      seed.premiumCents,
      seed.status,
      seed.submittedAt,
      seed.approvedAt ?? null,
      seed.issuedAt ?? null,
      seed.placedAt ?? null,
      seed.closedAt ?? null,
    ],
  );
  await pool.query(
    `INSERT INTO cases.case_event (case_id, at, type, to_status, actor) VALUES ($1, $2, 'STATUS_CHANGED', 'SUBMITTED', 'user:test')`,
    [id, seed.submittedAt],
  );
  return id;
}

beforeAll(async () => {
  subgraph = await startSubgraph(casesSubgraph, readCommonConfig({ ...process.env, DEBUG_STATS: 'true', LOG_LEVEL: 'silent' }), 0);
  pool = testPool(2);
});

afterAll(async () => {
  await subgraph.stop();
  await pool.end();
});

const MOVE = `mutation($id: ID!, $change: CaseStatusChangeInput!) { updateCaseStatus(id: $id, change: $change) { status allowedNextStatuses policyNumber issuedAt placedAt closedAt } }`;

describe('case management', () => {
  it('walks a case from underwriting to placement, refusing what the rules refuse, recording every step', async () => {
    const id = await insertCase({ status: 'IN_UNDERWRITING', submittedAt: '2025-03-01T10:00:00.000Z', premiumCents: 100_00 });
    const ordered = await ask(
      `mutation($id: ID!) { orderRequirement(caseId: $id, code: APS, note: "Dr. visit 2024", physician: { name: "Pat Doctor", phone: "512-555-0100" }) { id code status followUpOn ageDays } }`,
      { id },
    );
    expect(ordered.errors).toBeUndefined();
    const aps = ordered.data!.orderRequirement;
    expect(aps).toMatchObject({ code: 'APS', status: 'ORDERED', ageDays: 0 });
    // An APS at its vendor is first chased 14 days after the order (domain/follow-up.ts), not at the code's 21 days without one.
    const today = new Date();
    today.setUTCDate(today.getUTCDate() + 14);
    expect(aps.followUpOn).toBe(today.toISOString().slice(0, 10));
    // Several APSs may be ordered (one per physician); through the vendor, each needs its physician.
    expect(codes(await ask(`mutation($id: ID!) { orderRequirement(caseId: $id, code: APS) { id } }`, { id }))).toEqual(['BAD_USER_INPUT']);

    const blocked = await ask(MOVE, { id, change: { status: 'APPROVED' } });
    expect(codes(blocked)).toEqual(['CONFLICT']);
    expect(blocked.errors![0].message).toContain('APS');

    expect(
      (await ask(`mutation($r: ID!) { receiveRequirement(requirementId: $r) { status receivedAt } }`, { r: aps.id })).data!
        .receiveRequirement.status,
    ).toBe('RECEIVED');
    expect(codes(await ask(`mutation($r: ID!) { receiveRequirement(requirementId: $r) { status } }`, { r: aps.id }))).toEqual(['CONFLICT']);

    expect((await ask(MOVE, { id, change: { status: 'APPROVED' } })).data!.updateCaseStatus.allowedNextStatuses).toEqual([
      'ISSUED',
      'WITHDRAWN',
      'NOT_TAKEN',
    ]);
    expect(codes(await ask(MOVE, { id, change: { status: 'ISSUED' } }))).toEqual(['BAD_USER_INPUT']);
    const issued = await ask(MOVE, { id, change: { status: 'ISSUED', policyNumber: 'SRL-0001' } });
    expect(issued.data!.updateCaseStatus).toMatchObject({ status: 'ISSUED', policyNumber: 'SRL-0001', placedAt: null, closedAt: null });
    expect(issued.data!.updateCaseStatus.issuedAt).toEqual(expect.any(String));
    const placed = await ask(MOVE, { id, change: { status: 'PLACED', note: 'delivered' } });
    expect(placed.data!.updateCaseStatus.allowedNextStatuses).toEqual([]);
    expect(placed.data!.updateCaseStatus.closedAt).toBe(placed.data!.updateCaseStatus.placedAt);

    const refused = await ask(MOVE, { id, change: { status: 'IN_UNDERWRITING' } });
    expect(codes(refused)).toEqual(['CONFLICT']);
    expect(refused.errors![0].extensions!.allowed).toEqual([]);

    const history = await ask(`query($id: ID!) { case(id: $id) { events { type fromStatus toStatus requirementCode actor note } } }`, {
      id,
    });
    expect(history.data!.case.events.slice(1)).toEqual([
      {
        type: 'REQUIREMENT_ORDERED',
        fromStatus: null,
        toStatus: null,
        requirementCode: 'APS',
        actor: 'user:test-staff',
        note: 'Dr. visit 2024',
      },
      { type: 'REQUIREMENT_RECEIVED', fromStatus: null, toStatus: null, requirementCode: 'APS', actor: 'user:test-staff', note: null },
      {
        type: 'STATUS_CHANGED',
        fromStatus: 'IN_UNDERWRITING',
        toStatus: 'APPROVED',
        requirementCode: null,
        actor: 'user:test-staff',
        note: null,
      },
      { type: 'STATUS_CHANGED', fromStatus: 'APPROVED', toStatus: 'ISSUED', requirementCode: null, actor: 'user:test-staff', note: null },
      {
        type: 'STATUS_CHANGED',
        fromStatus: 'ISSUED',
        toStatus: 'PLACED',
        requirementCode: null,
        actor: 'user:test-staff',
        note: 'delivered',
      },
    ]);
    expect(codes(await ask(`mutation($id: ID!) { orderRequirement(caseId: $id, code: MIB) { id } }`, { id }))).toEqual(['CONFLICT']);
  });

  it('waives with a reason, notes from anyone who sees the case, and changes nothing when refused', async () => {
    const id = await insertCase({ status: 'REQUIREMENTS_OUTSTANDING', submittedAt: '2025-03-02T10:00:00.000Z', premiumCents: 100_00 });
    const req = (await ask(`mutation($id: ID!) { orderRequirement(caseId: $id, code: PARAMED_EXAM) { id } }`, { id })).data!
      .orderRequirement;
    expect(codes(await ask(`mutation($r: ID!) { waiveRequirement(requirementId: $r, reason: "  ") { status } }`, { r: req.id }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    const waived = await ask(`mutation($r: ID!) { waiveRequirement(requirementId: $r, reason: "recent exam on file") { status note } }`, {
      r: req.id,
    });
    expect(waived.data!.waiveRequirement).toEqual({ status: 'WAIVED', note: 'recent exam on file' });
    const note = await ask(
      `mutation($id: ID!) { addCaseNote(caseId: $id, note: "called the client") { type note actor } }`,
      { id },
      { sub: 'user:agent', role: 'ADMIN' },
    );
    expect(note.data!.addCaseNote).toEqual({ type: 'NOTE', note: 'called the client', actor: 'user:agent' });

    const before = (await pool.query('SELECT count(*)::int AS n FROM cases.case_event WHERE case_id = $1', [id])).rows[0].n;
    expect(codes(await ask(MOVE, { id, change: { status: 'PLACED' } }))).toEqual(['CONFLICT']);
    expect(codes(await ask(MOVE, { id, change: { status: 'WITHDRAWN' } }, { sub: 'user:a', role: 'AGENT', agentId: AGENT }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(codes(await ask(MOVE, { id: 'case_nope', change: { status: 'WITHDRAWN' } }))).toEqual(['NOT_FOUND']);
    expect(codes(await ask(MOVE, { id: 'nope', change: { status: 'WITHDRAWN' } }))).toEqual(['BAD_USER_INPUT']);
    const after = await pool.query(
      'SELECT status, (SELECT count(*)::int FROM cases.case_event WHERE case_id = $1) AS n FROM cases."case" WHERE id = $1',
      [id],
    );
    expect(after.rows[0]).toEqual({ status: 'REQUIREMENTS_OUTSTANDING', n: before });
  });
});

describe('caseMetrics', () => {
  const METRICS = `query($filter: CaseFilter, $groupBy: MetricsGrouping) { caseMetrics(filter: $filter, groupBy: $groupBy) {
    totals { submitted open placed declined notTaken placementRatio notTakenRate declineRate averageDaysToIssue medianDaysToIssue averageDaysToPlace submittedPremium placedPremium }
    byStatus { status count }
    groups { key label figures { submitted placed placedPremium declineRate medianDaysToIssue } }
    requirementsAging { code outstanding averageAgeDays pastFollowUp } } }`;
  const day = (d: string, plus = 0) => new Date(Date.parse(`${d}T00:00:00.000Z`) + plus * 86_400_000).toISOString();

  beforeAll(async () => {
    // The cohort, by hand: 6 cases of one agent in January and February 2025.
    await insertCase({
      status: 'PLACED',
      submittedAt: day('2025-01-10'),
      approvedAt: day('2025-01-10', 20),
      issuedAt: day('2025-01-10', 30),
      placedAt: day('2025-01-10', 40),
      closedAt: day('2025-01-10', 40),
      premiumCents: 1000_00,
    });
    await insertCase({
      status: 'PLACED',
      submittedAt: day('2025-01-20'),
      approvedAt: day('2025-01-20', 5),
      issuedAt: day('2025-01-20', 10),
      placedAt: day('2025-01-20', 30),
      closedAt: day('2025-01-20', 30),
      premiumCents: 2000_00,
    });
    await insertCase({
      status: 'NOT_TAKEN',
      submittedAt: day('2025-02-01'),
      approvedAt: day('2025-02-01', 10),
      issuedAt: day('2025-02-01', 20),
      closedAt: day('2025-02-01', 50),
      premiumCents: 500_00,
    });
    await insertCase({ status: 'DECLINED', submittedAt: day('2025-02-05'), closedAt: day('2025-02-05', 30), premiumCents: 300_00 });
    await insertCase({
      status: 'POSTPONED',
      submittedAt: day('2025-02-10'),
      closedAt: day('2025-02-10', 30),
      premiumCents: 100_00,
      productType: 'WHOLE_LIFE',
    });
    const open = await insertCase({ status: 'IN_UNDERWRITING', submittedAt: day('2025-02-20'), premiumCents: 400_00 });
    const orderedAt = new Date(Date.now() - 10 * 86_400_000);
    await pool.query(
      `INSERT INTO cases.requirement (id, case_id, code, status, ordered_at, follow_up_on) VALUES ($1, $2, 'APS', 'ORDERED', $3, $4), ($5, $2, 'MIB', 'RECEIVED', $3, $4)`,
      [`req_m${RUN}_1`, open, orderedAt.toISOString(), new Date(Date.now() - 86_400_000).toISOString().slice(0, 10), `req_m${RUN}_2`],
    );
  });

  it('computes every figure of docs/domain.md over the cohort', async () => {
    const response = await ask(METRICS, {
      filter: { agentIds: [AGENT], submittedFrom: '2025-01-01', submittedTo: '2025-02-28' },
      groupBy: 'MONTH',
    });
    expect(response.errors).toBeUndefined();
    const metrics = response.data!.caseMetrics;
    expect(metrics.totals).toEqual({
      submitted: 6,
      open: 1,
      placed: 2,
      declined: 1,
      notTaken: 1,
      placementRatio: 2 / 5, // placed / closed
      notTakenRate: 1 / 3, // notTaken / (placed + notTaken)
      declineRate: 1 / 5, // declined / (declined + postponed + 3 approved)
      averageDaysToIssue: 20, // (30 + 10 + 20) / 3
      medianDaysToIssue: 20,
      averageDaysToPlace: 35, // (40 + 30) / 2
      submittedPremium: '4300.00',
      placedPremium: '3000.00',
    });
    expect(metrics.byStatus).toEqual([
      { status: 'PLACED', count: 2 },
      { status: 'DECLINED', count: 1 },
      { status: 'IN_UNDERWRITING', count: 1 },
      { status: 'NOT_TAKEN', count: 1 },
      { status: 'POSTPONED', count: 1 },
    ]);
    expect(metrics.groups).toEqual([
      {
        key: '2025-01',
        label: 'January 2025',
        figures: { submitted: 2, placed: 2, placedPremium: '3000.00', declineRate: 0, medianDaysToIssue: 20 },
      },
      // declined / (declined + postponed + approved) = 1 / 3; the one issued case took 20 days.
      {
        key: '2025-02',
        label: 'February 2025',
        figures: { submitted: 4, placed: 0, placedPremium: '0.00', declineRate: 1 / 3, medianDaysToIssue: 20 },
      },
    ]);
    expect(metrics.requirementsAging).toHaveLength(1);
    expect(metrics.requirementsAging[0]).toMatchObject({ code: 'APS', outstanding: 1, pastFollowUp: 1 });
    expect(metrics.requirementsAging[0].averageAgeDays).toBeCloseTo(10, 1);
  });

  it('honours the cohort dates inclusively and groups by product type', async () => {
    const response = await ask(METRICS, {
      filter: { agentIds: [AGENT], submittedFrom: '2025-01-20', submittedTo: '2025-02-05' },
      groupBy: 'PRODUCT_TYPE',
    });
    const metrics = response.data!.caseMetrics;
    expect(metrics.totals.submitted).toBe(3);
    expect(metrics.totals.placementRatio).toBe(1 / 3);
    expect(metrics.groups.map((g: { key: string; label: string }) => [g.key, g.label])).toEqual([['TERM', 'Term']]);
    // Medians per group: TERM issued after 30, 10 and 20 days; the whole-life case was never issued.
    const byType = (
      await ask(METRICS, { filter: { agentIds: [AGENT], submittedFrom: '2025-01-01', submittedTo: '2025-02-28' }, groupBy: 'PRODUCT_TYPE' })
    ).data!.caseMetrics;
    expect(byType.groups.map((g: { key: string; figures: object }) => [g.key, g.figures])).toEqual([
      ['TERM', { submitted: 5, placed: 2, placedPremium: '3000.00', declineRate: 1 / 4, medianDaysToIssue: 20 }],
      ['WHOLE_LIFE', { submitted: 1, placed: 0, placedPremium: '0.00', declineRate: 0, medianDaysToIssue: null }],
    ]);
    const none = await ask(METRICS, { filter: { agentIds: [AGENT], submittedFrom: '2030-01-01' } });
    expect(none.data!.caseMetrics.totals).toMatchObject({
      submitted: 0,
      placementRatio: null,
      notTakenRate: null,
      declineRate: null,
      averageDaysToIssue: null,
      submittedPremium: '0.00',
    });
  });

  it('answers a repeat from the cache and recomputes after any case write', async () => {
    const variables = { filter: { agentIds: [AGENT], submittedFrom: '2025-01-01', submittedTo: '2025-12-31' }, groupBy: 'CARRIER' };
    const first = await ask(METRICS, variables);
    const second = await ask(METRICS, variables);
    expect(second.data).toEqual(first.data);
    expect(second.extensions!.stats).toMatchObject({ sql: 0, cacheHits: 1 });
    const [open] = (await pool.query(`SELECT id FROM cases."case" WHERE agent_id = $1 AND status = 'IN_UNDERWRITING'`, [AGENT])).rows;
    await ask(MOVE, { id: open.id, change: { status: 'WITHDRAWN' } });
    const third = await ask(METRICS, variables);
    expect(third.extensions!.stats.sql).toBe(3); // parts, medians, aging
    expect(third.data!.caseMetrics.totals.open).toBe(first.data!.caseMetrics.totals.open - 1);
  });
});
