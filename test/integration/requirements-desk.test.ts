/**
 * The case manager's requirements desk through the gateway: requirementsWorklist (urgency order,
 * keyset pages, filters, an agent's scope, statements per page), assignCaseManager (rules and its event), and
 * requirementMetrics checked figure by figure against a small hand-built cohort. The rows are
 * written with SQL (escalations, overdue days, vendor stages as the follow-up job and the vendors
 * leave them); each part of the file works under its own case manager, so the seeded book (which
 * has none) stays out of the figures.
 */
import type pg from 'pg';
import { DEV_IDENTITY_SECRET } from '../../platform/config';
import { signIdentity } from '../../platform/identity';
import { createLogger } from '../../platform/logger';
import { addDays, firstFollowUpOn } from '../../subgraphs/cases/domain/follow-up';
import { FollowUpWorker } from '../../subgraphs/cases/follow-up.worker';
import { codes, graphql } from '../support/graphql';
import { type Stack, startStack } from '../support/stack';
import { testPool } from '../support/test-pool';

const RUN = Date.now().toString(36);
let stack: Stack;
let pool: pg.Pool;
let staff: string;
let leafA: string;
let leafB: string;
let agentA: string;
const ask = (token: string, query: string, variables: Record<string, unknown> = {}) =>
  graphql(stack.url, query, variables, { headers: { authorization: `Bearer ${token}` } });

/** The cases subgraph itself, as the gateway calls it: its answers count the SQL statements (DEBUG_STATS). */
const direct = (query: string, variables: Record<string, unknown> = {}) =>
  graphql(stack.subgraphs.cases.url, query, variables, {
    headers: signIdentity({ sub: 'user:test-staff', role: 'STAFF' }, DEV_IDENTITY_SECRET),
  });

let caseCounter = 0;
async function insertCase(agentId: string, caseManagerId: string | null, status = 'REQUIREMENTS_OUTSTANDING'): Promise<string> {
  const id = `case_w${RUN}_${++caseCounter}`;
  await pool.query(
    `INSERT INTO cases."case" (id, case_number, agent_id, carrier_id, product_id, product_type, insured_first_name, insured_last_name, insured_birth_date,
       insured_gender, insured_state, insured_tobacco, face_amount, term_years, applied_health_class, payment_mode, annual_premium_cents, modal_premium_cents,
       status, submitted_at, created_by, case_manager_id)
     VALUES ($1, $2, $3, 'car_summit', 'prd_summit_term', 'TERM', 'T', 'I', '1980-01-01', 'MALE', 'TX', false, 500000, 20, 'PREFERRED', 'ANNUAL', 100, 100,
       $4, '2026-01-02T10:00:00.000Z', 'user:test', $5)`,
    [id, `WRK-${(Date.now() % 1e8) * 10 + caseCounter}`, agentId, status, caseManagerId],
  );
  return id;
}

interface RequirementSeed {
  code?: string;
  status?: string;
  orderedAt?: string;
  receivedAt?: string | null;
  followUpOn?: string | null;
  vendor?: string | null;
  stage?: string | null;
  escalation?: string;
  overdueSince?: string | null;
}
let requirementCounter = 0;
async function insertRequirement(caseId: string, seed: RequirementSeed = {}): Promise<string> {
  const id = `req_w${RUN}_${++requirementCounter}`;
  await pool.query(
    `INSERT INTO cases.requirement (id, case_id, code, status, ordered_at, received_at, follow_up_on, vendor, vendor_stage, vendor_stage_at, escalation, overdue_since)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $9::text IS NULL THEN NULL ELSE $5::timestamptz END, $10, $11)`,
    [
      id,
      caseId,
      seed.code ?? 'MIB',
      seed.status ?? 'ORDERED',
      seed.orderedAt ?? '2026-01-03T09:00:00.000Z',
      seed.receivedAt ?? null,
      seed.followUpOn === undefined ? '2026-02-01' : seed.followUpOn,
      seed.vendor ?? null,
      seed.stage ?? null,
      seed.escalation ?? 'NONE',
      seed.overdueSince ?? null,
    ],
  );
  return id;
}

const WORKLIST = `query($filter: RequirementWorklistFilter, $first: Int, $after: String) {
  requirementsWorklist(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id code overdue escalation nextFollowUpOn nextFollowUpAction case { id caseManagerId } } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  } }`;
const ids = (response: Awaited<ReturnType<typeof ask>>) =>
  (response.data!.requirementsWorklist.edges as { node: { id: string } }[]).map((edge) => edge.node.id);

beforeAll(async () => {
  stack = await startStack({ env: { OUTBOX_POLL_MS: '0', SYNC_INTERVAL_MS: '0', FOLLOW_UP_INTERVAL_MS: '0' } });
  pool = testPool(2);
  // Two agents without a downline: each one's scope is themself.
  const leaves = (
    await pool.query<{ id: string }>(
      `SELECT id FROM agents.agent a WHERE NOT EXISTS (SELECT 1 FROM agents.agent d WHERE d.upline_id = a.id) ORDER BY id LIMIT 2`,
    )
  ).rows;
  [leafA, leafB] = leaves.map((row) => row.id);
  staff = await stack.token('STAFF');
  agentA = await stack.agentToken(leafA);
}, 60_000);

afterAll(async () => {
  // Leave no requirement of ours due for a later test's follow-up job.
  await pool?.query(`UPDATE cases.requirement SET status = 'CANCELLED' WHERE id LIKE $1`, [`req_w${RUN}_%`]);
  await pool?.end();
  await stack?.stop();
});

describe('requirementsWorklist', () => {
  const CM = `usr_cm_${RUN}_1`;
  const r: Record<string, string> = {};
  let caseA: string;
  let caseB: string;

  beforeAll(async () => {
    caseA = await insertCase(leafA, CM);
    caseB = await insertCase(leafB, CM);
    const closed = await insertCase(leafA, CM, 'DECLINED');
    r.a1 = await insertRequirement(caseA, {
      code: 'APS',
      vendor: 'CHARTWELL',
      stage: 'REQUESTED_FROM_PROVIDER',
      escalation: 'AGENT',
      overdueSince: '2026-01-10',
    });
    r.a2 = await insertRequirement(caseB, {
      code: 'APS',
      vendor: 'CHARTWELL',
      stage: 'ORDERED',
      escalation: 'AGENT',
      overdueSince: '2026-01-05',
    });
    r.c1 = await insertRequirement(caseA, {
      code: 'PARAMED_EXAM',
      vendor: 'PULSE',
      stage: 'ORDERED',
      escalation: 'CASE_MANAGER',
      overdueSince: '2026-01-20',
    });
    r.o1 = await insertRequirement(caseB, { code: 'MIB', overdueSince: '2026-01-02', followUpOn: '2026-02-09' });
    r.o2 = await insertRequirement(caseA, { code: 'APS', vendor: 'CHARTWELL', stage: 'AUTHORIZATION_SENT', overdueSince: '2026-01-15' });
    r.n1 = await insertRequirement(caseB, { code: 'EKG', vendor: 'PULSE', stage: 'SCHEDULED', followUpOn: '2099-02-01' });
    r.n2 = await insertRequirement(caseA, { code: 'MVR', followUpOn: '2099-01-25', orderedAt: '2026-01-03T12:00:00.000Z' });
    r.n3 = await insertRequirement(caseB, { code: 'RX_CHECK', followUpOn: '2099-01-25', orderedAt: '2026-01-03T08:00:00.000Z' });
    // Not on the worklist: received, and outstanding on a closed case.
    await insertRequirement(caseA, { code: 'MIB', status: 'RECEIVED', receivedAt: '2026-01-04T09:00:00.000Z' });
    await insertRequirement(closed, {
      code: 'APS',
      vendor: 'CHARTWELL',
      stage: 'ORDERED',
      escalation: 'AGENT',
      overdueSince: '2026-01-01',
    });
  });

  it('lists the outstanding requirements of open cases most urgent first, a page at a time', async () => {
    const expected = [r.a2, r.a1, r.c1, r.o1, r.o2, r.n3, r.n2, r.n1];
    const pages: string[][] = [];
    let after: string | null = null;
    for (;;) {
      const page = await ask(staff, WORKLIST, { filter: { caseManager: CM }, first: 3, after });
      expect(page.errors).toBeUndefined();
      pages.push(ids(page));
      const info = page.data!.requirementsWorklist.pageInfo;
      expect(info.hasPreviousPage).toBe(after !== null);
      if (!info.hasNextPage) break;
      after = info.endCursor;
    }
    expect(pages).toEqual([expected.slice(0, 3), expected.slice(3, 6), expected.slice(6)]);
    const total = await ask(staff, `query($f: RequirementWorklistFilter) { requirementsWorklist(filter: $f) { totalCount } }`, {
      f: { caseManager: CM },
    });
    expect(total.data!.requirementsWorklist.totalCount).toBe(8);

    // The rows carry what a desk shows: overdue, escalation, the next follow-up and the case.
    const first = (await ask(staff, WORKLIST, { filter: { caseManager: CM }, first: 8 })).data!.requirementsWorklist.edges.map(
      (edge: { node: unknown }) => edge.node,
    );
    expect(first[0]).toMatchObject({ id: r.a2, overdue: true, escalation: 'AGENT', case: { id: caseB, caseManagerId: CM } });
    expect(first[2]).toMatchObject({ id: r.c1, overdue: true, escalation: 'CASE_MANAGER' });
    // Ordered in January and never followed up (the job is behind): the next follow-up is the one due
    // since day 21 of the order, and it goes straight to the agent.
    expect(first[7]).toMatchObject({
      id: r.n1,
      overdue: false,
      escalation: 'NONE',
      nextFollowUpOn: '2026-01-24',
      nextFollowUpAction: 'NOTIFY_AGENT',
    });
    expect(first[3]).toMatchObject({
      id: r.o1,
      overdue: true,
      escalation: 'NONE',
      nextFollowUpOn: '2026-01-24',
      nextFollowUpAction: 'NOTIFY_AGENT',
    });
  });

  it('filters by overdue, code and vendor', async () => {
    const list = async (filter: Record<string, unknown>) =>
      ids(await ask(staff, WORKLIST, { filter: { caseManager: CM, ...filter }, first: 50 }));
    expect(await list({ overdue: true })).toEqual([r.a2, r.a1, r.c1, r.o1, r.o2]);
    expect(await list({ overdue: false })).toEqual([r.n3, r.n2, r.n1]);
    expect(await list({ code: 'APS' })).toEqual([r.a2, r.a1, r.o2]);
    expect(await list({ vendor: 'PULSE' })).toEqual([r.c1, r.n1]);
    expect(await list({ vendor: 'CHARTWELL', overdue: true, code: 'APS' })).toEqual([r.a2, r.a1, r.o2]);
  });

  it('shows an agent the requirements of their own scope only', async () => {
    expect(ids(await ask(agentA, WORKLIST, { filter: { caseManager: CM }, first: 50 }))).toEqual([r.a1, r.c1, r.o2, r.n2]);
    // Unfiltered: every row is of one of the agent's cases.
    const rows = (await ask(agentA, WORKLIST, { first: 200 })).data!.requirementsWorklist.edges as { node: { case: { id: string } } }[];
    const caseIds = [...new Set(rows.map((edge) => edge.node.case.id))];
    const owners = (await pool.query(`SELECT DISTINCT agent_id FROM cases."case" WHERE id = ANY($1)`, [caseIds])).rows.map(
      (row) => row.agent_id,
    );
    expect(owners).toEqual([leafA]);
  });

  it("costs one statement for a page, one for its rows' cases, one more for totalCount", async () => {
    const page = await direct(WORKLIST, { filter: { caseManager: CM }, first: 8 });
    expect(ids(page)).toHaveLength(8);
    expect(page.extensions!.stats.sql).toBe(2);
    const bare = await direct(
      `query($f: RequirementWorklistFilter) { requirementsWorklist(filter: $f) { edges { node { id nextFollowUpOn } } } }`,
      {
        f: { caseManager: CM },
      },
    );
    expect(bare.extensions!.stats.sql).toBe(1);
    const counted = await direct(
      `query($f: RequirementWorklistFilter) { requirementsWorklist(filter: $f) { totalCount again: totalCount } }`,
      {
        f: { caseManager: CM },
      },
    );
    expect(counted.data!.requirementsWorklist).toEqual({ totalCount: 8, again: 8 });
    expect(counted.extensions!.stats.sql).toBe(2);
  });

  it('refuses a malformed case manager or cursor', async () => {
    expect(codes(await ask(staff, WORKLIST, { filter: { caseManager: 'jane@example.com' } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await ask(staff, WORKLIST, { after: 'not-a-cursor' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await ask(staff, WORKLIST, { first: 500 }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('the follow-up job and the worklist', () => {
  it('puts a stalled APS first once the job finds it overdue (day 14), and keeps it first, escalated, from day 21', async () => {
    const CM = `usr_cm_${RUN}_5`;
    const T0 = '2022-06-01T10:00:00.000Z';
    const caseId = await insertCase(leafA, CM);
    // Ordered the same day: an exam at PULSE scheduled for day 16 (the job was to look on day 10), an MIB, and an APS at CHARTWELL that stalls.
    const exam = await insertRequirement(caseId, {
      code: 'PARAMED_EXAM',
      vendor: 'PULSE',
      stage: 'SCHEDULED',
      orderedAt: T0,
      followUpOn: addDays(T0, 10),
    });
    await pool.query(`UPDATE cases.requirement SET vendor_details = $2 WHERE id = $1`, [
      exam,
      { appointmentAt: `${addDays(T0, 16)}T15:00:00.000Z` },
    ]);
    const mib = await insertRequirement(caseId, { code: 'MIB', orderedAt: T0, followUpOn: '2099-01-01' });
    const aps = await insertRequirement(caseId, {
      code: 'APS',
      vendor: 'CHARTWELL',
      stage: 'REQUESTED_FROM_PROVIDER',
      orderedAt: T0,
      followUpOn: firstFollowUpOn('APS', 'CHARTWELL', T0),
    });
    let clock = new Date(T0);
    const asked: string[] = [];
    const logger = createLogger('test', 'silent');
    const options = { pool, logger, intervalMs: 60_000, now: () => clock, refreshFromVendor: async (id: string) => void asked.push(id) };
    const workers = [new FollowUpWorker(options), new FollowUpWorker(options)];
    const list = async () =>
      (await ask(staff, WORKLIST, { filter: { caseManager: CM } })).data!.requirementsWorklist.edges.map(
        (edge: { node: { id: string; overdue: boolean; escalation: string } }) => edge.node,
      );
    const ids = async () => (await list()).map((row: { id: string }) => row.id);
    // Nothing overdue yet: by the next follow-up day.
    expect(await ids()).toEqual([exam, aps, mib]);

    clock = new Date(`${addDays(T0, 14)}T07:00:00.000Z`);
    await Promise.all(workers.map((worker) => worker.runOnce()));
    // The APS is asked about and overdue; the exam waits for its appointment (looked at again the day after it).
    expect(asked).toEqual([aps]);
    expect(await ids()).toEqual([aps, exam, mib]);
    expect((await list())[0]).toMatchObject({ id: aps, overdue: true, escalation: 'NONE' });

    clock = new Date(`${addDays(T0, 21)}T07:00:00.000Z`);
    await Promise.all(workers.map((worker) => worker.runOnce()));
    // Both escalated on day 21; the APS has been overdue longer (day 14 against the exam's 17).
    expect(await ids()).toEqual([aps, exam, mib]);
    expect((await list()).slice(0, 2)).toMatchObject([
      { id: aps, overdue: true, escalation: 'CASE_MANAGER' },
      { id: exam, overdue: true, escalation: 'CASE_MANAGER' },
    ]);
    expect(asked.sort()).toEqual([aps, aps, exam].sort());
    const history = await ask(staff, `query($id: ID!) { case(id: $id) { events { type requirementCode note } } }`, { id: caseId });
    const of = (code: string) =>
      history.data!.case.events.filter(
        (event: { type: string; requirementCode: string }) => event.type.startsWith('REQUIREMENT_') && event.requirementCode === code,
      );
    expect(of('APS')).toEqual([
      { type: 'REQUIREMENT_FOLLOW_UP', requirementCode: 'APS', note: expect.stringMatching(/^ASK_VENDOR \(follow-up 1\)/) },
      { type: 'REQUIREMENT_FOLLOW_UP', requirementCode: 'APS', note: expect.stringMatching(/^ESCALATE_TO_CASE_MANAGER \(follow-up 2\)/) },
      {
        type: 'REQUIREMENT_ESCALATED',
        requirementCode: 'APS',
        note: `APS outstanding since 2022-06-01: escalated to the case manager ${CM}`,
      },
    ]);
    expect(of('PARAMED_EXAM')).toEqual([
      {
        type: 'REQUIREMENT_FOLLOW_UP',
        requirementCode: 'PARAMED_EXAM',
        note: expect.stringMatching(/^ESCALATE_TO_CASE_MANAGER \(follow-up 1\): PULSE SCHEDULED: not completed after the appointment/),
      },
      {
        type: 'REQUIREMENT_ESCALATED',
        requirementCode: 'PARAMED_EXAM',
        note: `PARAMED_EXAM outstanding since 2022-06-01: escalated to the case manager ${CM}`,
      },
    ]);
    expect(of('MIB')).toEqual([]);
    await Promise.all(workers.map((worker) => worker.stop()));
  });
});

describe('assignCaseManager', () => {
  const ASSIGN = `mutation($c: ID!, $m: ID!) { assignCaseManager(caseId: $c, caseManagerId: $m) { id caseManagerId } }`;
  const events = async (caseId: string) =>
    (
      await pool.query(`SELECT type, actor, note FROM cases.case_event WHERE case_id = $1 AND type = 'CASE_MANAGER_ASSIGNED' ORDER BY id`, [
        caseId,
      ])
    ).rows;

  it('assigns and reassigns with one event each, changes nothing when assigned again, refuses a closed case', async () => {
    const caseId = await insertCase(leafA, null);
    const first = `usr_cm_${RUN}_2`;
    const second = `usr_cm_${RUN}_3`;
    expect((await ask(staff, ASSIGN, { c: caseId, m: first })).data!.assignCaseManager).toEqual({ id: caseId, caseManagerId: first });
    expect((await ask(staff, ASSIGN, { c: caseId, m: second })).data!.assignCaseManager.caseManagerId).toBe(second);
    expect((await ask(staff, ASSIGN, { c: caseId, m: second })).data!.assignCaseManager.caseManagerId).toBe(second);
    expect(await events(caseId)).toEqual([
      { type: 'CASE_MANAGER_ASSIGNED', actor: 'user:test-staff', note: first },
      { type: 'CASE_MANAGER_ASSIGNED', actor: 'user:test-staff', note: `${second} (was ${first})` },
    ]);
    const read = await ask(staff, `query($id: ID!) { case(id: $id) { caseManagerId } }`, { id: caseId });
    expect(read.data!.case.caseManagerId).toBe(second);
    // The case lists filter by case manager.
    const mine = await ask(staff, `query($f: CaseFilter) { cases(filter: $f) { edges { node { id caseManagerId } } } }`, {
      f: { caseManagerIds: [second], open: true },
    });
    expect(mine.data!.cases.edges).toEqual([{ node: { id: caseId, caseManagerId: second } }]);
    expect(
      codes(await ask(staff, `query($f: CaseFilter) { cases(filter: $f) { edges { node { id } } } }`, { f: { caseManagerIds: ['a b'] } })),
    ).toEqual(['BAD_USER_INPUT']);

    const closed = await insertCase(leafA, null, 'PLACED');
    expect(codes(await ask(staff, ASSIGN, { c: closed, m: first }))).toEqual(['CONFLICT']);
    expect(await events(closed)).toEqual([]);
    expect(codes(await ask(agentA, ASSIGN, { c: caseId, m: first }))).toEqual(['FORBIDDEN']);
    expect(codes(await ask(staff, ASSIGN, { c: caseId, m: 'not an id' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await ask(staff, ASSIGN, { c: `case_w${RUN}_none`, m: first }))).toEqual(['NOT_FOUND']);
  });
});

describe('requirementMetrics', () => {
  const CM = `usr_cm_${RUN}_4`;
  const METRICS = `query($f: RequirementMetricsFilter) { requirementMetrics(filter: $f) {
    turnaround { code vendor received p50Days p90Days }
    outstandingByStage { vendor stage count }
    overdue
    caseManagerWorkload { caseManagerId openCases overdueRequirements } } }`;
  const days = (n: number) => new Date(Date.parse('2026-01-03T09:00:00.000Z') + n * 86_400_000).toISOString();
  const received = (code: string, vendor: string | null, n: number) => ({
    code,
    vendor,
    status: 'RECEIVED',
    receivedAt: days(n),
    followUpOn: null,
    stage: vendor ? 'SENT_TO_CARRIER' : null,
  });

  beforeAll(async () => {
    // Case A (agent A): APS 10 and 20 days, an exam 4 days; outstanding: an exam scheduled, an APS overdue.
    const a = await insertCase(leafA, CM);
    await insertRequirement(a, received('APS', 'CHARTWELL', 10));
    await insertRequirement(a, received('APS', 'CHARTWELL', 20));
    await insertRequirement(a, received('PARAMED_EXAM', 'PULSE', 4));
    await insertRequirement(a, { code: 'PARAMED_EXAM', vendor: 'PULSE', stage: 'SCHEDULED' });
    await insertRequirement(a, { code: 'APS', vendor: 'CHARTWELL', stage: 'REQUESTED_FROM_PROVIDER', overdueSince: '2026-01-17' });
    // Case B (agent B): APS 30 days, an exam 6, an MIB half a day; outstanding: an exam scheduled, one queued, an MIB escalated.
    const b = await insertCase(leafB, CM);
    await insertRequirement(b, received('APS', 'CHARTWELL', 30));
    await insertRequirement(b, received('PARAMED_EXAM', 'PULSE', 6));
    await insertRequirement(b, received('MIB', null, 0.5));
    await insertRequirement(b, { code: 'BLOOD_URINE', vendor: 'PULSE', stage: 'SCHEDULED' });
    await insertRequirement(b, { code: 'EKG', vendor: 'PULSE', stage: null });
    await insertRequirement(b, { code: 'MIB', escalation: 'CASE_MANAGER', overdueSince: '2026-01-05' });
    // A closed case (agent B): its APS of 40 days counts in turnaround; its outstanding one counts nowhere.
    const closed = await insertCase(leafB, CM, 'DECLINED');
    await insertRequirement(closed, received('APS', 'CHARTWELL', 40));
    await insertRequirement(closed, {
      code: 'APS',
      vendor: 'CHARTWELL',
      stage: 'ORDERED',
      escalation: 'AGENT',
      overdueSince: '2026-01-10',
    });
  });

  it('computes every figure of the cohort', async () => {
    const response = await ask(staff, METRICS, { f: { caseManager: CM } });
    expect(response.errors).toBeUndefined();
    const metrics = response.data!.requirementMetrics;
    // APS: 10, 20, 30, 40 days → p50 25, p90 30 + 0.7 × 10 = 37; exams: 4, 6 → 5 and 5.8; MIB: half a day.
    expect(metrics.turnaround).toEqual([
      { code: 'APS', vendor: 'CHARTWELL', received: 4, p50Days: 25, p90Days: expect.closeTo(37, 9) },
      { code: 'MIB', vendor: null, received: 1, p50Days: 0.5, p90Days: 0.5 },
      { code: 'PARAMED_EXAM', vendor: 'PULSE', received: 2, p50Days: 5, p90Days: expect.closeTo(5.8, 9) },
    ]);
    expect(metrics.outstandingByStage).toEqual([
      { vendor: 'CHARTWELL', stage: 'REQUESTED_FROM_PROVIDER', count: 1 },
      { vendor: 'PULSE', stage: 'QUEUED', count: 1 },
      { vendor: 'PULSE', stage: 'SCHEDULED', count: 2 },
    ]);
    expect(metrics.overdue).toBe(2);
    expect(metrics.caseManagerWorkload).toEqual([{ caseManagerId: CM, openCases: 2, overdueRequirements: 2 }]);

    // Only APSs: the exam and MIB figures go, the case manager keeps both open cases.
    const aps = (await ask(staff, METRICS, { f: { caseManager: CM, codes: ['APS'] } })).data!.requirementMetrics;
    expect(aps.turnaround.map((row: { code: string }) => row.code)).toEqual(['APS']);
    expect(aps.outstandingByStage).toEqual([{ vendor: 'CHARTWELL', stage: 'REQUESTED_FROM_PROVIDER', count: 1 }]);
    expect(aps.overdue).toBe(1);
    expect(aps.caseManagerWorkload).toEqual([{ caseManagerId: CM, openCases: 2, overdueRequirements: 1 }]);
    // Ordered after everything: nothing.
    const later = (await ask(staff, METRICS, { f: { caseManager: CM, orderedFrom: '2026-01-04' } })).data!.requirementMetrics;
    expect(later).toMatchObject({ turnaround: [], outstandingByStage: [], overdue: 0 });
    expect(codes(await ask(staff, METRICS, { f: { orderedFrom: '2026-02-01', orderedTo: '2026-01-01' } }))).toEqual(['BAD_USER_INPUT']);
  });

  it('costs four statements computed, none cached', async () => {
    const query = `query($f: RequirementMetricsFilter) { requirementMetrics(filter: $f) { overdue turnaround { code } } }`;
    const cold = await direct(query, { f: { caseManager: CM, codes: ['MIB'] } });
    expect(cold.data!.requirementMetrics.overdue).toBe(1);
    expect(cold.extensions!.stats.sql).toBe(4);
    const cached = await direct(query, { f: { caseManager: CM, codes: ['MIB'] } });
    expect(cached.data).toEqual(cold.data);
    expect(cached.extensions!.stats.sql).toBe(0);
  });

  it("shows an agent their scope's figures only", async () => {
    const metrics = (await ask(agentA, METRICS, { f: { caseManager: CM } })).data!.requirementMetrics;
    expect(metrics.turnaround).toEqual([
      { code: 'APS', vendor: 'CHARTWELL', received: 2, p50Days: 15, p90Days: expect.closeTo(19, 9) },
      { code: 'PARAMED_EXAM', vendor: 'PULSE', received: 1, p50Days: 4, p90Days: 4 },
    ]);
    expect(metrics.outstandingByStage).toEqual([
      { vendor: 'CHARTWELL', stage: 'REQUESTED_FROM_PROVIDER', count: 1 },
      { vendor: 'PULSE', stage: 'SCHEDULED', count: 1 },
    ]);
    expect(metrics.overdue).toBe(1);
    expect(metrics.caseManagerWorkload).toEqual([{ caseManagerId: CM, openCases: 1, overdueRequirements: 1 }]);
  });

  it('is never older than the last change: an assignment shows in the workload at once', async () => {
    const before = (await ask(staff, METRICS, { f: { caseManager: CM } })).data!.requirementMetrics.caseManagerWorkload;
    expect(before).toEqual([{ caseManagerId: CM, openCases: 2, overdueRequirements: 2 }]);
    const another = await insertCase(leafA, null);
    const assigned = await ask(staff, `mutation($c: ID!, $m: ID!) { assignCaseManager(caseId: $c, caseManagerId: $m) { id } }`, {
      c: another,
      m: CM,
    });
    expect(assigned.errors).toBeUndefined();
    const after = (await ask(staff, METRICS, { f: { caseManager: CM } })).data!.requirementMetrics.caseManagerWorkload;
    expect(after).toEqual([{ caseManagerId: CM, openCases: 3, overdueRequirements: 2 }]);
  });
});
