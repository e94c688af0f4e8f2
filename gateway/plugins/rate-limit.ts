import type { IncomingMessage } from 'node:http';
import type { Cache } from '../../platform/cache';
import { HttpError } from '../../platform/http';
import type { GatewayPlugin } from './gateway-plugin';

/**
 * A per-client rate limit in a fixed window, counted in the shared cache (one Redis key per client
 * and window, INCRBY with expiry in one script: atomic and Cluster-safe), so every gateway replica
 * counts together. The client is the bearer token's signature (a stand-in for its subject that
 * needs no verification yet) or, without a token, the remote address. An unreachable cache never
 * refuses a request.
 *
 * Permits are taken from Redis in leases, not one round trip per request: a process that needs a
 * permit for a client adds a lease's worth to the client's count at once (1 % of the limit, at least
 * one, at most 1,000) and hands the permits out locally until they run out. The count in Redis is
 * never below what was served, so the limit is never exceeded; a lease's unused permits are lost at
 * the window's end, so a client may be refused up to one lease per gateway process early (a limit
 * below 200 has leases of one: exact). Once the count has passed the limit the window is over for
 * that client in this process, without asking Redis again: a flooding client costs no round trips.
 */
export interface RateLimitOptions {
  /** Requests allowed per client per window; 0 turns the limit off. */
  limit: number;
  windowSeconds: number;
}

/** Clients tracked per process in one window; past it the leases are forgotten (safe: only more round trips). */
const MAX_CLIENTS = 10_000;
const LEASE_SHARE = 0.01;
const MAX_LEASE = 1_000;

interface Permits {
  /** Permits of this process's leases not handed out yet. */
  left: number;
  /** The client's count has passed the limit in this window. */
  over: boolean;
  /** A lease being taken: requests arriving meanwhile wait for it rather than take their own. */
  leasing?: Promise<void>;
}

function clientKey(req: IncomingMessage): string {
  const authorization = req.headers.authorization;
  const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined;
  // The JWT's signature part identifies the token without putting the token itself in a key.
  if (!token) return `a:${req.socket.remoteAddress ?? 'unknown'}`;
  const signature = token.lastIndexOf('.') + 1;
  return `t:${token.slice(signature, signature + 43)}`;
}

export function rateLimiter(cache: Cache, options: RateLimitOptions): (req: IncomingMessage) => Promise<void> | void {
  const leaseSize = Math.min(MAX_LEASE, Math.max(1, Math.floor(options.limit * LEASE_SHARE)));
  let window = -1;
  let clients = new Map<string, Permits>();

  const refuse = () => {
    const retryAfter = Math.max(1, (window + 1) * options.windowSeconds - Math.floor(Date.now() / 1000));
    return new HttpError(429, 'RATE_LIMITED', `too many requests: at most ${options.limit} per ${options.windowSeconds} s`, {
      'retry-after': String(retryAfter),
    });
  };

  async function lease(client: string, permits: Permits, leaseWindow: number): Promise<void> {
    const count = await cache.incr(`ratelimit:${leaseWindow}:${client}`, options.windowSeconds + 1, leaseSize);
    if (leaseWindow !== window) return; // the window turned meanwhile: this lease counts for nothing now
    // Unreachable cache: the permits are granted here (never refuse for our own outage).
    if (count === null) permits.left += leaseSize;
    else {
      // Of this lease, what still fits under the limit (the count includes every process's leases).
      const granted = Math.max(0, Math.min(leaseSize, options.limit - (count - leaseSize)));
      permits.left += granted;
      // No later lease of this window can grant anything: refuse locally once these run out.
      permits.over = count >= options.limit;
    }
  }

  /** One permit for the client, or a 429. Synchronous while the process holds permits for it. */
  function take(client: string): Promise<void> | void {
    const now = Math.floor(Date.now() / 1000 / options.windowSeconds);
    if (now !== window || clients.size > MAX_CLIENTS) {
      window = now;
      clients = new Map();
    }
    let permits = clients.get(client);
    if (!permits) clients.set(client, (permits = { left: 0, over: false }));
    if (permits.left > 0) {
      permits.left--;
      return;
    }
    if (permits.over) throw refuse();
    const current = permits;
    current.leasing ??= lease(client, current, window).finally(() => (current.leasing = undefined));
    return current.leasing.then(() => take(client));
  }

  return (req) => {
    if (options.limit <= 0) return;
    return take(clientKey(req));
  };
}

/** The rate-limit plugin: each request takes a permit before its body is read, or is refused (429). */
export function rateLimit(cache: Cache, options: RateLimitOptions): GatewayPlugin {
  return options.limit > 0 ? { onRequest: rateLimiter(cache, options) } : {};
}
