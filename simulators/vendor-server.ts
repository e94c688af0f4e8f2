/**
 * The HTTP server both simulated requirement vendors run: it reads the request, answers /health and
 * the control API (`/_control/...`, vendor-control.ts), and hands every other request to the
 * vendor's protocol (its JSON or ACORD API) after the API key, the latency and the faults the
 * control API set. A bug in a protocol handler shows as a 500 the adapter can see, never as a hung
 * socket; only the `hang` fault leaves a request unanswered (until stop).
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  API_FAULTS,
  type ApiFault,
  VendorControl,
  VendorOrderError,
  type VendorSpec,
  WEBHOOK_FAULTS,
  type WebhookFault,
} from './vendor-control';
import { BodyTooLarge, parseJsonObject, readBody, type SimAnswer, sendAnswer } from './http-support';
import type { WebhookRetrySettings } from './webhook-sender';

/** Largest request a vendor takes. */
const MAX_BODY_BYTES = 1024 * 1024;

/** An answer of a vendor's API or control API. */
export type VendorReply = SimAnswer;

export interface VendorRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One vendor's wire protocol over the shared state. */
export interface VendorProtocol<K extends string> {
  /** The name /health answers. */
  service: string;
  /** The kind of an API call (what the counts count), or null when no endpoint matches. */
  classify(request: VendorRequest): K | null;
  authorized(request: VendorRequest): boolean;
  unauthorized(): VendorReply;
  notFound(request: VendorRequest): VendorReply;
  /** What the `5xx` fault answers. */
  unavailable(): VendorReply;
  /** What the `malformed` fault answers: a 200 whose body cannot be read. */
  malformed(kind: K): VendorReply;
  handle(kind: K, request: VendorRequest): VendorReply;
}

export interface RunningVendorServer {
  url: string;
  stop(): Promise<void>;
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): VendorReply => ({
  status,
  contentType: 'application/json; charset=utf-8',
  body: JSON.stringify(body),
  headers,
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const timesOf = (input: Record<string, unknown>) => (input.times === undefined ? undefined : Number(input.times));

/** The HTTP form of a vendor's control API (the routes are listed in vendor-control.ts). */
export function handleVendorControl<S extends string, D extends object, K extends string>(
  control: VendorControl<S, D, K>,
  request: VendorRequest,
): VendorReply {
  const url = new URL(request.path, 'http://vendor');
  const route = `${request.method} ${url.pathname.replace(/\/+$/, '')}`;
  try {
    const input = request.method === 'GET' || request.method === 'DELETE' ? {} : parseJsonObject(request.body);
    const advance = /^POST \/_control\/orders\/([^/]+)\/advance$/.exec(route);
    if (advance) {
      const details = input.details === undefined ? {} : parseJsonObject(JSON.stringify(input.details));
      return json(200, control.advance(decodeURIComponent(advance[1]), input.stage as S | undefined, details as Partial<D>));
    }
    const one = /^GET \/_control\/orders\/([^/]+)$/.exec(route);
    if (one) {
      const order = control.order(decodeURIComponent(one[1]));
      return order ? json(200, order) : json(404, { error: 'order_not_found', message: `no order ${decodeURIComponent(one[1])}` });
    }
    switch (route) {
      case 'GET /_control/orders': {
        const reference = url.searchParams.get('reference');
        return json(200, reference ? [control.orderByReference(reference)].filter(Boolean) : control.all());
      }
      case 'PUT /_control/auto-progress':
        control.setAutoProgress(Number(input.ms));
        return json(200, { ms: control.autoProgressMs });
      case 'GET /_control/counts':
        return json(200, control.counts);
      case 'DELETE /_control/counts':
        control.counts = Object.fromEntries(Object.keys(control.counts).map((k) => [k, 0])) as Record<K, number>;
        return json(200, { ok: true });
      case 'PUT /_control/latency':
        control.setLatency({ fixedMs: Number(input.fixedMs ?? 0), jitterMs: Number(input.jitterMs ?? 0) });
        return json(200, control.latency);
      case 'PUT /_control/fault':
        if (!API_FAULTS.includes(input.fault as ApiFault)) throw new RangeError(`fault must be one of ${API_FAULTS.join(', ')}`);
        control.setFault(input.fault as ApiFault, { times: timesOf(input), kinds: input.kinds as K[] | undefined });
        return json(200, { ok: true });
      case 'DELETE /_control/fault':
        control.setFault(null);
        return json(200, { ok: true });
      case 'PUT /_control/webhook-fault':
        if (!WEBHOOK_FAULTS.includes(input.fault as WebhookFault))
          throw new RangeError(`fault must be one of ${WEBHOOK_FAULTS.join(', ')}`);
        control.setWebhookFault(input.fault as WebhookFault, { times: timesOf(input) });
        return json(200, { ok: true });
      case 'DELETE /_control/webhook-fault':
        control.setWebhookFault(null);
        return json(200, { ok: true });
      case 'GET /_control/webhooks':
        return json(200, control.deliveries());
      case 'GET /_control/results':
        return json(200, control.resultsDeliveries());
      case 'POST /_control/webhooks/retry':
        control.retryNow();
        return json(200, { ok: true });
      case 'POST /_control/webhooks/release':
        control.releaseHeld();
        return json(200, { ok: true });
      case 'POST /_control/reset':
        control.reset();
        return json(200, { ok: true });
      default:
        return json(404, { error: 'not_found', message: `${route} is not a control endpoint` });
    }
  } catch (error) {
    if (error instanceof VendorOrderError) return json(error.status, { error: error.code, message: error.message });
    // Bad control input is the caller's mistake: say what was wrong.
    return json(400, { error: 'bad_request', message: (error as Error).message });
  }
}

export async function startVendorServer<S extends string, D extends object, K extends string>(
  control: VendorControl<S, D, K>,
  protocol: VendorProtocol<K>,
  options: { host?: string; port?: number },
): Promise<RunningVendorServer> {
  const host = options.host ?? '127.0.0.1';
  const api = async (request: VendorRequest): Promise<VendorReply | null> => {
    const kind = protocol.classify(request);
    if (kind === null) return protocol.notFound(request);
    if (!protocol.authorized(request)) return protocol.unauthorized();
    control.record(kind);
    const delay = control.delayMs();
    if (delay > 0) await sleep(delay);
    const fault = control.takeFault(kind);
    if (fault === 'hang') return null;
    if (fault === '5xx') return protocol.unavailable();
    if (fault === 'malformed') return protocol.malformed(kind);
    return protocol.handle(kind, request);
  };
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://vendor');
      const body = req.method === 'GET' ? '' : await readBody(req, MAX_BODY_BYTES);
      const request: VendorRequest = { method: req.method ?? 'GET', path: url.pathname, headers: req.headers, body };
      if (url.pathname === '/health') return sendAnswer(res, json(200, { status: 'ok', service: protocol.service }));
      if (url.pathname.startsWith('/_control/'))
        return sendAnswer(res, handleVendorControl(control, { ...request, path: `${url.pathname}${url.search}` }));
      const answer = await api(request);
      if (answer) sendAnswer(res, answer);
    })().catch((error: unknown) => {
      if (error instanceof BodyTooLarge) return sendAnswer(res, json(413, { error: 'payload_too_large', message: error.message }));
      sendAnswer(res, json(500, { error: 'simulator_bug', message: (error as Error).message }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    async stop() {
      control.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** How a test, a benchmark or startSimulators starts one vendor simulator. */
export interface VendorSimulatorOptions {
  host?: string;
  port?: number;
  apiKey: string;
  webhookSecret: string;
  latency?: { fixedMs: number; jitterMs?: number };
  webhookRetry?: Partial<WebhookRetrySettings>;
  /** Milliseconds per stage of an order's automatic progress (default 0: only advance moves orders). */
  autoProgressMs?: number;
  /** The carrier simulators' base URLs by carrier code (results go to `<url>/_vendors/results`). */
  carrierUrl?: (code: string) => string | undefined;
}

export interface RunningVendorSimulator<C> {
  url: string;
  apiKey: string;
  webhookSecret: string;
  control: C;
  stop(): Promise<void>;
}

/** One vendor simulator: its state and control (the spec), its protocol over that state, on its own HTTP server. */
export async function startVendorSimulator<S extends string, D extends object, K extends string>(
  spec: VendorSpec<S, D, K>,
  protocol: (control: VendorControl<S, D, K>, apiKey: string) => VendorProtocol<K>,
  options: VendorSimulatorOptions,
): Promise<RunningVendorSimulator<VendorControl<S, D, K>>> {
  const control = new VendorControl(spec, {
    webhookSecret: options.webhookSecret,
    retry: options.webhookRetry,
    latency: options.latency,
    autoProgressMs: options.autoProgressMs,
    carrierUrl: options.carrierUrl,
  });
  const server = await startVendorServer(control, protocol(control, options.apiKey), options);
  return { url: server.url, apiKey: options.apiKey, webhookSecret: options.webhookSecret, control, stop: () => server.stop() };
}
