/**
 * submitCase through the gateway: the checks that run before anything is written (input, scope,
 * eligibility asked of the agents subgraph, price asked of the carriers subgraph), and that a refused
 * submission writes nothing. A carrier that cannot price the case (a simulated outage) is
 * CARRIER_UNAVAILABLE; the whole round trip is in new-business.test.ts.
 */
import type pg from 'pg';
import { CARRIERS } from '../../subgraphs/carriers/fixtures/carriers.fixture';
import { codes, graphql } from '../support/graphql';
import { startStack, type Stack } from '../support/stack';
import { testPool } from '../support/test-pool';

let stack: Stack;
let pool: pg.Pool;
const SUBMIT = `mutation($input: SubmitCaseInput!) { submitCase(input: $input) { id caseNumber status } }`;

/** An ACTIVE agent with current E&O and an ACTIVE appointment in a licensed state at an ACORD carrier: eligible there. */
async function eligibleAgent(): Promise<{
  target: { agentId: string; carrierId: string; productId: string };
  state: string;
  code: string;
}> {
  const [row] = (
    await pool.query(
      `
      SELECT a.id AS "agentId", p.carrier_id AS "carrierId", p.state, pr.id AS "productId"
        FROM agents.agent a
        JOIN agents.appointment p ON p.agent_id = a.id AND p.status = 'ACTIVE' AND p.carrier_id = ANY($1)
        JOIN agents.license l ON l.agent_id = a.id AND l.state = p.state AND l.resident = (l.state = a.resident_state)
             AND 'LIFE' = ANY(l.lines_of_authority) AND l.expires_on >= current_date AND l.effective_on <= current_date AND NOT l.revoked
        JOIN carriers.product pr ON pr.carrier_id = p.carrier_id AND pr.type = 'TERM' AND p.state = ANY(pr.available_states)
       WHERE a.status = 'ACTIVE' AND a.eo_expires_on >= current_date
       ORDER BY a.id LIMIT 1`,
      [CARRIERS.filter((c) => c.protocol === 'ACORD').map((c) => c.id)],
    )
  ).rows;
  const { state, ...target } = row;
  return { target, state, code: CARRIERS.find((c) => c.id === row.carrierId)!.code };
}

const input = (over: Record<string, unknown>) => ({
  idempotencyKey: `k-${Math.random().toString(36).slice(2)}`,
  insured: { firstName: 'Pat', lastName: 'Example', birthDate: '1988-06-15', gender: 'FEMALE', state: 'TX', tobacco: false },
  faceAmount: 500_000,
  termYears: 20,
  healthClass: 'PREFERRED',
  ...over,
});

beforeAll(async () => {
  stack = await startStack();
  pool = testPool(1);
});

afterAll(async () => {
  await stack?.stop();
  await pool?.end();
});

const countCases = async () => (await pool.query('SELECT count(*)::int AS n FROM cases."case"')).rows[0].n;

describe('submitCase checks before it writes', () => {
  it('refuses bad input with every reason, and writes nothing', async () => {
    const { target, state } = await eligibleAgent();
    const before = await countCases();
    const response = await graphql(
      stack.url,
      SUBMIT,
      {
        input: input({
          ...target,
          faceAmount: 0,
          tableRating: 9,
          insured: { firstName: ' ', lastName: 'X', birthDate: '2999-01-01', gender: 'MALE', state, tobacco: false },
        }),
      },
      { token: await stack.token('STAFF') },
    );
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0].extensions!.reasons).toEqual([
      'insured.firstName must be 1 to 100 characters',
      'insured.birthDate must be a date in the past',
      'faceAmount must be a whole number of dollars from 1 to 100,000,000',
      'tableRating must be between 0 and 8',
    ]);
    // No personal data in the error.
    expect(JSON.stringify(response.errors)).not.toContain('2999-01-01');
    expect(await countCases()).toBe(before);
  });

  it('refuses an agent submitting for an agent outside their hierarchy, and roles that may not submit', async () => {
    const { target, state } = await eligibleAgent();
    // An agent with no downline sees only themself.
    const [{ id: stranger }] = (
      await pool.query(
        `SELECT id FROM agents.agent a WHERE id <> $1 AND NOT EXISTS (SELECT 1 FROM agents.agent d WHERE d.upline_id = a.id) ORDER BY id DESC LIMIT 1`,
        [target.agentId],
      )
    ).rows;
    const asStranger = await graphql(
      stack.url,
      SUBMIT,
      { input: input({ ...target, insured: { ...input({}).insured, state } }) },
      { token: await stack.agentToken(stranger) },
    );
    expect(codes(asStranger)).toEqual(['FORBIDDEN']);
    const anonymous = await graphql(stack.url, SUBMIT, { input: input({ ...target }) });
    expect(codes(anonymous)).toEqual(['UNAUTHENTICATED']);
  });

  it('explains an ineligible agent with the eligibility reasons', async () => {
    const { target } = await eligibleAgent();
    const [{ state: unlicensed }] = (
      await pool.query(
        `SELECT s AS state FROM unnest(ARRAY['AK','HI','VT','WY','ND','SD']) s WHERE NOT EXISTS (SELECT 1 FROM agents.license WHERE agent_id = $1 AND state = s) LIMIT 1`,
        [target.agentId],
      )
    ).rows;
    const response = await graphql(
      stack.url,
      SUBMIT,
      { input: input({ ...target, insured: { ...input({}).insured, state: unlicensed } }) },
      { token: await stack.token('STAFF') },
    );
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0].extensions!.reasons).toContain('agent: NOT_LICENSED_IN_STATE');
  });

  it("answers the carriers subgraph's BAD_USER_INPUT as it is (no termYears for a TERM product), not SERVICE_UNAVAILABLE", async () => {
    const { target, state } = await eligibleAgent();
    const before = await countCases();
    const response = await graphql(
      stack.url,
      SUBMIT,
      { input: { ...input({ ...target, insured: { ...input({}).insured, state } }), termYears: undefined } },
      { token: await stack.token('STAFF') },
    );
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    // The carriers subgraph's own words (compareQuotes), not "a dependency failed".
    expect(response.errors![0].message).toBe('termYears is required for TERM');
    expect(response.errors![0].extensions!.reasons).toEqual(['termYears is required for TERM']);
    expect(await countCases()).toBe(before);
  });

  it('answers CARRIER_UNAVAILABLE when the carrier cannot price the case, and writes nothing', async () => {
    const { target, state, code } = await eligibleAgent();
    const before = await countCases();
    stack.simulators.control.setFault(code, '5xx', { kinds: ['quote'] });
    try {
      const response = await graphql(
        stack.url,
        SUBMIT,
        { input: input({ ...target, insured: { ...input({}).insured, state } }) },
        { token: await stack.token('STAFF') },
      );
      expect(codes(response)).toEqual(['CARRIER_UNAVAILABLE']);
      expect(await countCases()).toBe(before);
    } finally {
      stack.simulators.control.clearFaults();
    }
  });

  it('never echoes personal data in a variable error', async () => {
    const response = await graphql(
      stack.url,
      SUBMIT,
      { input: { ...input({ agentId: 'agt_0001', carrierId: 'car_x', productId: 'prd_x' }), unknownField: 1 } },
      { token: await stack.token('STAFF') },
    );
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(JSON.stringify(response.errors)).not.toMatch(/Pat|Example|1988-06-15/);
  });
});
