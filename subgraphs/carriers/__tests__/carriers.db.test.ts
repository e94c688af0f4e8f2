/**
 * The carriers subgraph on its own, over real HTTP against the test database (seeded with the
 * fixture catalog): public catalog queries, reference resolution through _entities as the gateway
 * calls it, compareQuotes' input checks and carrier-free outcomes, and the SQL each one costs.
 * No carrier is configured here (no CARRIER_<CODE>_URL): quotes that would need one answer ERROR.
 */
import 'reflect-metadata';
import { DEV_IDENTITY_SECRET } from '../../../platform/config';
import { signIdentity, type Identity } from '../../../platform/identity';
import type { RunningSubgraph } from '../../shared/subgraph-server';
import { codes, graphql } from '../../../test/support/graphql';
import { startCarriersSubgraph } from './carriers-subgraph';
import { CARRIERS, PRODUCTS } from '../fixtures/carriers.fixture';

const ANONYMOUS: Identity = { sub: 'anonymous', role: 'ANONYMOUS' };
const STAFF: Identity = { sub: 'user:test-staff', role: 'STAFF' };

let subgraph: RunningSubgraph;
const ask = (query: string, variables: Record<string, unknown> = {}, identity: Identity | null = ANONYMOUS) =>
  graphql(subgraph.url, query, variables, { headers: identity ? signIdentity(identity, DEV_IDENTITY_SECRET) : {} });

beforeAll(async () => {
  subgraph = await startCarriersSubgraph();
});

afterAll(async () => {
  await subgraph?.stop();
});

const sorted = (values: string[]) => [...values].sort();

describe('carriers subgraph: the public catalog', () => {
  it('refuses calls that the gateway did not sign', async () => {
    const response = await ask('{ carriers { id } }', {}, null);
    expect(response.status).toBe(401);
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('lists 12 carriers with their products and health for anonymous callers in 2 SQL statements', async () => {
    const response = await ask(
      '{ carriers { id name naicCode amBestRating ageBasis health { circuit recentErrorRate p50LatencyMs } products { id code type termYears terms { years minIssueAge maxIssueAge } healthClasses availableStates carrier { id } } } }',
    );
    expect(response.errors).toBeUndefined();
    const carriers = response.data!.carriers as {
      id: string;
      name: string;
      products: { id: string; carrier: { id: string }; type: string; termYears: number[]; terms: { years: number }[] }[];
    }[];
    expect(carriers).toHaveLength(CARRIERS.length);
    expect(carriers.map((c) => c.name)).toEqual([...carriers.map((c) => c.name)].sort());
    expect(sorted(carriers.flatMap((c) => c.products.map((p) => p.id)))).toEqual(sorted(PRODUCTS.map((p) => p.id)));
    for (const carrier of carriers) {
      expect(carrier).toMatchObject({ health: { circuit: 'CLOSED', recentErrorRate: 0, p50LatencyMs: null } });
      for (const product of carrier.products) {
        expect(product.carrier.id).toBe(carrier.id);
        expect(product.termYears).toEqual(product.type === 'TERM' ? product.terms.map((t) => t.years) : []);
      }
    }
    const summit = CARRIERS.find((c) => c.id === 'car_summit')!;
    expect(carriers.find((c) => c.id === summit.id)).toMatchObject({
      naicCode: summit.naicCode,
      amBestRating: summit.amBestRating,
      ageBasis: summit.ageBasis,
    });
    // carriers, products by carrier; Product.carrier comes from the primed carrier loader.
    expect(response.extensions!.stats).toEqual({ sql: 2, carrierCalls: 0, cacheHits: 0, cacheMisses: 0 });
  });

  it("filters a carrier's products by type", async () => {
    const response = await ask('{ carrier(id: "car_summit") { products(type: TERM) { type } all: products { id } } }');
    const summit = CARRIERS.find((c) => c.id === 'car_summit')!;
    expect(response.data!.carrier.products).toEqual(summit.products.filter((p) => p.type === 'TERM').map(() => ({ type: 'TERM' })));
    expect(response.data!.carrier.all).toHaveLength(summit.products.length);
    expect(response.extensions!.stats.sql).toBe(2);
  });

  it('answers null for an unknown carrier and BAD_USER_INPUT for a malformed id', async () => {
    expect((await ask('{ carrier(id: "car_nope") { id } }')).data).toEqual({ carrier: null });
    const malformed = await ask('{ carrier(id: "nope") { id } }');
    expect(codes(malformed)).toEqual(['BAD_USER_INPUT']);
  });

  it('filters products by carriers, type and state in one statement', async () => {
    const ids = ['car_summit', 'car_tidewater'];
    const response = await ask('query($f: ProductFilter) { products(filter: $f) { id carrier { id } } }', {
      f: { carrierIds: ids, type: 'TERM', state: 'NY' },
    });
    const expected = PRODUCTS.filter((p) => ids.includes(p.carrierId) && p.type === 'TERM' && p.availableStates.includes('NY')).map(
      (p) => p.id,
    );
    expect(response.data!.products.map((p: { id: string }) => p.id)).toEqual(sorted(expected));
    const all = await ask('{ products(filter: { state: NY }) { id } }');
    expect(sorted(all.data!.products.map((p: { id: string }) => p.id))).toEqual(
      sorted(PRODUCTS.filter((p) => p.availableStates.includes('NY')).map((p) => p.id)),
    );
    expect(all.extensions!.stats.sql).toBe(1);
    expect(codes(await ask('{ products(filter: { carrierIds: ["x"] }) { id } }'))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('carriers subgraph: entities for the gateway', () => {
  it('resolves Carrier and Product references in one statement per table, unknown and malformed ones to null', async () => {
    const representations = [
      { __typename: 'Carrier', id: 'car_summit' },
      { __typename: 'Product', id: 'prd_summit_level_term' },
      { __typename: 'Carrier', id: 'car_unknown' },
      { __typename: 'Carrier', id: 'not an id' },
      { __typename: 'Product', id: 'prd_unknown' },
      { __typename: 'Carrier', id: 'car_tidewater' },
      { __typename: 'Product', id: 'prd_tidewater_term' },
    ];
    const response = await ask(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Carrier { id name } ... on Product { id code carrier { id name } } } }',
      { r: representations },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!._entities).toEqual([
      { id: 'car_summit', name: 'Summit Ridge Life' },
      { id: 'prd_summit_level_term', code: 'SR-LT', carrier: { id: 'car_summit', name: 'Summit Ridge Life' } },
      null,
      null,
      null,
      { id: 'car_tidewater', name: CARRIERS.find((c) => c.id === 'car_tidewater')!.name },
      {
        id: 'prd_tidewater_term',
        code: 'THL-TERM',
        carrier: { id: 'car_tidewater', name: CARRIERS.find((c) => c.id === 'car_tidewater')!.name },
      },
    ]);
    // carriers by id (references and Product.carrier batch together), products by id.
    expect(response.extensions!.stats.sql).toBe(2);
  });

  it('answers Case.carrierStatus null before the carrier has a reference, without calling it', async () => {
    const response = await ask(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Case { id carrierStatus { status } } } }',
      {
        r: [
          { __typename: 'Case', id: 'case_1', carrier: { id: 'car_summit' }, carrierReference: null },
          { __typename: 'Case', id: 'case_2', carrier: null, carrierReference: 'X-1' },
        ],
      },
      STAFF,
    );
    expect(response.data!._entities).toEqual([
      { id: 'case_1', carrierStatus: null },
      { id: 'case_2', carrierStatus: null },
    ]);
    expect(response.extensions!.stats).toMatchObject({ sql: 0, carrierCalls: 0 });
  });

  it('makes Case.carrierStatus a path-scoped CARRIER_UNAVAILABLE when the carrier cannot be reached', async () => {
    const response = await ask(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Case { id carrierStatus { status } } } }',
      { r: [{ __typename: 'Case', id: 'case_1', carrier: { id: 'car_summit' }, carrierReference: 'SUMMIT-00000001' }] },
      STAFF,
    );
    expect(response.data!._entities).toEqual([{ id: 'case_1', carrierStatus: null }]);
    expect(response.errors).toEqual([
      expect.objectContaining({
        path: ['_entities', 0, 'carrierStatus'],
        extensions: expect.objectContaining({ code: 'CARRIER_UNAVAILABLE' }),
      }),
    ]);
  });
});

describe('carriers subgraph: compareQuotes', () => {
  const QUERY = `query($i: QuoteInput!) { compareQuotes(input: $i) {
    quotes { annualPremium } outcomes { carrier { id name } status message latencyMs cached quoteCount } generatedAt } }`;
  const INPUT = {
    state: 'TX',
    birthDate: '1990-03-10',
    gender: 'MALE',
    tobacco: false,
    healthClass: 'PREFERRED',
    faceAmount: 500_000,
    termYears: 20,
    asOf: '2025-11-24',
  };

  it('needs a token', async () => {
    expect(codes(await ask(QUERY, { i: INPUT }))).toEqual(['UNAUTHENTICATED']);
  });

  it('answers BAD_USER_INPUT with every reason, naming each field, and never calls a carrier', async () => {
    const response = await ask(
      QUERY,
      { i: { ...INPUT, birthDate: '2999-01-01', faceAmount: 0, tableRating: 9, termYears: 12, carrierIds: ['car_nope'] } },
      STAFF,
    );
    expect(response.extensions!.stats.sql).toBe(3); // the first comparison of the process reads the catalog: carriers, products, underwriting
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0].extensions!.reasons).toEqual([
      'birthDate is in the future',
      'faceAmount must be a positive whole number of dollars',
      'tableRating must be between 0 and 8',
      'termYears must be one of 10, 15, 20, 25, 30',
      'carrierIds has unknown carriers: car_nope',
    ]);
    expect(response.extensions!.stats.carrierCalls).toBe(0);
  });

  it("reads the catalog once (3 statements) and then answers from the process's copy without SQL", async () => {
    await ask(QUERY, { i: INPUT }, STAFF);
    const response = await ask(
      `query($i: QuoteInput!) { compareQuotes(input: $i) { outcomes { carrier { name products { id } } } quotes { product { carrier { name } } } } }`,
      { i: { ...INPUT, state: 'OK' } },
      STAFF,
    );
    expect(response.errors).toBeUndefined();
    // Only the products a client asks for through Carrier.products cost a statement.
    expect(response.extensions!.stats.sql).toBe(1);
    const plain = await ask(QUERY, { i: { ...INPUT, state: 'OK' } }, STAFF);
    expect(plain.extensions!.stats.sql).toBe(0);
  });

  it('refuses an impossible birth date as BAD_USER_INPUT, not a 500', async () => {
    const response = await ask(QUERY, { i: { ...INPUT, birthDate: '1990-02-30' } }, STAFF);
    expect(response.status).toBeLessThan(500);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
  });

  it('gives one outcome per carrier asked: NO_ELIGIBLE_PRODUCT without a call, ERROR where no carrier is configured', async () => {
    const response = await ask(QUERY, { i: { ...INPUT, birthDate: '1950-06-01', termYears: 10 } }, STAFF);
    expect(response.errors).toBeUndefined();
    const outcomes = response.data!.compareQuotes.outcomes as {
      carrier: { id: string; name: string };
      status: string;
      message: string;
      cached: boolean;
      quoteCount: number;
      latencyMs: number;
    }[];
    expect(sorted(outcomes.map((o) => o.carrier.id))).toEqual(sorted(CARRIERS.map((c) => c.id)));
    expect(outcomes.map((o) => o.carrier.name)).toEqual([...outcomes.map((o) => o.carrier.name)].sort());
    const statuses = new Set(outcomes.map((o) => o.status));
    expect([...statuses].sort()).toEqual(['ERROR', 'NO_ELIGIBLE_PRODUCT']);
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ cached: false, quoteCount: 0 });
      expect(outcome.message).toEqual(
        outcome.status === 'ERROR'
          ? 'carrier not configured: no endpoint or no adapter for its protocol'
          : expect.stringMatching(/issue age|not available|does not offer/),
      );
    }
    expect(response.data!.compareQuotes.quotes).toEqual([]);
    expect(response.extensions!.stats).toMatchObject({ sql: 0, carrierCalls: 0 });
  });

  it('asks only the carriers named and rated well enough', async () => {
    const response = await ask(
      QUERY,
      { i: { ...INPUT, carrierIds: ['car_summit', 'car_tidewater', 'car_silver_birch'], minAmBestRating: 'A' } },
      STAFF,
    );
    const expected = CARRIERS.filter(
      (c) => ['car_summit', 'car_tidewater', 'car_silver_birch'].includes(c.id) && ['A_PLUS_PLUS', 'A_PLUS', 'A'].includes(c.amBestRating),
    );
    expect(sorted(response.data!.compareQuotes.outcomes.map((o: { carrier: { id: string } }) => o.carrier.id))).toEqual(
      sorted(expected.map((c) => c.id)),
    );
  });
});
