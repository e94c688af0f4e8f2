/**
 * The control API of the simulated carriers, in two forms that act on the same state:
 * - in process, `SimulatorControl` (tests and benchmarks that started the simulators), addressed by
 *   carrier code;
 * - over HTTP, under `/_control/...` on each carrier's own server (for a simulator process started
 *   elsewhere, e.g. `npm run start:simulators`):
 *
 *   GET    /_control/counts                      calls received by kind
 *   DELETE /_control/counts                      zero them
 *   PUT    /_control/latency                     {"fixedMs": 150, "jitterMs": 20}
 *   PUT    /_control/fault                       {"fault": "hang"|"5xx"|"malformed"|"429"|"expired-token", "times"?: n, "kinds"?: [...], "retryAfterSeconds"?: s}
 *   DELETE /_control/fault                       back to healthy
 *   PUT    /_control/token-ttl                   {"seconds": 2}  lifetime of tokens issued from now on (REST)
 *   POST   /_control/tokens/revoke               every issued token stops working (REST)
 *   POST   /_control/ratebook/publish            a new rate-book revision (new ETag); answers {"etag": ...}
 *   GET    /_control/applications                the carrier's applications (no personal data is kept)
 *   GET    /_control/applications/<carrierRef>   one of them
 *   POST   /_control/applications/<carrierRef>/advance   ApplicationUpdate, e.g. {"status": "ISSUED", "requirements": [...]}
 *   PUT    /_control/push                        {"url": "http://.../webhooks/carriers/car_x", "enabled": true, "secret"?: "..."}: status pushes
 *   GET    /_control/push                        the push settings (without the secret) and the delivery log
 *   POST   /_control/reset                       latency, fault, counts, token lifetime and appointment rules back to their start values
 *   GET    /_control/appointments                the producer appointment requests received
 *   POST   /_control/appointments/<ref>/decide   {"status": "ACTIVE"|"REJECTED"|"TERMINATED", "reason"?, "writingNumber"?, "effectiveOn"?, "terminatedOn"?}
 *                                                (<ref>: the carrier's reference or ours)
 *   PUT    /_control/appointments/rules          {"decisionMs"?: ms, "hold"?: bool, "rejectNpns"?: [...], "rejectStates"?: [...]}
 *
 * Requirements in an advance: {"id": "RQ-...", "status": "RECEIVED"} moves the carrier's requirement
 * with that id; {"code": "APS", "status": "ORDERED", "reference"?, "description"?, "carrierCode"?} moves
 * the carrier's one requirement of that code or adds it; with "add": true it always adds one.
 */
import type { ApplicationUpdate, StoredApplication } from './carrier-store';
import type { AppointmentDecision, AppointmentRules, StoredAppointment } from './appointment-book';
import type { PushDelivery } from './carrier-push';
import type { SimRequest, SimResponse } from './protocol';
import {
  zeroCounts,
  type CallCounts,
  type Fault,
  type FaultOptions,
  type LatencySetting,
  type SimulatedCarrier,
} from './simulated-carrier';

/** An application as the control API shows it. */
export interface ApplicationView extends Omit<StoredApplication, 'submittedAt' | 'autoStep' | 'requirements' | 'requirementSequence'> {
  submittedAt: string;
  requirements: StoredApplication['requirements'];
}

export function applicationView(application: StoredApplication): ApplicationView {
  const { autoStep: _autoStep, requirementSequence: _sequence, submittedAt, requirements, ...rest } = application;
  return { ...rest, submittedAt: new Date(submittedAt).toISOString(), requirements: requirements.map((r) => ({ ...r })) };
}

/** An appointment request as the control API shows it. */
export interface AppointmentView extends Omit<StoredAppointment, 'receivedAt' | 'decidedAt'> {
  receivedAt: string;
  decidedAt: string | null;
}

export function appointmentView(appointment: StoredAppointment): AppointmentView {
  return {
    ...appointment,
    receivedAt: new Date(appointment.receivedAt).toISOString(),
    decidedAt: appointment.decidedAt === null ? null : new Date(appointment.decidedAt).toISOString(),
  };
}

export class SimulatorControl {
  private readonly carriers: ReadonlyMap<string, SimulatedCarrier>;

  constructor(carriers: readonly SimulatedCarrier[]) {
    this.carriers = new Map(carriers.map((sim) => [sim.code, sim]));
  }

  /** The carrier codes simulated, in fixture order. */
  codes(): string[] {
    return [...this.carriers.keys()];
  }

  /** The simulated carrier with this code; throws for an unknown code (a typo in a test should fail loudly). */
  carrier(code: string): SimulatedCarrier {
    const sim = this.carriers.get(code);
    if (!sim) throw new RangeError(`no simulated carrier ${code}: expected one of ${this.codes().join(', ')}`);
    return sim;
  }

  /** Latency of one carrier, or of every carrier with '*'. */
  setLatency(code: string | '*', latency: { fixedMs: number; jitterMs?: number }): void {
    const setting: LatencySetting = { fixedMs: latency.fixedMs, jitterMs: latency.jitterMs ?? 0 };
    if (!(setting.fixedMs >= 0) || !(setting.jitterMs >= 0)) throw new RangeError('latency must be non-negative milliseconds');
    for (const sim of this.targets(code)) sim.latency = { ...setting };
  }

  /** A fault for one carrier (or '*'); null heals it. */
  setFault(code: string | '*', fault: Fault | null, options?: FaultOptions): void {
    for (const sim of this.targets(code)) sim.setFault(fault, options);
  }

  clearFaults(): void {
    for (const sim of this.carriers.values()) sim.setFault(null);
  }

  /** Moves an application at the carrier, e.g. advance('SUMMIT', ref, { status: 'ISSUED', policyNumber: 'SR123' }). */
  advance(code: string, carrierReference: string, update: ApplicationUpdate): ApplicationView {
    return applicationView(this.carrier(code).store.advance(carrierReference, update));
  }

  application(code: string, carrierReference: string): ApplicationView | undefined {
    const found = this.carrier(code).store.find(carrierReference);
    return found && applicationView(found);
  }

  applications(code: string): ApplicationView[] {
    return this.carrier(code).store.all().map(applicationView);
  }

  /** Calls received by one carrier, by kind (a copy). */
  counts(code: string): CallCounts {
    return { ...this.carrier(code).counts };
  }

  /** Calls received by every carrier together. */
  totalCounts(): CallCounts {
    const total = zeroCounts();
    for (const sim of this.carriers.values()) for (const key of Object.keys(total) as (keyof CallCounts)[]) total[key] += sim.counts[key];
    return total;
  }

  resetCounts(code: string | '*' = '*'): void {
    for (const sim of this.targets(code)) sim.counts = zeroCounts();
  }

  /** Lifetime of the tokens a REST carrier issues from now on. */
  setTokenTtl(code: string, seconds: number): void {
    this.carrier(code).tokens.setTtl(seconds);
  }

  /** Every token a REST carrier issued stops working: the next API call gets 401. */
  revokeTokens(code: string): void {
    this.carrier(code).tokens.revokeAll();
  }

  /** Publishes a new revision of a rate-book carrier's book; returns its ETag. */
  publishRateBook(code: string): string {
    const sim = this.carrier(code);
    sim.rateBookRevision++;
    return sim.rateBookEtag();
  }

  /**
   * Status pushes of one carrier (or '*'): `url` is the full webhook URL, or `baseUrl` to which each
   * carrier's id is appended (/webhooks/carriers/<carrierId>); `enabled` turns them on or off.
   */
  setPush(code: string | '*', settings: { url?: string | null; baseUrl?: string; enabled?: boolean; secret?: string }): void {
    for (const sim of this.targets(code)) {
      const pusher = sim.pusher;
      if (settings.baseUrl !== undefined) pusher.settings.url = `${settings.baseUrl.replace(/\/+$/, '')}/${sim.carrier.id}`;
      if (settings.url !== undefined) pusher.settings.url = settings.url;
      if (settings.secret !== undefined) pusher.settings.secret = settings.secret;
      pusher.settings.enabled =
        settings.enabled ?? (settings.url !== undefined || settings.baseUrl !== undefined ? true : pusher.settings.enabled);
    }
  }

  /** The pushes one carrier has attempted, oldest first (a copy). */
  pushes(code: string): PushDelivery[] {
    return [...this.carrier(code).pusher.deliveries];
  }

  /** Waits until every push under way has been delivered or given up. */
  async settlePushes(): Promise<void> {
    await Promise.all([...this.carriers.values()].map((sim) => sim.pusher.settle()));
  }

  /** One carrier's producer appointment requests, as received and decided so far (copies). */
  appointments(code: string): AppointmentView[] {
    return this.carrier(code).appointments.all().map(appointmentView);
  }

  /** The carrier decides (or terminates) an appointment request now; `reference` is the carrier's or ours. */
  decideAppointment(code: string, reference: string, decision: AppointmentDecision): AppointmentView {
    return appointmentView(this.carrier(code).appointments.decide(reference, decision));
  }

  /** How one carrier (or '*') decides appointment requests: delay, hold, planted rejections. */
  setAppointmentRules(code: string | '*', rules: Partial<AppointmentRules>): void {
    for (const sim of this.targets(code)) sim.appointments.setRules(rules);
  }

  /** Every carrier back to its start settings (latency, no fault, zero counts); applications stay. */
  reset(): void {
    for (const sim of this.carriers.values()) sim.reset();
  }

  private targets(code: string | '*'): SimulatedCarrier[] {
    return code === '*' ? [...this.carriers.values()] : [this.carrier(code)];
  }
}

const ok = (body: unknown = { ok: true }): SimResponse => ({
  status: 200,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify(body),
});
const problem = (status: number, message: string): SimResponse => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify({ error: status === 404 ? 'not_found' : 'bad_request', message }),
});

function parseJson(body: string): Record<string, unknown> {
  const parsed: unknown = body ? JSON.parse(body) : {};
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new RangeError('the body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/** The HTTP form of the control API for one carrier's server. */
export function handleControlRequest(sim: SimulatedCarrier, request: SimRequest): SimResponse {
  const route = `${request.method} ${request.path.replace(/\/+$/, '')}`;
  const control = new SimulatorControl([sim]);
  try {
    const body = request.method === 'GET' || request.method === 'DELETE' ? {} : parseJson(request.body);
    const advance = /^POST \/_control\/applications\/([^/]+)\/advance$/.exec(route);
    if (advance) {
      const reference = decodeURIComponent(advance[1]);
      if (!sim.store.find(reference)) return problem(404, `${sim.code} has no application ${reference}`);
      return ok(control.advance(sim.code, reference, body as ApplicationUpdate));
    }
    const decide = /^POST \/_control\/appointments\/([^/]+)\/decide$/.exec(route);
    if (decide) {
      const reference = decodeURIComponent(decide[1]);
      if (!sim.appointments.find(reference)) return problem(404, `${sim.code} has no appointment ${reference}`);
      return ok(control.decideAppointment(sim.code, reference, body as unknown as AppointmentDecision));
    }
    const one = /^GET \/_control\/applications\/([^/]+)$/.exec(route);
    if (one) {
      const view = control.application(sim.code, decodeURIComponent(one[1]));
      return view ? ok(view) : problem(404, `${sim.code} has no application ${decodeURIComponent(one[1])}`);
    }
    switch (route) {
      case 'GET /_control/counts':
        return ok(control.counts(sim.code));
      case 'DELETE /_control/counts':
        control.resetCounts(sim.code);
        return ok();
      case 'PUT /_control/latency':
        control.setLatency(sim.code, { fixedMs: Number(body.fixedMs ?? 0), jitterMs: Number(body.jitterMs ?? 0) });
        return ok(sim.latency);
      case 'PUT /_control/fault':
        control.setFault(sim.code, (body.fault ?? null) as Fault | null, body as FaultOptions);
        return ok();
      case 'DELETE /_control/fault':
        control.setFault(sim.code, null);
        return ok();
      case 'PUT /_control/token-ttl':
        control.setTokenTtl(sim.code, Number(body.seconds));
        return ok({ seconds: sim.tokens.lifetimeSeconds });
      case 'POST /_control/tokens/revoke':
        control.revokeTokens(sim.code);
        return ok();
      case 'POST /_control/ratebook/publish':
        return ok({ etag: control.publishRateBook(sim.code) });
      case 'GET /_control/applications':
        return ok(control.applications(sim.code));
      case 'PUT /_control/push':
        control.setPush(sim.code, body as { url?: string; enabled?: boolean; secret?: string });
        return ok({ url: sim.pusher.settings.url, enabled: sim.pusher.settings.enabled });
      case 'GET /_control/push':
        return ok({ url: sim.pusher.settings.url, enabled: sim.pusher.settings.enabled, deliveries: control.pushes(sim.code) });
      case 'GET /_control/appointments':
        return ok(control.appointments(sim.code));
      case 'PUT /_control/appointments/rules':
        control.setAppointmentRules(sim.code, body as Partial<AppointmentRules>);
        return ok(sim.appointments.rules);
      case 'POST /_control/reset':
        control.reset();
        return ok();
      default:
        return problem(404, `${route} is not a control endpoint`);
    }
  } catch (error) {
    // Bad control input is the caller's mistake: say what was wrong.
    return problem(400, (error as Error).message);
  }
}
