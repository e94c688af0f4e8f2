/**
 * The federated graph end to end over real HTTP: gateway -> three subgraphs -> the test database,
 * with the carrier simulators running. Asserts data from every subgraph, the work a dashboard query
 * costs (SQL statements and subgraph fetches, from extensions.stats), partial data when a subgraph
 * is down, authentication, and coded errors for bad input.
 */
import { startSubgraph } from '../../subgraphs/shared/subgraph-server';
import { readCommonConfig } from '../../platform/config';
import { agentsSubgraph } from '../../subgraphs/agents/agents.subgraph';
import { codes, graphql } from '../support/graphql';
import { startStack, type Stack } from '../support/stack';
import { testPool } from '../support/test-pool';

let stack: Stack;
let staff: string;

beforeAll(async () => {
  stack = await startStack();
  staff = await stack.token('STAFF');
});

afterAll(() => stack?.stop());

const DONE_WHEN = `{ cases(first: 5, filter: {open: true}) { totalCount edges { node { caseNumber status
  agent { npn lastName licenses { state } } carrier { name amBestRating } product { name } requirements { code status } } } } }`;

describe('the federated graph', () => {
  it('answers the quick-start query with data from all three subgraphs', async () => {
    const response = await graphql(stack.url, DONE_WHEN, {}, { token: staff });
    expect(response.errors).toBeUndefined();
    const { totalCount, edges } = response.data!.cases;
    expect(totalCount).toBeGreaterThan(0);
    expect(edges).toHaveLength(5);
    for (const { node } of edges) {
      expect(node.status).not.toMatch(/^(PLACED|DECLINED|POSTPONED|WITHDRAWN|INCOMPLETE|NOT_TAKEN)$/);
      expect(node.agent.npn).toMatch(/^\d+$/);
      expect(node.agent.licenses.length).toBeGreaterThan(0);
      expect(node.carrier.name).toEqual(expect.any(String));
      expect(node.carrier.amBestRating).toMatch(/^(A|B)/);
      expect(node.product.name).toEqual(expect.any(String));
    }
    expect(Object.keys(response.extensions!.stats).sort()).toEqual(['agents', 'carriers', 'cases']);
  });

  it('lists 200 cases with their references at one statement per table and one fetch per subgraph', async () => {
    const response = await graphql(
      stack.url,
      `{ cases(first: 200) { edges { node { id agent { id npn lastName } carrier { id name } product { id name type } requirements { code status } } } } }`,
      {},
      { token: staff },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.cases.edges).toHaveLength(200);
    const stats = response.extensions!.stats;
    // cases: the page and the requirements; agents: agent rows; carriers: carrier and product rows.
    expect(stats.cases).toMatchObject({ fetches: 1, sql: 2 });
    expect(stats.agents).toMatchObject({ fetches: 1, sql: 1 });
    expect(stats.carriers.fetches).toBe(1);
    expect(stats.carriers.sql).toBeLessThanOrEqual(2);
  });

  it('serves carriers and products without a token, and nothing else', async () => {
    const open = await graphql(stack.url, '{ carriers { id name products { id code } } }', {}, { debugStats: false });
    expect(open.errors).toBeUndefined();
    expect(open.data!.carriers.length).toBeGreaterThanOrEqual(12);
    const closed = await graphql(stack.url, '{ cases(first: 1) { edges { node { id } } } }');
    expect(codes(closed)).toEqual(['UNAUTHENTICATED']);
  });

  it('answers a forged, expired or malformed token with 401 UNAUTHENTICATED', async () => {
    const forged = `${staff.slice(0, -4)}AAAA`;
    for (const token of [forged, 'not-a-jwt']) {
      const response = await graphql(stack.url, '{ carriers { id } }', {}, { token });
      expect(response.status).toBe(401);
      expect(codes(response)).toEqual(['UNAUTHENTICATED']);
    }
  });

  it('gives null for unknown ids and BAD_USER_INPUT for malformed variables, never a 500', async () => {
    const unknown = await graphql(
      stack.url,
      'query($id: ID!) { case(id: $id) { id } agent(id: "agt_9999") { id } }',
      { id: 'case_999999' },
      { token: staff },
    );
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data).toEqual({ case: null, agent: null });
    const bad: [string, Record<string, unknown>][] = [
      ['query($id: ID!) { case(id: $id) { id } }', { id: 'agt_0001' }],
      ['query($after: String) { cases(first: 2, after: $after) { edges { node { id } } } }', { after: 'bm90LWEtY3Vyc29y' }],
      ['query($f: CaseFilter) { cases(first: 2, filter: $f) { edges { node { id } } } }', { f: { submittedFrom: '2025-02-30' } }],
      ['query($f: CaseFilter) { cases(first: 2, filter: $f) { edges { node { id } } } }', { f: { statuses: ['LOST'] } }],
    ];
    for (const [query, variables] of bad) {
      const response = await graphql(stack.url, query, variables, { token: staff });
      expect({ query, variables, status: response.status < 500, codes: codes(response) }).toEqual({
        query,
        variables,
        status: true,
        codes: ['BAD_USER_INPUT'],
      });
    }
    const literal = await graphql(
      stack.url,
      '{ cases(first: 2, filter: { statuses: [LOST] }) { edges { node { id } } } }',
      {},
      { token: staff },
    );
    expect(codes(literal)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('keeps answering the case list with agent: null and a path-scoped error while the agents subgraph is down', async () => {
    const agentsUrl = stack.subgraphs.agents.url;
    await stack.subgraphs.agents.stop();
    try {
      const response = await graphql(
        stack.url,
        '{ cases(first: 3) { edges { node { caseNumber agent { npn } carrier { name } } } } }',
        {},
        { token: staff },
      );
      expect(response.data!.cases.edges).toHaveLength(3);
      for (const { node } of response.data!.cases.edges) {
        expect(node.caseNumber).toEqual(expect.any(String));
        expect(node.agent).toBeNull();
        expect(node.carrier.name).toEqual(expect.any(String));
      }
      expect(response.errors!.length).toBeGreaterThan(0);
      expect(response.errors![0].extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', serviceName: 'agents' });
      expect(response.errors![0].path?.[0]).toBe('cases');
      // The gateway says which part is missing, and stays in service (degraded, not unavailable).
      const ready = await fetch(new URL('/ready', stack.url));
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({
        status: 'degraded',
        supergraph: true,
        subgraphs: { agents: 'down', cases: 'up', carriers: 'up' },
      });
    } finally {
      // Bring it back on the same port for the tests that follow.
      const port = Number(new URL(agentsUrl).port);
      stack.subgraphs.agents = await startSubgraph(
        agentsSubgraph,
        readCommonConfig({ ...process.env, DEBUG_STATS: 'true', LOG_LEVEL: 'silent' }),
        port,
      );
    }
    expect(await (await fetch(new URL('/ready', stack.url))).json()).toMatchObject({ status: 'ready', subgraphs: { agents: 'up' } });
    const recovered = await graphql(stack.url, '{ cases(first: 1) { edges { node { agent { npn } } } } }', {}, { token: staff });
    expect(recovered.errors).toBeUndefined();
    expect(recovered.data!.cases.edges[0].node.agent.npn).toEqual(expect.any(String));
  });

  it("scopes an agent to their own and their downline's cases, by every route, via the agents subgraph", async () => {
    const pool = testPool(1);
    try {
      // An agency (top of a hierarchy) and the cases of its whole downline, straight from the database.
      const [{ id: agency }] = (await pool.query(`SELECT id FROM agents.agent WHERE upline_id IS NULL ORDER BY id LIMIT 1`)).rows;
      const scope = (
        await pool.query(
          `WITH RECURSIVE s(id) AS (SELECT $1::text UNION SELECT a.id FROM agents.agent a JOIN s ON a.upline_id = s.id) SELECT id FROM s`,
          [agency],
        )
      ).rows.map((r) => r.id);
      const [{ n }] = (await pool.query(`SELECT count(*)::int AS n FROM cases."case" WHERE agent_id = ANY($1)`, [scope])).rows;
      const [outside] = (await pool.query(`SELECT id, case_number FROM cases."case" WHERE NOT (agent_id = ANY($1)) LIMIT 1`, [scope])).rows;
      const token = await stack.agentToken(agency);

      const list = await graphql(stack.url, '{ cases(first: 200) { totalCount edges { node { agent { id } } } } }', {}, { token });
      expect(list.errors).toBeUndefined();
      expect(list.data!.cases.totalCount).toBe(n);
      expect(list.data!.cases.edges.every((e: { node: { agent: { id: string } } }) => scope.includes(e.node.agent.id))).toBe(true);

      const other = await graphql(
        stack.url,
        'query($id: ID!, $no: String!) { case(id: $id) { id } caseByNumber(caseNumber: $no) { id } }',
        { id: outside.id, no: outside.case_number },
        { token },
      );
      expect(other.data).toEqual({ case: null, caseByNumber: null });
      const metrics = await graphql(stack.url, '{ caseMetrics { totals { submitted } } }', {}, { token });
      expect(metrics.data!.caseMetrics.totals.submitted).toBe(n);
      const mutation = await graphql(
        stack.url,
        'mutation($id: ID!) { addCaseNote(caseId: $id, note: "hello") { type } }',
        { id: outside.id },
        { token },
      );
      expect(codes(mutation)).toEqual(['NOT_FOUND']);
    } finally {
      await pool.end();
    }
  });
});
