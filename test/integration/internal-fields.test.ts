/**
 * Internal (SERVICE-only) fields are not public: every element a subgraph marks @inaccessible is
 * absent from the gateway's introspection and refused by its validation, yet still answered on the
 * owning subgraph for a signed SERVICE identity, and refused there for every other role.
 */
import { printSubgraphSchema } from '@apollo/subgraph';
import { type DocumentNode, parse } from 'graphql';
import type pg from 'pg';
import { DEV_IDENTITY_SECRET } from '../../platform/config';
import { type Identity, signIdentity } from '../../platform/identity';
import { subgraphByName } from '../../subgraphs/registry';
import { codes, type GraphqlResponse, graphql } from '../support/graphql';
import { startStack, type Stack } from '../support/stack';
import { testPool } from '../support/test-pool';

let stack: Stack;
let pool: pg.Pool;

beforeAll(async () => {
  stack = await startStack({ env: { OUTBOX_POLL_MS: '0' } });
  pool = testPool(1);
});

afterAll(async () => {
  await stack?.stop();
  await pool?.end();
});

const SERVICE: Identity = { sub: 'service:cases', role: 'SERVICE' };
const PEOPLE: { identity: Identity; code: string }[] = [
  { identity: { sub: 'anonymous', role: 'ANONYMOUS' }, code: 'UNAUTHENTICATED' },
  { identity: { sub: 'user:agt_0001', role: 'AGENT', agentId: 'agt_0001' }, code: 'FORBIDDEN' },
  { identity: { sub: 'user:test-staff', role: 'STAFF' }, code: 'FORBIDDEN' },
  { identity: { sub: 'user:test-admin', role: 'ADMIN' }, code: 'FORBIDDEN' },
];

/** A subgraph called directly with a signed identity, as the gateway or another subgraph would. */
const direct = (subgraph: string, query: string, variables: Record<string, unknown>, identity: Identity): Promise<GraphqlResponse> =>
  graphql(stack.subgraphs[subgraph].url, query, variables, { headers: signIdentity(identity, DEV_IDENTITY_SECRET), debugStats: false });

/** Every type and field coordinate a subgraph's own SDL marks @inaccessible. */
async function inaccessible(subgraph: string): Promise<string[]> {
  const sdl: DocumentNode = parse(printSubgraphSchema(await subgraphByName(subgraph).buildSchema()));
  const marked = (node: { directives?: readonly { name: { value: string } }[] }) =>
    node.directives?.some((d) => d.name.value === 'inaccessible') ?? false;
  const found: string[] = [];
  for (const definition of sdl.definitions) {
    if (!('name' in definition) || !definition.name || !('directives' in definition)) continue;
    if (marked(definition)) found.push(definition.name.value);
    const fields = 'fields' in definition ? (definition.fields ?? []) : [];
    for (const field of fields) if (marked(field)) found.push(`${definition.name.value}.${field.name.value}`);
  }
  return found;
}

/** The internal fields, each with an operation that names it and an answer a SERVICE caller gets. */
const INTERNAL = [
  {
    coordinate: 'Query.agentScope',
    owner: 'agents',
    query: 'query($id: ID!) { agentScope(agentId: $id) }',
    variables: async () => ({ id: (await pool.query(`SELECT id FROM agents.agent ORDER BY id LIMIT 1`)).rows[0].id }),
    answered: (data: Record<string, any>, variables: Record<string, unknown>) => expect(data.agentScope).toContain(variables.id),
  },
  {
    coordinate: 'Query.commissionChains',
    owner: 'agents',
    query:
      'query($c: ID!, $p: ID!, $a: [ID!]!, $on: Date!) { commissionChains(carrierId: $c, productId: $p, agentIds: $a, asOf: $on) { agentId levels { partyId } } }',
    variables: async () => {
      const { rows } = await pool.query(
        `SELECT carrier_id AS c, product_id AS p, ARRAY[agent_id] AS a, submitted_at::date::text AS on FROM cases."case" WHERE agent_id ~ '^agt_[0-9]{4}$' ORDER BY id LIMIT 1`,
      );
      return rows[0];
    },
    answered: (data: Record<string, any>, variables: Record<string, unknown>) =>
      expect(data.commissionChains[0]).toMatchObject({
        agentId: (variables.a as string[])[0],
        levels: expect.arrayContaining([{ partyId: 'BGA' }]),
      }),
  },
  {
    coordinate: 'Query.applicationCatalog',
    owner: 'carriers',
    query: 'query($c: ID!, $p: ID!) { applicationCatalog(carrierId: $c, productId: $p) }',
    variables: async () => {
      const { rows } = await pool.query(`SELECT id, carrier_id AS "carrierId" FROM carriers.product ORDER BY id LIMIT 1`);
      return { c: rows[0].carrierId, p: rows[0].id };
    },
    answered: (data: Record<string, any>, variables: Record<string, unknown>) =>
      expect(JSON.parse(data.applicationCatalog)).toMatchObject({
        carrier: { id: variables.c },
        product: { id: variables.p },
        rules: { requiredFields: expect.any(Object), forms: expect.any(Array), questions: expect.any(Array) },
      }),
  },
  {
    coordinate: 'Query.carrierCaseSnapshots',
    owner: 'carriers',
    query: 'query($c: ID!) { carrierCaseSnapshots(carrierId: $c, carrierReferences: []) { status } }',
    variables: async () => ({ c: 'car_summit' }),
    answered: (data: Record<string, any>) => expect(data.carrierCaseSnapshots).toEqual([]),
  },
  {
    coordinate: 'Mutation.submitApplicationToCarrier',
    owner: 'carriers',
    query:
      'mutation($input: CarrierApplicationInput!) { submitApplicationToCarrier(input: $input) { accepted carrierReference failureCode } }',
    variables: async () => {
      const { rows } = await pool.query(
        `SELECT id, carrier_id AS "carrierId" FROM carriers.product WHERE type = 'TERM' AND 'TX' = ANY(available_states) ORDER BY id LIMIT 1`,
      );
      return {
        input: {
          reference: `internal-fields-${Date.now()}`,
          caseId: 'case_internal_fields',
          carrierId: rows[0].carrierId,
          productId: rows[0].id,
          insured: { firstName: 'Pat', lastName: 'Example', birthDate: '1985-02-03', gender: 'FEMALE', state: 'TX', tobacco: false },
          faceAmount: 250_000,
          termYears: 20,
          healthClass: 'STANDARD',
          paymentMode: 'MONTHLY',
          annualPremium: '400.00',
          agent: { id: 'agt_0001', npn: '1234567', writingNumber: null },
        },
      };
    },
    // The carrier answered (accepted or not): the call went through to its adapter.
    answered: (data: Record<string, any>) => expect(typeof data.submitApplicationToCarrier.accepted).toBe('boolean'),
  },
  {
    coordinate: 'Mutation.requestCarrierChange',
    owner: 'carriers',
    query: 'mutation($input: CarrierChangeInput!) { requestCarrierChange(input: $input) { accepted amendmentRequired failureCode } }',
    variables: async () => ({
      input: {
        reference: `internal-fields-change-${Date.now()}`,
        caseId: 'case_internal_fields',
        carrierId: 'car_summit',
        carrierReference: 'NO-SUCH-APPLICATION',
        paymentMode: 'ANNUAL',
      },
    }),
    // The carrier answered (it knows no such application): the call went through to its adapter.
    answered: (data: Record<string, any>) =>
      expect(data.requestCarrierChange).toMatchObject({ accepted: false, failureCode: 'CARRIER.REJECTED' }),
  },
  {
    coordinate: 'Mutation.fileCarrierAppointment',
    owner: 'carriers',
    query: 'mutation($input: CarrierAppointmentInput!) { fileCarrierAppointment(input: $input) { received carrierReference failureCode } }',
    variables: async () => ({
      input: { reference: `apt_internal${Date.now()}`, carrierId: 'car_summit', npn: '12345678', state: 'TX', filing: 'PRE_APPOINTMENT' },
    }),
    // The carrier received it: the call went through to its adapter.
    answered: (data: Record<string, any>) =>
      expect(data.fileCarrierAppointment).toMatchObject({ received: true, carrierReference: expect.stringMatching(/^AP-SUMMIT-/) }),
  },
  {
    coordinate: 'Query.carrierAppointmentStatuses',
    owner: 'carriers',
    query: 'query($c: ID!) { carrierAppointmentStatuses(carrierId: $c, carrierReferences: []) { status } }',
    variables: async () => ({ c: 'car_summit' }),
    answered: (data: Record<string, any>) => expect(data.carrierAppointmentStatuses).toEqual([]),
  },
] as const;

describe('internal fields', () => {
  it('are the ones the subgraphs mark @inaccessible', async () => {
    const marked = [...(await inaccessible('agents')), ...(await inaccessible('carriers')), ...(await inaccessible('cases'))];
    expect(marked).toEqual(expect.arrayContaining(INTERNAL.map((field) => field.coordinate)));
  });

  it('do not show in introspection through the gateway, nor do their types', async () => {
    const marked = [...(await inaccessible('agents')), ...(await inaccessible('carriers')), ...(await inaccessible('cases'))];
    const response = await graphql(
      stack.url,
      '{ __schema { types { name fields(includeDeprecated: true) { name } inputFields { name } } } }',
      {},
      { token: await stack.token('ADMIN') },
    );
    expect(response.errors).toBeUndefined();
    const visible = new Set<string>();
    for (const type of response.data!.__schema.types as { name: string; fields: { name: string }[] | null }[]) {
      visible.add(type.name);
      for (const field of type.fields ?? []) visible.add(`${type.name}.${field.name}`);
    }
    expect(visible.has('Query.agent')).toBe(true); // the introspection itself worked
    expect(marked.filter((coordinate) => visible.has(coordinate))).toEqual([]);
  });

  it.each(INTERNAL)('$coordinate fails validation through the gateway, whoever asks', async (field) => {
    const variables = await field.variables();
    for (const token of [undefined, await stack.token('ADMIN')]) {
      const response = await graphql(stack.url, field.query, variables, { token });
      // One error per unknown name (the field, and an input type that is internal too).
      expect(new Set(codes(response))).toEqual(new Set(['GRAPHQL_VALIDATION_FAILED']));
      expect(response.data ?? null).toBeNull();
    }
  });

  it.each(INTERNAL)('$coordinate is answered on the $owner subgraph for SERVICE, refused for every other role', async (field) => {
    const variables = await field.variables();
    const service = await direct(field.owner, field.query, variables, SERVICE);
    expect(service.errors).toBeUndefined();
    field.answered(service.data!, variables);
    for (const { identity, code } of PEOPLE) {
      const refused = await direct(field.owner, field.query, variables, identity);
      expect({ role: identity.role, codes: codes(refused) }).toEqual({ role: identity.role, codes: [code] });
    }
  });
});

it('has no @inaccessible element left unlisted here (a new internal field gets a case above)', async () => {
  const fields = [...(await inaccessible('agents')), ...(await inaccessible('carriers')), ...(await inaccessible('cases'))].filter((c) =>
    c.includes('.'),
  );
  expect(fields.sort()).toEqual(INTERNAL.map((field) => field.coordinate).sort());
});
