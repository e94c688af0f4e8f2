import type { FetchStep } from './subgraph-fetch';

/** Told of every fetch that reaches a subgraph: its duration and whether it failed (/metrics). */
export type FetchObserver = (subgraph: string, seconds: number, failed: boolean) => void;

/** Times every fetch sent on down the path (not those a cache answered); an answer with errors counts as failed. */
export function fetchMetrics(observe: FetchObserver): FetchStep {
  return async (fetch, next) => {
    const started = performance.now();
    let failed = true;
    try {
      const response = await next(fetch);
      failed = Boolean(response.errors?.length);
      return response;
    } finally {
      observe(fetch.subgraph, (performance.now() - started) / 1000, failed);
    }
  };
}
