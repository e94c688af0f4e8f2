import type { GraphQLError } from 'graphql';
import type { CarrierCaseStatus } from '../../adapters/carrier-adapter.port';
import { statusCacheKey } from '../case-status.loader';
import { fakeWorld, type FakeWorld } from '../../__tests__/fake-carriers';

const ACORD = 'car_summit';
const REST = 'car_cedar_crest';

const status = (reference: string, extra: Partial<CarrierCaseStatus> = {}): CarrierCaseStatus => ({
  carrierReference: reference,
  carrierStatusCode: '8',
  status: 'IN_UNDERWRITING',
  policyNumber: null,
  qualifier: null,
  statusNote: null,
  approvedTerms: null,
  requirements: [
    {
      carrierRequirementId: 'RQ-1',
      reference: null,
      description: null,
      carrierCode: '6',
      code: 'APS',
      status: 'ORDERED',
      requestedOn: '2025-11-01',
      fulfilledOn: null,
    },
  ],
  ...extra,
});

let world: FakeWorld;
beforeEach(() => {
  world = fakeWorld();
  world.adapters.get(ACORD)!.statuses = new Map([
    ['S-1', status('S-1')],
    ['S-2', status('S-2', { carrierStatusCode: '25', status: 'ISSUED', requirements: [] })],
  ]);
  world.adapters.get(REST)!.statuses = new Map([
    [
      'C-1',
      status('C-1', {
        carrierStatusCode: 'PENDING_XYZ',
        status: 'SOMETHING_ELSE',
        requirements: [
          {
            carrierRequirementId: null,
            reference: null,
            description: 'a form',
            carrierCode: 'Q9',
            code: 'NOT_OURS',
            status: 'LOST' as never,
            requestedOn: null,
            fulfilledOn: null,
          },
        ],
      }),
    ],
  ]);
});

describe('Case.carrierStatus loader', () => {
  it('asks each carrier once for all its references in the request', async () => {
    const ctx = world.context();
    const [s1, c1, s2] = await Promise.all([
      ctx.caseStatus.load(ACORD, 'S-1'),
      ctx.caseStatus.load(REST, 'C-1'),
      ctx.caseStatus.load(ACORD, 'S-2'),
    ]);
    expect(world.adapters.get(ACORD)!.statusBatches).toEqual([['S-1', 'S-2']]);
    expect(world.adapters.get(REST)!.statusBatches).toEqual([['C-1']]);
    expect(ctx.stats).toMatchObject({ carrierCalls: 2, cacheHits: 0, cacheMisses: 3 });
    expect(s1).toEqual({
      status: 'IN_UNDERWRITING',
      carrierStatusCode: '8',
      qualifier: null,
      statusNote: null,
      approvedTerms: null,
      requirements: [
        {
          carrierRequirementId: 'RQ-1',
          reference: null,
          description: null,
          code: 'APS',
          carrierCode: '6',
          status: 'ORDERED',
          requestedOn: '2025-11-01',
          fulfilledOn: null,
        },
      ],
      asOf: expect.any(String),
      cached: false,
    });
    expect(s2).toMatchObject({ status: 'ISSUED', carrierStatusCode: '25', cached: false });
    // Codes we do not know stay visible as the carrier's own, and map to null rather than failing.
    expect(c1).toMatchObject({
      status: null,
      carrierStatusCode: 'PENDING_XYZ',
      requirements: [{ code: null, carrierCode: 'Q9', description: 'a form', status: null, requestedOn: null, fulfilledOn: null }],
    });
  });

  it('serves the next request from the cache (about a minute), marked cached, without a carrier call', async () => {
    await Promise.all([world.context().caseStatus.load(ACORD, 'S-1'), world.context().caseStatus.load(ACORD, 'S-2')]);
    const ctx = world.context();
    const again = await ctx.caseStatus.load(ACORD, 'S-1');
    expect(again).toMatchObject({ status: 'IN_UNDERWRITING', cached: true });
    expect(ctx.stats).toMatchObject({ carrierCalls: 0, cacheHits: 1 });
    expect(await world.runtime.cache.get(statusCacheKey(ACORD, 'S-1'))).not.toBeNull();
  });

  it('answers null for a reference the carrier does not know, and asks again next time', async () => {
    expect(await world.context().caseStatus.load(ACORD, 'S-404')).toBeNull();
    expect(await world.context().caseStatus.load(ACORD, 'S-404')).toBeNull();
    expect(world.adapters.get(ACORD)!.statusBatches).toEqual([['S-404'], ['S-404']]);
  });

  it("makes a failing carrier's cases CARRIER_UNAVAILABLE, leaving the other carriers' answers intact", async () => {
    world.adapters.get(REST)!.mode = 'http-error';
    const ctx = world.context();
    const [ok, failed] = await Promise.allSettled([ctx.caseStatus.load(ACORD, 'S-1'), ctx.caseStatus.load(REST, 'C-1')]);
    expect(ok).toMatchObject({ status: 'fulfilled', value: { status: 'IN_UNDERWRITING' } });
    expect(failed.status).toBe('rejected');
    const error = (failed as PromiseRejectedResult).reason as GraphQLError;
    expect(error.extensions).toMatchObject({ code: 'CARRIER_UNAVAILABLE', reason: 'CARRIER.HTTP_ERROR', carrierId: REST });
    expect(error.message).not.toMatch(/at .*\.ts/); // never a stack
  });
});
