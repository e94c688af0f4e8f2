/**
 * The REST/JSON adapter, behind OAuth2 client credentials. A bearer token is fetched once and kept in
 * memory until shortly before it expires; a 401 means the carrier no longer takes it, so the token is
 * dropped, a new one fetched and the request sent ONCE more: a second 401 is CARRIER.AUTH.
 * Submissions carry the case's stable reference as Idempotency-Key: the carrier answers a resend
 * with the first result. Status lookups for many applications are one batched call.
 * Timeouts, retries and breakers belong to the policy around this adapter (carrier-policy.ts).
 */
import type { CarrierEndpointConfig } from '../../carriers.config';
import type { CarrierProfile } from '../../domain/carrier';
import {
  CarrierFailure,
  type ApplicationRequest,
  type ApplicationResult,
  type AppointmentFilingResult,
  type AppointmentRequest,
  type CarrierAppointmentStatus,
  type CallOptions,
  type CarrierAdapter,
  type CarrierAdapterDeps,
  type CarrierCaseStatus,
  type CarrierQuote,
  type ChangeDecision,
  type ChangeRequest,
  type NetworkCallKind,
  type QuoteRequest,
} from '../carrier-adapter.port';
import { exchange, unknownCodeReporter, type WireAnswer } from '../wire';
import { OAuthTokenSource, type TokenGrant } from './oauth-token';
import { appointmentBody, appointmentFilingFrom, appointmentStatusFrom } from './rest.appointments';
import {
  applicationBody,
  applicationResultFrom,
  batchResultsFrom,
  caseStatusFrom,
  changeBody,
  changeDecisionFrom,
  productsFrom,
  quoteBody,
  quotesFrom,
} from './rest.mapper';

/**
 * Deadline of the shared token request. Each caller waits at most until its own deadline; the request
 * itself outlives them, so callers that join it late get the token instead of an inherited timeout.
 */
const TOKEN_REQUEST_TIMEOUT_MS = 10_000;
/** Applications asked for in one status inquiry (the carrier's documented maximum). */
const MAX_IDS_PER_INQUIRY = 200;
/** The carrier takes at most this many quote requests in one POST /v1/quotes/batch. */
const MAX_QUOTE_BATCH = 25;

interface Answer {
  status: number;
  body: unknown;
}

/** The carrier's own explanation of a refusal, if it gave one, kept short. */
function reasonOf(body: unknown): string {
  const json = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const reason = [json.error, json.message ?? json.error_description].filter((part) => typeof part === 'string').join(': ');
  return reason.slice(0, 200);
}

export class RestAdapter implements CarrierAdapter {
  readonly protocol = 'REST' as const;
  readonly carrierId: string;
  readonly calls = { quote: 0, token: 0, rateBook: 0, submit: 0, status: 0, products: 0, change: 0, appointment: 0, appointmentStatus: 0 };
  /** Unknown codes are logged once each per process: visible, never a crash, never a flood. */
  private readonly reportUnknown: (field: string, code: string) => void;
  private readonly tokens: OAuthTokenSource;

  constructor(
    private readonly carrier: CarrierProfile,
    private readonly endpoint: Pick<CarrierEndpointConfig, 'url' | 'clientId' | 'clientSecret' | 'timeoutMs'>,
    deps: CarrierAdapterDeps,
  ) {
    this.carrierId = carrier.id;
    this.reportUnknown = unknownCodeReporter(deps.logger, carrier.id, this.protocol);
    this.tokens = new OAuthTokenSource((signal) => this.requestToken(signal), {
      requestTimeoutMs: Math.max(endpoint.timeoutMs, TOKEN_REQUEST_TIMEOUT_MS),
    });
  }

  async products(options: CallOptions) {
    const answer = await this.authorized('products', 'GET', '/v1/products', undefined, options);
    this.expect(answer, 200);
    return productsFrom(answer.body, this.carrier, this.reportUnknown);
  }

  async quote(request: QuoteRequest, options: CallOptions): Promise<CarrierQuote[]> {
    if (!request.productIds.length) return [];
    const answer = await this.authorized('quote', 'POST', '/v1/quotes', quoteBody(this.carrier, request), options);
    this.expect(answer, 200);
    return quotesFrom(answer.body, this.carrier, request, this.reportUnknown);
  }

  /** Every request in one POST /v1/quotes/batch (at most 25 a call); an item the carrier refuses fails the batch, as it fails a single quote. */
  async quoteBatch(requests: readonly QuoteRequest[], options: CallOptions): Promise<CarrierQuote[][]> {
    const asked = requests.flatMap((request, i) => (request.productIds.length ? [i] : []));
    const answers: CarrierQuote[][] = requests.map(() => []);
    for (let start = 0; start < asked.length; start += MAX_QUOTE_BATCH) {
      const chunk = asked.slice(start, start + MAX_QUOTE_BATCH);
      const answer = await this.authorized(
        'quote',
        'POST',
        '/v1/quotes/batch',
        { requests: chunk.map((i) => quoteBody(this.carrier, requests[i])) },
        options,
      );
      this.expect(answer, 200);
      batchResultsFrom(answer.body, chunk.length).forEach((result, j) => {
        this.expect(result, 200);
        answers[chunk[j]] = quotesFrom(result.body, this.carrier, requests[chunk[j]], this.reportUnknown);
      });
    }
    return answers;
  }

  // A write: the policy never retries it; the outbox resends with the same Idempotency-Key when it must.
  async submitApplication(application: ApplicationRequest, options: CallOptions): Promise<ApplicationResult> {
    const body = applicationBody(this.carrier, application, new Date().toISOString().slice(0, 10));
    const answer = await this.authorized('submit', 'POST', '/v1/applications', body, options, { 'idempotency-key': application.reference });
    if (answer.status !== 422) this.expect(answer, 200, 201);
    return applicationResultFrom(answer.status, answer.body);
  }

  // A write: the policy never retries it; the change worker resends with the same Idempotency-Key when it must.
  async requestChange(change: ChangeRequest, options: CallOptions): Promise<ChangeDecision> {
    const path = `/v1/applications/${encodeURIComponent(change.carrierReference)}/changes`;
    const answer = await this.authorized('change', 'POST', path, changeBody(this.carrier, change), options, {
      'idempotency-key': change.reference,
    });
    if (answer.status !== 404 && answer.status !== 422) this.expect(answer, 200, 201);
    return changeDecisionFrom(answer.status, answer.body);
  }

  async caseStatuses(carrierReferences: string[], options: CallOptions): Promise<Map<string, CarrierCaseStatus>> {
    const unique = [...new Set(carrierReferences)];
    const statuses = new Map<string, CarrierCaseStatus>();
    if (unique.length === 1) {
      const answer = await this.authorized('status', 'GET', `/v1/applications/${encodeURIComponent(unique[0])}`, undefined, options);
      if (answer.status === 404) return statuses;
      this.expect(answer, 200);
      statuses.set(unique[0], { ...caseStatusFrom(answer.body, this.reportUnknown), carrierReference: unique[0] });
      return statuses;
    }
    for (let start = 0; start < unique.length; start += MAX_IDS_PER_INQUIRY) {
      const batch = unique.slice(start, start + MAX_IDS_PER_INQUIRY);
      const answer = await this.authorized('status', 'POST', '/v1/applications/status-inquiry', { applicationIds: batch }, options);
      this.expect(answer, 200);
      const applications = (answer.body as { applications?: unknown })?.applications;
      if (!Array.isArray(applications)) throw new CarrierFailure('CARRIER.MALFORMED', 'unreadable carrier response: no applications list');
      const asked = new Set(batch);
      for (const entry of applications) {
        const status = caseStatusFrom(entry, this.reportUnknown);
        if (asked.has(status.carrierReference)) statuses.set(status.carrierReference, status);
      }
    }
    return statuses;
  }

  // A write: never retried by the policy; the filing worker resends with the same Idempotency-Key (our appointment id).
  async fileAppointment(request: AppointmentRequest, options: CallOptions): Promise<AppointmentFilingResult> {
    const answer = await this.authorized('appointment', 'POST', '/v1/appointments', appointmentBody(request), options, {
      'idempotency-key': request.reference,
    });
    if (answer.status !== 400 && answer.status !== 422) this.expect(answer, 200, 201, 202);
    return appointmentFilingFrom(answer.status, answer.body);
  }

  /** One GET per appointment (the carrier has no batch inquiry for appointments); unknown ones are left out. */
  async appointmentStatuses(carrierReferences: string[], options: CallOptions): Promise<Map<string, CarrierAppointmentStatus>> {
    const statuses = new Map<string, CarrierAppointmentStatus>();
    for (const reference of new Set(carrierReferences)) {
      const answer = await this.authorized(
        'appointmentStatus',
        'GET',
        `/v1/appointments/${encodeURIComponent(reference)}`,
        undefined,
        options,
      );
      if (answer.status === 404) continue;
      this.expect(answer, 200);
      statuses.set(reference, { ...appointmentStatusFrom(answer.body, this.reportUnknown), carrierReference: reference });
    }
    return statuses;
  }

  /** Anything but the expected statuses is the carrier refusing the request (a 4xx we did not plan for). */
  private expect(answer: Answer, ...ok: number[]): void {
    if (!ok.includes(answer.status))
      throw new CarrierFailure(
        'CARRIER.REJECTED',
        `${this.carrier.code} refused the request (HTTP ${answer.status}${reasonOf(answer.body) ? `: ${reasonOf(answer.body)}` : ''})`,
      );
  }

  /** An API call with the bearer token; on 401 the token is replaced and the call made once more. */
  private async authorized(
    kind: NetworkCallKind,
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    options: CallOptions,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    for (let attempt = 1; ; attempt++) {
      const token = await this.tokens.get(options);
      const answer = await exchange(this.carrier.code, this.calls, {
        kind,
        method,
        url: `${this.endpoint.url}${path}`,
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: options.signal,
        onNetworkCall: options.onNetworkCall,
      });
      if (answer.status !== 401) return this.read(answer);
      this.tokens.invalidate(token);
      if (attempt >= 2) throw new CarrierFailure('CARRIER.AUTH', `${this.carrier.code} refused a freshly issued token`);
    }
  }

  private async requestToken(signal: AbortSignal): Promise<TokenGrant> {
    const credentials = Buffer.from(
      `${encodeURIComponent(this.endpoint.clientId)}:${encodeURIComponent(this.endpoint.clientSecret)}`,
    ).toString('base64');
    // Reported to callers by the token source, which knows whose call caused it: no onNetworkCall here.
    const response = await exchange(this.carrier.code, this.calls, {
      kind: 'token',
      method: 'POST',
      url: `${this.endpoint.url}/oauth/token`,
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${credentials}` },
      body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
      signal,
    });
    // The token endpoint saying no is an authentication problem, whatever its status code.
    if (response.status === 400 || response.status === 401 || response.status === 403)
      throw new CarrierFailure('CARRIER.AUTH', `${this.carrier.code} refused our client credentials (HTTP ${response.status})`);
    const answer = this.read(response);
    const json = answer.body as { access_token?: unknown; expires_in?: unknown } | null;
    if (answer.status !== 200 || typeof json?.access_token !== 'string' || !json.access_token || !(Number(json.expires_in) > 0)) {
      throw new CarrierFailure('CARRIER.MALFORMED', `unreadable token response from ${this.carrier.code}`);
    }
    return { accessToken: json.access_token, expiresInSeconds: Number(json.expires_in) };
  }

  /** The JSON body of an answer wire.ts let through (429 and 5xx are failures there); 403 is AUTH; other statuses are the caller's. */
  private read(answer: WireAnswer): Answer {
    if (answer.status === 403) throw new CarrierFailure('CARRIER.AUTH', `${this.carrier.code} refused access (HTTP 403)`);
    try {
      return { status: answer.status, body: answer.text ? (JSON.parse(answer.text) as unknown) : null };
    } catch {
      throw new CarrierFailure('CARRIER.MALFORMED', `unreadable JSON from ${this.carrier.code} (HTTP ${answer.status})`);
    }
  }
}

export function createRestAdapter(carrier: CarrierProfile, endpoint: CarrierEndpointConfig, deps: CarrierAdapterDeps): CarrierAdapter {
  return new RestAdapter(carrier, endpoint, deps);
}
