import { createHash } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { type DocumentNode, GraphQLError, type GraphQLSchema, parse, print, validate } from 'graphql';
import { createHandler } from 'graphql-sse/lib/use/http';
import { useServer } from 'graphql-ws/use/ws';
import { decodeJwt } from 'jose';
import { WebSocketServer } from 'ws';
import { HttpError, sendGraphqlError } from '../../platform/http';
import type { Identity } from '../../platform/identity';
import type { Logger } from '../../platform/logger';
import { NOT_IN_LIST, notInList } from '../plugins/trusted-documents';
import type { SubscriptionConfig } from './config';
import type { SubscriptionHub } from './hub';

/** Verifies a request's credentials (the gateway's authenticator): the identity, or an HttpError (401, 503). */
export type Authenticate = (req: IncomingMessage) => Promise<Identity>;

interface Caller {
  identity: Identity;
  expiresAt?: number;
}

/** Who calls with these headers, and when their token stops being valid. */
async function callerOf(authenticate: Authenticate, headers: IncomingMessage['headers']): Promise<Caller> {
  const identity = await authenticate({ headers } as IncomingMessage);
  const token = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
  const exp = token ? decodeJwt(token).exp : undefined;
  return { identity, expiresAt: exp !== undefined ? exp * 1000 : undefined };
}

const onlySubscriptions = () => ({
  errors: [
    new GraphQLError('only subscriptions are served here: send queries and mutations by HTTP POST /graphql', {
      extensions: { code: 'BAD_REQUEST' },
    }),
  ],
});

const lastEventIdOf = (extensions: unknown): string | undefined => {
  const value = (extensions as { lastEventId?: unknown } | null | undefined)?.lastEventId;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
};

type WsExtra = {
  caller?: Caller;
  open: Set<string>;
  idle?: NodeJS.Timeout;
};

export interface SubscriptionTransports {
  /** graphql-sse over node:http: requests to /graphql that accept text/event-stream. */
  eventStream(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Ends every open subscription and WebSocket (1001, going away): clients resume elsewhere with their last event id. */
  drain(): Promise<void>;
}

/**
 * graphql-ws (WebSocket upgrades of /graphql, subprotocol graphql-transport-ws) and graphql-sse
 * (text/event-stream requests to /graphql, distinct connections mode) over one SubscriptionHub.
 * Credentials: the Authorization header of the upgrade or of the SSE request, or for browsers'
 * WebSockets `connectionParams.authorization` ("Bearer <jwt>"); a bad one closes the socket with
 * 4403 (SSE: 401 UNAUTHENTICATED). Only subscriptions are served here.
 */
export function attachSubscriptions(options: {
  server: Server;
  hub: SubscriptionHub;
  schema: () => GraphQLSchema | undefined;
  authenticate: Authenticate;
  config: SubscriptionConfig;
  logger: Logger;
  /**
   * With TRUSTED_DOCUMENTS=required, whether a subscription's document is in the manifest (by the
   * SHA-256 of its text, or its printed form): anything else is refused with PERSISTED_QUERY_NOT_IN_LIST.
   */
  trusted?: (hash: string, print: () => string) => boolean;
}): SubscriptionTransports {
  const { server, hub, schema, authenticate, config, logger, trusted } = options;
  const untrusted = (query: string, document: () => DocumentNode | undefined): boolean =>
    trusted !== undefined &&
    !trusted(createHash('sha256').update(query).digest('hex'), () => {
      const parsed = document();
      return parsed ? print(parsed) : '';
    });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024 });
  // Both transports hand the hub the same thing: the operation and the caller its context carries.
  const subscribeOn = (
    transport: 'ws' | 'sse',
    args: {
      schema: GraphQLSchema;
      document: DocumentNode;
      operationName?: string | null;
      variableValues?: unknown;
      contextValue?: unknown;
    },
  ) => {
    const { caller, lastEventId } = args.contextValue as { caller: Caller; lastEventId?: string };
    return hub.subscribe({
      schema: args.schema,
      document: args.document,
      operationName: args.operationName,
      variableValues: (args.variableValues ?? {}) as Record<string, unknown>,
      identity: caller.identity,
      expiresAt: caller.expiresAt,
      lastEventId,
      transport,
    });
  };
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (req.url?.split('?')[0] !== '/graphql') return void socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  server.on('upgrade', onUpgrade);
  const idleCheck = (extra: Partial<WsExtra>, close: () => void) => {
    clearTimeout(extra.idle);
    if ((extra.open?.size ?? 0) > 0) return;
    extra.idle = setTimeout(close, config.idleTimeoutMs);
    extra.idle.unref();
  };
  useServer<Record<string, unknown> | undefined, WsExtra>(
    {
      schema: () => schema()!,
      async onConnect(ctx) {
        ctx.extra.open = new Set();
        const authorization = ctx.connectionParams?.authorization;
        const headers = typeof authorization === 'string' ? { ...ctx.extra.request.headers, authorization } : ctx.extra.request.headers;
        try {
          ctx.extra.caller = await callerOf(authenticate, headers);
        } catch (error) {
          if (!(error instanceof HttpError)) logger.warn({ err: error }, 'subscription: cannot verify credentials');
          return false;
        }
        idleCheck(ctx.extra, () => ctx.extra.socket.close(4408, 'idle: no subscription'));
        return true;
      },
      onSubscribe(ctx, id, payload) {
        // graphql-ws parses the document after this hook: parse here only for the manifest's printed form
        // (a document that does not parse is in no manifest).
        const document = () => {
          try {
            return parse(payload.query);
          } catch {
            return undefined;
          }
        };
        if (untrusted(payload.query, document)) return [notInList()];
        if ((ctx.extra.open?.size ?? 0) >= config.perConnection) {
          return [
            new GraphQLError(`at most ${config.perConnection} subscriptions per connection`, { extensions: { code: 'LIMIT_EXCEEDED' } }),
          ];
        }
        ctx.extra.open?.add(id);
        clearTimeout(ctx.extra.idle);
      },
      context: (ctx, _id, payload) => ({ caller: ctx.extra.caller, lastEventId: lastEventIdOf(payload.extensions) }),
      onComplete(ctx, id) {
        ctx.extra.open?.delete(id);
        idleCheck(ctx.extra, () => ctx.extra.socket.close(4408, 'idle: no subscription'));
      },
      onClose(ctx) {
        clearTimeout(ctx.extra.idle);
      },
      execute: onlySubscriptions,
      subscribe: (args) => subscribeOn('ws', args) as never,
    },
    wss,
    config.keepAliveMs,
  );

  const callers = new WeakMap<IncomingMessage, Caller>();
  const sse = createHandler({
    schema: () => schema()!,
    context: (req, params) =>
      ({
        caller: callers.get(req.raw),
        lastEventId: lastEventIdOf(params.extensions) ?? (req.raw as IncomingMessage & { lastEventId?: string }).lastEventId,
      }) as never,
    // graphql-sse answers a document it cannot parse or validate with uncoded errors: ours carry the contract's codes.
    onSubscribe: (_req, params) => {
      const refused = (code: string, errors: readonly GraphQLError[]) =>
        [
          JSON.stringify({ errors: errors.map((error) => ({ message: error.message, extensions: { code } })) }),
          { status: 400, statusText: 'Bad Request', headers: { 'content-type': 'application/json; charset=utf-8' } },
        ] as never;
      let document: ReturnType<typeof parse>;
      try {
        document = parse(params.query as string);
      } catch (error) {
        // The contract has one code for a malformed document, as the POST path answers it (plugins/limits.ts).
        return refused('GRAPHQL_VALIDATION_FAILED', [error instanceof GraphQLError ? error : new GraphQLError('Syntax Error')]);
      }
      const invalid = validate(schema()!, document);
      if (invalid.length) return refused('GRAPHQL_VALIDATION_FAILED', invalid);
      if (untrusted(params.query as string, () => document)) return refused(NOT_IN_LIST, [notInList()]);
    },
    execute: onlySubscriptions as never,
    subscribe: (args) => subscribeOn('sse', args as never) as never,
  });
  const responses = new Set<ServerResponse>();
  return {
    async eventStream(req, res) {
      let caller: Caller;
      try {
        caller = await callerOf(authenticate, req.headers);
      } catch (error) {
        if (error instanceof HttpError) return sendGraphqlError(res, error);
        throw error;
      }
      // SSE's own resumption header: the last event id the client saw (EventSource sends it on reconnect).
      const header = req.headers['last-event-id'];
      callers.set(req, caller);
      if (typeof header === 'string' && header !== '') {
        (req as IncomingMessage & { lastEventId?: string }).lastEventId = header;
      }
      // graphql-sse refuses a GET without a document with an uncoded error: refuse it with the contract's code first.
      if (req.method === 'GET' && !new URL(req.url ?? '/', 'http://gateway').searchParams.get('query'))
        return sendGraphqlError(res, new HttpError(400, 'BAD_REQUEST', 'Missing query'));
      responses.add(res);
      res.once('close', () => responses.delete(res));
      await sse(req, res);
    },
    async drain() {
      server.off('upgrade', onUpgrade);
      await hub.drain();
      // Give the streams a moment to send their last result, then close what is left.
      await new Promise((resolve) => setTimeout(resolve, 50));
      for (const client of wss.clients) client.close(1001, 'going away: reconnect with the last event id');
      for (const res of responses) res.end();
      wss.close();
    },
  };
}
