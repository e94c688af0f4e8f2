/**
 * The agents subgraph on its own, over real HTTP against the test database: queries, reference
 * resolution through _entities (as the gateway calls it), signatures, bad input and SQL counts.
 */
import 'reflect-metadata';
import { parse } from 'graphql';
import type pg from 'pg';
import { agentsSubgraph } from '../../subgraphs/agents/agents.subgraph';
import { DEV_IDENTITY_SECRET, readCommonConfig } from '../../platform/config';
import { signIdentity, type Identity } from '../../platform/identity';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/shared/subgraph-server';
import { codes, graphql } from '../support/graphql';
import { testPool } from '../support/test-pool';

const STAFF: Identity = { sub: 'user:test-staff', role: 'STAFF' };
const ADMIN: Identity = { sub: 'user:test-admin', role: 'ADMIN' };
const RUN = `t${Date.now().toString(36)}`;
const id = (n: number) => `agt_${RUN}_${n}`;
const TODAY = new Date().toISOString().slice(0, 10);
const NEXT_YEAR = `${Number(TODAY.slice(0, 4)) + 1}${TODAY.slice(4)}`;

let subgraph: RunningSubgraph;
let pool: pg.Pool;
const ask = (query: string, variables: Record<string, unknown> = {}, identity: Identity | null = STAFF) =>
  graphql(subgraph.url, query, variables, { headers: identity ? signIdentity(identity, DEV_IDENTITY_SECRET) : {} });

beforeAll(async () => {
  subgraph = await startSubgraph(
    agentsSubgraph,
    readCommonConfig({ DATABASE_URL: process.env.DATABASE_URL, DEBUG_STATS: 'true', LOG_LEVEL: 'silent' }),
    0,
  );
  pool = testPool(2);
  // An agency with three agents under it, each licensed in TX and OK.
  for (let n = 0; n < 4; n++) {
    await pool.query(
      `INSERT INTO agents.agent (id, npn, first_name, last_name, email, resident_state, status, upline_id, eo_expires_on)
       VALUES ($1, $2, 'Test', $3, $4, 'TX', 'ACTIVE', $5, $6)`,
      [id(n), `9${Date.now().toString().slice(-8)}${n}`, `Agent${n}`, `${id(n)}@example.com`, n === 0 ? null : id(0), NEXT_YEAR],
    );
    await pool.query(
      `INSERT INTO agents.license (id, agent_id, state, number, resident, lines_of_authority, effective_on, expires_on)
       VALUES ($1, $2, 'TX', $3, true, '{LIFE}', '2020-01-01', $4), ($5, $2, 'OK', $6, false, '{LIFE}', '2020-01-01', $4)`,
      [`lic_${RUN}_${n}_tx`, id(n), `TX${n}${RUN}`, NEXT_YEAR, `lic_${RUN}_${n}_ok`, `OK${n}${RUN}`],
    );
  }
  await pool.query(
    `INSERT INTO agents.carrier_contracting (carrier_id, pre_appointment_states) VALUES ($1, '{TX}') ON CONFLICT DO NOTHING`,
    [`car_${RUN}`],
  );
  await pool.query(`INSERT INTO agents.appointment (id, agent_id, carrier_id, state, status) VALUES ($1, $2, $3, 'TX', 'ACTIVE')`, [
    `apt_${RUN}_1`,
    id(1),
    `car_${RUN}`,
  ]);
});

afterAll(async () => {
  await subgraph.stop();
  await pool.end();
});

describe('agents subgraph', () => {
  it('refuses calls that the gateway did not sign', async () => {
    const response = await ask('{ agent(id: "agt_0001") { id } }', {}, null);
    expect(response.status).toBe(401);
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
    const forged = await graphql(subgraph.url, '{ agent(id: "agt_0001") { id } }', {}, { headers: signIdentity(STAFF, 'wrong-secret') });
    expect(forged.status).toBe(401);
  });

  it('needs a signed-in caller for agent data', async () => {
    const response = await ask('{ agent(id: "agt_0001") { id } }', {}, { sub: 'anonymous', role: 'ANONYMOUS' });
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('resolves 4 agents with licenses, appointments and downline in one statement per table', async () => {
    const response = await ask(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Agent { id lastName licenses { state active } appointments { state status carrier { id } } downline { id } eligibility(carrierId: "car_${RUN}", state: TX) { eligible reasons appointmentWillBeRequested } } } }`,
      { reps: [0, 1, 2, 3].map((n) => ({ __typename: 'Agent', id: id(n) })) },
    );
    expect(response.errors).toBeUndefined();
    const entities = response.data!._entities;
    expect(entities.map((e: { id: string }) => e.id)).toEqual([0, 1, 2, 3].map(id));
    expect(entities[0].downline.map((d: { id: string }) => d.id).sort()).toEqual([id(1), id(2), id(3)]);
    expect(entities[1].licenses).toEqual([
      { state: 'OK', active: true },
      { state: 'TX', active: true },
    ]);
    expect(entities[1].eligibility).toEqual({ eligible: true, reasons: [], appointmentWillBeRequested: false });
    expect(entities[2].eligibility).toEqual({ eligible: false, reasons: ['NOT_APPOINTED'], appointmentWillBeRequested: false });
    expect(entities[1].appointments).toEqual([{ state: 'TX', status: 'ACTIVE', carrier: { id: `car_${RUN}` } }]);
    // agent, license, appointment, downline (agent by upline), carrier_contracting: 5 statements for 4 agents.
    expect(response.extensions!.stats.sql).toBe(5);
  });

  it("contributes each carrier's pre-appointment states to Carrier, in one statement for every carrier asked", async () => {
    const response = await ask(
      'query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Carrier { id preAppointmentStates } } }',
      {
        reps: [`car_${RUN}`, `car_${RUN}_none`].map((carrierId) => ({ __typename: 'Carrier', id: carrierId })),
      },
    );
    expect(response.errors).toBeUndefined();
    // A carrier with no contracting data on file needs no appointment in advance anywhere.
    expect(response.data!._entities).toEqual([
      { id: `car_${RUN}`, preAppointmentStates: ['TX'] },
      { id: `car_${RUN}_none`, preAppointmentStates: [] },
    ]);
    expect(response.extensions!.stats.sql).toBe(1);
  });

  it('answers null for an unknown id and BAD_USER_INPUT for a malformed one', async () => {
    const unknown = await ask('query($id: ID!) { agent(id: $id) { id } }', { id: 'agt_doesnotexist' });
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data!.agent).toBeNull();
    const entities = await ask('query($r: [_Any!]!) { _entities(representations: $r) { ... on Agent { id } } }', {
      r: [{ __typename: 'Agent', id: 'agt_nope' }],
    });
    expect(entities.data!._entities).toEqual([null]);
    const malformed = await ask('query($id: ID!) { agent(id: $id) { id } }', { id: 'case_000001' });
    expect(codes(malformed)).toEqual(['BAD_USER_INPUT']);
    const badEnum = await ask('query($s: State!) { agent(id: "agt_0001") { eligibility(carrierId: "car_x", state: $s) { eligible } } }', {
      s: 'XX',
    });
    expect(codes(badEnum)).toEqual(['BAD_USER_INPUT']);
    const hugeSearch = await ask('query($s: String) { agents(first: 1, filter: { search: $s }) { edges { node { id } } } }', {
      s: 'x'.repeat(101),
    });
    expect(codes(hugeSearch)).toEqual(['BAD_USER_INPUT']);
  });

  it('pages through agents with keyset cursors, counting only when asked', async () => {
    const query = `query($after: String, $count: Boolean!) { agents(first: 2, after: $after, filter: { search: "Agent" }) {
      edges { cursor node { id } } pageInfo { hasNextPage endCursor } totalCount @include(if: $count) } }`;
    const seen: string[] = [];
    let after: string | null = null;
    let sqlWithoutCount = 0;
    for (let page = 0; page < 20; page++) {
      const response = await ask(query, { after, count: false });
      expect(response.errors).toBeUndefined();
      sqlWithoutCount = response.extensions!.stats.sql;
      const connection = response.data!.agents;
      seen.push(...connection.edges.map((e: { node: { id: string } }) => e.node.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining([0, 1, 2, 3].map(id)));
    const counted = await ask(query, { after: null, count: true });
    expect(counted.data!.agents.totalCount).toBe(seen.length);
    expect(counted.extensions!.stats.sql).toBe(sqlWithoutCount + 1);
    expect(codes(await ask(query, { after: 'not-a-cursor', count: false }))).toEqual(['BAD_USER_INPUT']);
  });

  it('creates an agent, refuses a duplicate NPN, and lets only admins do it', async () => {
    const create = `mutation($input: CreateAgentInput!) { createAgent(input: $input) { id status npn } }`;
    const input = {
      npn: `8${Date.now().toString().slice(-7)}`,
      firstName: 'New',
      lastName: 'Producer',
      email: 'new.producer@example.com',
      residentState: 'TX',
      uplineId: id(0),
    };
    const created = await ask(create, { input }, ADMIN);
    expect(created.errors).toBeUndefined();
    expect(created.data!.createAgent).toMatchObject({ status: 'PENDING', npn: input.npn });
    expect(codes(await ask(create, { input }, ADMIN))).toEqual(['CONFLICT']);
    const invalid = await ask(create, { input: { ...input, npn: 'x', email: 'nope' } }, ADMIN);
    expect(codes(invalid)).toEqual(['BAD_USER_INPUT']);
    expect(invalid.errors![0].extensions!.reasons).toEqual(['npn must be 1 to 10 digits', 'email is not a valid address']);
    expect(codes(await ask(create, { input: { ...input, npn: '1' } }))).toEqual(['FORBIDDEN']);
    expect(codes(await ask(create, { input: { ...input, npn: '1' } }, { sub: 'user:a', role: 'AGENT', agentId: id(1) }))).toEqual([
      'FORBIDDEN',
    ]);
  });

  it('requests an appointment idempotently', async () => {
    const request = `mutation { requestAppointment(agentId: "${id(3)}", carrierId: "car_${RUN}", state: OK) { state status } }`;
    const first = await ask(request, {}, ADMIN);
    const second = await ask(request, {}, { sub: 'service:cases', role: 'SERVICE' });
    expect(first.data!.requestAppointment).toEqual({ state: 'OK', status: 'REQUESTED' });
    expect(second.data!.requestAppointment).toEqual({ state: 'OK', status: 'REQUESTED' });
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM agents.appointment WHERE agent_id = $1', [id(3)]);
    expect(rows[0].n).toBe(1);
    expect(
      codes(await ask(`mutation { requestAppointment(agentId: "agt_unknown", carrierId: "car_x", state: OK) { state } }`, {}, ADMIN)),
    ).toEqual(['NOT_FOUND']);
  });

  it('records a license once, listing every problem of a bad one, and lets only admins do it', async () => {
    const add = `mutation($agentId: ID!, $input: LicenseInput!) { addLicense(agentId: $agentId, input: $input) { state number resident active } }`;
    const input = {
      state: 'AR',
      number: `AR3${RUN}`,
      resident: false,
      linesOfAuthority: ['LIFE', 'LIFE'],
      effectiveOn: '2020-01-01',
      expiresOn: NEXT_YEAR,
    };
    const added = await ask(add, { agentId: id(3), input }, ADMIN);
    expect(added.errors).toBeUndefined();
    expect(added.data!.addLicense).toEqual({ state: 'AR', number: input.number, resident: false, active: true });
    const { rows } = await pool.query('SELECT lines_of_authority FROM agents.license WHERE agent_id = $1 AND state = $2', [id(3), 'AR']);
    expect(rows).toEqual([{ lines_of_authority: ['LIFE'] }]);
    expect(codes(await ask(add, { agentId: id(3), input }, ADMIN))).toEqual(['CONFLICT']);
    const invalid = await ask(
      add,
      { agentId: id(3), input: { ...input, number: 'no spaces', resident: true, linesOfAuthority: [] } },
      ADMIN,
    );
    expect(invalid.errors![0].extensions!.reasons).toEqual([
      'number must be 1 to 30 letters, digits or dashes',
      'linesOfAuthority must name at least one line',
      "resident must be true exactly for the agent's home state",
    ]);
    expect(codes(await ask(add, { agentId: 'agt_unknown', input }, ADMIN))).toEqual(['NOT_FOUND']);
    expect(codes(await ask(add, { agentId: id(3), input }))).toEqual(['FORBIDDEN']);
  });

  it('finds an agent by NPN, within the caller scope, and refuses what is no NPN', async () => {
    const { rows } = await pool.query<{ npn: string }>('SELECT npn FROM agents.agent WHERE id = $1', [id(2)]);
    const byNpn = 'query($npn: String!) { agentByNpn(npn: $npn) { id } }';
    expect((await ask(byNpn, { npn: rows[0].npn })).data!.agentByNpn).toEqual({ id: id(2) });
    expect((await ask(byNpn, { npn: rows[0].npn }, { sub: `user:${id(1)}`, role: 'AGENT', agentId: id(1) })).data!.agentByNpn).toBeNull();
    expect((await ask(byNpn, { npn: '1' })).data!.agentByNpn).toBeNull();
    expect(codes(await ask(byNpn, { npn: '12ab' }))).toEqual(['BAD_USER_INPUT']);
  });

  it('finds the internal queries (scope, commission chains), and nothing else, marked @inaccessible: the gateway leaves them out of the public API', async () => {
    const response = await ask('{ _service { sdl } }');
    expect(response.errors).toBeUndefined();
    const inaccessible: string[] = [];
    for (const type of parse(response.data!._service.sdl).definitions) {
      if (!('fields' in type) || !type.fields || !('name' in type) || !type.name) continue;
      for (const field of type.fields) {
        if (field.directives?.some((d) => d.name.value === 'inaccessible')) inaccessible.push(`${type.name.value}.${field.name.value}`);
      }
    }
    expect(inaccessible).toEqual(['Query.agentScope', 'Query.commissionChains']);
  });

  describe('an agent caller', () => {
    const asAgent = (n: number): Identity => ({ sub: `user:${id(n)}`, role: 'AGENT', agentId: id(n) });

    it('sees themself and their downline, and nobody else, by any route', async () => {
      const query = `query($ids: [_Any!]!) { _entities(representations: $ids) { ... on Agent { id upline { id } } } }`;
      const reps = [0, 1, 2].map((n) => ({ __typename: 'Agent', id: id(n) }));
      const fromAgency = await ask(query, { ids: reps }, asAgent(0));
      expect(fromAgency.data!._entities.map((e: { id: string } | null) => e?.id)).toEqual([id(0), id(1), id(2)]);
      const fromAgent = await ask(query, { ids: reps }, asAgent(1));
      // Agent 1 sees only itself; its upline (the agency) is outside its scope.
      expect(fromAgent.data!._entities).toEqual([null, { id: id(1), upline: null }, null]);
      const byId = await ask(`{ agent(id: "${id(2)}") { id } }`, {}, asAgent(1));
      expect(byId.data!.agent).toBeNull();
      const list = await ask(`{ agents(first: 50, filter: { search: "Agent" }) { edges { node { id } } totalCount } }`, {}, asAgent(0));
      const listed = list.data!.agents.edges.map((e: { node: { id: string } }) => e.node.id);
      expect(listed.sort()).toEqual([0, 1, 2, 3].map(id).sort());
      expect(list.data!.agents.totalCount).toBe(4);
    });

    it('cannot read the internal scope query, which answers services only', async () => {
      expect(codes(await ask(`{ agentScope(agentId: "${id(0)}") }`, {}, asAgent(0)))).toEqual(['FORBIDDEN']);
      expect(codes(await ask(`{ agentScope(agentId: "${id(0)}") }`))).toEqual(['FORBIDDEN']);
      const scope = await ask(`{ agentScope(agentId: "${id(0)}") }`, {}, { sub: 'service:cases', role: 'SERVICE' });
      // The agency, its three agents, and the agent created under it earlier in this file.
      const { rows } = await pool.query(`SELECT id FROM agents.agent WHERE id = $1 OR upline_id = $1 ORDER BY id`, [id(0)]);
      expect(rows).toHaveLength(5);
      expect(scope.data!.agentScope.sort()).toEqual(rows.map((r) => r.id).sort());
    });
  });
});
