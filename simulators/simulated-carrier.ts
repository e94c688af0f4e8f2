/**
 * One simulated carrier's state, whatever its protocol: the fixture it sells from, its store of
 * applications, the calls it has received, and what the control API has asked of it (latency,
 * faults, token lifetime, rate-book revision). The HTTP server and the control API both act on it.
 */
import type { CarrierFixture } from '../subgraphs/carriers/fixtures/carriers.fixture';
import { rateTableVersion } from '../subgraphs/carriers/fixtures/rate-table';
import { DEV_CARRIER_PUSH_SECRET } from '../platform/config';
import { ApplicationStore, type StoredApplication } from './carrier-store';
import { AppointmentBook } from './appointment-book';
import { CarrierPusher, type PushBody, type PushSettings } from './carrier-push';
import { TokenIssuer } from './rest/token-issuer';

/** What a request to a carrier is for; the same names as CarrierAdapter.calls, so tests can compare both sides. */
export const CALL_KINDS = [
  'quote',
  'token',
  'rateBook',
  'submit',
  'status',
  'products',
  'change',
  'appointment',
  'appointmentStatus',
] as const;
export type CallKind = (typeof CALL_KINDS)[number];

/** Requests received by kind; rateBookNotModified counts the rate-book requests answered 304 (also counted in rateBook). */
export type CallCounts = Record<CallKind, number> & { rateBookNotModified: number };

/** What a fault does to a request: never answer, 500, a 200 whose body cannot be read, 429, or 401 as if the token expired. */
export const FAULTS = ['hang', '5xx', 'malformed', '429', 'expired-token'] as const;
export type Fault = (typeof FAULTS)[number];

export interface FaultOptions {
  /** Only the next N matching requests (default: until cleared). */
  times?: number;
  /** Only requests of these kinds (default: every kind, except the token endpoint for 'expired-token'). */
  kinds?: CallKind[];
  /** For '429': the Retry-After the carrier sends, in seconds (default 1). */
  retryAfterSeconds?: number;
}

export interface LatencySetting {
  /** Added to every protocol request. */
  fixedMs: number;
  /** A uniformly random extra delay in [0, jitterMs). */
  jitterMs: number;
}

interface ActiveFault {
  fault: Fault;
  remaining: number | null;
  kinds: readonly CallKind[] | null;
  retryAfterSeconds: number;
}

export interface SimulatedCarrierOptions {
  latency: LatencySetting;
  /** How long an OAuth token lives (REST carriers). */
  tokenTtlSeconds: number;
  /** Milliseconds per step of an application's automatic progression; 0 = only the control API moves it. */
  autoProgressMs: number;
  /** Milliseconds from an appointment request's receipt to the carrier's decision (default 0: decided at the first inquiry). */
  appointmentDecisionMs?: number;
  now?: () => number;
  /** Status pushes: off unless a URL is given (here or later through the control API). */
  push?: Partial<PushSettings>;
}

export const zeroCounts = (): CallCounts => ({
  quote: 0,
  token: 0,
  rateBook: 0,
  submit: 0,
  status: 0,
  products: 0,
  change: 0,
  appointment: 0,
  appointmentStatus: 0,
  rateBookNotModified: 0,
});

export class SimulatedCarrier {
  readonly store: ApplicationStore;
  /** Producer appointment requests received (the contracting endpoint of each protocol). */
  readonly appointments: AppointmentBook;
  readonly tokens: TokenIssuer;
  /** Pushes each change of an application to the BGA's webhook, once the protocol's server attached its rendering. */
  readonly pusher: CarrierPusher;
  counts: CallCounts = zeroCounts();
  latency: LatencySetting;
  /** Bumped by the control API to publish a new rate-book version (a new ETag). */
  rateBookRevision = 1;
  private fault: ActiveFault | null = null;

  constructor(
    readonly carrier: CarrierFixture,
    private readonly defaults: SimulatedCarrierOptions,
  ) {
    const now = defaults.now ?? Date.now;
    this.latency = { ...defaults.latency };
    this.store = new ApplicationStore(carrier, { autoProgressMs: defaults.autoProgressMs, now });
    this.appointments = new AppointmentBook(carrier.code, { decisionMs: defaults.appointmentDecisionMs ?? 0, now });
    this.tokens = new TokenIssuer(defaults.tokenTtlSeconds, now);
    this.pusher = new CarrierPusher(
      {
        url: defaults.push?.url ?? null,
        secret: defaults.push?.secret ?? DEV_CARRIER_PUSH_SECRET,
        enabled: defaults.push?.enabled ?? !!defaults.push?.url,
        ...(defaults.push?.attempts ? { attempts: defaults.push.attempts } : {}),
        ...(defaults.push?.retryDelayMs ? { retryDelayMs: defaults.push.retryDelayMs } : {}),
      },
      () => {
        throw new Error(`${carrier.code}: no push rendering attached`);
      },
    );
  }

  /** The protocol's rendering of a status notification: from now on every change of an application is pushed (when enabled). */
  attachPush(render: (application: StoredApplication, eventId: string) => PushBody): void {
    this.pusher.render = render;
    this.store.onChange = (application) => this.pusher.notify(application);
  }

  get code(): string {
    return this.carrier.code;
  }

  /** The rate book's current ETag (quoted, as on the wire): the rate-table version plus the published revision. */
  rateBookEtag(): string {
    return `"${rateTableVersion(this.carrier)}-r${this.rateBookRevision}"`;
  }

  record(kind: CallKind): void {
    this.counts[kind]++;
  }

  setFault(fault: Fault | null, options: FaultOptions = {}): void {
    if (fault === null) {
      this.fault = null;
      return;
    }
    if (!FAULTS.includes(fault)) throw new RangeError(`unknown fault ${String(fault)}: expected one of ${FAULTS.join(', ')}`);
    if (options.times !== undefined && (!Number.isInteger(options.times) || options.times < 1))
      throw new RangeError('times must be a positive integer');
    // An expired token is a property of API calls: the token endpoint itself keeps working, so a refresh can succeed.
    const kinds = options.kinds ?? (fault === 'expired-token' ? CALL_KINDS.filter((k) => k !== 'token') : null);
    this.fault = { fault, remaining: options.times ?? null, kinds, retryAfterSeconds: options.retryAfterSeconds ?? 1 };
  }

  /** The fault this request suffers, if any; each use counts against `times`. */
  takeFault(kind: CallKind): { fault: Fault; retryAfterSeconds: number } | null {
    const active = this.fault;
    if (!active || (active.kinds && !active.kinds.includes(kind))) return null;
    if (active.remaining !== null && --active.remaining <= 0) this.fault = null;
    return { fault: active.fault, retryAfterSeconds: active.retryAfterSeconds };
  }

  delayMs(): number {
    const { fixedMs, jitterMs } = this.latency;
    return fixedMs + (jitterMs > 0 ? Math.random() * jitterMs : 0);
  }

  /** Back to how it started: default latency, no fault, zero counts, default token lifetime and appointment rules. Applications and appointments stay. */
  reset(): void {
    this.latency = { ...this.defaults.latency };
    this.appointments.resetRules();
    this.fault = null;
    this.counts = zeroCounts();
    this.tokens.setTtl(this.defaults.tokenTtlSeconds);
  }
}
