/**
 * Expected failures of a call to a carrier, as values with namespaced codes. TIMEOUT, CIRCUIT_OPEN
 * and BULKHEAD_FULL come from the policy around the adapter (carrier-policy.ts). The policy retries
 * reads on HTTP_ERROR (5xx, connection reset), MALFORMED and RATE_LIMITED (when retryAfterMs is
 * short); REJECTED never opens the circuit. Bugs are thrown as plain errors, never as these.
 */
export type CarrierFailureCode =
  | 'CARRIER.TIMEOUT'
  | 'CARRIER.HTTP_ERROR'
  | 'CARRIER.MALFORMED'
  | 'CARRIER.RATE_LIMITED'
  | 'CARRIER.AUTH'
  | 'CARRIER.CIRCUIT_OPEN'
  | 'CARRIER.REJECTED'
  | 'CARRIER.BULKHEAD_FULL';

export class CarrierFailure extends Error {
  constructor(
    readonly code: CarrierFailureCode,
    message: string,
    /** For RATE_LIMITED: how long the carrier asked us to wait. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'CarrierFailure';
  }
}
