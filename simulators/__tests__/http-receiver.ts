/**
 * A real node:http receiver for the simulators' tests: it stands in for the cases subgraph's
 * webhook routes and for a carrier's `/_vendors/results`, keeps every request (path, headers, raw
 * body), and can be told to fail the next N requests with 503.
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  at: number;
}

export class HttpReceiver {
  /** The requests answered 2xx, in arrival order. */
  received: ReceivedRequest[] = [];
  /** Every request, failed ones too. */
  attempts = 0;
  failNext = 0;
  url = '';
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      this.attempts++;
      if (this.failNext > 0) {
        this.failNext--;
        res.writeHead(503).end();
        return;
      }
      this.received.push({ path: req.url ?? '/', headers: req.headers, raw: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** What arrived at one path. */
  at(path: string): ReceivedRequest[] {
    return this.received.filter((r) => r.path === path);
  }

  clear(): void {
    this.received = [];
    this.attempts = 0;
    this.failNext = 0;
  }

  stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    return closed;
  }
}

/** Resolves once `check` holds, polling; fails the test with `what` after timeoutMs. */
export async function eventually(check: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
