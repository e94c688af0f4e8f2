/**
 * The carrier's contracting desk: the producer appointments one simulated carrier has received, in
 * the simulators' protocol-neutral vocabulary (each protocol renders it in its own codes).
 *
 * - Exactly once: the first request under a reference (our appointment id: TransRefGUID,
 *   Idempotency-Key or appointmentRef) files it; a resend answers the same appointment.
 * - Asynchronous, as carriers are: a request is only ever RECEIVED when filed; the carrier decides
 *   (ACTIVE with a writing number and effective date, or REJECTED with a reason) `decisionMs` after
 *   receipt, computed lazily when read (no timers), or when the control API says so (`decide`).
 *   With `hold`, only the control API decides. TERMINATED (with its date) comes from the control API.
 * - Deterministic outcomes for tests: an NPN ending in `REJECTED_NPN_SUFFIX`, or any NPN or state in
 *   the rules set through the control API, is rejected with a stated reason.
 * - No personal data: the NPN is a public producer number; names are not kept.
 */
export const SIM_APPOINTMENT_STATUSES = ['RECEIVED', 'ACTIVE', 'REJECTED', 'TERMINATED'] as const;
export type SimAppointmentStatus = (typeof SIM_APPOINTMENT_STATUSES)[number];

/** NPNs ending in these digits are always rejected (a planted failed background check). */
export const REJECTED_NPN_SUFFIX = '0000';
export const BACKGROUND_REJECTION = 'The producer did not pass the carrier background check';
export const STATE_REJECTION = 'The carrier does not appoint producers in this state';

export interface StoredAppointment {
  /** Our reference (the deduplication key). */
  readonly reference: string;
  /** The carrier's own id for the appointment request. */
  readonly carrierReference: string;
  readonly npn: string;
  readonly state: string;
  readonly receivedAt: number;
  status: SimAppointmentStatus;
  writingNumber: string | null;
  effectiveOn: string | null;
  terminatedOn: string | null;
  reason: string | null;
  decidedAt: number | null;
}

export interface AppointmentAsk {
  reference: string;
  npn: string;
  state: string;
}

export interface AppointmentDecision {
  status: 'ACTIVE' | 'REJECTED' | 'TERMINATED';
  reason?: string | null;
  writingNumber?: string | null;
  /** YYYY-MM-DD; defaults to the day of the decision. */
  effectiveOn?: string | null;
  /** YYYY-MM-DD; defaults to the day of the termination. */
  terminatedOn?: string | null;
}

export interface AppointmentRules {
  /** Milliseconds from receipt to the decision (0: decided at the first inquiry after receipt). */
  decisionMs: number;
  /** Only the control API decides. */
  hold: boolean;
  /** NPNs rejected (besides those ending in REJECTED_NPN_SUFFIX). */
  rejectNpns: string[];
  /** States in which this carrier rejects every request. */
  rejectStates: string[];
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export class AppointmentBook {
  private readonly byReference = new Map<string, StoredAppointment>();
  private readonly byCarrierReference = new Map<string, StoredAppointment>();
  private sequence = 0;
  rules: AppointmentRules;

  constructor(
    private readonly carrierCode: string,
    private readonly defaults: { decisionMs: number; now: () => number },
  ) {
    this.rules = { decisionMs: defaults.decisionMs, hold: false, rejectNpns: [], rejectStates: [] };
  }

  /** Files a request, once per reference: `replayed` when the reference was already on file. */
  file(ask: AppointmentAsk): { appointment: StoredAppointment; replayed: boolean } {
    const known = this.byReference.get(ask.reference);
    if (known) return { appointment: this.settle(known), replayed: true };
    const appointment: StoredAppointment = {
      reference: ask.reference,
      carrierReference: `AP-${this.carrierCode}-${String(++this.sequence).padStart(6, '0')}`,
      npn: ask.npn,
      state: ask.state,
      receivedAt: this.defaults.now(),
      status: 'RECEIVED',
      writingNumber: null,
      effectiveOn: null,
      terminatedOn: null,
      reason: null,
      decidedAt: null,
    };
    this.byReference.set(ask.reference, appointment);
    this.byCarrierReference.set(appointment.carrierReference, appointment);
    return { appointment, replayed: false };
  }

  /** By the carrier's reference or ours, with any decision now due applied. */
  find(reference: string): StoredAppointment | undefined {
    const found = this.byCarrierReference.get(reference) ?? this.byReference.get(reference);
    return found && this.settle(found);
  }

  all(): StoredAppointment[] {
    return [...this.byReference.values()].map((a) => this.settle(a));
  }

  /** The control API's decision (or termination); throws for an unknown reference or a bad status. */
  decide(reference: string, decision: AppointmentDecision): StoredAppointment {
    const appointment = this.byCarrierReference.get(reference) ?? this.byReference.get(reference);
    if (!appointment) throw new RangeError(`${this.carrierCode} has no appointment ${reference}`);
    if (!['ACTIVE', 'REJECTED', 'TERMINATED'].includes(decision.status))
      throw new RangeError('status must be ACTIVE, REJECTED or TERMINATED');
    this.apply(appointment, decision);
    return appointment;
  }

  setRules(rules: Partial<AppointmentRules>): AppointmentRules {
    if (rules.decisionMs !== undefined && !(Number.isFinite(rules.decisionMs) && rules.decisionMs >= 0))
      throw new RangeError('decisionMs must be non-negative milliseconds');
    this.rules = {
      decisionMs: rules.decisionMs ?? this.rules.decisionMs,
      hold: rules.hold ?? this.rules.hold,
      rejectNpns: rules.rejectNpns ? [...rules.rejectNpns] : this.rules.rejectNpns,
      rejectStates: rules.rejectStates ? [...rules.rejectStates] : this.rules.rejectStates,
    };
    return this.rules;
  }

  resetRules(): void {
    this.rules = { decisionMs: this.defaults.decisionMs, hold: false, rejectNpns: [], rejectStates: [] };
  }

  /** The decision the carrier's rules make for a request: rejected (with why) or active. */
  private ruling(appointment: StoredAppointment): AppointmentDecision {
    if (appointment.npn.endsWith(REJECTED_NPN_SUFFIX) || this.rules.rejectNpns.includes(appointment.npn))
      return { status: 'REJECTED', reason: BACKGROUND_REJECTION };
    if (this.rules.rejectStates.includes(appointment.state)) return { status: 'REJECTED', reason: STATE_REJECTION };
    return { status: 'ACTIVE' };
  }

  /** A received request whose decision time has come is decided now (lazily, when read). */
  private settle(appointment: StoredAppointment): StoredAppointment {
    if (appointment.status !== 'RECEIVED' || this.rules.hold) return appointment;
    if (this.defaults.now() < appointment.receivedAt + this.rules.decisionMs) return appointment;
    // Decided at the first look after receipt at the earliest: the filing answer itself is always RECEIVED.
    this.apply(appointment, this.ruling(appointment));
    return appointment;
  }

  private apply(appointment: StoredAppointment, decision: AppointmentDecision): void {
    const now = this.defaults.now();
    appointment.status = decision.status;
    if (decision.status === 'TERMINATED') {
      appointment.terminatedOn = decision.terminatedOn ?? day(now);
      appointment.reason = decision.reason ?? appointment.reason;
      return;
    }
    appointment.decidedAt = now;
    if (decision.status === 'ACTIVE') {
      appointment.writingNumber = decision.writingNumber ?? `${this.carrierCode.slice(0, 3)}${appointment.carrierReference.slice(-6)}`;
      appointment.effectiveOn = decision.effectiveOn ?? day(now);
      appointment.reason = null;
    } else {
      appointment.reason = decision.reason ?? 'Rejected by the carrier';
    }
  }
}
