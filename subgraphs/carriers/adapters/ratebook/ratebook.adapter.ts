/**
 * The rate-book adapter: the carrier publishes its rates as a CSV with an ETag, and we price
 * locally, so a quote makes NO network call once a book is held. Where the book comes from:
 *   1. this process's memory, if held;
 *   2. else the shared Cache (another replica, or this one before a restart, downloaded it), keyed
 *      by carrier + ETag, with a pointer to the current ETag: no network call either;
 *   3. else one download (GET /ratebook), shared by every quote waiting meanwhile, then cached.
 * A book older than `revalidateAfterMs` keeps pricing while it is revalidated in the background with
 * If-None-Match: 304 just renews it, 200 replaces it. Submissions and status are JSON calls.
 */
import { createHash } from 'node:crypto';
import type { Cache } from '../../../../platform/cache';
import type { Logger } from '../../../../platform/logger';
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
import { exchange, unknownCodeReporter, untilAborted, type WireAnswer } from '../wire';
import { RateBook } from './rate-book';
import { appointmentBody, appointmentFilingFrom, appointmentStatusFrom } from './ratebook.appointments';
import {
  caseStatusFrom,
  changeBody,
  changeDecisionFrom,
  productsFrom,
  quotesFromBook,
  submissionBody,
  submissionResultFrom,
} from './ratebook.mapper';

export interface RateBookSettings {
  /** Age after which a held book is revalidated in the background (default 15 minutes). */
  revalidateAfterMs?: number;
  now?: () => number;
}

/** A book is immutable under its ETag: keep it a week; the pointer to the current ETag says which is live. */
const BOOK_TTL_SECONDS = 7 * 24 * 3600;
/**
 * Deadline of a book download. Every quote waiting for it is bounded by its own signal; the download
 * itself (~1 MB) must not be cut short by the first caller's deadline, or quotes that join it late
 * inherit an early timeout and the book never arrives on a slow link.
 */
const DOWNLOAD_TIMEOUT_MS = 30_000;
/** After a failed revalidation, try again this soon at the latest (the held book keeps pricing meanwhile). */
const RETRY_REVALIDATION_MS = 60_000;
const MAX_IDS_PER_INQUIRY = 200;

interface HeldBook {
  etag: string;
  book: RateBook;
  /** When the carrier last confirmed (200 or 304) that this is its current book. */
  checkedAt: number;
}

export const rateBookPointerKey = (carrierId: string) => `ratebook:v1:${carrierId}:current`;
export const rateBookKey = (carrierId: string, etag: string) =>
  `ratebook:v1:${carrierId}:${createHash('sha256').update(etag).digest('hex').slice(0, 32)}`;

export class RateBookAdapter implements CarrierAdapter {
  readonly protocol = 'RATEBOOK' as const;
  readonly carrierId: string;
  readonly calls = { quote: 0, token: 0, rateBook: 0, submit: 0, status: 0, products: 0, change: 0, appointment: 0, appointmentStatus: 0 };
  /** Unknown codes are logged once each per process: visible, never a crash, never a flood. */
  private readonly reportUnknown: (field: string, code: string) => void;
  private readonly cache: Cache;
  private readonly logger: Logger;
  private readonly revalidateAfterMs: number;
  private readonly now: () => number;
  private held: HeldBook | null = null;
  private loading: Promise<HeldBook> | null = null;
  private revalidating: Promise<unknown> | null = null;

  constructor(
    private readonly carrier: CarrierProfile,
    private readonly endpoint: Pick<CarrierEndpointConfig, 'url' | 'timeoutMs'>,
    deps: CarrierAdapterDeps,
    settings: RateBookSettings = {},
  ) {
    this.carrierId = carrier.id;
    this.cache = deps.cache;
    this.logger = deps.logger;
    this.reportUnknown = unknownCodeReporter(deps.logger, carrier.id, this.protocol);
    this.revalidateAfterMs = settings.revalidateAfterMs ?? 15 * 60_000;
    this.now = settings.now ?? Date.now;
  }

  /** Priced from the held book: no network call unless no book is held anywhere yet. */
  async quote(request: QuoteRequest, options: CallOptions): Promise<CarrierQuote[]> {
    if (!request.productIds.length) return [];
    return quotesFromBook(await this.currentBook(options), this.carrier, request);
  }

  /** The ETag of the book held in memory, if any. */
  get heldVersion(): string | undefined {
    return this.held?.etag;
  }

  /**
   * Asks the carrier now whether the held book is current (If-None-Match), downloading it when it
   * is not or when none is held. The background revalidation uses this too.
   */
  async refreshRateBook(options: CallOptions): Promise<'not-modified' | 'downloaded'> {
    const held = this.held;
    const answer = await this.download(held?.etag, options.signal, options.onNetworkCall);
    if (answer === 'not-modified' && held) {
      held.checkedAt = this.now();
      await this.cache.set(
        rateBookPointerKey(this.carrierId),
        JSON.stringify({ etag: held.etag, checkedAt: held.checkedAt }),
        BOOK_TTL_SECONDS,
      );
      return 'not-modified';
    }
    if (answer === 'not-modified')
      throw new CarrierFailure('CARRIER.MALFORMED', `${this.carrier.code} answered 304 to an unconditional rate-book request`);
    await this.hold(answer.etag, answer.csv);
    return 'downloaded';
  }

  async products(options: CallOptions) {
    const body = await this.json('products', 'GET', '/products', undefined, options);
    return productsFrom(body, this.carrier, this.reportUnknown);
  }

  // A write: the policy never retries it; the outbox resends with the same submissionRef when it must.
  async submitApplication(application: ApplicationRequest, options: CallOptions): Promise<ApplicationResult> {
    const body = submissionBody(this.carrier, application, new Date().toISOString().slice(0, 10));
    return submissionResultFrom(await this.json('submit', 'POST', '/submissions', body, options));
  }

  // A write: never retried by the policy; the change worker resends with the same changeRef.
  async requestChange(change: ChangeRequest, options: CallOptions): Promise<ChangeDecision> {
    const path = `/submissions/${encodeURIComponent(change.carrierReference)}/changes`;
    return changeDecisionFrom(await this.json('change', 'POST', path, changeBody(this.carrier, change), options));
  }

  async caseStatuses(carrierReferences: string[], options: CallOptions): Promise<Map<string, CarrierCaseStatus>> {
    const unique = [...new Set(carrierReferences)];
    const statuses = new Map<string, CarrierCaseStatus>();
    for (let start = 0; start < unique.length; start += MAX_IDS_PER_INQUIRY) {
      const batch = unique.slice(start, start + MAX_IDS_PER_INQUIRY);
      const body = await this.json('status', 'GET', `/submissions?ids=${batch.map(encodeURIComponent).join(',')}`, undefined, options);
      const submissions = (body as { submissions?: unknown })?.submissions;
      if (!Array.isArray(submissions)) throw new CarrierFailure('CARRIER.MALFORMED', 'unreadable carrier response: no submissions list');
      const asked = new Set(batch);
      for (const entry of submissions) {
        const status = caseStatusFrom(entry, this.reportUnknown);
        if (asked.has(status.carrierReference)) statuses.set(status.carrierReference, status);
      }
    }
    return statuses;
  }

  // A write: never retried by the policy; the filing worker resends with the same appointmentRef (our appointment id).
  async fileAppointment(request: AppointmentRequest, options: CallOptions): Promise<AppointmentFilingResult> {
    return appointmentFilingFrom(await this.json('appointment', 'POST', '/appointments', appointmentBody(request), options));
  }

  /** Many appointments per GET /appointments?ids=...; unknown ones are left out. */
  async appointmentStatuses(carrierReferences: string[], options: CallOptions): Promise<Map<string, CarrierAppointmentStatus>> {
    const unique = [...new Set(carrierReferences)];
    const statuses = new Map<string, CarrierAppointmentStatus>();
    for (let start = 0; start < unique.length; start += MAX_IDS_PER_INQUIRY) {
      const batch = unique.slice(start, start + MAX_IDS_PER_INQUIRY);
      const body = await this.json(
        'appointmentStatus',
        'GET',
        `/appointments?ids=${batch.map(encodeURIComponent).join(',')}`,
        undefined,
        options,
      );
      const appointments = (body as { appointments?: unknown })?.appointments;
      if (!Array.isArray(appointments)) throw new CarrierFailure('CARRIER.MALFORMED', 'unreadable carrier response: no appointments list');
      const asked = new Set(batch);
      for (const entry of appointments) {
        const status = appointmentStatusFrom(entry, this.reportUnknown);
        if (asked.has(status.carrierReference)) statuses.set(status.carrierReference, status);
      }
    }
    return statuses;
  }

  // ---------------------------------------------------------------- the book

  private async currentBook(options: CallOptions): Promise<RateBook> {
    const held = this.held;
    if (held) {
      if (this.now() - held.checkedAt >= this.revalidateAfterMs) this.revalidateInBackground();
      return held.book;
    }
    // One load however many quotes wait for it; it runs under its own deadline, not the first caller's.
    if (!this.loading) {
      this.loading = this.load(options.onNetworkCall).finally(() => {
        this.loading = null;
      });
    }
    return (await untilAborted(this.loading, options.signal, 'rate book')).book;
  }

  private async load(onNetworkCall: CallOptions['onNetworkCall']): Promise<HeldBook> {
    const cached = await this.fromCache();
    if (cached) {
      this.held = cached;
      return cached;
    }
    const answer = await this.download(
      undefined,
      AbortSignal.timeout(Math.max(this.endpoint.timeoutMs, DOWNLOAD_TIMEOUT_MS)),
      onNetworkCall,
    );
    if (answer === 'not-modified')
      throw new CarrierFailure('CARRIER.MALFORMED', `${this.carrier.code} answered 304 to an unconditional rate-book request`);
    return this.hold(answer.etag, answer.csv);
  }

  /** The current book from the shared cache, when another process (or an earlier one) downloaded it. */
  private async fromCache(): Promise<HeldBook | null> {
    const pointer = await this.cache.get(rateBookPointerKey(this.carrierId));
    if (!pointer) return null;
    const { etag, checkedAt } = JSON.parse(pointer) as { etag: string; checkedAt: number };
    const csv = await this.cache.get(rateBookKey(this.carrierId, etag));
    if (!csv) return null;
    try {
      return { etag, book: await this.parse(csv), checkedAt };
    } catch {
      return null; // a damaged cache entry is a miss: download again
    }
  }

  /** Parses (refusing a book we cannot read), holds in memory and shares through the cache. */
  private async hold(etag: string, csv: string): Promise<HeldBook> {
    const held = { etag, book: await this.parse(csv), checkedAt: this.now() };
    this.held = held;
    await this.cache.set(rateBookKey(this.carrierId, etag), csv, BOOK_TTL_SECONDS);
    await this.cache.set(rateBookPointerKey(this.carrierId), JSON.stringify({ etag, checkedAt: held.checkedAt }), BOOK_TTL_SECONDS);
    this.logger.info({ carrierId: this.carrierId, etag, rows: held.book.rows }, 'rate book loaded');
    return held;
  }

  /** A book that cannot price (no fee or modal factors stated) is refused like an unreadable one. */
  private async parse(csv: string): Promise<RateBook> {
    const book = await RateBook.parse(csv);
    if (!book.terms)
      throw new CarrierFailure(
        'CARRIER.MALFORMED',
        `unreadable rate book from ${this.carrier.code}: it states no policy fee or modal factors`,
      );
    return book;
  }

  private revalidateInBackground(): void {
    if (this.revalidating) return;
    this.revalidating = this.refreshRateBook({ signal: AbortSignal.timeout(Math.max(this.endpoint.timeoutMs, DOWNLOAD_TIMEOUT_MS)) })
      .catch((error: unknown) => {
        // The held book keeps pricing; ask again in a minute rather than on every quote.
        if (this.held) this.held.checkedAt = Math.max(this.held.checkedAt, this.now() - this.revalidateAfterMs + RETRY_REVALIDATION_MS);
        this.logger.warn(
          { carrierId: this.carrierId, code: (error as CarrierFailure)?.code },
          'rate book revalidation failed; pricing from the held book',
        );
      })
      .finally(() => {
        this.revalidating = null;
      });
  }

  /** GET /ratebook, conditional when a book is held. */
  private async download(
    etag: string | undefined,
    signal: AbortSignal,
    onNetworkCall: CallOptions['onNetworkCall'],
  ): Promise<'not-modified' | { etag: string; csv: string }> {
    const response = await exchange(this.carrier.code, this.calls, {
      kind: 'rateBook',
      method: 'GET',
      url: `${this.endpoint.url}/ratebook`,
      headers: { accept: 'text/csv', ...(etag ? { 'if-none-match': etag } : {}) },
      signal,
      onNetworkCall,
    });
    if (response.status === 304) return 'not-modified';
    const csv = this.body(response);
    // A book without an ETag still needs a version to be cached under: its content's hash.
    return { etag: response.headers.get('etag') ?? `"sha256-${createHash('sha256').update(csv).digest('hex').slice(0, 16)}"`, csv };
  }

  // ---------------------------------------------------------------- HTTP

  private async json(kind: NetworkCallKind, method: 'GET' | 'POST', path: string, body: unknown, options: CallOptions): Promise<unknown> {
    const response = await exchange(this.carrier.code, this.calls, {
      kind,
      method,
      url: `${this.endpoint.url}${path}`,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: options.signal,
      onNetworkCall: options.onNetworkCall,
    });
    const text = this.body(response);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new CarrierFailure('CARRIER.MALFORMED', `unreadable JSON from ${this.carrier.code}`);
    }
  }

  /** The body of a successful answer (429 and 5xx are failures in wire.ts); 401/403 are AUTH, other refusals REJECTED. */
  private body(response: WireAnswer): string {
    if (response.status === 401 || response.status === 403)
      throw new CarrierFailure('CARRIER.AUTH', `${this.carrier.code} refused access (HTTP ${response.status})`);
    if (response.status < 200 || response.status > 299)
      throw new CarrierFailure('CARRIER.REJECTED', `${this.carrier.code} refused the request (HTTP ${response.status})`);
    return response.text;
  }
}

export function createRatebookAdapter(
  carrier: CarrierProfile,
  endpoint: CarrierEndpointConfig,
  deps: CarrierAdapterDeps,
  settings?: RateBookSettings,
): RateBookAdapter {
  return new RateBookAdapter(carrier, endpoint, deps, settings);
}
