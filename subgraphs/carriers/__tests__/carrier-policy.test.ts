import { CarrierFailure } from '../adapters/carrier-adapter.port';
import { CarrierPolicy, RecentCalls, type CarrierPolicySettings } from '../carrier-policy';

const SETTINGS: CarrierPolicySettings = {
  timeoutMs: 200,
  retries: 2,
  retryInitialDelayMs: 5,
  retryMaxDelayMs: 20,
  breakerThreshold: 3,
  breakerCooldownMs: 100,
  bulkheadLimit: 4,
  bulkheadQueue: 4,
  healthWindow: 10,
};

const policy = (overrides: Partial<CarrierPolicySettings> = {}) => new CarrierPolicy('car_test', { ...SETTINGS, ...overrides });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const failure = (code: ConstructorParameters<typeof CarrierFailure>[0], retryAfterMs?: number) =>
  new CarrierFailure(code, `fake ${code}`, retryAfterMs);

/** A call that fails `failures` times with `error`, then answers 'ok'; counts its attempts. */
function flaky(failures: number, error: () => Error) {
  const call = async () => {
    call.attempts++;
    if (call.attempts <= failures) throw error();
    return 'ok';
  };
  call.attempts = 0;
  return call;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return error instanceof CarrierFailure ? error.code : `thrown:${(error as Error).message}`;
  }
}

describe('CarrierPolicy retries', () => {
  it('retries a read on a 5xx until it succeeds, within the retry budget', async () => {
    const call = flaky(2, () => failure('CARRIER.HTTP_ERROR'));
    await expect(policy().execute('quote', call)).resolves.toBe('ok');
    expect(call.attempts).toBe(3);
  });

  it('gives up after the configured retries and passes the carrier failure on', async () => {
    const call = flaky(10, () => failure('CARRIER.MALFORMED'));
    expect(await codeOf(policy({ breakerThreshold: 100 }).execute('status', call))).toBe('CARRIER.MALFORMED');
    expect(call.attempts).toBe(3);
  });

  it('never retries a submission, even on a 5xx', async () => {
    const call = flaky(1, () => failure('CARRIER.HTTP_ERROR'));
    expect(await codeOf(policy().execute('submit', call))).toBe('CARRIER.HTTP_ERROR');
    expect(call.attempts).toBe(1);
  });

  it('does not retry failures another attempt cannot fix (auth, rejection, bugs)', async () => {
    for (const error of [() => failure('CARRIER.AUTH'), () => failure('CARRIER.REJECTED'), () => new TypeError('bug')]) {
      const call = flaky(1, error);
      await expect(policy().execute('quote', call)).rejects.toBeDefined();
      expect(call.attempts).toBe(1);
    }
  });

  it('retries a 429 after the Retry-After it asked for, unless that is longer than the longest backoff', async () => {
    const short = flaky(1, () => failure('CARRIER.RATE_LIMITED', 15));
    const started = performance.now();
    await expect(policy().execute('quote', short)).resolves.toBe('ok');
    expect(performance.now() - started).toBeGreaterThanOrEqual(14);
    expect(short.attempts).toBe(2);
    const long = flaky(1, () => failure('CARRIER.RATE_LIMITED', 60_000));
    expect(await codeOf(policy().execute('quote', long))).toBe('CARRIER.RATE_LIMITED');
    expect(long.attempts).toBe(1);
  });
});

describe('CarrierPolicy deadline', () => {
  it('answers CARRIER.TIMEOUT at the deadline and aborts the call', async () => {
    let signal: AbortSignal | undefined;
    const started = performance.now();
    const code = await codeOf(
      policy({ timeoutMs: 80 }).execute('quote', (s) => {
        signal = s;
        return new Promise(() => undefined); // a carrier that never answers, and ignores the abort
      }),
    );
    const elapsed = performance.now() - started;
    expect(code).toBe('CARRIER.TIMEOUT');
    expect(elapsed).toBeGreaterThanOrEqual(75);
    expect(elapsed).toBeLessThan(150);
    expect(signal?.aborted).toBe(true);
  });

  it('keeps retries inside the deadline: no attempt starts after it', async () => {
    const call = flaky(100, () => failure('CARRIER.HTTP_ERROR'));
    const slow = async (signal: AbortSignal) => {
      await sleep(30);
      void signal;
      return call();
    };
    const started = performance.now();
    expect(await codeOf(policy({ timeoutMs: 50, retries: 5, breakerThreshold: 100 }).execute('quote', slow))).toBe('CARRIER.TIMEOUT');
    expect(performance.now() - started).toBeLessThan(100);
    await sleep(80); // let the abandoned retry loop wake up: it must not call the carrier again
    expect(call.attempts).toBeLessThanOrEqual(2);
  });
});

describe('CarrierPolicy circuit breaker', () => {
  it('opens after N consecutive failed attempts, then refuses in well under 5 ms without calling the carrier', async () => {
    const p = policy({ retries: 0 });
    const call = flaky(100, () => failure('CARRIER.HTTP_ERROR'));
    for (let i = 0; i < SETTINGS.breakerThreshold; i++) expect(await codeOf(p.execute('quote', call))).toBe('CARRIER.HTTP_ERROR');
    expect(p.health().circuit).toBe('OPEN');
    const attemptsBefore = call.attempts;
    const started = performance.now();
    expect(await codeOf(p.execute('quote', call))).toBe('CARRIER.CIRCUIT_OPEN');
    expect(performance.now() - started).toBeLessThan(5);
    expect(call.attempts).toBe(attemptsBefore);
  });

  it('counts each retry attempt: one call with retries can open the circuit', async () => {
    const p = policy({ retries: 2 });
    expect(
      await codeOf(
        p.execute(
          'quote',
          flaky(100, () => failure('CARRIER.HTTP_ERROR')),
        ),
      ),
    ).toBe('CARRIER.HTTP_ERROR');
    expect(p.health().circuit).toBe('OPEN');
  });

  it('shows HALF_OPEN after the cooldown, and closes again when the carrier recovers', async () => {
    const p = policy({ retries: 0 });
    let healthy = false;
    const call = async () => {
      if (!healthy) throw failure('CARRIER.HTTP_ERROR');
      return 'ok';
    };
    for (let i = 0; i < SETTINGS.breakerThreshold; i++) await codeOf(p.execute('quote', call));
    expect(p.health().circuit).toBe('OPEN');
    await sleep(SETTINGS.breakerCooldownMs + 10);
    expect(p.health().circuit).toBe('HALF_OPEN');
    healthy = true;
    await expect(p.execute('quote', call)).resolves.toBe('ok');
    expect(p.health().circuit).toBe('CLOSED');
    await expect(p.execute('quote', call)).resolves.toBe('ok');
  });

  it('reopens when the half-open test call fails', async () => {
    const p = policy({ retries: 0 });
    const call = flaky(100, () => failure('CARRIER.HTTP_ERROR'));
    for (let i = 0; i < SETTINGS.breakerThreshold; i++) await codeOf(p.execute('quote', call));
    await sleep(SETTINGS.breakerCooldownMs + 10);
    expect(await codeOf(p.execute('quote', call))).toBe('CARRIER.HTTP_ERROR');
    expect(p.health().circuit).toBe('OPEN');
    expect(await codeOf(p.execute('quote', call))).toBe('CARRIER.CIRCUIT_OPEN');
  });

  it('refuses other calls at once while the half-open test call is out, instead of queueing them behind it', async () => {
    const p = policy({ retries: 0, timeoutMs: 500 });
    for (let i = 0; i < SETTINGS.breakerThreshold; i++)
      await codeOf(
        p.execute(
          'quote',
          flaky(1, () => failure('CARRIER.HTTP_ERROR')),
        ),
      );
    await sleep(SETTINGS.breakerCooldownMs + 10);
    const test = p.execute('quote', () => sleep(100).then(() => 'ok'));
    const started = performance.now();
    expect(await codeOf(p.execute('quote', async () => 'ok'))).toBe('CARRIER.CIRCUIT_OPEN');
    expect(performance.now() - started).toBeLessThan(5);
    await expect(test).resolves.toBe('ok');
    expect(p.health().circuit).toBe('CLOSED');
  });

  it('does not count a carrier rejecting an application against it', async () => {
    const p = policy();
    for (let i = 0; i < SETTINGS.breakerThreshold * 2; i++)
      expect(await codeOf(p.execute('submit', async () => Promise.reject(failure('CARRIER.REJECTED'))))).toBe('CARRIER.REJECTED');
    expect(p.health()).toEqual({ circuit: 'CLOSED', recentErrorRate: 0, p50LatencyMs: expect.any(Number) });
  });

  it('counts hangs that hit the deadline as failures', async () => {
    const p = policy({ timeoutMs: 20, retries: 0 });
    for (let i = 0; i < SETTINGS.breakerThreshold; i++) {
      expect(
        await codeOf(
          p.execute('quote', (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)))),
        ),
      ).toBe('CARRIER.TIMEOUT');
    }
    await sleep(5);
    expect(p.health().circuit).toBe('OPEN');
  });
});

describe('CarrierPolicy bulkhead and health', () => {
  it('refuses calls beyond the bulkhead and its queue with CARRIER.BULKHEAD_FULL', async () => {
    const p = policy({ bulkheadLimit: 1, bulkheadQueue: 1 });
    const slow = () => sleep(50).then(() => 'ok');
    const results = await Promise.all([1, 2, 3].map(() => codeOf(p.execute('quote', slow))));
    expect(results.sort()).toEqual(['CARRIER.BULKHEAD_FULL', 'resolved', 'resolved']);
  });

  it('reports the recent error rate and the median latency of attempts', async () => {
    const p = policy({ retries: 0, breakerThreshold: 100 });
    expect(p.health()).toEqual({ circuit: 'CLOSED', recentErrorRate: 0, p50LatencyMs: null });
    for (const ms of [10, 20, 30]) await p.execute('quote', () => sleep(ms).then(() => 'ok'));
    await codeOf(p.execute('quote', () => Promise.reject(failure('CARRIER.HTTP_ERROR'))));
    const health = p.health();
    expect(health.recentErrorRate).toBe(0.25);
    expect(health.p50LatencyMs).toBeGreaterThanOrEqual(5);
    expect(health.p50LatencyMs).toBeLessThan(30);
  });
});

describe('RecentCalls', () => {
  it('keeps only the last `capacity` attempts', () => {
    const recent = new RecentCalls(4);
    for (let i = 0; i < 4; i++) recent.record(false, 100);
    for (let i = 0; i < 4; i++) recent.record(true, 10 + i);
    expect(recent.size).toBe(4);
    expect(recent.errorRate()).toBe(0);
    expect(recent.p50()).toBe(12); // median of 10, 11, 12, 13 = 11.5, rounded half up
  });

  it('gives the middle value for an odd count and null when empty', () => {
    const recent = new RecentCalls(5);
    expect(recent.p50()).toBeNull();
    for (const ms of [50, 10, 30]) recent.record(true, ms);
    expect(recent.p50()).toBe(30);
  });
});
