/**
 * underwritingRequirements through the carriers subgraph over real HTTP, against the test database
 * the seed filled (migration 2's carriers.carrier_underwriting, one row per demo carrier): the grid
 * and the accelerated program at their boundaries, per carrier and product, bad inputs, and the SQL
 * a cold and a warm call cost. No carrier is configured: none is ever called.
 */
import 'reflect-metadata';
import { DEV_IDENTITY_SECRET } from '../../../platform/config';
import { signIdentity, type Identity } from '../../../platform/identity';
import { newStats } from '../../../platform/stats';
import { codes, graphql } from '../../../test/support/graphql';
import { createPool, Db, type Pool } from '../../shared/db';
import type { RunningSubgraph } from '../../shared/subgraph-server';
import { createCarrierLoaders } from '../carrier.loader';
import { startCarriersSubgraph } from './carriers-subgraph';
import { CatalogSnapshot, catalogOf } from '../catalog.snapshot';
import { quoteRequirements } from '../domain/requirements-grid';
import { CARRIERS } from '../fixtures/carriers.fixture';
import { guidelinesFor } from '../fixtures/underwriting-guidelines.fixture';
import { underwritingFixture } from '../fixtures/requirement-grids.fixture';

const STAFF: Identity = { sub: 'user:test-staff', role: 'STAFF' };
const ANONYMOUS: Identity = { sub: 'anonymous', role: 'ANONYMOUS' };

let subgraph: RunningSubgraph;
let pool: Pool;
const ask = (variables: Record<string, unknown>, identity: Identity = STAFF) =>
  graphql(subgraph.url, QUERY, variables, { headers: signIdentity(identity, DEV_IDENTITY_SECRET) });

const QUERY = `query($c: ID!, $p: ID, $b: Date!, $f: Int!, $s: State!) {
  underwritingRequirements(carrierId: $c, productId: $p, birthDate: $b, faceAmount: $f, state: $s) {
    carrier { id } product { id } issueAge requirements acceleratedUnderwriting acceleratedReasons } }`;

/** A birth date about a month past the `age`th birthday: that issue age under either basis (last or nearest birthday). */
function bornAged(age: number): string {
  const today = new Date();
  const born = new Date(Date.UTC(today.getUTCFullYear() - age, today.getUTCMonth() - 1, Math.min(today.getUTCDate(), 28)));
  return born.toISOString().slice(0, 10);
}

const at = (carrierId: string, age: number, faceAmount: number, extra: Record<string, unknown> = {}) =>
  ask({ c: carrierId, b: bornAged(age), f: faceAmount, s: 'TX', ...extra });

beforeAll(async () => {
  subgraph = await startCarriersSubgraph();
  pool = createPool(process.env.DATABASE_URL!, 2);
});

afterAll(async () => {
  await subgraph?.stop();
  await pool?.end();
});

describe('the seeded catalog', () => {
  it("holds every demo carrier's grid, program and field-underwriting guidelines in carriers.carrier_underwriting", async () => {
    const rows = await new Db(pool).query<{ code: string; requirement_grid: unknown; accelerated_rules: unknown; guidelines: unknown }>(
      `SELECT c.code, u.requirement_grid, u.accelerated_rules, u.guidelines
         FROM carriers.carrier_underwriting u JOIN carriers.carrier c ON c.id = u.carrier_id ORDER BY c.code`,
    );
    expect(rows.map((r) => r.code)).toEqual(CARRIERS.map((c) => c.code).sort());
    for (const row of rows) {
      const fixture = underwritingFixture(row.code)!;
      expect(row).toEqual({
        code: row.code,
        requirement_grid: fixture.requirementGrid,
        accelerated_rules: fixture.acceleratedRules,
        guidelines: JSON.parse(JSON.stringify(guidelinesFor(CARRIERS.find((c) => c.code === row.code)!))),
      });
    }
    // Read back into the catalog, each carrier's guidelines are what the seed wrote.
    const catalog = await catalogOf({ runtime: { catalog: new CatalogSnapshot(0) }, loaders: createCarrierLoaders(new Db(pool)) });
    for (const carrier of CARRIERS) expect(catalog.guidelinesOf.get(carrier.id)).toEqual(guidelinesFor(carrier));
  });

  it('a carrier without a row has no grid: an empty list, not accelerated, and the reason', async () => {
    class Rollback extends Error {}
    await new Db(pool, newStats())
      .transaction(async (tx) => {
        await tx.query(`DELETE FROM carriers.carrier_underwriting WHERE carrier_id = 'car_birch'`);
        const catalog = await catalogOf({ runtime: { catalog: new CatalogSnapshot(0) }, loaders: createCarrierLoaders(tx) });
        expect(catalog.underwritingOf.has('car_birch')).toBe(false);
        expect(catalog.underwritingOf.get('car_summit')).toEqual(underwritingFixture('SUMMIT'));
        expect(
          quoteRequirements(catalog.underwritingOf.get('car_birch'), { issueAge: 40, faceAmount: 500_000, productType: 'TERM' }),
        ).toEqual({
          expectedRequirements: [],
          acceleratedUnderwriting: false,
          acceleratedReasons: ['the catalog has no requirements grid for this carrier'],
        });
        throw new Rollback();
      })
      .catch((error) => {
        if (!(error instanceof Rollback)) throw error;
      });
  });
});

describe('underwritingRequirements', () => {
  it('needs a token', async () => {
    expect(codes(await ask({ c: 'car_summit', b: bornAged(35), f: 500_000, s: 'TX' }, ANONYMOUS))).toEqual(['UNAUTHENTICATED']);
  });

  it("reads the catalog once (carriers, products, underwriting: 3 statements), then answers from the process's copy without SQL", async () => {
    const cold = await at('car_summit', 35, 500_000);
    expect(cold.errors).toBeUndefined();
    expect(cold.extensions!.stats).toMatchObject({ sql: 3, carrierCalls: 0 });
    const warm = await at('car_harborlight', 45, 750_000);
    expect(warm.errors).toBeUndefined();
    expect(warm.extensions!.stats).toMatchObject({ sql: 0, carrierCalls: 0 });
  });

  it('the typical grid (Summit): accelerated up to $1,000,000 at 35, the exam back one dollar over', async () => {
    expect((await at('car_summit', 35, 1_000_000)).data!.underwritingRequirements).toEqual({
      carrier: { id: 'car_summit' },
      product: null,
      issueAge: 35,
      requirements: ['MIB', 'MVR', 'RX_CHECK'],
      acceleratedUnderwriting: true,
      acceleratedReasons: [],
    });
    expect((await at('car_summit', 35, 1_000_001)).data!.underwritingRequirements).toMatchObject({
      requirements: ['BLOOD_URINE', 'MIB', 'MVR', 'PARAMED_EXAM', 'RX_CHECK'],
      acceleratedUnderwriting: false,
      acceleratedReasons: ["face amount $1,000,001 is over the accelerated program's maximum of $1,000,000"],
    });
  });

  it('the accelerated age boundary: 60 is accelerated, 61 is examined and needs an APS over $250,000', async () => {
    expect((await at('car_summit', 60, 500_000)).data!.underwritingRequirements).toMatchObject({
      issueAge: 60,
      requirements: ['MIB', 'MVR', 'RX_CHECK'],
      acceleratedUnderwriting: true,
    });
    expect((await at('car_summit', 61, 500_000)).data!.underwritingRequirements).toMatchObject({
      issueAge: 61,
      requirements: ['APS', 'BLOOD_URINE', 'MIB', 'MVR', 'PARAMED_EXAM', 'RX_CHECK'],
      acceleratedUnderwriting: false,
      acceleratedReasons: ["issue age 61 is over the accelerated program's maximum of 60"],
    });
    expect((await at('car_summit', 70, 50_000)).data!.underwritingRequirements.requirements).toEqual([
      'COGNITIVE_SCREEN',
      'MIB',
      'MVR',
      'RX_CHECK',
    ]);
  });

  it('carriers differ: a 55-year-old at $500,000 is accelerated at Summit (to 60), examined at Harborlight (to 50)', async () => {
    const summit = (await at('car_summit', 55, 500_000)).data!.underwritingRequirements;
    const harbor = (await at('car_harborlight', 55, 500_000)).data!.underwritingRequirements;
    expect(summit).toMatchObject({ acceleratedUnderwriting: true, requirements: ['MIB', 'MVR', 'RX_CHECK'] });
    expect(harbor).toMatchObject({
      acceleratedUnderwriting: false,
      requirements: ['AGENT_REPORT', 'BLOOD_URINE', 'MIB', 'MVR', 'PARAMED_EXAM', 'RX_CHECK'],
      acceleratedReasons: ["issue age 55 is over the accelerated program's maximum of 50"],
    });
  });

  it('a final expense product asks only its database checks, at any age and amount', async () => {
    const response = await at('car_ironwood', 75, 25_000, { p: 'prd_ironwood_final_expense' });
    expect(response.errors).toBeUndefined();
    expect(response.data!.underwritingRequirements).toEqual({
      carrier: { id: 'car_ironwood' },
      product: { id: 'prd_ironwood_final_expense' },
      issueAge: 75,
      requirements: ['MIB', 'MVR', 'PHONE_INTERVIEW', 'RX_CHECK'],
      acceleratedUnderwriting: false,
      acceleratedReasons: ['simplified issue: the product asks no exam and no fluids at any age'],
    });
  });

  it.each([
    [{ c: 'not-a-carrier-123-45-6789' }, 'carrierId is not a valid carrier id (expected car_...)'],
    [{ c: 'car_nope' }, 'carrierId car_nope is not a carrier of the catalog'],
    [{ p: 'prd_ironwood_final_expense' }, 'productId prd_ironwood_final_expense is not a product of carrier car_summit'],
    [{ p: 'PIIMARK 123-45-6789' }, 'productId is not a valid product id (expected prd_...)'],
    [{ b: '2999-01-01' }, 'birthDate is in the future'],
    [{ b: '1850-06-01' }, 'birthDate is more than 120 years ago'],
    [{ f: 0 }, 'faceAmount must be a positive whole number of dollars'],
    [{ f: -1 }, 'faceAmount must be a positive whole number of dollars'],
  ])('refuses %j as BAD_USER_INPUT naming the argument, echoing no birth date or malformed id', async (change, reason) => {
    const response = await ask({ c: 'car_summit', b: '1985-04-12', f: 500_000, s: 'TX', ...change });
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0].extensions!.reasons).toEqual([reason]);
    const text = JSON.stringify(response.errors);
    for (const secret of ['1985-04-12', '2999-01-01', '1850-06-01', '123-45-6789']) expect(text).not.toContain(secret);
    expect(response.extensions!.stats.carrierCalls).toBe(0);
  });

  it('refuses a product not sold in the state, and lists every reason at once', async () => {
    const product = CARRIERS.flatMap((c) => c.products).find((p) => p.carrierId === 'car_summit' && p.availableStates.length < 51)!;
    const missing = (['NY', 'TX', 'CA', 'MT', 'ND', 'AK'] as const).find((s) => !product.availableStates.includes(s))!;
    const response = await ask({ c: 'car_summit', p: product.id, b: '2999-01-01', f: 0, s: missing });
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0].extensions!.reasons).toEqual([
      `state ${missing} is not a state the product is sold in`,
      'birthDate is in the future',
      'faceAmount must be a positive whole number of dollars',
    ]);
  });

  it('refuses an impossible birth date at the Date scalar', async () => {
    const response = await ask({ c: 'car_summit', b: '1990-02-30', f: 500_000, s: 'TX' });
    expect(response.status).toBeLessThan(500);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(JSON.stringify(response.errors)).not.toContain('1990-02-30');
  });
});
