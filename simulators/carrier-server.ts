/**
 * One simulated carrier as a real node:http server on its own port. Every protocol request goes
 * through the same steps, in the order a real carrier's gateway would apply them: counted (so tests
 * can assert exact call counts), delayed by the configured latency, then either hit by the current
 * fault or answered by the protocol handler. /health, /_control/... and /_vendors/results (vendors
 * delivering results) are never counted, delayed or faulted: tests must be able to steer a carrier
 * that is "down".
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleControlRequest } from './control';
import { SIM_REQUIREMENT_CODES, type SimRequirementCode } from './carrier-store';
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

/**
 * Where requirement vendors deliver results, whatever the carrier's protocol (vendors reach carriers
 * on their own channel): `POST /_vendors/results` JSON {policyReference, requirementId (the carrier's
 * id or null), reference (ours), code, vendor, orderId, completedOn: YYYY-MM-DD} → 200 with the
 * requirement as the carrier now has it (RECEIVED); 404 for an unknown application; 400 for a body
 * it cannot read. Not counted, delayed or faulted: it is not the BGA's call.
 */
export const VENDOR_RESULTS_PATH = '/_vendors/results';
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function vendorResults(sim: SimulatedCarrier, request: SimRequest): SimResponse {
  if (request.method !== 'POST') return json(405, { error: 'method_not_allowed', message: 'POST only' });
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(request.body) as Record<string, unknown>;
  } catch {
    return json(400, { error: 'invalid_json' });
  }
  const text = (value: unknown) => (typeof value === 'string' && value ? value : null);
  const problems = [
    !text(body?.policyReference) && 'policyReference',
    body?.requirementId !== null && body?.requirementId !== undefined && !text(body.requirementId) && 'requirementId',
    body?.reference !== null && body?.reference !== undefined && !text(body.reference) && 'reference',
    !SIM_REQUIREMENT_CODES.includes(body?.code as SimRequirementCode) && 'code',
    !text(body?.vendor) && 'vendor',
    !text(body?.orderId) && 'orderId',
    !(typeof body?.completedOn === 'string' && DAY.test(body.completedOn)) && 'completedOn',
  ].filter(Boolean);
  if (problems.length) return json(400, { error: 'invalid_request', message: `invalid or missing: ${problems.join(', ')}` });
  if (!sim.store.find(body.policyReference as string))
    return json(404, { error: 'not_found', message: `${sim.code} has no application ${String(body.policyReference)}` });
  const requirement = sim.store.vendorResults({
    policyReference: body.policyReference as string,
    requirementId: text(body.requirementId),
    reference: text(body.reference),
    code: body.code as SimRequirementCode,
    vendor: body.vendor as string,
    orderId: body.orderId as string,
    completedOn: body.completedOn as string,
  });
  return json(200, { received: true, requirement });
}

export async function startCarrierServer(
  sim: SimulatedCarrier,
  handler: ProtocolHandler,
  options: { host: string; port: number },
): Promise<RunningCarrierServer> {
  // Every change of an application is pushed in this protocol's shape (when the push is on).
  sim.attachPush((application, eventId) => handler.notification(application, eventId));
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
      if (request.path === VENDOR_RESULTS_PATH) return send(res, vendorResults(sim, request));
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
