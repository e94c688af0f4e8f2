import { hash } from 'node:crypto';
import type { GraphqlAnswer, GraphqlHttpRequest } from '../../platform/http';
import type { GatewayConfig } from '../gateway.config';
import type { GatewayContext } from '../gateway.context';
import type { Logger } from '../../platform/logger';
import { annotate, withSpan } from '../../platform/tracing';
import { Lru } from '../lru';
import type { GatewayPlugin } from './gateway-plugin';
import type { GatewayMetrics } from './metrics';

export interface FrontOptions {
  /** Keep cacheable answers in this process (the response cache's first level). */
  responseCache: boolean;
  /** Share one execution among identical queries of one caller that arrive while it runs. */
  coalesce: boolean;
  /** Most answers (and known operation types) kept; the least recently used go first. */
  maxEntries: number;
  /** Answers larger than this are not kept. */
  maxAnswerBytes: number;
  /** Bytes the kept answers hold at most, bodies and headers (FRONT_CACHE_MAX_MB); the least recently used go first. */
  maxBytes: number;
}

export type FrontOutcome = 'hit' | 'coalesced';

interface Kept {
  /** Encoded once, its headers without the request's own (x-request-id, age): sent as is to each caller. */
  answer: GraphqlAnswer;
  storedAt: number;
  expiresAt: number;
  age: number;
}

/** What a kept answer costs beyond its body and headers' text: its objects and the key (measured roughly, on the safe side). */
const ENTRY_OVERHEAD_BYTES = 512;
/** How often expired answers are dropped (on a write): kept answers nobody asks for again would otherwise wait for the LRU. */
const SWEEP_MS = 10_000;

const weigh = (kept: Kept) =>
  kept.answer.body.length + kept.answer.headers.reduce((sum, [name, value]) => sum + name.length + value.length, 0) + ENTRY_OVERHEAD_BYTES;

const DECIDING_HEADERS = ['content-type', 'accept', 'apollo-require-preflight', 'x-apollo-operation-name'] as const;
const MAX_AGE = /(?:^|,)\s*max-age=(\d+)/;

/**
 * The gateway's front door, before Apollo Server runs, for requests that are byte-for-byte the same
 * as an earlier one from the same caller (identity, method, query string, body, and the headers
 * Apollo Server decides by):
 *
 * - **Response cache, first level.** An answer the subgraphs' cache hints made cacheable (Apollo sets
 *   `Cache-Control: max-age=N, public|private` only for an error-free, fully hinted response) is kept
 *   in this process for what remains of N and served without parsing, planning or any cache round
 *   trip. The shared second level is Apollo's response-cache plugin in Redis, which this falls back to.
 * - **Request coalescing.** A query (known to be one because the same request ran before: a mutation
 *   is never shared) that is already executing for the same caller is not executed again: the
 *   second request waits for the first one's answer.
 *
 * Authentication and the rate limit run before this for every request; requests asking for
 * x-debug-stats bypass it (their counts are their own). Keys are a hash: no personal data is kept
 * beside the answers themselves, which only their own caller can reach.
 */
export class GatewayFront {
  private readonly answers: Lru<Kept>;
  /** What each request turned out to be, once it ran: its operation's type and name. */
  private readonly operations: Lru<{ type: string; name: string | null }>;
  private readonly inFlight = new Map<string, Promise<GraphqlAnswer>>();
  private nextSweep = 0;

  constructor(
    private readonly options: FrontOptions,
    /** Told of every request answered here, for logs and metrics. */
    private readonly onAnswer: (
      outcome: FrontOutcome,
      operationName: string | null,
      context: GatewayContext,
      started: number,
    ) => void = () => undefined,
  ) {
    this.answers = new Lru(options.maxEntries, options.maxBytes, weigh);
    this.operations = new Lru(options.maxEntries);
  }

  readonly around = async (request: GraphqlHttpRequest<GatewayContext>, run: () => Promise<GraphqlAnswer>): Promise<GraphqlAnswer> => {
    const { context } = request;
    if (context.debugStats || (!this.options.responseCache && !this.options.coalesce)) return run();
    const started = performance.now();
    const { identity } = context;
    const { headers } = request.req;
    // The headers Apollo Server decides by (CSRF prevention, the response's content type) are part of the request.
    let deciding = '';
    for (const name of DECIDING_HEADERS) deciding += `${headers[name] ?? ''}\n`;
    const key = hash(
      'sha256',
      `${identity.role}\n${identity.sub}\n${identity.agentId ?? ''}\n${request.method}\n${request.search}\n${deciding}${request.bodyText}`,
      'base64url',
    );

    const operation = this.operations.get(key);
    if (this.options.responseCache) {
      const kept = this.answers.get(key);
      if (kept && kept.expiresAt > Date.now()) {
        this.onAnswer('hit', operation?.name ?? null, context, started);
        const { answer } = kept;
        const age = kept.age + Math.floor((Date.now() - kept.storedAt) / 1000);
        return {
          status: answer.status,
          headers: [...answer.headers, ['x-request-id', context.requestId], ['age', String(age)]],
          body: answer.body,
        };
      }
      if (kept) this.answers.delete(key);
    }

    if (this.options.coalesce && operation?.type === 'query') {
      const shared = this.inFlight.get(key);
      if (shared) {
        const answer = await shared;
        this.onAnswer('coalesced', operation.name, context, started);
        return this.forCaller(answer, context);
      }
      const running = run().finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, running);
      const answer = await running;
      this.keep(key, answer);
      return answer;
    }

    const answer = await run();
    if (context.operation.type) this.operations.set(key, { type: context.operation.type, name: context.operation.name });
    this.keep(key, answer);
    return answer;
  };

  private keep(key: string, answer: GraphqlAnswer): void {
    if (!this.options.responseCache || answer.status !== 200 || answer.body.length > this.options.maxAnswerBytes) return;
    const cacheControl = answer.headers.find(([name]) => name === 'cache-control')?.[1];
    const maxAge = cacheControl ? MAX_AGE.exec(cacheControl) : null;
    if (!maxAge) return;
    const age = Number(answer.headers.find(([name]) => name === 'age')?.[1] ?? 0);
    const remaining = Number(maxAge[1]) - age;
    if (remaining <= 0) return;
    const now = Date.now();
    if (now >= this.nextSweep) {
      this.nextSweep = now + SWEEP_MS;
      this.answers.sweep((entry) => entry.expiresAt <= now);
    }
    const kept = {
      ...answer,
      headers: answer.headers.filter(([name]) => name !== 'x-request-id' && name !== 'age'),
      body: ownBytes(answer.body),
    };
    this.answers.set(key, { answer: kept, storedAt: now, expiresAt: now + remaining * 1000, age });
  }

  /** What the kept answers hold now: entries and bytes (as the bound counts them). */
  held(): { entries: number; bytes: number } {
    return { entries: this.answers.size, bytes: this.answers.weight };
  }

  /** The shared answer with this request's own id. */
  private forCaller(answer: GraphqlAnswer, context: GatewayContext): GraphqlAnswer {
    const headers = answer.headers.filter(([name]) => name !== 'x-request-id');
    headers.push(['x-request-id', context.requestId]);
    return { ...answer, headers };
  }
}

/**
 * The body encoded into memory of its own, exactly its size. Buffer.from takes a small buffer from
 * a shared pool slab (64 KiB on Node 26), and one kept answer keeps its whole slab alive: 500 kept
 * answers of a few hundred bytes held 32 MB, growing the heap for as long as the front kept filling
 * (found in bench:soak heap snapshots). Kept answers outlive requests; they must not pin a slab.
 */
export function ownBytes(body: string | Buffer): Buffer {
  const bytes = Buffer.allocUnsafeSlow(typeof body === 'string' ? Buffer.byteLength(body) : body.length);
  if (typeof body === 'string') bytes.write(body);
  else body.copy(bytes);
  return bytes;
}

/**
 * The front plugin: GatewayFront around every execution, with the requests it answers itself logged
 * and counted as Apollo Server's are (access-log.ts, metrics.ts), which never see them.
 */
export function front(
  config: Pick<GatewayConfig, 'responseCache' | 'coalesce' | 'frontCacheMaxMb'>,
  metrics: GatewayMetrics,
  logger: Logger,
): GatewayPlugin {
  const { responseCache, coalesce } = config;
  if (!responseCache && !coalesce) return {};
  const hits = metrics.frontAnswers.labels({ outcome: 'hit' });
  const coalesced = metrics.frontAnswers.labels({ outcome: 'coalesced' });
  const gatewayFront = new GatewayFront(
    { responseCache, coalesce, maxEntries: 500, maxAnswerBytes: 64 * 1024, maxBytes: config.frontCacheMaxMb * 2 ** 20 },
    (outcome, name, context, started) => {
      const durationMs = performance.now() - started;
      metrics.recordRequest(name, 'ok', durationMs / 1000);
      (outcome === 'hit' ? hits : coalesced).inc();
      annotate({ 'bga.front.outcome': outcome });
      if (logger.isLevelEnabled('info')) {
        logger.info(
          {
            requestId: context.requestId,
            operation: name,
            type: 'query',
            outcome: 'ok',
            role: context.identity.role,
            durationMs: Math.round(durationMs * 10) / 10,
            front: outcome,
          },
          'graphql request',
        );
      }
    },
  );
  // The front's own span: whether it answered (hit), shared another execution (coalesced) or ran it (miss).
  return {
    around: (request, run) =>
      withSpan('gateway.front', {}, (span) => {
        span?.setAttribute('bga.front.outcome', 'miss');
        return gatewayFront.around(request, run);
      }),
  };
}
