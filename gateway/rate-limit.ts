import type { IncomingMessage } from 'node:http';
import type { Cache } from '../subgraphs/shared/cache';
import { HttpError } from '../subgraphs/shared/http';

/**
 * A per-client rate limit in a fixed window, counted in the shared cache (one Redis key per client
 * and window, INCR with expiry in one script: atomic and Cluster-safe), so every gateway replica
 * counts together. The client is the bearer token's signature (a stand-in for its subject that
 * needs no verification yet) or, without a token, the remote address. An unreachable cache never
 * refuses a request.
 */
export interface RateLimitOptions {
  /** Requests allowed per client per window; 0 turns the limit off. */
  limit: number;
  windowSeconds: number;
}

function clientKey(req: IncomingMessage): string {
  const authorization = req.headers.authorization;
  const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined;
  // The JWT's signature part identifies the token without putting the token itself in a key.
  return token ? `t:${token.split('.').at(-1)?.slice(0, 43)}` : `a:${req.socket.remoteAddress ?? 'unknown'}`;
}

export function rateLimiter(cache: Cache, options: RateLimitOptions): (req: IncomingMessage) => Promise<void> {
  return async (req) => {
    if (options.limit <= 0) return;
    const window = Math.floor(Date.now() / 1000 / options.windowSeconds);
    const count = await cache.incr(`ratelimit:${window}:${clientKey(req)}`, options.windowSeconds + 1);
    if (count !== null && count > options.limit) {
      const retryAfter = Math.max(1, (window + 1) * options.windowSeconds - Math.floor(Date.now() / 1000));
      throw new HttpError(429, 'RATE_LIMITED', `too many requests: at most ${options.limit} per ${options.windowSeconds} s`, { 'retry-after': String(retryAfter) });
    }
  };
}
