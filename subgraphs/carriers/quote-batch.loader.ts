import DataLoader from 'dataloader';
import type { RequestStats } from '../../platform/stats';
import type { CarrierQuote, QuoteRequest } from './adapters/carrier-adapter.port';
import type { CarriersRuntime } from './carriers.runtime';

/** One request waiting for its carrier's batch, told when a network call is made for it. */
export interface QuoteCall {
  request: QuoteRequest;
  onNetworkCall(): void;
}

/**
 * Quote requests to one carrier within one GraphQL request, sent together where the carrier's
 * protocol carries many in one exchange (CarrierAdapter.quoteBatch): a 5 x 5 quoteMatrix asks an
 * ACORD or REST carrier once, not 25 times. The batch runs under the carrier's policy like any call
 * (deadline, retries, breaker: one failure is every cell's failure, as 25 calls failing together
 * would be). Made fresh for every request, as loaders are; the cache and single-flight sit in
 * front of it (compare-quotes.service.ts), so only misses reach a batch.
 */
export function createQuoteBatcher(runtime: CarriersRuntime, stats: RequestStats) {
  const loaders = new Map<string, DataLoader<QuoteCall, CarrierQuote[]>>();
  const loaderOf = (carrierId: string) => {
    let loader = loaders.get(carrierId);
    if (!loader) {
      loader = new DataLoader<QuoteCall, CarrierQuote[]>(
        (calls) =>
          runtime.call(
            carrierId,
            'quote',
            (adapter, options) =>
              adapter.quoteBatch!(
                calls.map((call) => call.request),
                options,
              ),
            () => {
              stats.carrierCalls++;
              for (const call of calls) call.onNetworkCall();
            },
          ),
        // Each call is already unique (single-flight is in front); setImmediate lets the cells whose
        // cache lookups answer in the same turn of the event loop (Redis replies) join one batch.
        { cache: false, batchScheduleFn: (send) => setImmediate(send) },
      );
      loaders.set(carrierId, loader);
    }
    return loader;
  };
  return {
    /** True when this carrier's adapter sends several requests in one exchange. */
    batches: (carrierId: string) => typeof runtime.adapter(carrierId)?.quoteBatch === 'function',
    load: (carrierId: string, call: QuoteCall) => loaderOf(carrierId).load(call),
  };
}

export type QuoteBatcher = ReturnType<typeof createQuoteBatcher>;
