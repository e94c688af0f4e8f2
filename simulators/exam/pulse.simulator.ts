/**
 * PULSE, a simulated paramedical exam vendor (exams, blood and urine, EKG), as a real HTTP server
 * with its own JSON API. This header is the vendor's API guide.
 *
 * Authentication: `Authorization: Bearer <api key>` on every /v1 call; otherwise 401
 * `{"error":"unauthorized"}`.
 *
 *   POST /v1/orders        header `Idempotency-Key: <key>` (the BGA sends its requirement id)
 *                          {"reference", "services": ["PARAMED"|"BLOOD_URINE"|"EKG", ...],
 *                           "applicant": {"firstName", "lastName", "birthDate": "YYYY-MM-DD", "gender": "MALE"|"FEMALE",
 *                                         "phone", "email"?, "address": {"line1", "city", "state", "postalCode"}},
 *                           "carrier": {"code", "policyReference", "requirementId": string|null, "kit"},
 *                           "callbackUrl"}
 *                          → 201 order; the same Idempotency-Key again → 200 with that order (no second
 *                            order), or 409 {"error":"idempotency_key_reused"} when it came with another reference;
 *                            invalid → 422 {"error":"invalid", "problems": [{"field", "message"}]} (every problem
 *                            at once; messages never repeat the values sent)
 *   GET  /v1/orders/:id    → 200 order; 404 {"error":"order_not_found"}
 *   POST /v1/orders/:id/cancel → 200 the order, CANCELLED; 409 {"error":"order_final", "status"} when it is
 *                          already RESULTS_SENT_TO_CARRIER or CANCELLED
 *   GET  /health
 * An order: {"orderId": "PX-…", "reference", "status", "sequence", "updatedAt", "appointment": {"at", "place"}|null}.
 *
 * Stages (`status`), each change one more `sequence`: ORDERED → SCHEDULED (an appointment: when and
 * where) → COMPLETED → RESULTS_SENT_TO_CARRIER; NO_SHOW from SCHEDULED (the applicant missed the
 * appointment), SCHEDULED again from NO_SHOW or from SCHEDULED (rescheduled, a new appointment);
 * CANCELLED from any stage not final. `appointment` is the latest appointment made.
 *
 * Webhooks: every stage change is POSTed to the order's callbackUrl as
 *   {"eventId", "type": "order.status_changed", "orderId", "reference", "status", "sequence", "occurredAt",
 *    "appointment": {"at", "place"}|null}
 * with header `Pulse-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(webhook secret, "<t>.<raw body>")>`,
 * signed afresh on each attempt, retried with doubling backoff until the receiver answers 2xx.
 * Events of one order are sent in order; a receiver should still apply them by `sequence` (a
 * network can reorder, and so can the control API's webhook faults) and once by `eventId`.
 *
 * Results: at RESULTS_SENT_TO_CARRIER, PULSE POSTs to the carrier's `/_vendors/results`
 * {"policyReference", "requirementId", "reference", "code", "vendor": "PULSE", "orderId", "completedOn"},
 * `code` being the first service's requirement code (PARAMED_EXAM, BLOOD_URINE, EKG), retried like
 * the webhooks. PULSE keeps none of the applicant's data: it is checked, then forgotten (the
 * simulator examines nobody).
 *
 * Control: vendor-control.ts (in process, and over HTTP under /_control/).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  json,
  startVendorSimulator,
  type RunningVendorSimulator,
  type VendorSimulatorOptions,
  type VendorProtocol,
  type VendorReply,
  type VendorRequest,
} from '../vendor-server';
import { type VendorControl, type VendorEvent, type VendorOrder, VendorOrderError, type VendorSpec } from '../vendor-control';
import { hmacSignature } from '../webhook-sender';

export const PULSE_STAGES = ['ORDERED', 'SCHEDULED', 'COMPLETED', 'RESULTS_SENT_TO_CARRIER', 'CANCELLED', 'NO_SHOW'] as const;
export type PulseStage = (typeof PULSE_STAGES)[number];
export const PULSE_SERVICES = ['PARAMED', 'BLOOD_URINE', 'EKG'] as const;
export type PulseService = (typeof PULSE_SERVICES)[number];
/** The requirement code the carrier receives results under, by service. */
export const PULSE_RESULTS_CODE: Record<PulseService, string> = { PARAMED: 'PARAMED_EXAM', BLOOD_URINE: 'BLOOD_URINE', EKG: 'EKG' };
export const PULSE_CALL_KINDS = ['create', 'get', 'cancel'] as const;
export type PulseCallKind = (typeof PULSE_CALL_KINDS)[number];

export const PULSE_SIGNATURE_HEADER = 'pulse-signature';
export const PULSE_IDEMPOTENCY_HEADER = 'idempotency-key';

/** The `Pulse-Signature` header value for a body sent at unix second `t`. */
export const pulseSignatureHeader = (secret: string, t: string | number, rawBody: string): string =>
  `t=${t},v1=${hmacSignature(secret, String(t), rawBody)}`;

/** The parts of a `Pulse-Signature` header, or null when it is not one. */
export function parsePulseSignature(header: string): { t: string; v1: string[] } | null {
  const parts = header.split(',').map((part) => part.trim().split('='));
  const t = parts.find(([key]) => key === 't')?.[1];
  const v1 = parts.filter(([key, value]) => key === 'v1' && value).map(([, value]) => value);
  return t && /^\d+$/.test(t) && v1.length > 0 ? { t, v1 } : null;
}

/** The order request's body. */
export interface PulseOrderRequest {
  reference: string;
  services: PulseService[];
  applicant: {
    firstName: string;
    lastName: string;
    birthDate: string;
    gender: 'MALE' | 'FEMALE';
    phone: string;
    email?: string;
    address: { line1: string; city: string; state: string; postalCode: string };
  };
  carrier: { code: string; policyReference: string; requirementId: string | null; kit: string };
  callbackUrl: string;
}

export interface PulseAppointment {
  at: string;
  place: string;
}

/** An order as the API answers it. */
export interface PulseOrderView {
  orderId: string;
  reference: string;
  status: PulseStage;
  sequence: number;
  updatedAt: string;
  appointment: PulseAppointment | null;
}

/** A webhook's JSON body. */
export interface PulseWebhookEvent {
  eventId: string;
  type: 'order.status_changed';
  orderId: string;
  reference: string;
  status: PulseStage;
  sequence: number;
  occurredAt: string;
  appointment: PulseAppointment | null;
}

/** What PULSE tells beyond the stage: the latest appointment. */
export interface PulseDetails {
  appointmentAt: string | null;
  appointmentPlace: string | null;
}

export type PulseOrder = VendorOrder<PulseStage, PulseDetails>;
export type PulseControl = VendorControl<PulseStage, PulseDetails, PulseCallKind>;

const DAY_MS = 86_400_000;

const appointmentOf = (details: PulseDetails): PulseAppointment | null =>
  details.appointmentAt ? { at: details.appointmentAt, place: details.appointmentPlace ?? '' } : null;

export const pulseOrderView = (order: PulseOrder): PulseOrderView => ({
  orderId: order.orderId,
  reference: order.reference,
  status: order.stage,
  sequence: order.sequence,
  updatedAt: order.updatedAt,
  appointment: appointmentOf(order.details),
});

export const pulseWebhookEvent = (event: VendorEvent<PulseStage, PulseDetails>): PulseWebhookEvent => ({
  eventId: event.eventId,
  type: 'order.status_changed',
  orderId: event.orderId,
  reference: event.reference,
  status: event.stage,
  sequence: event.sequence,
  occurredAt: event.occurredAt,
  appointment: appointmentOf(event.details),
});

export const PULSE_SPEC: VendorSpec<PulseStage, PulseDetails, PulseCallKind> = {
  vendor: 'PULSE',
  stages: PULSE_STAGES,
  path: ['ORDERED', 'SCHEDULED', 'COMPLETED', 'RESULTS_SENT_TO_CARRIER'],
  cancelled: 'CANCELLED',
  sideMoves: { SCHEDULED: ['SCHEDULED', 'NO_SHOW'], NO_SHOW: ['SCHEDULED'] },
  sideNext: { NO_SHOW: 'SCHEDULED' },
  completedStage: 'COMPLETED',
  callKinds: PULSE_CALL_KINDS,
  initialDetails: () => ({ appointmentAt: null, appointmentPlace: null }),
  defaultDetails(stage, order, now) {
    if (stage !== 'SCHEDULED') return {};
    // Two days out at 09:30 UTC, at one of the vendor's centres: a (re)scheduling makes a new appointment.
    const day = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS + 2 * DAY_MS + 9.5 * 3_600_000);
    return { appointmentAt: day.toISOString(), appointmentPlace: `Pulse Health Center #${(order.sequence % 40) + 1}` };
  },
  checkDetails(details) {
    const out: Partial<PulseDetails> = {};
    if (details.appointmentAt !== undefined) {
      if (typeof details.appointmentAt !== 'string' || Number.isNaN(Date.parse(details.appointmentAt)))
        throw new RangeError('details.appointmentAt must be an ISO date-time');
      out.appointmentAt = new Date(details.appointmentAt).toISOString();
    }
    if (details.appointmentPlace !== undefined) {
      if (typeof details.appointmentPlace !== 'string' || !details.appointmentPlace.trim())
        throw new RangeError('details.appointmentPlace must be a non-empty string');
      out.appointmentPlace = details.appointmentPlace;
    }
    return out;
  },
  encode: (event) => ({ body: JSON.stringify(pulseWebhookEvent(event)), contentType: 'application/json' }),
  sign: (secret, timestamp, body) => ({ [PULSE_SIGNATURE_HEADER]: pulseSignatureHeader(secret, timestamp, body) }),
};

interface Problem {
  field: string;
  message: string;
}

const isObject = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);

/** Checks an order request field by field, as the vendor's intake would; the problems name fields, never values. */
export function pulseOrderProblems(body: unknown, knowsCarrier: (code: string) => boolean = () => true): Problem[] {
  const problems: Problem[] = [];
  const problem = (field: string, message: string) => problems.push({ field, message });
  const text = (object: Record<string, unknown>, key: string, field: string, max = 200): string | undefined => {
    const value = object[key];
    if (typeof value !== 'string' || !value.trim()) problem(field, 'is required');
    else if (value.length > max) problem(field, `must be at most ${max} characters`);
    else return value;
    return undefined;
  };
  if (!isObject(body)) return [{ field: '', message: 'the body must be a JSON object' }];
  text(body, 'reference', 'reference', 100);
  if (!Array.isArray(body.services) || body.services.length === 0) problem('services', 'must list at least one service');
  else {
    body.services.forEach((service, i) => {
      if (!PULSE_SERVICES.includes(service as PulseService)) problem(`services[${i}]`, `must be one of ${PULSE_SERVICES.join(', ')}`);
    });
    if (new Set(body.services).size !== body.services.length) problem('services', 'must not repeat a service');
  }
  const applicant = body.applicant;
  if (!isObject(applicant)) problem('applicant', 'is required');
  else {
    text(applicant, 'firstName', 'applicant.firstName', 100);
    text(applicant, 'lastName', 'applicant.lastName', 100);
    const birthDate = text(applicant, 'birthDate', 'applicant.birthDate', 10);
    if (birthDate !== undefined) {
      const parsed = /^\d{4}-\d{2}-\d{2}$/.test(birthDate) ? new Date(`${birthDate}T00:00:00Z`) : null;
      if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== birthDate)
        problem('applicant.birthDate', 'must be a date, YYYY-MM-DD');
      else if (parsed.getTime() > Date.now()) problem('applicant.birthDate', 'must be in the past');
    }
    if (applicant.gender !== 'MALE' && applicant.gender !== 'FEMALE') problem('applicant.gender', 'must be MALE or FEMALE');
    const phone = text(applicant, 'phone', 'applicant.phone', 30);
    if (phone !== undefined) {
      const digits = phone.replace(/\D/g, '').length;
      if (!/^[+\d\s().-]+$/.test(phone) || digits < 10 || digits > 15)
        problem('applicant.phone', 'must be a phone number of 10 to 15 digits');
    }
    if (applicant.email !== undefined && applicant.email !== null) {
      if (typeof applicant.email !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(applicant.email))
        problem('applicant.email', 'must be an email address');
    }
    const address = applicant.address;
    if (!isObject(address)) problem('applicant.address', 'is required');
    else {
      text(address, 'line1', 'applicant.address.line1');
      text(address, 'city', 'applicant.address.city', 100);
      if (typeof address.state !== 'string' || !/^[A-Z]{2}$/.test(address.state))
        problem('applicant.address.state', 'must be a two-letter state code');
      if (typeof address.postalCode !== 'string' || !/^\d{5}(-\d{4})?$/.test(address.postalCode))
        problem('applicant.address.postalCode', 'must be a ZIP code (12345 or 12345-6789)');
    }
  }
  const carrier = body.carrier;
  if (!isObject(carrier)) problem('carrier', 'is required');
  else {
    const code = text(carrier, 'code', 'carrier.code', 40);
    if (code !== undefined && !knowsCarrier(code)) problem('carrier.code', 'is not a carrier PULSE delivers results to');
    text(carrier, 'policyReference', 'carrier.policyReference', 100);
    if (carrier.requirementId !== undefined && carrier.requirementId !== null) text(carrier, 'requirementId', 'carrier.requirementId', 100);
    text(carrier, 'kit', 'carrier.kit', 100);
  }
  const callbackUrl = text(body, 'callbackUrl', 'callbackUrl', 2000);
  if (callbackUrl !== undefined) {
    let protocol = '';
    try {
      protocol = new URL(callbackUrl).protocol;
    } catch {
      // reported below
    }
    if (protocol !== 'http:' && protocol !== 'https:') problem('callbackUrl', 'must be an http(s) URL');
  }
  return problems;
}

const orderId = () =>
  `PX-${randomBytes(6)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .toUpperCase()
    .padEnd(8, '0')
    .slice(0, 8)}`;

class PulseProtocol implements VendorProtocol<PulseCallKind> {
  readonly service = 'pulse';
  private readonly expectedKey: Buffer;

  constructor(
    private readonly control: PulseControl,
    apiKey: string,
  ) {
    this.expectedKey = Buffer.from(`Bearer ${apiKey}`);
  }

  classify(request: VendorRequest): PulseCallKind | null {
    const route = `${request.method} ${request.path.replace(/\/+$/, '')}`;
    if (route === 'POST /v1/orders') return 'create';
    if (/^GET \/v1\/orders\/[^/]+$/.test(route)) return 'get';
    if (/^POST \/v1\/orders\/[^/]+\/cancel$/.test(route)) return 'cancel';
    return null;
  }

  authorized(request: VendorRequest): boolean {
    const given = Buffer.from(request.headers.authorization ?? '');
    return given.length === this.expectedKey.length && timingSafeEqual(given, this.expectedKey);
  }

  unauthorized(): VendorReply {
    return json(401, { error: 'unauthorized', message: 'a valid API key is required' }, { 'www-authenticate': 'Bearer' });
  }

  notFound(request: VendorRequest): VendorReply {
    return json(404, { error: 'not_found', message: `${request.method} ${request.path} is not an endpoint` });
  }

  unavailable(): VendorReply {
    return json(503, { error: 'unavailable', message: 'simulated vendor failure' });
  }

  malformed(): VendorReply {
    return { status: 200, contentType: 'application/json; charset=utf-8', body: '{"orderId": "PX-' };
  }

  handle(kind: PulseCallKind, request: VendorRequest): VendorReply {
    const id = decodeURIComponent(request.path.split('/')[3] ?? '');
    try {
      switch (kind) {
        case 'create':
          return this.create(request);
        case 'get': {
          const order = this.control.order(id);
          return order ? json(200, pulseOrderView(order)) : json(404, { error: 'order_not_found', message: `no order ${id}` });
        }
        case 'cancel':
          return json(200, pulseOrderView(this.control.cancel(id)));
      }
    } catch (error) {
      if (!(error instanceof VendorOrderError)) throw error;
      const status = this.control.order(id)?.stage;
      return json(error.status, { error: error.code, message: error.message, ...(status ? { status } : {}) });
    }
  }

  private create(request: VendorRequest): VendorReply {
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      return json(400, { error: 'invalid_json', message: 'the body is not JSON' });
    }
    const problems = pulseOrderProblems(body, (code) => this.control.knowsCarrier(code));
    if (problems.length > 0) return json(422, { error: 'invalid', problems });
    const order = body as PulseOrderRequest;
    const header = request.headers[PULSE_IDEMPOTENCY_HEADER];
    const key = (Array.isArray(header) ? header[0] : header)?.trim() || null;
    const { order: placed, created } = this.control.create(
      {
        reference: order.reference,
        callbackUrl: order.callbackUrl,
        carrier: {
          code: order.carrier.code,
          policyReference: order.carrier.policyReference,
          requirementId: order.carrier.requirementId ?? null,
        },
        resultsCode: PULSE_RESULTS_CODE[order.services[0]],
        idempotencyKey: key,
      },
      orderId,
    );
    if (!created && placed.reference !== order.reference)
      return json(409, { error: 'idempotency_key_reused', message: 'this Idempotency-Key was used for an order with another reference' });
    return json(created ? 201 : 200, pulseOrderView(placed));
  }
}

export type PulseSimulatorOptions = VendorSimulatorOptions;
export type RunningPulseSimulator = RunningVendorSimulator<PulseControl>;

export const startPulseSimulator = (options: PulseSimulatorOptions): Promise<RunningPulseSimulator> =>
  startVendorSimulator(PULSE_SPEC, (control, apiKey) => new PulseProtocol(control, apiKey), options);
