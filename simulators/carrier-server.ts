/**
 * One simulated carrier as a real node:http server on its own port. Every protocol request goes
 * through the same steps, in the order a real carrier's gateway would apply them: counted (so tests
 * can assert exact call counts), delayed by the configured latency, then either hit by the current
 * fault or answered by the protocol handler. /health and /_control/... are never counted, delayed
 * or faulted: tests must be able to steer a carrier that is "down".
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleControlRequest } from './control';
import { json, type ProtocolHandler, type SimRequest, type SimResponse } from './protocol';
import type { CallKind, SimulatedCarrier } from './simulated-carrier';

export interface RunningCarrierServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Requests larger than this are refused: room for an application with its signed PDF, and no more. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        req.destroy();
      } else {
        chunks.push(chunk);
      }
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, response: SimResponse): void {
  if (res.writableEnded || res.destroyed) return;
  const body = response.body ?? '';
  res.writeHead(response.status, { 'content-length': String(Buffer.byteLength(body)), ...response.headers });
  res.end(body);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The answer a fault gives instead of the real one; undefined for 'hang', which never answers. */
function faultResponse(fault: string, retryAfterSeconds: number, handler: ProtocolHandler, kind: CallKind): SimResponse | undefined {
  switch (fault) {
    case '5xx':
      return json(500, { error: 'internal_error', message: 'simulated carrier failure' });
    case '429':
      return json(429, { error: 'rate_limited', message: 'too many requests' }, { 'retry-after': String(retryAfterSeconds) });
    case 'expired-token':
      return json(
        401,
        { error: 'invalid_token', error_description: 'the access token expired' },
        { 'www-authenticate': 'Bearer error="invalid_token"' },
      );
    case 'malformed':
      return handler.malformed(kind);
    default:
      return undefined;
  }
}

async function handleProtocolRequest(
  sim: SimulatedCarrier,
  handler: ProtocolHandler,
  request: SimRequest,
  res: ServerResponse,
): Promise<void> {
  const kind = handler.classify(request);
  if (!kind)
    return send(
      res,
      handler.unclassified?.(request) ??
        json(404, { error: 'not_found', message: `${request.method} ${request.path} is not an endpoint of ${sim.code}` }),
    );
  sim.record(kind);
  const delay = sim.delayMs();
  if (delay > 0) await sleep(delay);
  const fault = sim.takeFault(kind);
  if (fault) {
    const response = faultResponse(fault.fault, fault.retryAfterSeconds, handler, kind);
    // 'hang': say nothing; the socket stays open until the client gives up or the server stops.
    if (response) send(res, response);
    return;
  }
  send(res, await handler.handle(request, kind));
}

export async function startCarrierServer(
  sim: SimulatedCarrier,
  handler: ProtocolHandler,
  options: { host: string; port: number },
): Promise<RunningCarrierServer> {
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://simulator');
      let body: string;
      try {
        body = await readBody(req);
      } catch (error) {
        if (error instanceof BodyTooLarge) send(res, json(413, { error: 'payload_too_large' }));
        return;
      }
      const request: SimRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body };
      if (request.path === '/health') return send(res, json(200, { status: 'ok', carrier: sim.code, protocol: sim.carrier.protocol }));
      if (request.path.startsWith('/_control/')) return send(res, handleControlRequest(sim, request));
      await handleProtocolRequest(sim, handler, request, res);
    })().catch((error: unknown) => {
      // A bug in a simulator must show up as a 500 the adapter can see, never as a hung socket.
      send(res, json(500, { error: 'simulator_bug', message: (error as Error).message }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Hanging requests and idle keep-alive sockets would hold close() open forever.
      server.closeAllConnections();
      await closed;
    },
  };
}
