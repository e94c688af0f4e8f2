import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { serverSpan } from './tracing';

/**
 * A small node:http integration for Apollo Server 5 (it ships none since v5), shared by the gateway
 * and the subgraphs: plain routes first (/health, /ready, /metrics), then GraphQL at /graphql.
 */
export type Route = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface HttpServerOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  /** Builds the request context; may throw HttpError (e.g. 401) to answer without running GraphQL. */
  context: (req: IncomingMessage) => Promise<TContext>;
  /**
   * Plain routes by path. A path ending in '/' (`/documents/`) is a prefix: it serves every path
   * under it, the longest prefix first; any other path is matched exactly.
   */
  routes?: Readonly<Record<string, Route>>;
  /** Largest request body accepted, in bytes (default 1 MiB): larger is 413 LIMIT_EXCEEDED. */
  maxBodyBytes?: number;
  /** Runs before GraphQL for every /graphql request (rate limits); may throw HttpError. */
  beforeGraphql?: (req: IncomingMessage) => Promise<void> | void;
  /**
   * Wraps the GraphQL execution of an authenticated request (the gateway's response cache and
   * request coalescing): may answer without calling `run`, or share one run's answer.
   */
  around?: (request: GraphqlHttpRequest<TContext>, run: () => Promise<GraphqlAnswer>) => Promise<GraphqlAnswer>;
  /**
   * Told of every request refused at the HTTP level, before or instead of GraphQL (401, 413, 429,
   * 400, 503, and 500 with the error that caused it): for logs and counters. Never throws.
   */
  onRefusal?: (req: IncomingMessage, refusal: HttpError, cause?: unknown) => void;
  /**
   * Browser origins allowed to call /graphql from another origin (CORS): a preflight from one of
   * them is answered 204, and its requests' answers carry Access-Control-Allow-Origin. Any other
   * origin's preflight is 403 and its answers carry no CORS header (the browser withholds them).
   */
  corsOrigins?: readonly string[];
  /** GET /graphql from a browser (Accept: text/html), instead of GraphQL: the explorer page. */
  browserPage?: Route;
  /** A /graphql request that accepts text/event-stream (graphql-sse subscriptions), after beforeGraphql. */
  eventStream?: Route;
}

/** Request headers a cross-origin caller may send to /graphql. */
const CORS_ALLOWED_HEADERS =
  'authorization, content-type, accept, x-request-id, x-debug-stats, apollo-require-preflight, apollographql-client-name, apollographql-client-version';
/** Response headers a cross-origin caller may read. */
const CORS_EXPOSED_HEADERS = 'x-request-id, retry-after, age, cache-control';

/** A GraphQL request as it arrived, after authentication. */
export interface GraphqlHttpRequest<TContext> {
  req: IncomingMessage;
  method: string;
  search: string;
  /** The raw body text ('' for GET). */
  bodyText: string;
  context: TContext;
}

/** A complete GraphQL HTTP answer. */
export interface GraphqlAnswer {
  status: number;
  headers: [string, string][];
  /** Text, or already encoded (answers kept to be sent many times). */
  body: string | Buffer;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendGraphqlError(res: ServerResponse, error: HttpError): void {
  sendJson(res, error.status, { errors: [{ message: error.message, extensions: { code: error.code } }] }, error.headers);
}

/**
 * Too large: the rest of the body is never read, so the connection is closed after the answer
 * (kept alive, it would sit with the unread body until the request timeout, minutes later).
 */
const tooLarge = (limit: number) => new HttpError(413, 'LIMIT_EXCEEDED', `request body exceeds ${limit} bytes`, { connection: 'close' });

/** The whole body as text; events rather than an async iterator (this runs for every request). */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData).off('end', onEnd).off('error', onError);
        reject(tooLarge(limit));
      } else chunks.push(chunk);
    };
    const onEnd = () => {
      req.off('error', onError);
      resolve(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8'));
    };
    const onError = (error: Error) => {
      req.off('data', onData).off('end', onEnd);
      reject(error);
    };
    req.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

/**
 * Deeper than any real request (an input object in a list in the variables is a handful of levels).
 * Deeper JSON reaches code that recurses over it (the response cache's key, graphql-js coercion)
 * and overflows the stack: refused up front.
 */
const MAX_JSON_DEPTH = 64;

/** Whether [ and { nest deeper than `max` in JSON text, strings skipped: no parse, no recursion. */
function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

const tooDeep = () => new HttpError(400, 'LIMIT_EXCEEDED', `request JSON nests deeper than ${MAX_JSON_DEPTH} levels`);

/** GET carries variables and extensions as JSON in the query string: the same depth limit. */
function checkSearchDepth(url: URL): void {
  for (const name of ['variables', 'extensions']) {
    for (const value of url.searchParams.getAll(name)) if (nestsDeeperThan(value, MAX_JSON_DEPTH)) throw tooDeep();
  }
}

/** The usual target, parsed once (read only). */
const GRAPHQL_URL = new URL('/graphql', 'http://localhost');

/** The request target; one that is no URL at all (`GET //[ HTTP/1.1`) is the client's error, not a crash. */
function requestUrl(req: IncomingMessage): URL {
  if (req.url === '/graphql') return GRAPHQL_URL;
  try {
    return new URL(req.url ?? '/', 'http://localhost');
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', 'malformed request target');
  }
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined;
  if (contentType?.includes('application/json') || contentType?.includes('application/graphql-response+json')) {
    if (nestsDeeperThan(text, MAX_JSON_DEPTH)) throw tooDeep();
    try {
      return JSON.parse(text);
    } catch {
      throw new HttpError(400, 'BAD_REQUEST', 'request body is not valid JSON');
    }
  }
  return text;
}

/**
 * [name, value] pairs as writeHead takes them, flat. By hand: Array.prototype.flat costs ~1.6 µs on an
 * answer's four or five pairs (this loop ~0.08 µs), a noticeable share of an answer from the response cache.
 */
function flatHeaders(pairs: readonly [string, string][]): string[] {
  const flat: string[] = [];
  for (const [name, value] of pairs) flat.push(name, value);
  return flat;
}

/** An answer of Apollo Server's with status >= 400 and code BAD_REQUEST, told as a refusal (never throws). */
function reportTransportRefusal(
  req: IncomingMessage,
  answer: GraphqlAnswer,
  onRefusal: NonNullable<HttpServerOptions<BaseContext>['onRefusal']>,
): void {
  try {
    const text = typeof answer.body === 'string' ? answer.body : answer.body.toString('utf8');
    if (!text.includes('"BAD_REQUEST"')) return;
    const message = (JSON.parse(text) as { errors?: { message?: string }[] }).errors?.[0]?.message ?? 'bad request';
    onRefusal(req, new HttpError(answer.status, 'BAD_REQUEST', message));
  } catch {
    // counting never turns an answer into an error
  }
}

export function createHttpServer<TContext extends BaseContext>(options: HttpServerOptions<TContext>): http.Server {
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  const prefixes = Object.keys(options.routes ?? {})
    .filter((path) => path.length > 1 && path.endsWith('/'))
    .sort((a, b) => b.length - a.length);
  const routeOf = (pathname: string): Route | undefined => {
    const exact = options.routes?.[pathname];
    if (exact || prefixes.length === 0) return exact;
    const prefix = prefixes.find((candidate) => pathname.startsWith(candidate));
    return prefix ? options.routes![prefix] : undefined;
  };
  const corsOrigins = new Set(options.corsOrigins ?? []);
  // Each request a server span continuing its caller's trace, when tracing is on (platform/tracing.ts).
  return http.createServer((req, res) => serverSpan(req, res, () => handle(req, res)));
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = requestUrl(req);
      const route = routeOf(url.pathname);
      if (route) return await route(req, res);
      if (url.pathname !== '/graphql' && url.pathname !== '/') {
        return sendJson(res, 404, { error: 'not found' });
      }
      const origin = req.headers.origin;
      if (corsOrigins.size > 0) {
        // Answers differ by Origin once any origin is allowed: caches must key on it.
        res.setHeader('vary', 'Origin');
        if (origin !== undefined && corsOrigins.has(origin)) {
          res.setHeader('access-control-allow-origin', origin);
          res.setHeader('access-control-expose-headers', CORS_EXPOSED_HEADERS);
        }
      }
      if (req.method === 'OPTIONS') {
        if (origin === undefined || !corsOrigins.has(origin) || !req.headers['access-control-request-method']) {
          throw new HttpError(403, 'FORBIDDEN', 'cross-origin requests from this origin are not allowed');
        }
        res.writeHead(204, {
          'access-control-allow-methods': 'GET, POST, OPTIONS',
          'access-control-allow-headers': CORS_ALLOWED_HEADERS,
          'access-control-max-age': '600',
        });
        return void res.end();
      }
      if (options.browserPage && req.method === 'GET' && url.search === '' && req.headers.accept?.includes('text/html')) {
        return await options.browserPage(req, res);
      }
      const limited = options.beforeGraphql?.(req);
      if (limited) await limited;
      if (options.eventStream && req.headers.accept === 'text/event-stream') return await options.eventStream(req, res);
      if (req.method === 'GET') checkSearchDepth(url);
      const bodyText = req.method === 'POST' ? await readBody(req, maxBody) : '';
      // Built before Apollo runs, so that a refused caller gets its own status (401), not a 500.
      const context = await options.context(req);
      const method = req.method?.toUpperCase() ?? 'GET';
      // Parsing waits until GraphQL runs: an answer `around` already has needs none of it.
      const run = async (): Promise<GraphqlAnswer> => {
        const body = req.method === 'POST' ? parseBody(bodyText, req.headers['content-type']) : undefined;
        const headers = new HeaderMap();
        for (const [name, value] of Object.entries(req.headers)) {
          if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        const result = await options.apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method, headers, search: url.search, body },
          context: async () => context,
        });
        // Incremental delivery is not used here; an answer is one string.
        let text = '';
        if (result.body.kind === 'complete') text = result.body.string;
        else for await (const chunk of result.body.asyncIterator) text += chunk;
        return { status: result.status ?? 200, headers: [...result.headers], body: text };
      };
      const answer = options.around ? await options.around({ req, method, search: url.search, bodyText, context }, run) : await run();
      // Apollo Server's own refusals of what is not GraphQL over HTTP (a cross-site GET, a GET
      // without a query, a mutation by GET, a batch) are answered before any GraphQL runs: reported too.
      if (answer.status >= 400 && answer.status !== 401 && options.onRefusal) reportTransportRefusal(req, answer, options.onRefusal);
      res.writeHead(answer.status, flatHeaders(answer.headers));
      res.end(answer.body);
    } catch (error) {
      const refusal = error instanceof HttpError ? error : new HttpError(500, 'INTERNAL_SERVER_ERROR', 'internal error');
      try {
        options.onRefusal?.(req, refusal, refusal === error ? undefined : error);
      } catch {
        // counting and logging never turn a refusal into another error
      }
      if (res.headersSent) return void res.end();
      // The stack and the cause stay in the log: the client gets the code and a fixed message.
      sendGraphqlError(res, refusal);
    }
  }
}

/** Listens on host:port (0 picks a free port) and resolves with the port taken. */
export async function listen(server: http.Server, port: number, host = '127.0.0.1'): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/**
 * Stops accepting connections and waits for requests in flight, closing idle keep-alive sockets
 * (and each busy one as soon as its response is sent). Requests still running after graceMs are cut.
 */
export async function closeServer(server: http.Server, graceMs = 10_000): Promise<void> {
  await new Promise<void>((resolve) => {
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearInterval(idle);
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}
