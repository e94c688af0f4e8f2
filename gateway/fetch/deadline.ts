import type { WireStep } from './subgraph-fetch';

/**
 * A deadline for one exchange, headers and body together, counted from here: time waiting for a
 * free socket is included. Past it the fetch fails (and the steps above make it SERVICE_UNAVAILABLE)
 * and the transport cuts the exchange. One timer per exchange, no AbortSignal.
 *
 * Nothing is retried. A retry, here or anywhere on the path, must be for `request.kind` QUERY only:
 * a mutation past its deadline may well have been applied, and sent again it would be applied twice.
 */
export function deadline(timeoutMs: number): WireStep {
  return (request, next) =>
    new Promise((resolve, reject) => {
      let abort: ((reason: Error) => void) | undefined;
      let expired: Error | undefined;
      const timer = setTimeout(() => {
        expired = new Error(`subgraph fetch timeout after ${timeoutMs} ms`);
        abort?.(expired);
        reject(expired);
      }, timeoutMs);
      next({
        ...request,
        onAbortable: (cut) => {
          abort = cut;
          if (expired) cut(expired);
        },
      }).then(
        (response) => {
          clearTimeout(timer);
          resolve(response);
        },
        (error) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
}
