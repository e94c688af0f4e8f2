import type { IncomingMessage } from 'node:http';
import type { Cache } from '../../platform/cache';
import { HttpError } from '../../platform/http';
import type { Identify } from './authentication';
import type { GatewayPlugin } from './gateway-plugin';

/**
 * A per-client rate limit in a fixed window, counted in the shared cache (one Redis key per client
 * and window, INCRBY with expiry in one script: atomic and Cluster-safe), so every gateway replica
 * counts together. The client is the verified identity (role and subject, once the token's
 * signature and claims are checked: authentication.ts, whose verdict the authentication plugin then
 * reuses) or, for a caller without a valid token, the remote address: a forged, expired or malformed
 * token is counted in its sender's address bucket (and then refused with 401), so minting tokens
 * buys no fresh bucket. An unreachable cache never refuses a request.
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

/** Who a request counts against: `i:<role>:<sub>` for a verified caller, `a:<address>` for anyone else. */
export type ClientOf = (req: IncomingMessage) => Promise<string> | string;

/** The remote address's bucket: callers without a verified identity. */
export const addressOf = (req: IncomingMessage): string => `a:${req.socket.remoteAddress ?? 'unknown'}`;

/**
 * The client of a request from its verified identity: a caller whose credentials do not verify
 * (401 later) or who sent none counts against its address.
 */
export function verifiedClient(identify: Identify): ClientOf {
  return async (req) => {
    try {
      const identity = await identify(req);
      if (identity.role !== 'ANONYMOUS') return `i:${identity.role}:${identity.sub}`;
    } catch {
      // refused by authentication (401/503) once the permit is taken: the address's bucket pays
    }
    return addressOf(req);
  };
}

export function rateLimiter(
  cache: Cache,
  options: RateLimitOptions,
  clientOf: ClientOf = addressOf,
): (req: IncomingMessage) => Promise<void> | void {
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
    const client = clientOf(req);
    return typeof client === 'string' ? take(client) : client.then(take);
  };
}

/**
 * The rate-limit plugin: each request takes a permit before its body is read, or is refused (429),
 * counted against its verified identity (the token is verified here, once per request: `identify`
 * remembers the verdict for the authentication plugin).
 */
export function rateLimit(cache: Cache, options: RateLimitOptions, identify: Identify): GatewayPlugin {
  return options.limit > 0 ? { onRequest: rateLimiter(cache, options, verifiedClient(identify)) } : {};
}
