/**
 * Reading cases through the cases subgraph over real HTTP, on rows this file inserts (its own agents
 * and a carrier id no one else uses, so other suites sharing the database cannot move its answers):
 * keyset pages across equal submission instants, the inclusive UTC date range at its edges, every
 * computed field, Agent.cases, references, SQL statement counts, and who may call.
 */
import 'reflect-metadata';
import type pg from 'pg';
import { codes, graphql } from '../support/graphql';
import { DEV_IDENTITY_SECRET, readCommonConfig } from '../../platform/config';
import { signIdentity, type Identity } from '../../platform/identity';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/shared/subgraph-server';
import { casesSubgraph } from '../../subgraphs/cases/cases.subgraph';
import { testPool } from '../support/test-pool';

const STAFF: Identity = { sub: 'user:test-read-staff', role: 'STAFF' };
const ANONYMOUS: Identity = { sub: 'anonymous', role: 'ANONYMOUS' };
const RUN = Date.now().toString(36);
const AGENT_A = `agt_rd${RUN}a`;
const AGENT_B = `agt_rd${RUN}b`;
const CARRIER = `car_rd${RUN}`;
const NUMBER_BASE = (Date.now() % 1e9) * 100;
const TIE = '2024-05-10T12:00:00.000Z';

let subgraph: RunningSubgraph;
let pool: pg.Pool;
const ask = (query: string, variables: Record<string, unknown> = {}, identity: Identity | null = STAFF) =>
  graphql(subgraph.url, query, variables, { headers: identity ? signIdentity(identity, DEV_IDENTITY_SECRET) : {} });

interface Fixture {
  id: string;
  caseNumber: string;
  agentId: string;
  submittedAt: string;
  status: string;
  closedAt?: string;
}
const fixtures: Fixture[] = [];
let counter = 0;

async function insertCase(agentId: string, submittedAt: string, status = 'IN_UNDERWRITING', closedAt?: string): Promise<Fixture> {
  counter += 1;
  // Ids chosen so that the tie-break on id is not the insertion order.
  const fixture = {
    id: `case_rd${RUN}_${String((counter * 7) % 13).padStart(2, '0')}`,
    caseNumber: `RD-${NUMBER_BASE + counter}`,
    agentId,
    submittedAt,
    status,
    closedAt,
  };
  await pool.query(
    `INSERT INTO cases."case" (id, case_number, agent_id, carrier_id, product_id, product_type, insured_first_name, insured_last_name, insured_birth_date,
       insured_gender, insured_state, insured_tobacco, face_amount, term_years, applied_health_class, payment_mode, annual_premium_cents, modal_premium_cents,
       status, submitted_at, placed_at, closed_at, created_by)
     VALUES ($1, $2, $3, $4, $5, 'TERM', 'Zebulon', 'Quartermaine', '1988-02-29', 'FEMALE', 'OH', true, 500000, 20, 'PREFERRED', 'MONTHLY', 37000, 3238,
       $6, $7, $8, $9, 'user:test-read')`,
    [
      fixture.id,
      fixture.caseNumber,
      agentId,
      CARRIER,
      `prd_rd${RUN}`,
      status,
      submittedAt,
      status === 'PLACED' ? closedAt : null,
      closedAt ?? null,
    ],
  );
  fixtures.push(fixture);
  return fixture;
}

const utcDay = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));
const daysSince = (iso: string) => Math.round((utcDay(new Date().toISOString()) - utcDay(iso)) / 86_400_000);

let open: Fixture;
let placed: Fixture;

beforeAll(async () => {
  subgraph = await startSubgraph(
    casesSubgraph,
    readCommonConfig({ DATABASE_URL: process.env.DATABASE_URL, DEBUG_STATS: 'true', LOG_LEVEL: 'silent' }),
    0,
  );
  pool = testPool(2);
  // Five cases submitted at the same instant: only the id orders them, and a page boundary falls among them.
  for (let i = 0; i < 5; i++) await insertCase(AGENT_A, TIE);
  // The edges of the range 2024-05-09..2024-05-11 (UTC, inclusive): two inside, two just outside.
  await insertCase(AGENT_A, '2024-05-09T00:00:00.000Z');
  await insertCase(AGENT_A, '2024-05-11T23:59:59.999Z');
  await insertCase(AGENT_A, '2024-05-12T00:00:00.000Z');
  await insertCase(AGENT_A, '2024-05-08T23:59:59.999Z');
  open = fixtures[0];
  placed = await insertCase(AGENT_B, '2024-06-01T09:30:00.000Z', 'PLACED', '2024-07-15T10:00:00.000Z');
  await insertCase(AGENT_B, '2024-06-02T09:30:00.000Z', 'DECLINED', '2024-06-20T10:00:00.000Z');

  await pool.query(
    `INSERT INTO cases.requirement (id, case_id, code, status, ordered_at, received_at, follow_up_on) VALUES
       ($1, $3, 'APS', 'ORDERED', '2024-05-10T13:00:00.000Z', NULL, '2024-05-31'),
       ($2, $3, 'MIB', 'RECEIVED', '2024-05-10T12:30:00.000Z', '2024-05-20T08:00:00.000Z', '2024-05-12')`,
    [`req_rd${RUN}_aps`, `req_rd${RUN}_mib`, open.id],
  );
  // Appended in time order, as the subgraph appends them.
  await pool.query(
    `INSERT INTO cases.case_event (case_id, at, type, from_status, to_status, requirement_code, actor) VALUES
       ($1, $2, 'STATUS_CHANGED', NULL, 'SUBMITTED', NULL, 'user:test-read'),
       ($1, '2024-05-10T12:30:00.000Z', 'REQUIREMENT_ORDERED', NULL, NULL, 'MIB', 'user:test-read'),
       ($1, '2024-05-10T13:00:00.000Z', 'STATUS_CHANGED', 'SUBMITTED', 'IN_UNDERWRITING', NULL, 'user:test-read')`,
    [open.id, TIE],
  );
});

afterAll(async () => {
  const ids = fixtures.map((f) => f.id);
  await pool.query('DELETE FROM cases.case_event WHERE case_id = ANY($1)', [ids]);
  await pool.query('DELETE FROM cases.requirement WHERE case_id = ANY($1)', [ids]);
  await pool.query('DELETE FROM cases."case" WHERE id = ANY($1)', [ids]);
  await subgraph.stop();
  await pool.end();
});

const PAGE = `query($first: Int, $after: String, $orderBy: CaseOrder, $filter: CaseFilter) {
  cases(first: $first, after: $after, orderBy: $orderBy, filter: $filter) {
    edges { cursor node { id } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  } }`;

async function walk(orderBy: string, first: number): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 50; page++) {
    const response = await ask(PAGE, { first, after, orderBy, filter: { carrierIds: [CARRIER] } });
    expect(response.errors).toBeUndefined();
    const { edges, pageInfo } = response.data!.cases;
    ids.push(...edges.map((e: { node: { id: string } }) => e.node.id));
    expect(pageInfo.startCursor).toBe(edges[0]?.cursor ?? null);
    expect(pageInfo.endCursor).toBe(edges.at(-1)?.cursor ?? null);
    if (!pageInfo.hasNextPage) return ids;
    after = pageInfo.endCursor;
  }
  throw new Error('too many pages');
}

describe('case lists', () => {
  it('pages through cases with equal submission instants in both orders, without gap or duplicate', async () => {
    const expected = fixtures
      .slice()
      .sort((a, b) => (a.submittedAt === b.submittedAt ? (a.id < b.id ? 1 : -1) : a.submittedAt < b.submittedAt ? 1 : -1))
      .map((f) => f.id);
    for (const first of [1, 2, 3, 200]) {
      expect(await walk('SUBMITTED_AT_DESC', first)).toEqual(expected);
      expect(await walk('SUBMITTED_AT_ASC', first)).toEqual([...expected].reverse());
    }
  });

  it('takes submittedFrom and submittedTo as inclusive UTC dates', async () => {
    const response = await ask(PAGE, {
      first: 50,
      filter: { carrierIds: [CARRIER], submittedFrom: '2024-05-09', submittedTo: '2024-05-11' },
    });
    const inside = fixtures
      .filter((f) => f.submittedAt >= '2024-05-09T00:00:00.000Z' && f.submittedAt < '2024-05-12T00:00:00.000Z')
      .map((f) => f.id);
    expect(inside).toHaveLength(7);
    expect(new Set(response.data!.cases.edges.map((e: { node: { id: string } }) => e.node.id))).toEqual(new Set(inside));
    const oneDay = await ask(PAGE, {
      first: 50,
      filter: { carrierIds: [CARRIER], submittedFrom: '2024-05-12', submittedTo: '2024-05-12' },
    });
    expect(oneDay.data!.cases.edges).toHaveLength(1);
  });

  it('combines statuses, agents and openness', async () => {
    const closed = await ask(PAGE, { first: 50, filter: { carrierIds: [CARRIER], open: false } });
    expect(closed.data!.cases.edges.map((e: { node: { id: string } }) => e.node.id).sort()).toEqual(
      fixtures
        .filter((f) => f.closedAt)
        .map((f) => f.id)
        .sort(),
    );
    const openB = await ask(PAGE, { first: 50, filter: { carrierIds: [CARRIER], agentIds: [AGENT_B], open: true } });
    expect(openB.data!.cases.edges).toEqual([]);
    const declined = await ask(PAGE, { first: 50, filter: { carrierIds: [CARRIER], statuses: ['DECLINED'] } });
    expect(declined.data!.cases.edges).toHaveLength(1);
  });

  it('costs one statement for the page, one for requirements and one for events; totalCount adds one, once', async () => {
    const dashboard = (count: string) => `query($f: CaseFilter) { cases(first: 200, filter: $f) { ${count}
      edges { node { agent { id } carrier { id } product { id } requirements { code } events { type } } } } }`;
    const plain = await ask(dashboard(''), { f: { carrierIds: [CARRIER] } });
    expect(plain.errors).toBeUndefined();
    expect(plain.data!.cases.edges).toHaveLength(fixtures.length);
    expect(plain.extensions!.stats.sql).toBe(3);
    const counted = await ask(dashboard('totalCount again: totalCount'), { f: { carrierIds: [CARRIER] } });
    expect(counted.data!.cases).toMatchObject({ totalCount: fixtures.length, again: fixtures.length });
    expect(counted.extensions!.stats.sql).toBe(4);
    // Only the page statement when nothing below the case is selected.
    expect((await ask(PAGE, { first: 200, filter: { carrierIds: [CARRIER] } })).extensions!.stats.sql).toBe(1);
  });
});

describe('case fields', () => {
  const FIELDS = `id caseNumber agent { id } carrier { id } product { id }
    insured { firstName lastName birthDate gender state tobacco }
    faceAmount approvedFaceAmount termYears appliedHealthClass approvedHealthClass paymentMode annualPremium modalPremium
    status allowedNextStatuses carrierReference policyNumber submittedAt issuedAt placedAt closedAt daysPending
    requirements { id code status orderedAt receivedAt followUpOn ageDays note }
    events { at type fromStatus toStatus requirementCode actor note }`;

  it('answers an open case field by field', async () => {
    const response = await ask(`query($id: ID!) { case(id: $id) { ${FIELDS} } }`, { id: open.id });
    expect(response.errors).toBeUndefined();
    const c = response.data!.case;
    expect(c).toMatchObject({
      id: open.id,
      caseNumber: open.caseNumber,
      agent: { id: AGENT_A },
      carrier: { id: CARRIER },
      product: { id: `prd_rd${RUN}` },
      insured: { firstName: 'Zebulon', lastName: 'Quartermaine', birthDate: '1988-02-29', gender: 'FEMALE', state: 'OH', tobacco: true },
      faceAmount: 500000,
      approvedFaceAmount: null,
      termYears: 20,
      appliedHealthClass: 'PREFERRED',
      approvedHealthClass: null,
      paymentMode: 'MONTHLY',
      annualPremium: '370.00',
      modalPremium: '32.38',
      status: 'IN_UNDERWRITING',
      allowedNextStatuses: [
        'REQUIREMENTS_OUTSTANDING',
        'APPROVED',
        'APPROVED_OTHER_THAN_APPLIED',
        'DECLINED',
        'POSTPONED',
        'WITHDRAWN',
        'INCOMPLETE',
      ],
      carrierReference: null,
      submittedAt: TIE,
      closedAt: null,
      daysPending: daysSince(TIE),
    });
    // Requirements in the order they were ordered; age to receipt, or to today while outstanding.
    expect(c.requirements).toEqual([
      {
        id: `req_rd${RUN}_mib`,
        code: 'MIB',
        status: 'RECEIVED',
        orderedAt: '2024-05-10T12:30:00.000Z',
        receivedAt: '2024-05-20T08:00:00.000Z',
        followUpOn: '2024-05-12',
        ageDays: 10,
        note: null,
      },
      {
        id: `req_rd${RUN}_aps`,
        code: 'APS',
        status: 'ORDERED',
        orderedAt: '2024-05-10T13:00:00.000Z',
        receivedAt: null,
        followUpOn: '2024-05-31',
        ageDays: daysSince('2024-05-10'),
        note: null,
      },
    ]);
    // History oldest first.
    expect(c.events.map((e: { type: string; toStatus: string | null }) => [e.type, e.toStatus])).toEqual([
      ['STATUS_CHANGED', 'SUBMITTED'],
      ['REQUIREMENT_ORDERED', null],
      ['STATUS_CHANGED', 'IN_UNDERWRITING'],
    ]);
    expect(c.events[1]).toMatchObject({ requirementCode: 'MIB', actor: 'user:test-read', fromStatus: null });
  });

  it('stops counting days pending once a case is closed, and offers no next status', async () => {
    const response = await ask(
      `query($n: String!) { caseByNumber(caseNumber: $n) { id status daysPending allowedNextStatuses placedAt closedAt requirements { id } events { type } } }`,
      {
        n: placed.caseNumber,
      },
    );
    expect(response.data!.caseByNumber).toEqual({
      id: placed.id,
      status: 'PLACED',
      daysPending: null,
      allowedNextStatuses: [],
      placedAt: '2024-07-15T10:00:00.000Z',
      closedAt: '2024-07-15T10:00:00.000Z',
      requirements: [],
      events: [],
    });
  });
});

describe('Agent.cases', () => {
  const AGENT_CASES = `query($r: [_Any!]!, $f: CaseFilter) { _entities(representations: $r) { ... on Agent { id cases(first: 200, filter: $f) { edges { node { id } } } } } }`;
  const idsOf = (entity: { cases: { edges: { node: { id: string } }[] } }) => entity.cases.edges.map((e) => e.node.id).sort();

  it("lists each agent's own cases, one page statement per agent", async () => {
    const response = await ask(AGENT_CASES, {
      r: [
        { __typename: 'Agent', id: AGENT_A },
        { __typename: 'Agent', id: AGENT_B },
      ],
      f: { carrierIds: [CARRIER] },
    });
    expect(response.errors).toBeUndefined();
    const [a, b] = response.data!._entities;
    expect(idsOf(a)).toEqual(
      fixtures
        .filter((f) => f.agentId === AGENT_A)
        .map((f) => f.id)
        .sort(),
    );
    expect(idsOf(b)).toEqual(
      fixtures
        .filter((f) => f.agentId === AGENT_B)
        .map((f) => f.id)
        .sort(),
    );
    expect(response.extensions!.stats.sql).toBe(2);
  });

  it('keeps every condition of the filter, agentIds included', async () => {
    const other = await ask(AGENT_CASES, { r: [{ __typename: 'Agent', id: AGENT_A }], f: { agentIds: [AGENT_B] } });
    expect(other.data!._entities[0].cases.edges).toEqual([]);
    const both = await ask(AGENT_CASES, {
      r: [{ __typename: 'Agent', id: AGENT_B }],
      f: { agentIds: [AGENT_A, AGENT_B], statuses: ['PLACED'] },
    });
    expect(idsOf(both.data!._entities[0])).toEqual([placed.id]);
    expect(codes(await ask(AGENT_CASES, { r: [{ __typename: 'Agent', id: AGENT_A }], f: { agentIds: ['car_nope'] } }))).toEqual([
      'BAD_USER_INPUT',
    ]);
  });
});

describe('Case references', () => {
  it('resolves representations in order, null for unknown ones, with one statement per table', async () => {
    const response = await ask(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Case { id carrier { id } carrierReference requirements { code } events { type } changes { id } } } }`,
      {
        r: [
          { __typename: 'Case', id: placed.id },
          { __typename: 'Case', id: `case_rd${RUN}_unknown` },
          { __typename: 'Case', id: open.id },
        ],
      },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!._entities.map((e: { id: string } | null) => e?.id ?? null)).toEqual([placed.id, null, open.id]);
    expect(response.data!._entities[2]).toMatchObject({
      carrier: { id: CARRIER },
      carrierReference: null,
      requirements: [{ code: 'MIB' }, { code: 'APS' }],
      changes: [],
    });
    // The cases, their requirements, events and changes: one statement each, however many cases are asked.
    expect(response.extensions!.stats.sql).toBe(4);
  });
});

describe('who may read, and bad input', () => {
  it('refuses unsigned calls with 401, and signed anonymous callers everywhere, _entities included', async () => {
    const unsigned = await ask('{ cases { edges { node { id } } } }', {}, null);
    expect(unsigned.status).toBe(401);
    expect(codes(unsigned)).toEqual(['UNAUTHENTICATED']);
    for (const [query, variables] of [
      ['{ cases { edges { node { id } } } }', {}],
      ['query($id: ID!) { case(id: $id) { id } }', { id: open.id }],
      ['query($n: String!) { caseByNumber(caseNumber: $n) { id } }', { n: open.caseNumber }],
      ['query($r: [_Any!]!) { _entities(representations: $r) { ... on Case { id } } }', { r: [{ __typename: 'Case', id: open.id }] }],
      [
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on Agent { cases { totalCount } } } }',
        { r: [{ __typename: 'Agent', id: AGENT_A }] },
      ],
    ] as const) {
      const response = await ask(query, variables as Record<string, unknown>, ANONYMOUS);
      expect({ query, codes: codes(response) }).toEqual({ query, codes: ['UNAUTHENTICATED'] });
      expect(JSON.stringify(response.data ?? null)).not.toContain(open.id);
    }
  });

  it('answers null for unknown ids and BAD_USER_INPUT for malformed ids and cursors, never echoing them', async () => {
    const unknown = await ask('query($id: ID!, $n: String!) { case(id: $id) { id } caseByNumber(caseNumber: $n) { id } }', {
      id: `case_rd${RUN}_none`,
      n: 'RD-1',
    });
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data).toEqual({ case: null, caseByNumber: null });
    for (const [query, variables] of [
      ['query($id: ID!) { case(id: $id) { id } }', { id: 'Zebulon Quartermaine' }],
      ['query($n: String!) { caseByNumber(caseNumber: $n) { id } }', { n: 'Zebulon Quartermaine' }],
      [PAGE, { after: 'Zebulon Quartermaine' }],
      [PAGE, { after: Buffer.from(JSON.stringify(['2024-05-10T12:00:00.000Z'])).toString('base64url') }],
      [PAGE, { filter: { carrierIds: ['Zebulon Quartermaine'] } }],
      [PAGE, { first: -1 }],
    ] as const) {
      const response = await ask(query, variables as Record<string, unknown>);
      expect({ variables, codes: codes(response) }).toEqual({ variables, codes: ['BAD_USER_INPUT'] });
      expect(JSON.stringify(response.errors)).not.toContain('Zebulon');
    }
  });
});
