import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';

/**
 * A small node:http integration for Apollo Server 5 (it ships none since v5), shared by the gateway
 * and the subgraphs: plain routes first (/health, /ready, /metrics), then GraphQL at /graphql.
 */
export interface Route {
  (req: IncomingMessage, res: ServerResponse): Promise<void> | void;
}

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
  routes?: Record<string, Route>;
  /** Largest request body accepted, in bytes (default 1 MiB): larger is 413 LIMIT_EXCEEDED. */
  maxBodyBytes?: number;
  /** Runs before GraphQL for every /graphql request (rate limits); may throw HttpError. */
  beforeGraphql?: (req: IncomingMessage) => Promise<void>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendGraphqlError(res: ServerResponse, error: HttpError): void {
  sendJson(res, error.status, { errors: [{ message: error.message, extensions: { code: error.code } }] }, error.headers);
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new HttpError(413, 'LIMIT_EXCEEDED', `request body exceeds ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, 'LIMIT_EXCEEDED', `request body exceeds ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined;
  if (contentType?.includes('application/json') || contentType?.includes('application/graphql-response+json')) {
    try {
      return JSON.parse(text);
    } catch {
      throw new HttpError(400, 'BAD_REQUEST', 'request body is not valid JSON');
    }
  }
  return text;
}

export function createHttpServer<TContext extends BaseContext>(options: HttpServerOptions<TContext>): http.Server {
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  return http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      const route = options.routes?.[url.pathname];
      if (route) return await route(req, res);
      if (url.pathname !== '/graphql' && url.pathname !== '/') {
        return sendJson(res, 404, { error: 'not found' });
      }
      await options.beforeGraphql?.(req);
      const body = req.method === 'POST' ? parseBody(await readBody(req, maxBody), req.headers['content-type']) : undefined;
      const headers = new HeaderMap();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      // Built before Apollo runs, so that a refused caller gets its own status (401), not a 500.
      const context = await options.context(req);
      const result = await options.apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method?.toUpperCase() ?? 'GET', headers, search: url.search, body },
        context: async () => context,
      });
      for (const [name, value] of result.headers) res.setHeader(name, value);
      res.statusCode = result.status ?? 200;
      if (result.body.kind === 'complete') {
        res.end(result.body.string);
      } else {
        for await (const chunk of result.body.asyncIterator) res.write(chunk);
        res.end();
      }
    } catch (error) {
      if (res.headersSent) return void res.end();
      if (error instanceof HttpError) return sendGraphqlError(res, error);
      sendGraphqlError(res, new HttpError(500, 'INTERNAL_SERVER_ERROR', 'internal error'));
    }
  });
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

/** Stops accepting connections and waits for requests in flight, closing idle keep-alive sockets. */
export async function closeServer(server: http.Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
