/**
 * What the fuzz suite needs besides generators: a raw HTTP client (node:http, so that bodies can be
 * invalid UTF-8, lie about their length or stream past the limit, and paths can carry what fetch
 * would normalise away), the oracle that says what no response may ever look like, and the counts
 * per category that the suite prints and bench/RESULTS.md records.
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import v8 from 'node:v8';
import vm from 'node:vm';

/** The codes the contract lists (the codes platform/errors.ts lets through to clients). */
export const CONTRACT_CODES = [
  'BAD_USER_INPUT',
  'GRAPHQL_VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'FAILED_PRECONDITION',
  'RATE_LIMITED',
  'LIMIT_EXCEEDED',
  'CARRIER_UNAVAILABLE',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
] as const;

/**
 * GraphQL-over-HTTP codes that the gateway lets through on purpose (maskError's list): BAD_REQUEST
 * for a request that is not GraphQL over HTTP at all (bad JSON, CSRF, batches, GET without a query),
 * and the persisted-query codes that APQ clients key on. They are not in the contract's list; the
 * suite counts them so that the gap stays visible. (GRAPHQL_PARSE_FAILED and
 * OPERATION_RESOLUTION_FAILURE are not here: the gateway answers GRAPHQL_VALIDATION_FAILED.)
 */
export const TRANSPORT_CODES = ['BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED'] as const;

/** A masked bug is still a bug: the fuzzer treats INTERNAL_SERVER_ERROR as a finding. */
const ACCEPTED_CODES = new Set<string>([...CONTRACT_CODES, ...TRANSPORT_CODES].filter((code) => code !== 'INTERNAL_SERVER_ERROR'));

/** A stack frame ("    at fn (/path/file.ts:12:3)"), a source path with a line, or a Node internal. */
const STACK_TRACE =
  /(\bat (?:[\w.<>$[\] ]+ )?\(?(?:\/|node:|file:)[^)"\s]*:\d+:\d+)|(\/(?:work|home|app|usr|src)\/[^\s"']+\.(?:ts|js|mjs|cjs)\b)|(node_modules\/)|("stacktrace")/;

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The connection ended before a response (only acceptable where the request itself was cut off). */
  closed?: string;
}

export interface RawRequest {
  method?: string;
  /** Path and query string, sent as is (node:http only refuses control characters and spaces). */
  path?: string;
  headers?: Record<string, string | string[]>;
  /** The whole body at once. */
  body?: Buffer | string;
  /** Or streamed chunk by chunk (no content-length: chunked transfer encoding). */
  chunks?: Buffer[];
  /**
   * A connection of its own, closed after the response. For requests the server refuses while the
   * body is still coming (413): a half-sent body must not leave a kept-alive socket behind.
   */
  fresh?: boolean;
}

export class RawClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  readonly host: string;
  readonly port: number;

  constructor(readonly url: string) {
    const parsed = new URL(url);
    this.host = parsed.hostname;
    this.port = Number(parsed.port);
  }

  send(request: RawRequest, timeoutMs = 15_000): Promise<Reply> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (reply: Reply | Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (reply instanceof Error) reject(reply);
        else resolve(reply);
      };
      const headers: Record<string, string | string[]> = { ...request.headers };
      if (request.body !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-length')) {
        headers['content-length'] = String(Buffer.byteLength(request.body));
      }
      const fresh = request.fresh || request.chunks !== undefined;
      const req = http.request({
        host: this.host,
        port: this.port,
        method: request.method ?? 'POST',
        path: request.path ?? '/graphql',
        headers,
        agent: fresh ? false : this.agent,
      });
      const timer = setTimeout(() => {
        req.destroy();
        finish(new Error(`no answer within ${timeoutMs} ms to ${request.method ?? 'POST'} ${(request.path ?? '/graphql').slice(0, 80)}`));
      }, timeoutMs);
      req.on('response', (res) => {
        const parts: Buffer[] = [];
        res.on('data', (chunk: Buffer) => parts.push(chunk));
        res.on('end', () => {
          finish({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(parts).toString('utf8') });
          // Answered before the body was all out (413): stop sending, drop the connection.
          if (!req.writableFinished) req.destroy();
        });
        res.on('error', (error) =>
          finish({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(parts).toString('utf8'), closed: error.message }),
        );
      });
      // The server may answer (413) and close while the body is still going out: that is a reply
      // when the response came first, and a closed connection otherwise.
      req.on('error', (error) =>
        finish({ status: 0, headers: {}, text: '', closed: (error as NodeJS.ErrnoException).code ?? error.message }),
      );
      if (request.chunks) {
        (async () => {
          for (const chunk of request.chunks!) {
            if (req.destroyed || settled) return;
            if (!req.write(chunk)) {
              await new Promise<void>((ok) => {
                const done = () => {
                  req.off('drain', done).off('close', done);
                  ok();
                };
                req.on('drain', done).on('close', done);
              });
            }
          }
          req.end();
        })().catch(() => undefined);
      } else {
        req.end(request.body);
      }
    });
  }

  /** POST a JSON body to /graphql. */
  post(body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    return this.send({
      body: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...headers },
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface CheckOptions {
  /** Strings planted in variables (PII stand-ins) that no error may repeat. */
  markers?: readonly string[];
  /** The request was cut off on purpose (oversized, streamed): a closed connection is acceptable. */
  mayClose?: boolean;
  /** A HEAD request: no body to judge. */
  head?: boolean;
  /** The path asked for: /metrics answers Prometheus text, not JSON. */
  path?: string;
}

export interface Verdict {
  /** Empty when the response keeps every property. */
  violations: string[];
  codes: string[];
  hasData: boolean;
  /** "CODE: message" of each error. */
  messages: string[];
}

/**
 * The properties every response must keep, whatever was sent:
 * - never a 5xx (no subgraph is down in this stack, so not even 503);
 * - a JSON body for everything the gateway answers itself (the only exceptions: Node's own HTTP
 *   parser refusals, which have no body, the explorer page for a browser GET, and GraphQL over SSE,
 *   whose every event carries a JSON result judged the same way);
 * - every GraphQL error carries extensions.code from the contract's list (or one of Apollo's
 *   transport codes), never INTERNAL_SERVER_ERROR;
 * - no stack trace, no source path, no "stacktrace" extension anywhere in the body;
 * - no planted marker from the variables in any error.
 */
export function check(reply: Reply, options: CheckOptions = {}): Verdict {
  const violations: string[] = [];
  const codes: string[] = [];
  const messages: string[] = [];
  let hasData = false;
  if (reply.closed !== undefined && reply.status === 0) {
    if (!options.mayClose) violations.push(`connection closed without a response (${reply.closed})`);
    return { violations, codes, hasData, messages };
  }
  if (reply.status >= 500) violations.push(`status ${reply.status}`);
  if (options.head || options.path?.startsWith('/metrics')) return { violations, codes, hasData, messages };
  const contentType = String(reply.headers['content-type'] ?? '');
  // A page is the explorer a browser's GET /graphql gets in development: static, the same for every
  // request, and GraphiQL's inlined bundle names its sources (node_modules/...) in comments.
  if (contentType.includes('text/html')) return { violations, codes, hasData, messages };
  if (STACK_TRACE.test(reply.text)) violations.push(`stack trace or source path in the body: ${excerpt(reply.text, STACK_TRACE)}`);
  if (reply.text === '') {
    // Node's HTTP parser answers malformed requests itself (400, 413, 431) with no body.
    if (![400, 413, 414, 431].includes(reply.status)) violations.push(`empty body with status ${reply.status}`);
    return { violations, codes, hasData, messages };
  }
  // Server-sent events (GraphQL over SSE: subscriptions, and the refusal of anything else): each
  // event's data is a GraphQL result, judged like a JSON body.
  const payloads = contentType.includes('text/event-stream')
    ? reply.text
        .split(/\n\n+/)
        .map((event) =>
          event
            .split('\n')
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).trim())
            .join('\n'),
        )
        .filter((data) => data !== '')
    : [reply.text];
  for (const payload of payloads) {
    let body: { data?: unknown; errors?: unknown; error?: unknown };
    try {
      body = JSON.parse(payload);
    } catch {
      violations.push(`status ${reply.status} with a body that is not JSON: ${payload.slice(0, 120)}`);
      continue;
    }
    hasData ||= judgeResult(body, reply.status, options, { violations, codes, messages });
  }
  return { violations, codes, hasData, messages };
}

/** Judges one GraphQL result (a JSON body, or one server-sent event's data); answers whether it holds data. */
function judgeResult(
  body: { data?: unknown; errors?: unknown; error?: unknown },
  status: number,
  options: CheckOptions,
  found: Pick<Verdict, 'violations' | 'codes' | 'messages'>,
): boolean {
  const { violations, codes, messages } = found;
  const hasData = body.data !== undefined && body.data !== null;
  if (body.errors !== undefined) {
    if (!Array.isArray(body.errors)) {
      violations.push('errors is not a list');
    } else {
      for (const error of body.errors as { message?: unknown; extensions?: { code?: unknown; stacktrace?: unknown } }[]) {
        const code = error?.extensions?.code;
        codes.push(String(code));
        messages.push(`${String(code)}: ${String(error?.message)}`);
        if (typeof code !== 'string') violations.push(`error without extensions.code: ${String(error?.message).slice(0, 160)}`);
        else if (!ACCEPTED_CODES.has(code))
          violations.push(`error code ${code} is not in the contract: ${String(error?.message).slice(0, 160)}`);
        if (error?.extensions?.stacktrace !== undefined) violations.push('extensions.stacktrace present');
        const text = JSON.stringify(error);
        for (const marker of options.markers ?? []) {
          if (text.includes(marker)) violations.push(`planted marker echoed in an error: ${String(error?.message).slice(0, 200)}`);
        }
      }
    }
  } else if (!hasData && status !== 200) {
    // A gateway answer that is neither data nor GraphQL errors: only the plain routes do that.
    if (body.error === undefined) violations.push(`status ${status} with neither data nor errors: ${JSON.stringify(body).slice(0, 120)}`);
  }
  return hasData;
}

function excerpt(text: string, pattern: RegExp): string {
  const at = text.search(pattern);
  return JSON.stringify(text.slice(Math.max(0, at - 60), at + 100));
}

/** Inputs tried, responses by status and by error code, per category: the suite's one-line summary. */
export class Tally {
  readonly categories = new Map<
    string,
    { inputs: number; statuses: Map<number, number>; codes: Map<string, number>; withData: number; ms: number }
  >();
  /** Error responses to requests that carried a planted marker: how often the no-echo property was really at stake. */
  markerChecks = 0;
  /** A few messages per category and code, for FUZZ_VERBOSE. */
  readonly samples = new Map<string, string[]>();

  record(category: string, reply: Reply, verdict: Verdict, ms = 0, markers = 0): void {
    let entry = this.categories.get(category);
    if (!entry) this.categories.set(category, (entry = { inputs: 0, statuses: new Map(), codes: new Map(), withData: 0, ms: 0 }));
    entry.inputs++;
    entry.ms += ms;
    if (markers > 0 && verdict.codes.length > 0) this.markerChecks++;
    for (const message of verdict.messages) {
      const key = `${category} ${message.split(':')[0]}`;
      const list = this.samples.get(key) ?? [];
      if (list.length < 4) this.samples.set(key, [...list, message.slice(0, 240)]);
    }
    entry.statuses.set(reply.status, (entry.statuses.get(reply.status) ?? 0) + 1);
    for (const code of new Set(verdict.codes)) entry.codes.set(code, (entry.codes.get(code) ?? 0) + 1);
    if (verdict.hasData) entry.withData++;
  }

  get total(): number {
    return [...this.categories.values()].reduce((sum, entry) => sum + entry.inputs, 0);
  }

  /** Code -> number of responses carrying it, over all categories. */
  codeTotals(): Map<string, number> {
    const totals = new Map<string, number>();
    for (const entry of this.categories.values()) for (const [code, n] of entry.codes) totals.set(code, (totals.get(code) ?? 0) + n);
    return new Map([...totals].sort((a, b) => b[1] - a[1]));
  }

  statusTotals(): Map<number, number> {
    const totals = new Map<number, number>();
    for (const entry of this.categories.values())
      for (const [status, n] of entry.statuses) totals.set(status, (totals.get(status) ?? 0) + n);
    return new Map([...totals].sort((a, b) => a[0] - b[0]));
  }

  line(): string {
    const parts = [...this.categories].map(([name, entry]) => `${name} ${entry.inputs}`);
    return `${this.total} inputs: ${parts.join(', ')}`;
  }
}

/**
 * A collected heap: global.gc when Node runs with --expose-gc, else the same function obtained at
 * run time (V8 flag, then a fresh context exposes gc). Two passes so that weak callbacks run.
 */
export function collectGarbage(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  return gc;
}

export async function settledHeap(gc: () => void): Promise<{ heapUsed: number; rss: number }> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const usage = process.memoryUsage();
  return { heapUsed: usage.heapUsed, rss: usage.rss };
}

export const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
