/** The SERVICE-only hand-offs to carriers, over in-test fake adapters (fake-carriers.ts). */
import type { GraphQLError } from 'graphql';
import { ApplicationResolver } from '../application.resolver';
import type { CarrierApplicationInput } from '../application.type';
import { fakeWorld, type FakeWorld } from './fake-carriers';

const CARRIER = 'car_cedar_crest';
const APPLICATION: CarrierApplicationInput = {
  reference: 'case_abc-1',
  caseId: 'case_abc',
  carrierId: CARRIER,
  productId: 'prd_cedar_crest_term',
  insured: { firstName: 'Pat', lastName: 'Example', birthDate: '1990-03-10', gender: 'FEMALE', state: 'TX', tobacco: false },
  faceAmount: 500_000,
  termYears: 20,
  healthClass: 'PREFERRED',
  tableRating: 0,
  paymentMode: 'MONTHLY',
  annualPremium: '330.00',
  agent: { id: 'agt_1', npn: '1234567', writingNumber: 'CED1234' },
};

const resolver = new ApplicationResolver();
let world: FakeWorld;
beforeEach(() => {
  world = fakeWorld();
});

async function errorCode(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return (error as GraphQLError).extensions?.code;
  }
}

describe('submitApplicationToCarrier', () => {
  it("hands the application to the carrier's adapter once, with the premium in cents", async () => {
    const ctx = world.context();
    const result = await resolver.submitApplicationToCarrier(APPLICATION, ctx);
    expect(result).toEqual({ accepted: true, carrierReference: 'CEDAR-case_abc-1', message: null, retryable: false, failureCode: null });
    const adapter = world.adapters.get(CARRIER)!;
    expect(adapter.calls.submit).toBe(1);
    expect(adapter.applications.get('case_abc-1')).toMatchObject({
      caseId: 'case_abc',
      annualPremiumCents: 33_000,
      termYears: 20,
      agent: { writingNumber: 'CED1234' },
    });
    expect(ctx.stats.carrierCalls).toBe(1);
  });

  it('reports a rejection as final (not retryable)', async () => {
    world.adapters.get(CARRIER)!.mode = 'reject';
    expect(await resolver.submitApplicationToCarrier(APPLICATION, world.context())).toEqual({
      accepted: false,
      carrierReference: null,
      message: 'face amount exceeds the retention limit',
      retryable: false,
      failureCode: 'CARRIER.REJECTED',
    });
  });

  it('never retries a failed send itself, and tells the outbox to resend later', async () => {
    const adapter = world.adapters.get(CARRIER)!;
    adapter.mode = 'http-error';
    expect(await resolver.submitApplicationToCarrier(APPLICATION, world.context())).toMatchObject({
      accepted: false,
      retryable: true,
      failureCode: 'CARRIER.HTTP_ERROR',
    });
    expect(adapter.calls.submit).toBe(1);
    adapter.mode = 'hang';
    expect(await resolver.submitApplicationToCarrier(APPLICATION, world.context())).toMatchObject({
      accepted: false,
      retryable: true,
      failureCode: 'CARRIER.TIMEOUT',
    });
  });

  it('answers only the SERVICE role', async () => {
    const ctx = { ...world.context(), identity: { sub: 'user:staff', role: 'STAFF' as const } };
    expect(await errorCode(resolver.submitApplicationToCarrier(APPLICATION, ctx))).toBe('FORBIDDEN');
    const anonymous = { ...world.context(), identity: { sub: 'anonymous', role: 'ANONYMOUS' as const } };
    expect(await errorCode(resolver.submitApplicationToCarrier(APPLICATION, anonymous))).toBe('UNAUTHENTICATED');
    expect(world.adapters.get(CARRIER)!.calls.submit).toBe(0);
  });

  it('refuses a product of another carrier, a bad premium or reference, before calling anyone', async () => {
    const bad = { ...APPLICATION, productId: 'prd_summit_level_term', annualPremium: '330', reference: 'has spaces' };
    try {
      await resolver.submitApplicationToCarrier(bad, world.context());
      throw new Error('expected BAD_USER_INPUT');
    } catch (error) {
      expect((error as GraphQLError).extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        reasons: [
          'reference must be 1 to 128 letters, digits or ._:-',
          'annualPremium must be Money such as "412.50"',
          'productId is not a product of carrierId',
        ],
      });
    }
    expect(world.adapters.get(CARRIER)!.calls.submit).toBe(0);
  });
});

describe('carrierCaseSnapshots', () => {
  it('asks the carrier now in one call, leaves unknown references out and refreshes the status cache', async () => {
    const adapter = world.adapters.get(CARRIER)!;
    adapter.statuses.set('R-1', {
      carrierReference: 'R-1',
      carrierStatusCode: 'ISSUED',
      status: 'ISSUED',
      policyNumber: 'CED0000001',
      requirements: [],
      qualifier: null,
      statusNote: null,
      approvedTerms: null,
    });
    const ctx = world.context();
    const snapshots = await resolver.carrierCaseSnapshots(CARRIER, ['R-1', 'R-2', 'R-1'], ctx);
    expect(snapshots).toEqual([
      {
        carrierReference: 'R-1',
        status: 'ISSUED',
        carrierStatusCode: 'ISSUED',
        policyNumber: 'CED0000001',
        qualifier: null,
        statusNote: null,
        approvedTerms: null,
        requirements: [],
        asOf: expect.any(String),
      },
    ]);
    expect(adapter.statusBatches).toEqual([['R-1', 'R-2']]);
    const cached = await world.context().caseStatus.load(CARRIER, 'R-1');
    expect(cached).toMatchObject({ status: 'ISSUED', cached: true });
  });

  it('makes a carrier failure CARRIER_UNAVAILABLE', async () => {
    world.adapters.get(CARRIER)!.mode = 'http-error';
    expect(await errorCode(resolver.carrierCaseSnapshots(CARRIER, ['R-1'], world.context()))).toBe('CARRIER_UNAVAILABLE');
  });
});
