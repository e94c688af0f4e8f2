import { Agent, type Dispatcher } from 'undici';
import type { Fetcher } from '@apollo/utils.fetcher';
import { IDENTITY_HEADER } from '../platform/identity';
import { DEBUG_STATS_HEADER } from '../platform/stats';

export interface SubgraphFetcherOptions {
  /** Deadline of one fetch, headers and body together. */
  timeoutMs: number;
  /** Most keep-alive connections to one subgraph; more requests queue for a free one. */
  maxSockets: number;
  /** Merge identical in-flight queries (same subgraph, body and caller identity) into one fetch. */
  dedupe: boolean;
}

export interface SubgraphFetcher {
  fetch: Fetcher;
  /** Fetches actually sent and fetches answered by another caller's identical one in flight. */
  counts: { sent: number; deduplicated: number };
  close(): Promise<void>;
}

/** What gateway-js reads of a fetch response; each caller gets its own, parsed from the shared text. */
interface FetchedText {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

function responseFor(url: string, fetched: FetchedText) {
  const header = (name: string) => {
    const value = fetched.headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(', ') : (value ?? null);
  };
  return {
    url,
    status: fetched.status,
    statusText: '',
    ok: fetched.status >= 200 && fetched.status < 300,
    headers: { get: header, has: (name: string) => header(name) !== null },
    text: async () => fetched.text,
    json: async () => JSON.parse(fetched.text) as unknown,
  };
}

/**
 * The gateway's HTTP client for subgraphs: undici over a keep-alive pool with a bounded number of
 * sockets per subgraph (the default fetch opens as many as there are requests in flight), and a
 * deadline per fetch.
 *
 * With `dedupe`, a query that is already in flight to the same subgraph with the same body for the
 * same caller identity (the signed identity payload and the debug flag; not the per-request
 * signature timestamp or request id) waits for that fetch instead of sending its own. Mutations are
 * never merged. Each caller parses its own copy of the response, so no two client requests share
 * objects that the gateway later merges into.
 */
export function createSubgraphFetcher(options: SubgraphFetcherOptions): SubgraphFetcher {
  const agent = new Agent({ connections: options.maxSockets, keepAliveTimeout: 30_000, pipelining: 1 });
  const inFlight = new Map<string, Promise<FetchedText>>();
  const counts = { sent: 0, deduplicated: 0 };

  // Subgraph URLs are few: each parsed once.
  const targets = new Map<string, { origin: string; path: string }>();
  const targetOf = (url: string) => {
    let target = targets.get(url);
    if (!target) {
      const parsed = new URL(url);
      target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
      targets.set(url, target);
    }
    return target;
  };

  /**
   * One fetch through undici's dispatcher API: the answer's chunks are collected straight into one
   * text (no response stream, no AbortSignal per fetch). The deadline counts from here, time
   * waiting for a free socket included.
   */
  function send(url: string, method: string, headers: Record<string, string>, body: string | undefined): Promise<FetchedText> {
    counts.sent++;
    const { origin, path } = targetOf(url);
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let status = 0;
      let responseHeaders: FetchedText['headers'] = {};
      let controller: Dispatcher.DispatchController | undefined;
      let settled = false;
      const timedOut = new Error(`subgraph fetch timeout after ${options.timeoutMs} ms`);
      const settle = (error: Error | undefined, value?: FetchedText) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(value!);
      };
      const timer = setTimeout(() => {
        controller?.abort(timedOut);
        settle(timedOut);
      }, options.timeoutMs);
      agent.dispatch(
        { origin, path, method: method as Dispatcher.HttpMethod, headers, body },
        {
          onRequestStart(started) {
            controller = started;
            if (settled) started.abort(timedOut);
          },
          onResponseStart(_controller, statusCode, received) {
            status = statusCode;
            responseHeaders = received;
          },
          onResponseData(_controller, chunk) {
            chunks.push(chunk);
          },
          onResponseEnd() {
            settle(undefined, {
              status,
              headers: responseHeaders,
              text: (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8'),
            });
          },
          onResponseError(_controller, error) {
            settle(error);
          },
        },
      );
    });
  }

  const fetch = (async (url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) => {
    const method = init.method ?? 'GET';
    const headers = init.headers ?? {};
    const body = typeof init.body === 'string' ? init.body : undefined;
    // gateway-js sends {"query":"query …"} or {"query":"mutation …"}: only queries are merged.
    const mergeable = options.dedupe && body !== undefined && (body.startsWith('{"query":"query') || body.startsWith('{"query":"{'));
    if (!mergeable) return responseFor(url, await send(url, method, headers, body));
    const key = `${url}\n${headers[IDENTITY_HEADER] ?? ''}\n${headers[DEBUG_STATS_HEADER] ?? ''}\n${body}`;
    let shared = inFlight.get(key);
    if (shared) counts.deduplicated++;
    else {
      shared = send(url, method, headers, body).finally(() => inFlight.delete(key));
      inFlight.set(key, shared);
    }
    return responseFor(url, await shared);
  }) as unknown as Fetcher;

  return { fetch, counts, close: () => agent.close() };
}
