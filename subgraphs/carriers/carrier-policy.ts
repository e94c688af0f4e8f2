import {
  BrokenCircuitError,
  BulkheadRejectedError,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  DelegateBackoff,
  TaskCancelledError,
  TimeoutStrategy,
  bulkhead,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  wrap,
  type IPolicy,
} from 'cockatiel';
import { CarrierFailure, type CarrierFailureCode } from './domain/carrier-failure';

/**
 * The one policy every call out to a carrier goes through, one instance per carrier for the
 * process: a deadline over the whole call, retries with exponential backoff for reads only, a
 * circuit breaker, and a bulkhead. It also remembers the last calls' outcomes and latencies for
 * `Carrier.health`. Every failure leaves it as a CarrierFailure with a namespaced code.
 */
export interface CarrierPolicySettings {
  /** Deadline for one call, retries and queueing included (CARRIER_TIMEOUT_MS). */
  timeoutMs: number;
  /** Extra attempts after a failed read (CARRIER_RETRIES); writes never retry. */
  retries: number;
  /** First backoff delay; doubles per retry up to retryMaxDelayMs, with jitter. */
  retryInitialDelayMs: number;
  retryMaxDelayMs: number;
  /** Consecutive failed attempts that open the circuit (CARRIER_BREAKER_THRESHOLD). */
  breakerThreshold: number;
  /** How long an open circuit refuses calls before letting one test call through (CARRIER_BREAKER_COOLDOWN_MS). */
  breakerCooldownMs: number;
  /** Calls in flight to one carrier at once (CARRIER_MAX_CONCURRENCY), and calls allowed to wait for a slot. */
  bulkheadLimit: number;
  bulkheadQueue: number;
  /** Attempts remembered for the error rate and p50 latency. */
  healthWindow: number;
}

/** What a call does: reads may be retried; a submission never is (see `execute`). */
export type CarrierOperation = 'quote' | 'status' | 'products' | 'submit';

export type CircuitStateName = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

export interface CarrierHealthSnapshot {
  circuit: CircuitStateName;
  /** 0..1 over the remembered attempts; 0 when none. */
  recentErrorRate: number;
  /** Median latency of the remembered attempts; null when none. */
  p50LatencyMs: number | null;
}

/** A ring buffer of the last attempts: cheap to record, summarised only when someone asks. */
export class RecentCalls {
  private readonly ok: boolean[] = [];
  private readonly latency: number[] = [];
  private next = 0;

  constructor(private readonly capacity: number) {}

  record(ok: boolean, latencyMs: number): void {
    this.ok[this.next] = ok;
    this.latency[this.next] = latencyMs;
    this.next = (this.next + 1) % this.capacity;
  }

  get size(): number {
    return this.ok.length;
  }

  errorRate(): number {
    if (this.ok.length === 0) return 0;
    return this.ok.filter((ok) => !ok).length / this.ok.length;
  }

  p50(): number | null {
    if (this.latency.length === 0) return null;
    const sorted = [...this.latency].sort((a, b) => a - b);
    const middle = sorted.length >> 1;
    return Math.round(sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2);
  }
}

/** Thrown by an attempt that starts after the deadline already passed: the carrier is not called. */
class DeadlinePassedError extends Error {}

/** Failures worth another attempt within the deadline: the carrier may answer next time. */
function isTransient(error: Error, maxDelayMs: number): boolean {
  if (!(error instanceof CarrierFailure)) return false;
  if (error.code === 'CARRIER.RATE_LIMITED') return (error.retryAfterMs ?? 0) <= maxDelayMs;
  return error.code === 'CARRIER.HTTP_ERROR' || error.code === 'CARRIER.MALFORMED';
}

/** A carrier refusing an application is an answer, not a fault: it must not open the circuit. */
function countsAgainstCarrier(error: Error): boolean {
  if (error instanceof DeadlinePassedError) return false;
  return !(error instanceof CarrierFailure && error.code === 'CARRIER.REJECTED');
}

const toFailure = (code: CarrierFailureCode, message: string) => new CarrierFailure(code, message);

export class CarrierPolicy {
  private readonly breaker: CircuitBreakerPolicy;
  private readonly readPolicy: IPolicy;
  private readonly writePolicy: IPolicy;
  private readonly recent: RecentCalls;
  private openedAt = 0;

  constructor(
    readonly carrierId: string,
    readonly settings: Readonly<CarrierPolicySettings>,
  ) {
    this.recent = new RecentCalls(settings.healthWindow);
    this.breaker = circuitBreaker(handleWhen(countsAgainstCarrier), {
      halfOpenAfter: settings.breakerCooldownMs,
      breaker: new ConsecutiveBreaker(settings.breakerThreshold),
    });
    this.breaker.onBreak(() => {
      this.openedAt = Date.now();
    });
    // Aggressive: the caller gets its answer at the deadline even if an adapter ignores the abort signal.
    const deadline = timeout(settings.timeoutMs, TimeoutStrategy.Aggressive);
    const slots = bulkhead(settings.bulkheadLimit, settings.bulkheadQueue);
    const backoff = new DelegateBackoff<{ attempt: number; result: { error?: Error } | { value: unknown } }>((context) => {
      const exponential = Math.min(settings.retryMaxDelayMs, settings.retryInitialDelayMs * 2 ** (context.attempt - 1));
      // Half jitter: replicas retrying together do not hit a recovering carrier in lockstep.
      const jittered = exponential / 2 + Math.random() * (exponential / 2);
      const error = 'error' in context.result ? context.result.error : undefined;
      const asked = error instanceof CarrierFailure ? (error.retryAfterMs ?? 0) : 0;
      return Math.round(Math.max(jittered, asked));
    });
    const retries = retry(
      handleWhen((error) => isTransient(error, settings.retryMaxDelayMs)),
      { maxAttempts: settings.retries, backoff },
    );
    // Order matters: the deadline covers queueing and every retry; each attempt passes the breaker.
    this.readPolicy = wrap(deadline, slots, retries, this.breaker);
    this.writePolicy = wrap(deadline, slots, this.breaker);
  }

  /**
   * Runs one call to the carrier under the policy. `submit` is a write and is NEVER retried here:
   * a resend is the outbox's decision, made with the case's stable reference so the carrier can
   * deduplicate it; a blind retry could make a second application at a carrier that does not.
   * Throws CarrierFailure: CARRIER.TIMEOUT at the deadline, CARRIER.CIRCUIT_OPEN without calling the
   * carrier while the circuit is open, CARRIER.BULKHEAD_FULL when too many calls wait; the adapter's
   * own failures pass through; anything else (a bug) is thrown unchanged.
   */
  async execute<T>(operation: CarrierOperation, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    // While the half-open test call is out, cockatiel would queue others behind it: refuse them now.
    if (this.breaker.state === CircuitState.HalfOpen || (this.breaker.state === CircuitState.Open && !this.cooledDown())) {
      throw toFailure('CARRIER.CIRCUIT_OPEN', 'circuit open after repeated failures: carrier not called');
    }
    const policy = operation === 'submit' ? this.writePolicy : this.readPolicy;
    try {
      return await policy.execute(({ signal }) => this.attempt(call, signal));
    } catch (error) {
      throw this.normalize(error);
    }
  }

  private async attempt<T>(call: (signal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<T> {
    // cockatiel's retry waits out its backoff even after the deadline: never call the carrier then.
    if (signal.aborted) throw new DeadlinePassedError('deadline passed before the attempt');
    const started = performance.now();
    try {
      const result = await call(signal);
      this.recent.record(true, performance.now() - started);
      return result;
    } catch (error) {
      this.recent.record(error instanceof CarrierFailure && error.code === 'CARRIER.REJECTED', performance.now() - started);
      throw error;
    }
  }

  private normalize(error: unknown): unknown {
    if (error instanceof CarrierFailure) return error;
    if (error instanceof BrokenCircuitError)
      return toFailure('CARRIER.CIRCUIT_OPEN', 'circuit open after repeated failures: carrier not called');
    if (error instanceof TaskCancelledError || error instanceof DeadlinePassedError) {
      return toFailure('CARRIER.TIMEOUT', `no answer within ${this.settings.timeoutMs} ms`);
    }
    if (error instanceof BulkheadRejectedError) return toFailure('CARRIER.BULKHEAD_FULL', 'too many calls to this carrier in flight');
    if ((error as Error)?.name === 'AbortError') return toFailure('CARRIER.TIMEOUT', `no answer within ${this.settings.timeoutMs} ms`);
    return error;
  }

  private cooledDown(): boolean {
    return Date.now() - this.openedAt >= this.settings.breakerCooldownMs;
  }

  /** What `Carrier.health` shows. An open circuit past its cooldown shows HALF_OPEN: the next call tests the carrier. */
  health(): CarrierHealthSnapshot {
    const state = this.breaker.state;
    let circuit: CircuitStateName = 'CLOSED';
    if (state === CircuitState.HalfOpen) circuit = 'HALF_OPEN';
    else if (state === CircuitState.Open || state === CircuitState.Isolated)
      circuit = this.cooledDown() && state === CircuitState.Open ? 'HALF_OPEN' : 'OPEN';
    return { circuit, recentErrorRate: Math.round(this.recent.errorRate() * 1000) / 1000, p50LatencyMs: this.recent.p50() };
  }
}
