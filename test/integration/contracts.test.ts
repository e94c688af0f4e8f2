/**
 * Contracts and the dated hierarchy, end to end through the gateway (docs/domain.md, "Contract levels
 * and commissions"): levels nest down the hierarchy (BGA -> agency -> agent) and every breach is
 * refused with a coded error naming the rule and written nowhere; upline moves are dated, so a
 * commission chain as of a date before a move follows the old upline; commissionChains is internal
 * (SERVICE only, not in the public API) and costs a fixed number of SQL statements for any number
 * of agents.
 */
import type pg from 'pg';
import { DEV_IDENTITY_SECRET } from '../../platform/config';
import { type Identity, signIdentity } from '../../platform/identity';
import { codes, type GraphqlResponse, graphql } from '../support/graphql';
import { startStack, type Stack } from '../support/stack';
import { testPool } from '../support/test-pool';

const RUN = `k${Date.now().toString(36)}`;
const CARRIER = `car_${RUN}`;
const PRODUCT = `prd_${RUN}_term`;
const AGENCY_A = `agt_${RUN}_agency_a`;
const AGENCY_B = `agt_${RUN}_agency_b`;
const AGENT_X = `agt_${RUN}_x`;
const AGENT_Y = `agt_${RUN}_y`;
const AGENT_Z = `agt_${RUN}_z`;
const NO_CONTRACT = `agt_${RUN}_none`;

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const TODAY = day(0);
/** The day agent X moves from agency A to agency B. */
const MOVED_ON = day(-30);

let stack: Stack;
let pool: pg.Pool;
let admin: string;

const SERVICE: Identity = { sub: 'service:cases', role: 'SERVICE' };

const gateway = (query: string, variables: Record<string, unknown> = {}, token = admin) => graphql(stack.url, query, variables, { token });
const direct = (query: string, variables: Record<string, unknown>, identity: Identity): Promise<GraphqlResponse> =>
  graphql(stack.subgraphs.agents.url, query, variables, { headers: signIdentity(identity, DEV_IDENTITY_SECRET) });

const SET_LEVEL = `mutation($a: ID!, $c: ID!, $l: String!) { setContractLevel(agentId: $a, carrierId: $c, levelCode: $l) { levelCode effectiveOn carrier { id } } }`;
const setLevel = (agentId: string, levelCode: string) => gateway(SET_LEVEL, { a: agentId, c: CARRIER, l: levelCode });
const CHANGE_UPLINE = `mutation($a: ID!, $u: ID, $on: Date!) { changeUpline(agentId: $a, uplineId: $u, effectiveOn: $on) { id upline { id } } }`;
const changeUpline = (agentId: string, uplineId: string | null, effectiveOn: string) =>
  gateway(CHANGE_UPLINE, { a: agentId, u: uplineId, on: effectiveOn });
const CHAINS = `query($c: ID!, $p: ID!, $ids: [ID!]!, $asOf: Date!) {
  commissionChains(carrierId: $c, productId: $p, agentIds: $ids, asOf: $asOf) {
    agentId chargebackMonths lapseChargeback levels { partyId levelCode firstYearBasisPoints renewalBasisPoints renewalYears }
  }
}`;
const chains = (agentIds: string[], asOf: string, identity: Identity = SERVICE) =>
  direct(CHAINS, { c: CARRIER, p: PRODUCT, ids: agentIds, asOf }, identity);

const events = async (agentId: string) =>
  (await pool.query(`SELECT type, note FROM agents.agent_event WHERE agent_id = $1 ORDER BY id`, [agentId])).rows as {
    type: string;
    note: string;
  }[];
const contractRows = async () =>
  (await pool.query(`SELECT agent_id, level_code FROM agents.agent_contract WHERE carrier_id = $1 ORDER BY agent_id`, [CARRIER])).rows;

beforeAll(async () => {
  stack = await startStack({ env: { OUTBOX_POLL_MS: '0' } });
  pool = testPool(2);
  admin = await stack.token('ADMIN');
  // A carrier of this test's own: its levels, the BGA at L120, and a term schedule (a level's percent first-year, 2% renewals).
  await pool.query(
    `INSERT INTO agents.contract_level (carrier_id, code, rank) SELECT $1, 'L' || r, r FROM unnest('{130,120,100,95,85,70}'::int[]) r`,
    [CARRIER],
  );
  await pool.query(`INSERT INTO agents.bga_contract (carrier_id, level_code, effective_on) VALUES ($1, 'L120', '2020-01-01')`, [CARRIER]);
  await pool.query(
    `INSERT INTO agents.commission_schedule (carrier_id, product_id, level_code, first_year_basis_points, renewal_basis_points,
       renewal_years, chargeback_months, lapse_chargeback)
     SELECT $1, $2, code, rank * 100, rank * 2, 10, 12, 'PRO_RATA' FROM agents.contract_level WHERE carrier_id = $1`,
    [CARRIER, PRODUCT],
  );
  const agents: [string, string | null][] = [
    [AGENCY_A, null],
    [AGENCY_B, null],
    [AGENT_X, AGENCY_A],
    [AGENT_Y, AGENCY_A],
    [AGENT_Z, AGENT_Y],
    [NO_CONTRACT, AGENCY_A],
  ];
  for (const [n, [id, upline]] of agents.entries()) {
    await pool.query(
      `INSERT INTO agents.agent (id, npn, first_name, last_name, email, resident_state, status, upline_id)
       VALUES ($1, $2, 'Test', 'Contract', $3, 'TX', 'ACTIVE', $4)`,
      [id, `8${Date.now().toString().slice(-8)}${n}`, `${id}@example.com`, upline],
    );
  }
});

afterAll(async () => {
  await stack?.stop();
  await pool?.end();
});

describe('contract levels nest down the hierarchy', () => {
  it('sets levels (ADMIN), each with a CONTRACT_LEVEL_SET event', async () => {
    for (const [agentId, level] of [
      [AGENCY_A, 'L100'],
      [AGENCY_B, 'L70'],
      [AGENT_X, 'L85'],
      [AGENT_Y, 'L95'],
      [AGENT_Z, 'L85'],
    ]) {
      const response = await setLevel(agentId, level);
      expect(response.errors).toBeUndefined();
      expect(response.data!.setContractLevel).toEqual({ levelCode: level, effectiveOn: TODAY, carrier: { id: CARRIER } });
    }
    expect(await events(AGENT_X)).toEqual([{ type: 'CONTRACT_LEVEL_SET', note: `contract level L85 effective ${TODAY}` }]);
    const read = await gateway(
      `query($id: ID!) { agent(id: $id) { contracts { levelCode carrier { id } schedules { levelCode firstYearBasisPoints product { id } } } } }`,
      {
        id: AGENT_X,
      },
    );
    expect(read.data!.agent.contracts).toEqual([
      {
        levelCode: 'L85',
        carrier: { id: CARRIER },
        schedules: [{ levelCode: 'L85', firstYearBasisPoints: 8500, product: { id: PRODUCT } }],
      },
    ]);
  });

  it("refuses a child's level above its parent's, an agency's above the BGA's, and a parent's below a child's; writes nothing", async () => {
    const before = await contractRows();
    const eventsBefore = (await events(AGENT_X)).length;
    const aboveUpline = await setLevel(AGENT_X, 'L120');
    expect(codes(aboveUpline)).toEqual(['BAD_USER_INPUT']);
    expect(aboveUpline.errors![0].message).toBe(
      `contract level L120 is above the upline's L100 at carrier ${CARRIER} (upline ${AGENCY_A}): a child's level is never above its parent's`,
    );
    const aboveBga = await setLevel(AGENCY_A, 'L130');
    expect(codes(aboveBga)).toEqual(['BAD_USER_INPUT']);
    expect(aboveBga.errors![0].message).toMatch(new RegExp(`^contract level L130 is above the BGA's L120 at carrier ${CARRIER}`));
    const belowChild = await setLevel(AGENCY_A, 'L85');
    expect(codes(belowChild)).toEqual(['BAD_USER_INPUT']);
    expect(belowChild.errors![0].message).toBe(
      `contract level L85 is below L95 of downline agent ${AGENT_Y} at carrier ${CARRIER}: a parent's level is never below its child's`,
    );
    const future = await gateway(
      `mutation($a: ID!, $c: ID!, $on: Date!) { setContractLevel(agentId: $a, carrierId: $c, levelCode: "L70", effectiveOn: $on) { levelCode } }`,
      { a: AGENT_X, c: CARRIER, on: day(1) },
    );
    expect(codes(future)).toEqual(['BAD_USER_INPUT']);
    const unknown = await setLevel(AGENT_X, 'L99');
    expect(codes(unknown)).toEqual(['BAD_USER_INPUT']);
    const noUplineContract = await gateway(SET_LEVEL, { a: NO_CONTRACT, c: 'car_summit', l: 'L85' });
    expect(noUplineContract.errors![0].message).toBe(
      `the upline ${AGENCY_A} has no contract with carrier car_summit: contract the upline first`,
    );
    expect(await contractRows()).toEqual(before);
    expect(await events(AGENT_X)).toHaveLength(eventsBefore);
  });

  it('is for ADMIN only', async () => {
    expect(codes(await gateway(SET_LEVEL, { a: AGENT_X, c: CARRIER, l: 'L70' }, await stack.token('STAFF')))).toEqual(['FORBIDDEN']);
    expect(codes(await gateway(CHANGE_UPLINE, { a: AGENT_X, u: AGENCY_B, on: TODAY }, await stack.agentToken(AGENCY_A)))).toEqual([
      'FORBIDDEN',
    ]);
  });
});

describe('the dated hierarchy', () => {
  it('refuses moving an agent under an upline whose level is below theirs, a cycle, and a future date', async () => {
    const lower = await changeUpline(AGENT_X, AGENCY_B, MOVED_ON);
    expect(codes(lower)).toEqual(['BAD_USER_INPUT']);
    expect(lower.errors![0].message).toBe(
      `contract level L85 is above the upline's L70 at carrier ${CARRIER} (upline ${AGENCY_B}): a child's level is never above its parent's`,
    );
    const cycle = await changeUpline(AGENCY_A, AGENT_Z, MOVED_ON);
    expect(codes(cycle)).toEqual(['BAD_USER_INPUT']);
    expect(cycle.errors![0].message).toBe(
      `agent ${AGENT_Z} is in agent ${AGENCY_A}'s downline: moving ${AGENCY_A} under them would make a cycle`,
    );
    expect(codes(await changeUpline(AGENT_X, AGENT_X, MOVED_ON))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await changeUpline(AGENT_X, AGENCY_B, day(1)))).toEqual(['BAD_USER_INPUT']);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM agents.agent_hierarchy WHERE agent_id = ANY($1)`, [
      [AGENT_X, AGENCY_A],
    ]);
    expect(rows[0].n).toBe(0);
    expect((await events(AGENT_X)).map((e) => e.type)).not.toContain('UPLINE_CHANGED');
  });

  it('moves an agent from a date, with an UPLINE_CHANGED event; a chain before that date follows the old upline', async () => {
    expect((await setLevel(AGENCY_B, 'L95')).errors).toBeUndefined();
    const moved = await changeUpline(AGENT_X, AGENCY_B, MOVED_ON);
    expect(moved.errors).toBeUndefined();
    expect(moved.data!.changeUpline).toEqual({ id: AGENT_X, upline: { id: AGENCY_B } });
    expect((await events(AGENT_X)).at(-1)).toEqual({
      type: 'UPLINE_CHANGED',
      note: `upline ${AGENCY_A} -> ${AGENCY_B} effective ${MOVED_ON}`,
    });
    const history = await gateway(`query($id: ID!) { agent(id: $id) { uplineHistory { validFrom validTo upline { id } } } }`, {
      id: AGENT_X,
    });
    expect(history.data!.agent.uplineHistory).toEqual([
      { validFrom: null, validTo: MOVED_ON, upline: { id: AGENCY_A } },
      { validFrom: MOVED_ON, validTo: null, upline: { id: AGENCY_B } },
    ]);

    // The docs' worked example: agent 85%, agency 100%, BGA 120%, as of the day before the move.
    const before = await chains([AGENT_X], day(-31));
    expect(before.errors).toBeUndefined();
    expect(before.data!.commissionChains).toEqual([
      {
        agentId: AGENT_X,
        chargebackMonths: 12,
        lapseChargeback: 'PRO_RATA',
        levels: [
          { partyId: AGENT_X, levelCode: 'L85', firstYearBasisPoints: 8500, renewalBasisPoints: 170, renewalYears: 10 },
          { partyId: AGENCY_A, levelCode: 'L100', firstYearBasisPoints: 10000, renewalBasisPoints: 200, renewalYears: 10 },
          { partyId: 'BGA', levelCode: 'L120', firstYearBasisPoints: 12000, renewalBasisPoints: 240, renewalYears: 10 },
        ],
      },
    ]);
    for (const asOf of [MOVED_ON, TODAY]) {
      const after = await chains([AGENT_X], asOf);
      expect(after.data!.commissionChains[0].levels.map((l: { partyId: string }) => l.partyId)).toEqual([AGENT_X, AGENCY_B, 'BGA']);
    }
    // A second move must start after the current period's first day.
    expect(codes(await changeUpline(AGENT_X, AGENCY_A, MOVED_ON))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('commissionChains', () => {
  it('chains many agents in the order asked, uplines of uplines included, in the same number of SQL statements as one', async () => {
    const one = await chains([AGENT_Z], TODAY);
    expect(one.errors).toBeUndefined();
    expect(one.data!.commissionChains[0].levels.map((l: { partyId: string }) => l.partyId)).toEqual([AGENT_Z, AGENT_Y, AGENCY_A, 'BGA']);
    const many = await chains([AGENT_Z, AGENT_X, AGENT_Y, AGENCY_A, AGENCY_B], TODAY);
    expect(many.errors).toBeUndefined();
    expect(many.data!.commissionChains.map((c: { agentId: string }) => c.agentId)).toEqual([AGENT_Z, AGENT_X, AGENT_Y, AGENCY_A, AGENCY_B]);
    expect(one.extensions!.stats.sql).toBe(2);
    expect(many.extensions!.stats.sql).toBe(2);
  });

  it('chains every seeded agent contracted with a demo carrier (up to 100) in two statements too', async () => {
    const { rows } = await pool.query(
      `SELECT agent_id AS id FROM agents.agent_contract WHERE carrier_id = 'car_summit' AND agent_id ~ '^agt_[0-9]{4}$' ORDER BY agent_id LIMIT 100`,
    );
    const ids = rows.map((r) => r.id as string);
    expect(ids.length).toBeGreaterThanOrEqual(50);
    const response = await direct(CHAINS, { c: 'car_summit', p: 'prd_summit_level_term', ids, asOf: TODAY }, SERVICE);
    expect(response.errors).toBeUndefined();
    expect(response.data!.commissionChains.map((c: { agentId: string }) => c.agentId)).toEqual(ids);
    expect(response.extensions!.stats.sql).toBe(2);
  });

  it('fails with FAILED_PRECONDITION naming the agents whose chain is incomplete', async () => {
    const response = await chains([AGENT_X, NO_CONTRACT], TODAY);
    expect(codes(response)).toEqual(['FAILED_PRECONDITION']);
    expect(response.errors![0].extensions).toMatchObject({
      agentIds: [NO_CONTRACT],
      reasons: [`agent ${NO_CONTRACT} has no contract with carrier ${CARRIER}`],
    });
  });

  it('is SERVICE only: FORBIDDEN for ADMIN or AGENT on the subgraph, and not in the public API', async () => {
    for (const identity of [
      { sub: 'user:test-admin', role: 'ADMIN' },
      { sub: `user:${AGENT_X}`, role: 'AGENT', agentId: AGENT_X },
    ] as Identity[]) {
      expect(codes(await chains([AGENT_X], TODAY, identity))).toEqual(['FORBIDDEN']);
    }
    const publicCall = await gateway(CHAINS, { c: CARRIER, p: PRODUCT, ids: [AGENT_X], asOf: TODAY });
    expect(new Set(codes(publicCall))).toEqual(new Set(['GRAPHQL_VALIDATION_FAILED']));
    const introspection = await gateway(`{ __type(name: "Query") { fields { name } } }`);
    expect(introspection.data!.__type.fields.map((f: { name: string }) => f.name)).not.toContain('commissionChains');
    expect((await gateway(`{ __type(name: "CommissionChain") { name } }`)).data!.__type).toBeNull();
  });
});

describe('carrier contracting data', () => {
  it("shows the demo carrier's levels, the BGA's contract and schedules to ADMIN only", async () => {
    const query = `{ carrier(id: "car_summit") { contractLevels { code heldByBga } bgaContract { levelCode }
      commissionSchedules(productId: "prd_summit_level_term") { levelCode firstYearBasisPoints renewalYears chargebackMonths lapseChargeback product { id name } } } }`;
    const response = await gateway(query);
    expect(response.errors).toBeUndefined();
    const carrier = response.data!.carrier;
    expect(carrier.bgaContract).toEqual({ levelCode: 'L120' });
    expect(carrier.contractLevels.filter((l: { heldByBga: boolean }) => l.heldByBga)).toEqual([{ code: 'L120', heldByBga: true }]);
    expect(carrier.commissionSchedules.find((s: { levelCode: string }) => s.levelCode === 'L85')).toEqual({
      levelCode: 'L85',
      firstYearBasisPoints: 8500,
      renewalYears: 10,
      chargebackMonths: 12,
      lapseChargeback: 'PRO_RATA',
      product: { id: 'prd_summit_level_term', name: expect.any(String) },
    });
    const asAgent = await gateway(`{ carrier(id: "car_summit") { id contractLevels { code } } }`, {}, await stack.agentToken(AGENT_X));
    expect(codes(asAgent)).toContain('FORBIDDEN');
  });

  it('gives a seeded writing agent a complete chain for their own case', async () => {
    const { rows } = await pool.query(
      `SELECT agent_id AS "agentId", carrier_id AS "carrierId", product_id AS "productId", submitted_at::date::text AS "asOf"
       FROM cases."case" WHERE agent_id ~ '^agt_[0-9]{4}$' ORDER BY id LIMIT 1`,
    );
    const c = rows[0];
    const response = await direct(CHAINS, { c: c.carrierId, p: c.productId, ids: [c.agentId], asOf: c.asOf }, SERVICE);
    expect(response.errors).toBeUndefined();
    const levels = response.data!.commissionChains[0].levels as { partyId: string; firstYearBasisPoints: number }[];
    expect(levels[0].partyId).toBe(c.agentId);
    expect(levels.at(-1)!.partyId).toBe('BGA');
    for (let i = 1; i < levels.length; i++)
      expect(levels[i].firstYearBasisPoints).toBeGreaterThanOrEqual(levels[i - 1].firstYearBasisPoints);
  });
});
