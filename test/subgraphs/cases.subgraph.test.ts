/**
 * The cases subgraph on its own, over real HTTP against the seeded test database: lists and their
 * SQL cost, keyset pagination in both orders, filters, references, and bad input.
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
let subgraph: RunningSubgraph;
let pool: pg.Pool;
const ask = (query: string, variables: Record<string, unknown> = {}, identity: Identity | null = STAFF) =>
  graphql(subgraph.url, query, variables, { headers: identity ? signIdentity(identity, DEV_IDENTITY_SECRET) : {} });
const sql = async (text: string, params: unknown[] = []) => (await pool.query(text, params)).rows;

beforeAll(async () => {
  subgraph = await startSubgraph(
    casesSubgraph,
    readCommonConfig({ DATABASE_URL: process.env.DATABASE_URL, DEBUG_STATS: 'true', LOG_LEVEL: 'silent' }),
    0,
  );
  pool = testPool(2);
});

afterAll(async () => {
  await subgraph.stop();
  await pool.end();
});

const PAGE = `query($first: Int, $after: String, $orderBy: CaseOrder, $filter: CaseFilter, $count: Boolean!) {
  cases(first: $first, after: $after, orderBy: $orderBy, filter: $filter) {
    totalCount @include(if: $count)
    edges { cursor node { id submittedAt status } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  } }`;

async function walk(variables: Record<string, unknown>): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let i = 0; i < 100; i++) {
    const response = await ask(PAGE, { ...variables, after, count: false });
    expect(response.errors).toBeUndefined();
    const connection = response.data!.cases;
    ids.push(...connection.edges.map((e: { node: { id: string } }) => e.node.id));
    expect(connection.pageInfo.hasPreviousPage).toBe(after !== null);
    if (!connection.pageInfo.hasNextPage) return ids;
    after = connection.pageInfo.endCursor;
  }
  throw new Error('too many pages');
}

describe('cases subgraph', () => {
  it('refuses unsigned calls', async () => {
    const response = await ask('{ cases { edges { node { id } } } }', {}, null);
    expect(response.status).toBe(401);
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('lists 200 cases with references, requirements and events in three statements', async () => {
    const response = await ask(`{ cases(first: 200) { edges { node { id agent { id } carrier { id } product { id }
      insured { state } annualPremium modalPremium allowedNextStatuses daysPending requirements { code status ageDays } events { type actor } } } } }`);
    expect(response.errors).toBeUndefined();
    const nodes = response.data!.cases.edges.map((e: { node: Record<string, any> }) => e.node);
    expect(nodes).toHaveLength(200);
    expect(nodes[0].agent.id).toMatch(/^agt_/);
    expect(nodes[0].annualPremium).toMatch(/^\d+\.\d{2}$/);
    expect(nodes.some((n: { requirements: unknown[] }) => n.requirements.length > 0)).toBe(true);
    expect(nodes.every((n: { events: unknown[] }) => n.events.length > 0)).toBe(true);
    expect(response.extensions!.stats.sql).toBe(3);
  });

  it('pages through every case of many agents, newest first and oldest first, with no gap or duplicate', async () => {
    // Seeded agents other tests leave alone, so that cases written meanwhile by other suites do not move the list.
    const agentIds = (
      await sql(
        `SELECT agent_id FROM cases."case" WHERE agent_id LIKE 'agt_0%' AND agent_id <> 'agt_0001' GROUP BY 1 ORDER BY count(*) DESC LIMIT 30`,
      )
    ).map((r) => r.agent_id);
    const [{ n }] = await sql('SELECT count(*)::int AS n FROM cases."case" WHERE agent_id = ANY($1)', [agentIds]);
    expect(n).toBeGreaterThan(250);
    const desc = await walk({ first: 97, orderBy: 'SUBMITTED_AT_DESC', filter: { agentIds } });
    const asc = await walk({ first: 120, orderBy: 'SUBMITTED_AT_ASC', filter: { agentIds } });
    expect(desc.length).toBe(n);
    expect(new Set(desc).size).toBe(n);
    expect(asc).toEqual([...desc].reverse());
    const expected = (
      await sql('SELECT id FROM cases."case" WHERE agent_id = ANY($1) ORDER BY submitted_at DESC, id DESC', [agentIds])
    ).map((r) => r.id);
    expect(desc).toEqual(expected);
  });

  it('filters by status, carrier, agent, dates and openness, and counts only when asked', async () => {
    const [sample] = await sql(
      `SELECT agent_id, carrier_id, to_char(submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day FROM cases."case" ORDER BY id LIMIT 1`,
    );
    const filter = {
      agentIds: [sample.agent_id],
      carrierIds: [sample.carrier_id],
      submittedFrom: sample.day,
      submittedTo: sample.day,
      open: false,
    };
    const [{ n }] = await sql(
      `SELECT count(*)::int AS n FROM cases."case" WHERE agent_id = $1 AND carrier_id = $2 AND (submitted_at AT TIME ZONE 'UTC')::date = $3::date
         AND status IN ('PLACED','DECLINED','POSTPONED','WITHDRAWN','INCOMPLETE','NOT_TAKEN')`,
      [sample.agent_id, sample.carrier_id, sample.day],
    );
    const counted = await ask(PAGE, { first: 5, filter, count: true });
    expect(counted.data!.cases.totalCount).toBe(n);
    const uncounted = await ask(PAGE, { first: 5, filter, count: false });
    expect(counted.extensions!.stats.sql).toBe(uncounted.extensions!.stats.sql + 1);

    const open = await ask(PAGE, { first: 200, filter: { open: true }, count: true });
    const [{ n: openCount }] = await sql(
      `SELECT count(*)::int AS n FROM cases."case" WHERE status NOT IN ('PLACED','DECLINED','POSTPONED','WITHDRAWN','INCOMPLETE','NOT_TAKEN')`,
    );
    expect(open.data!.cases.totalCount).toBe(openCount);
    const statuses = await ask(PAGE, { first: 200, filter: { statuses: ['DECLINED', 'POSTPONED'] }, count: false });
    expect(new Set(statuses.data!.cases.edges.map((e: { node: { status: string } }) => e.node.status))).toEqual(
      new Set(['DECLINED', 'POSTPONED']),
    );
  });

  it('answers null for unknown ids and BAD_USER_INPUT for malformed ids, cursors, ranges and sizes', async () => {
    const unknown = await ask('{ case(id: "case_999999") { id } caseByNumber(caseNumber: "BGA-9999999") { id } }');
    expect(unknown.data).toEqual({ case: null, caseByNumber: null });
    for (const [query, variables] of [
      ['query($id: ID!) { case(id: $id) { id } }', { id: 'agt_0001' }],
      [PAGE, { after: 'garbage', count: false }],
      [PAGE, { after: Buffer.from(JSON.stringify(['not a date', 'case_1'])).toString('base64url'), count: false }],
      [PAGE, { filter: { submittedFrom: '2025-02-01', submittedTo: '2025-01-01' }, count: false }],
      [PAGE, { filter: { agentIds: ['car_x'] }, count: false }],
      [PAGE, { first: 201, count: false }],
      [PAGE, { filter: { submittedFrom: '2025-13-01' }, count: false }],
    ] as const) {
      expect({ variables, codes: codes(await ask(query, variables as Record<string, unknown>)) }).toEqual({
        variables,
        codes: ['BAD_USER_INPUT'],
      });
    }
  });

  it('resolves cases as entities, in order, with null for unknown ones', async () => {
    const [a, b] = await sql('SELECT id, case_number FROM cases."case" ORDER BY id LIMIT 2');
    const response = await ask(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Case { id caseNumber carrierReference } } }',
      {
        r: [
          { __typename: 'Case', id: b.id },
          { __typename: 'Case', id: 'case_nope' },
          { __typename: 'Case', id: a.id },
        ],
      },
    );
    expect(response.data!._entities.map((e: { caseNumber: string } | null) => e?.caseNumber ?? null)).toEqual([
      b.case_number,
      null,
      a.case_number,
    ]);
    expect(response.extensions!.stats.sql).toBe(1);
  });

  it("shows an agent's cases through Agent.cases", async () => {
    const [{ agent_id: agentId, n }] = await sql(
      'SELECT agent_id, count(*)::int AS n FROM cases."case" GROUP BY 1 ORDER BY 2 DESC LIMIT 1',
    );
    const response = await ask(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Agent { cases(first: 200) { totalCount edges { node { id } } } } } }',
      {
        r: [{ __typename: 'Agent', id: agentId }],
      },
    );
    expect(response.data!._entities[0].cases.totalCount).toBe(n);
    expect(response.data!._entities[0].cases.edges).toHaveLength(Math.min(n, 200));
  });
});
