/**
 * compareQuotes' orchestration — fan-out, outcomes, deadlines, breaker, cache and single-flight —
 * over in-test fake adapters (fake-carriers.ts). The real protocols are tested against the simulators.
 */
import { compareQuotes } from '../compare-quotes.service';
import { issueAge } from '../domain/premium';
import { productEligibilityAtAge } from '../domain/product-eligibility';
import { CARRIERS } from '../fixtures/carriers.fixture';
import type { QuoteInput } from '../quote.type';
import { fakeWorld, type FakeWorld } from './fake-carriers';

const INPUT: QuoteInput = {
  state: 'TX',
  birthDate: '1990-03-10',
  gender: 'MALE',
  tobacco: false,
  healthClass: 'PREFERRED',
  faceAmount: 500_000,
  termYears: 20,
  asOf: '2025-11-24',
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Carriers with at least one product eligible for INPUT, from the fixture itself. */
function eligibleCarrierIds(input: QuoteInput): string[] {
  return CARRIERS.filter((carrier) =>
    carrier.products.some(
      (product) =>
        productEligibilityAtAge(product, {
          state: input.state as never,
          issueAge: issueAge(carrier.ageBasis, input.birthDate, input.asOf!),
          healthClass: input.healthClass,
          tableRating: input.tableRating ?? 0,
          faceAmount: input.faceAmount,
          termYears: input.termYears,
          productType: input.productType ?? 'TERM',
        }).eligible,
    ),
  ).map((c) => c.id);
}

const quoteCalls = (world: FakeWorld) => Object.fromEntries([...world.adapters].map(([id, a]) => [id, a.calls.quote]));

let world: FakeWorld;
beforeEach(() => {
  world = fakeWorld();
});

describe('compareQuotes with every carrier healthy', () => {
  it('asks each carrier once, gives one outcome per carrier and ranks the quotes', async () => {
    const eligible = eligibleCarrierIds(INPUT);
    expect(eligible.length).toBeGreaterThanOrEqual(8);
    const ctx = world.context();
    const result = await compareQuotes(ctx, INPUT);

    expect(result.outcomes.map((o) => o.carrier.id).sort()).toEqual(CARRIERS.map((c) => c.id).sort());
    for (const outcome of result.outcomes) {
      expect(outcome.status).toBe(eligible.includes(outcome.carrier.id) ? 'OK' : 'NO_ELIGIBLE_PRODUCT');
      expect(outcome.cached).toBe(false);
      expect(outcome.quoteCount).toBe(result.quotes.filter((q) => q.carrier.id === outcome.carrier.id).length);
    }
    // Ranked by the premium in the requested mode (MONTHLY by default).
    const cents = result.quotes.map((q) => q.modalPremiumCents);
    expect(cents).toEqual([...cents].sort((a, b) => a - b));
    expect(result.quotes.every((q) => q.modalPremium === q.premiums.monthly)).toBe(true);
    // Realistic level (docs/domain.md): male 35-36, Preferred, $500k, 20-year term costs about $330-$450 a year.
    expect(Number(result.quotes[0].annualPremium)).toBeGreaterThan(250);
    expect(Number(result.quotes[0].annualPremium)).toBeLessThan(500);
    expect(new Date(result.generatedAt).getTime()).toBeGreaterThan(Date.now() - 5_000);

    expect(quoteCalls(world)).toEqual(Object.fromEntries(CARRIERS.map((c) => [c.id, eligible.includes(c.id) ? 1 : 0])));
    expect(ctx.stats).toMatchObject({ carrierCalls: eligible.length, cacheHits: 0, cacheMisses: eligible.length });
  });

  it('answers a repeated comparison from the cache: cached outcomes, no carrier call, one hit per carrier', async () => {
    await compareQuotes(world.context(), INPUT);
    const ctx = world.context();
    const again = await compareQuotes(ctx, { ...INPUT, paymentMode: 'ANNUAL' });
    const ok = again.outcomes.filter((o) => o.status === 'OK');
    expect(ok.every((o) => o.cached)).toBe(true);
    expect(ctx.stats).toMatchObject({ carrierCalls: 0, cacheHits: ok.length, cacheMisses: 0 });
    expect(again.quotes.every((q) => q.modalPremium === q.annualPremium)).toBe(true);
  });

  it('shares cache entries between people of the same issue age: the key holds no birth date', async () => {
    await compareQuotes(world.context(), INPUT);
    const ctx = world.context();
    // Born a day later: the same age at every carrier on this asOf (no birthday or half-birthday in between).
    await compareQuotes(ctx, { ...INPUT, birthDate: '1990-03-11' });
    expect(ctx.stats.carrierCalls).toBe(0);
  });

  it('makes exactly one carrier call per carrier for 50 concurrent identical comparisons (single-flight)', async () => {
    for (const adapter of world.adapters.values()) adapter.latencyMs = 30;
    const results = await Promise.all(Array.from({ length: 50 }, () => compareQuotes(world.context(), INPUT)));
    const eligible = eligibleCarrierIds(INPUT);
    expect(quoteCalls(world)).toEqual(Object.fromEntries(CARRIERS.map((c) => [c.id, eligible.includes(c.id) ? 1 : 0])));
    for (const result of results) expect(result.quotes).toEqual(results[0].quotes);
  });

  it('marks a price made locally (a rate book already held) as cached, and counts no carrier call', async () => {
    const ratebook = CARRIERS.find((c) => c.protocol === 'RATEBOOK' && eligibleCarrierIds(INPUT).includes(c.id))!;
    world.adapters.get(ratebook.id)!.mode = 'local';
    const ctx = world.context();
    const result = await compareQuotes(ctx, { ...INPUT, carrierIds: [ratebook.id] });
    expect(result.outcomes).toEqual([expect.objectContaining({ status: 'OK', cached: true })]);
    expect(ctx.stats.carrierCalls).toBe(0);
  });

  it('answers NO_ELIGIBLE_PRODUCT without calling a carrier when nothing fits, with the reasons', async () => {
    const ctx = world.context();
    // 68: inside some products' ages, outside every 20-year term's (long terms stop at lower ages).
    const result = await compareQuotes(ctx, { ...INPUT, birthDate: '1957-06-01' });
    expect(result.quotes).toEqual([]);
    expect(result.outcomes.every((o) => o.status === 'NO_ELIGIBLE_PRODUCT' && /issue age \d+ is outside/.test(o.message!))).toBe(true);
    expect(ctx.stats.carrierCalls).toBe(0);
  });

  it('refuses an age outside every product before any carrier is called', async () => {
    const ctx = world.context();
    await expect(compareQuotes(ctx, { ...INPUT, birthDate: '1935-01-01' })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(ctx.stats.carrierCalls).toBe(0);
  });

  it('answers NO_ELIGIBLE_PRODUCT for indexed UL without calling a carrier: it needs an illustration', async () => {
    const ctx = world.context();
    const result = await compareQuotes(ctx, { ...INPUT, productType: 'INDEXED_UNIVERSAL_LIFE', termYears: null });
    expect(result.outcomes.every((o) => o.status === 'NO_ELIGIBLE_PRODUCT')).toBe(true);
    expect(
      result.outcomes.some(
        (o) => o.message === 'Cedar Crest Indexed UL is indexed universal life: it needs an illustration and is not quoted here',
      ),
    ).toBe(true);
    expect(ctx.stats.carrierCalls).toBe(0);
  });

  it('quotes whole life (life pay by default) from the carriers that sell it', async () => {
    const ctx = world.context();
    const result = await compareQuotes(ctx, { ...INPUT, productType: 'WHOLE_LIFE', termYears: null });
    expect(result.quotes.length).toBeGreaterThan(0);
    expect(result.quotes.every((q) => q.product.type === 'WHOLE_LIFE' && q.payPeriod === 'LIFE' && q.termYears === null)).toBe(true);
  });
});

describe('compareQuotes with failing carriers', () => {
  const [hang, broken, garbled, buggy] = ['car_summit', 'car_cedar_crest', 'car_harborlight', 'car_northwind'];

  it("turns each failure into that carrier's outcome and still quotes the others within the deadline", async () => {
    world.adapters.get(hang)!.mode = 'hang';
    world.adapters.get(broken)!.mode = 'http-error';
    world.adapters.get(garbled)!.mode = 'malformed';
    world.adapters.get(buggy)!.mode = 'bug';
    const started = performance.now();
    const result = await compareQuotes(world.context(), INPUT);
    const elapsed = performance.now() - started;
    const byId = Object.fromEntries(result.outcomes.map((o) => [o.carrier.id, o]));
    expect(byId[hang]).toMatchObject({ status: 'TIMEOUT', message: 'no answer within 300 ms', quoteCount: 0 });
    expect(byId[broken]).toMatchObject({ status: 'ERROR', message: 'CARRIER.HTTP_ERROR: HTTP 500 from the carrier' });
    expect(byId[garbled]).toMatchObject({ status: 'ERROR', message: 'CARRIER.MALFORMED: unreadable TXLife response' });
    expect(byId[buggy]).toMatchObject({ status: 'ERROR', message: 'unexpected error while quoting this carrier' });
    // Retries: 1 + 2 attempts for the 5xx and the garbled answer, none for the bug.
    expect(world.adapters.get(broken)!.calls.quote).toBe(3);
    expect(world.adapters.get(garbled)!.calls.quote).toBe(3);
    expect(world.adapters.get(buggy)!.calls.quote).toBe(1);
    const healthy = result.outcomes.filter(
      (o) => ![hang, broken, garbled, buggy].includes(o.carrier.id) && o.status !== 'NO_ELIGIBLE_PRODUCT',
    );
    expect(healthy.length).toBeGreaterThanOrEqual(5);
    expect(healthy.every((o) => o.status === 'OK')).toBe(true);
    expect(elapsed).toBeLessThan(300 + 100);
    expect(result.quotes.some((q) => [hang, broken, garbled, buggy].includes(q.carrier.id))).toBe(false);
  });

  it('opens the circuit of a failing carrier: CIRCUIT_OPEN in < 5 ms without a call, then OK after it recovers', async () => {
    const adapter = world.adapters.get(broken)!;
    adapter.mode = 'http-error';
    const only = { ...INPUT, carrierIds: [broken] };
    // 3 attempts per comparison; the breaker opens after 5 consecutive failed attempts.
    await compareQuotes(world.context(), only);
    await compareQuotes(world.context(), only);
    expect(world.runtime.health(broken).circuit).toBe('OPEN');
    expect(world.runtime.health(broken).recentErrorRate).toBe(1);
    const callsWhenOpened = adapter.calls.quote;

    const ctx = world.context();
    const refused = await compareQuotes(ctx, only);
    expect(refused.outcomes[0]).toMatchObject({ status: 'CIRCUIT_OPEN', cached: false, quoteCount: 0 });
    expect(refused.outcomes[0].latencyMs).toBeLessThan(5);
    expect(adapter.calls.quote).toBe(callsWhenOpened);
    expect(ctx.stats.carrierCalls).toBe(0);

    adapter.mode = 'ok';
    await sleep(world.runtime.config.policy.breakerCooldownMs + 20);
    expect(world.runtime.health(broken).circuit).toBe('HALF_OPEN');
    const recovered = await compareQuotes(world.context(), only);
    expect(recovered.outcomes[0].status).toBe('OK');
    expect(world.runtime.health(broken).circuit).toBe('CLOSED');
  });

  it('answers TIMEOUT at the comparison deadline while a slow call goes on and fills the cache', async () => {
    world = fakeWorld({ CARRIER_TIMEOUT_MS: '1000', COMPARE_TIMEOUT_MS: '100' });
    const slow = world.adapters.get(hang)!;
    slow.latencyMs = 200;
    const started = performance.now();
    const result = await compareQuotes(world.context(), { ...INPUT, carrierIds: [hang] });
    expect(performance.now() - started).toBeLessThan(180);
    expect(result.outcomes[0]).toMatchObject({ status: 'TIMEOUT', message: 'no answer within the comparison deadline of 100 ms' });
    await sleep(150);
    const ctx = world.context();
    const later = await compareQuotes(ctx, { ...INPUT, carrierIds: [hang] });
    expect(later.outcomes[0]).toMatchObject({ status: 'OK', cached: true });
    expect(slow.calls.quote).toBe(1);
  });

  it('never caches a failure: the next comparison asks the carrier again', async () => {
    const adapter = world.adapters.get(broken)!;
    adapter.mode = 'http-error';
    await compareQuotes(world.context(), { ...INPUT, carrierIds: [broken] });
    adapter.mode = 'ok';
    const result = await compareQuotes(world.context(), { ...INPUT, carrierIds: [broken] });
    expect(result.outcomes[0]).toMatchObject({ status: 'OK', cached: false });
  });
});
