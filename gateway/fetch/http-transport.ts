import { Agent } from 'undici';
import type { WireRequest, WireResponse } from './subgraph-fetch';

export interface HttpTransportOptions {
  /** Most keep-alive connections to one subgraph; more requests queue for a free one. */
  maxSockets: number;
}

export interface HttpTransport {
  send(request: WireRequest): Promise<WireResponse>;
  /** Exchanges actually sent. */
  readonly counts: { sent: number };
  close(): Promise<void>;
}

/**
 * The end of the fetch path: a POST to the subgraph through undici's dispatcher API over a
 * keep-alive pool with a bounded number of sockets per subgraph (the default fetch opens as many as
 * there are requests in flight). The answer's chunks are collected straight into one text: no
 * response stream, no Headers or Request objects per fetch.
 */
export function createHttpTransport(options: HttpTransportOptions): HttpTransport {
  const agent = new Agent({ connections: options.maxSockets, keepAliveTimeout: 30_000, pipelining: 1 });
  const counts = { sent: 0 };

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

  function send(request: WireRequest): Promise<WireResponse> {
    counts.sent++;
    const { origin, path } = targetOf(request.url);
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let status = 0;
      let headers: WireResponse['headers'] = {};
      agent.dispatch(
        { origin, path, method: 'POST', headers: request.headers, body: request.body },
        {
          onRequestStart(controller) {
            request.onAbortable?.((reason) => controller.abort(reason));
          },
          onResponseStart(_controller, statusCode, received) {
            status = statusCode;
            headers = received;
          },
          onResponseData(_controller, chunk) {
            chunks.push(chunk);
          },
          onResponseEnd() {
            resolve({ status, headers, text: (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8') });
          },
          onResponseError(_controller, error) {
            reject(error);
          },
        },
      );
    });
  }

  return { send, counts, close: () => agent.close() };
}
