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
  let gatherMs = 0;
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
        // cache lookups answer in the same turn of the event loop join one batch. A matrix gathers
        // longer (gather()): its cells' Redis replies may come in several reads on a busy machine.
        { cache: false, batchScheduleFn: (send) => (gatherMs > 0 ? setTimeout(send, gatherMs) : setImmediate(send)) },
      );
      loaders.set(carrierId, loader);
    }
    return loader;
  };
  return {
    /**
     * For a request of many cells (quoteMatrix): a batch waits `ms` for the cells whose cache lookups
     * answer in later turns of the event loop, so that a carrier is asked once for all of them.
     */
    gather(ms: number) {
      gatherMs = ms;
    },
    /** True when this carrier's adapter sends several requests in one exchange. */
    batches: (carrierId: string) => typeof runtime.adapter(carrierId)?.quoteBatch === 'function',
    load: (carrierId: string, call: QuoteCall) => loaderOf(carrierId).load(call),
  };
}

export type QuoteBatcher = ReturnType<typeof createQuoteBatcher>;
