/**
 * What every protocol adapter does the same way on the wire: turn transport failures and HTTP
 * statuses into CarrierFailure values, read Retry-After, and report carrier codes we do not map.
 */
import type { Logger } from '../../../platform/logger';
import { CarrierFailure } from './carrier-adapter.port';

/** Seconds (or an HTTP date) → milliseconds; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** A fetch that threw: past the deadline it is a timeout, otherwise the carrier could not be reached. */
export function transportFailure(carrierCode: string, error: unknown, signal: AbortSignal): CarrierFailure {
  if (error instanceof CarrierFailure) return error;
  if (signal.aborted) return new CarrierFailure('CARRIER.TIMEOUT', `no answer from ${carrierCode} before the deadline`);
  const cause = (error as { cause?: { code?: string } })?.cause?.code;
  return new CarrierFailure('CARRIER.HTTP_ERROR', `could not reach ${carrierCode}${cause ? ` (${cause})` : ''}`);
}

/** 429 and 5xx mean the same at every carrier; other statuses are for each protocol to judge. */
export function throwForStatus(carrierCode: string, response: Response): void {
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
