/**
 * What every protocol adapter does the same way on the wire: the one HTTP exchange (counted right
 * before it is sent, transport failures and 429/5xx as CarrierFailure values), Retry-After, waiting
 * on a shared request no longer than one's own deadline, and reporting carrier codes we do not map.
 */
import type { Logger } from '../../../platform/logger';
import { CarrierFailure } from '../domain/carrier-failure';
import type { CallOptions, CarrierAdapter, NetworkCallKind } from './carrier-adapter.port';

export interface WireRequest {
  /** What the request is for: counted in the adapter's `calls` and reported to onNetworkCall. */
  kind: NetworkCallKind;
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  /** The caller's listener; left out when someone else reports the request (the token source does). */
  onNetworkCall?: CallOptions['onNetworkCall'];
}

/** A carrier's answer, read whole: what the protocol judges beyond 429 and 5xx. */
export interface WireAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * The one HTTP exchange of every adapter: counted right before it is sent, made once (retries are
 * the policy's), the body read whole under the caller's signal. A fetch that throws is TIMEOUT past
 * the deadline and HTTP_ERROR otherwise; 429 is RATE_LIMITED, 5xx HTTP_ERROR; every other status is
 * returned for the protocol to judge.
 */
export async function exchange(carrierCode: string, calls: CarrierAdapter['calls'], request: WireRequest): Promise<WireAnswer> {
  calls[request.kind]++;
  request.onNetworkCall?.(request.kind);
  let response: Response;
  let text: string;
  try {
    response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body, signal: request.signal });
    text = await response.text();
  } catch (error) {
    throw transportFailure(carrierCode, error, request.signal);
  }
  throwForStatus(carrierCode, response);
  return { status: response.status, headers: response.headers, text };
}

/** The promise's outcome, or CARRIER.TIMEOUT as soon as this caller's signal aborts (others sharing the promise keep waiting). */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal, what: string): Promise<T> {
  const timeout = () => new CarrierFailure('CARRIER.TIMEOUT', `no ${what} before the deadline`);
  if (signal.aborted) return Promise.reject(timeout());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(timeout());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Seconds (or an HTTP date) → milliseconds; undefined when absent or unreadable. */
function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** A fetch that threw: past the deadline it is a timeout, otherwise the carrier could not be reached. */
function transportFailure(carrierCode: string, error: unknown, signal: AbortSignal): CarrierFailure {
  if (error instanceof CarrierFailure) return error;
  if (signal.aborted) return new CarrierFailure('CARRIER.TIMEOUT', `no answer from ${carrierCode} before the deadline`);
  const cause = (error as { cause?: { code?: string } })?.cause?.code;
  return new CarrierFailure('CARRIER.HTTP_ERROR', `could not reach ${carrierCode}${cause ? ` (${cause})` : ''}`);
}

/** 429 and 5xx mean the same at every carrier; other statuses are for each protocol to judge. */
function throwForStatus(carrierCode: string, response: Response): void {
  if (response.status === 429)
    throw new CarrierFailure('CARRIER.RATE_LIMITED', `${carrierCode} is rate limiting`, retryAfterMs(response.headers.get('retry-after')));
  if (response.status >= 500) throw new CarrierFailure('CARRIER.HTTP_ERROR', `HTTP ${response.status} from ${carrierCode}`);
}

/** Unknown codes are logged once each per process: visible, never a crash, never a flood. */
export function unknownCodeReporter(logger: Logger, carrierId: string, protocol: string): (field: string, code: string) => void {
  const reported = new Set<string>();
  return (field, code) => {
    const key = `${field}:${code}`;
    if (reported.has(key)) return;
    reported.add(key);
    logger.warn({ carrierId, protocol, field, code }, 'carrier sent a code we do not map');
  };
}
