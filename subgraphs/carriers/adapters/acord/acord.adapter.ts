/**
 * The ACORD TXLife adapter: XML over HTTP POST to `<url>/txlife`, the product profile from
 * `<url>/txlife/products`. A quote is one TXLife of 111s (one per product), a status lookup one
 * TXLife of 203s (one per holding): one HTTP call each, however many products or cases.
 * Submissions carry the case's stable reference as TransRefGUID, so a resend is deduplicated by the
 * carrier. Timeouts, retries and breakers belong to the policy around this adapter (carrier-policy.ts):
 * here, each call is made once, honours the AbortSignal, and turns wire trouble into CarrierFailure.
 */
import { randomUUID } from 'node:crypto';
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
import { exchange, unknownCodeReporter } from '../wire';
import {
  TRANS_TYPE,
  applicationResultFrom,
  applicationTransaction,
  caseStatusFrom,
  changeDecisionFrom,
  changeTransaction,
  productsFrom,
  quoteTransactions,
  quotesFrom,
  responsesOf,
  statusTransactions,
} from './acord.mapper';
import { buildTxLife, parseTxLife, text, type XmlNode } from './txlife.xml';
import {
  APPOINTMENT_TRANS_TYPE,
  appointmentFilingFrom,
  appointmentInquiryTransactions,
  appointmentRequestTransaction,
  appointmentStatusFrom,
} from './acord.appointments';

/** Holdings asked for in one 203 batch: a large sync is split into documents of this many. */
const MAX_HOLDINGS_PER_INQUIRY = 100;

export class AcordAdapter implements CarrierAdapter {
  readonly protocol = 'ACORD' as const;
  readonly carrierId: string;
  readonly calls = { quote: 0, token: 0, rateBook: 0, submit: 0, status: 0, products: 0, change: 0, appointment: 0, appointmentStatus: 0 };
  /** Unknown codes are logged once each per process: visible, never a crash, never a flood. */
  private readonly reportUnknown: (field: string, code: string) => void;

  constructor(
    private readonly carrier: CarrierProfile,
    private readonly endpoint: Pick<CarrierEndpointConfig, 'url'>,
    deps: CarrierAdapterDeps,
  ) {
    this.carrierId = carrier.id;
    this.reportUnknown = unknownCodeReporter(deps.logger, carrier.id, this.protocol);
  }

  async products(options: CallOptions) {
    const root = await this.exchange('products', 'GET', '/txlife/products', undefined, options);
    return productsFrom(root, this.carrier, this.reportUnknown);
  }

  async quote(request: QuoteRequest, options: CallOptions): Promise<CarrierQuote[]> {
    return (await this.quoteBatch([request], options))[0];
  }

  /** Every request's 111s (one per product) in one TXLife: one HTTP call for all, answers matched on TransRefGUID. */
  async quoteBatch(requests: readonly QuoteRequest[], options: CallOptions): Promise<CarrierQuote[][]> {
    const envelopes = requests.map((request) => request.productIds.map(() => this.envelope(TRANS_TYPE.QUOTE)));
    const transactions = requests.flatMap((request, i) =>
      request.productIds.length ? (quoteTransactions(this.carrier, request, envelopes[i]).TXLifeRequest as XmlNode[]) : [],
    );
    if (!transactions.length) return requests.map(() => []);
    const root = await this.exchange('quote', 'POST', '/txlife', buildTxLife({ TXLifeRequest: transactions }), options);
    const answers = this.answersFor(
      envelopes.flatMap((list) => list.map((e) => e.guid)),
      root,
    );
    let next = 0;
    return requests.map((request, i) => {
      const mine = answers.slice(next, next + envelopes[i].length);
      next += envelopes[i].length;
      return quotesFrom(mine, this.carrier, request, this.reportUnknown);
    });
  }

  // A write: the policy never retries it; the outbox resends with the same TransRefGUID when it must.
  async submitApplication(application: ApplicationRequest, options: CallOptions): Promise<ApplicationResult> {
    const envelope = this.envelope(TRANS_TYPE.NEW_BUSINESS);
    const root = await this.exchange(
      'submit',
      'POST',
      '/txlife',
      buildTxLife(applicationTransaction(this.carrier, application, envelope)),
      options,
    );
    return applicationResultFrom(this.answersFor([application.reference], root));
  }

  // A write, like a submission: never retried by the policy; the change worker resends with the same TransRefGUID.
  async requestChange(change: ChangeRequest, options: CallOptions): Promise<ChangeDecision> {
    const envelope = this.envelope(TRANS_TYPE.NEW_BUSINESS);
    const root = await this.exchange('change', 'POST', '/txlife', buildTxLife(changeTransaction(this.carrier, change, envelope)), options);
    return changeDecisionFrom(this.answersFor([change.reference], root));
  }

  async caseStatuses(carrierReferences: string[], options: CallOptions): Promise<Map<string, CarrierCaseStatus>> {
    const statuses = new Map<string, CarrierCaseStatus>();
    const unique = [...new Set(carrierReferences)];
    for (let start = 0; start < unique.length; start += MAX_HOLDINGS_PER_INQUIRY) {
      const batch = unique.slice(start, start + MAX_HOLDINGS_PER_INQUIRY);
      const envelopes = batch.map(() => this.envelope(TRANS_TYPE.HOLDING_INQUIRY));
      const root = await this.exchange('status', 'POST', '/txlife', buildTxLife(statusTransactions(batch, envelopes)), options);
      this.answersFor(
        envelopes.map((e) => e.guid),
        root,
      ).forEach((response, i) => {
        const status = caseStatusFrom(response, this.reportUnknown);
        // Keyed by what we asked for: the carrier's echo of the reference may differ in form.
        if (status) statuses.set(batch[i], { ...status, carrierReference: batch[i] });
      });
    }
    return statuses;
  }

  // A write: never retried by the policy; the filing worker resends with the same TransRefGUID (our appointment id).
  async fileAppointment(request: AppointmentRequest, options: CallOptions): Promise<AppointmentFilingResult> {
    const { date, time } = this.envelope(APPOINTMENT_TRANS_TYPE.REQUEST);
    const body = buildTxLife(appointmentRequestTransaction(request, { date, time }));
    const root = await this.exchange('appointment', 'POST', '/txlife', body, options);
    return appointmentFilingFrom(this.answersFor([request.reference], root)[0]);
  }

  /** One TXLife of 1202s (one per appointment) per batch: one HTTP call for many appointments. */
  async appointmentStatuses(carrierReferences: string[], options: CallOptions): Promise<Map<string, CarrierAppointmentStatus>> {
    const statuses = new Map<string, CarrierAppointmentStatus>();
    const unique = [...new Set(carrierReferences)];
    for (let start = 0; start < unique.length; start += MAX_HOLDINGS_PER_INQUIRY) {
      const batch = unique.slice(start, start + MAX_HOLDINGS_PER_INQUIRY);
      const envelopes = batch.map(() => this.envelope(APPOINTMENT_TRANS_TYPE.INQUIRY));
      const root = await this.exchange(
        'appointmentStatus',
        'POST',
        '/txlife',
        buildTxLife(appointmentInquiryTransactions(batch, envelopes)),
        options,
      );
      this.answersFor(
        envelopes.map((e) => e.guid),
        root,
      ).forEach((response, i) => {
        const status = appointmentStatusFrom(response, this.reportUnknown);
        if (status) statuses.set(batch[i], { ...status, carrierReference: batch[i] });
      });
    }
    return statuses;
  }

  private envelope(type: string) {
    const now = new Date().toISOString();
    return { guid: randomUUID(), type, date: now.slice(0, 10), time: now.slice(11, 19) };
  }

  /** The responses in the order of the requests, matched on TransRefGUID; a missing one is unreadable. */
  private answersFor(guids: string[], root: XmlNode): XmlNode[] {
    const responses = responsesOf(root);
    const byGuid = new Map(responses.map((response) => [text(response, 'TransRefGUID'), response]));
    return guids.map((guid, i) => {
      // Carriers that do not echo TransRefGUID answer in request order, as ACORD asks.
      const response =
        byGuid.get(guid) ?? (responses.length === guids.length && !text(responses[i], 'TransRefGUID') ? responses[i] : undefined);
      if (!response) throw new CarrierFailure('CARRIER.MALFORMED', 'unreadable TXLife response: a transaction went unanswered');
      return response;
    });
  }

  /** One HTTP exchange (wire.ts), answered by a parsed TXLife or a CarrierFailure. */
  private async exchange(
    kind: NetworkCallKind,
    method: 'GET' | 'POST',
    path: string,
    body: string | undefined,
    options: CallOptions,
  ): Promise<XmlNode> {
    const answer = await exchange(this.carrier.code, this.calls, {
      kind,
      method,
      url: `${this.endpoint.url}${path}`,
      headers: { accept: 'application/xml', ...(body ? { 'content-type': 'application/xml; charset=utf-8' } : {}) },
      body,
      signal: options.signal,
      onNetworkCall: options.onNetworkCall,
    });
    if (answer.status === 401 || answer.status === 403)
      throw new CarrierFailure('CARRIER.AUTH', `${this.carrier.code} refused our credentials (HTTP ${answer.status})`);
    // ACORD says no in ResultCode: an HTTP error is the carrier's system failing, whatever its number.
    if (answer.status < 200 || answer.status > 299)
      throw new CarrierFailure('CARRIER.HTTP_ERROR', `HTTP ${answer.status} from ${this.carrier.code}`);
    const root = parseTxLife(answer.text);
    if (!root) throw new CarrierFailure('CARRIER.MALFORMED', `unreadable TXLife response from ${this.carrier.code}`);
    return root;
  }
}

export function createAcordAdapter(carrier: CarrierProfile, endpoint: CarrierEndpointConfig, deps: CarrierAdapterDeps): CarrierAdapter {
  return new AcordAdapter(carrier, endpoint, deps);
}
