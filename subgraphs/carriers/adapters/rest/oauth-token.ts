/**
 * An OAuth2 client-credentials access token, held in this process's memory until shortly before it
 * expires (a token is a credential: it never goes to the shared cache or a log). Concurrent callers
 * share one token request, and a caller whose deadline passes stops waiting without cancelling the
 * request the others still wait on.
 */
import type { CallOptions } from '../carrier-adapter.port';
import { untilAborted } from '../wire';

export interface TokenGrant {
  accessToken: string;
  expiresInSeconds: number;
}

export interface TokenSourceOptions {
  /** Deadline of the shared token request itself (it outlives any one caller's signal). */
  requestTimeoutMs: number;
  now?: () => number;
}

/** Refresh this long before expiry (a tenth of the lifetime, at most 30 s), so a token never dies in flight. */
const refreshMarginMs = (lifetimeMs: number) => Math.min(30_000, lifetimeMs / 10);

export class OAuthTokenSource {
  private held: { token: string; refreshAt: number } | null = null;
  private pending: Promise<string> | null = null;
  private readonly now: () => number;

  constructor(
    /** Makes one token request; counting it is the caller's business. */
    private readonly requestToken: (signal: AbortSignal) => Promise<TokenGrant>,
    private readonly options: TokenSourceOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** The held token while it is fresh; otherwise one new request, shared by everyone asking meanwhile. */
  get(options: CallOptions): Promise<string> {
    if (this.held && this.now() < this.held.refreshAt) return Promise.resolve(this.held.token);
    if (!this.pending) {
      options.onNetworkCall?.('token');
      this.pending = this.requestToken(AbortSignal.timeout(this.options.requestTimeoutMs))
        .then((grant) => {
          const lifetimeMs = grant.expiresInSeconds * 1000;
          this.held = { token: grant.accessToken, refreshAt: this.now() + lifetimeMs - refreshMarginMs(lifetimeMs) };
          return grant.accessToken;
        })
        .finally(() => {
          this.pending = null;
        });
    }
    return untilAborted(this.pending, options.signal, 'token');
  }

  /** Forgets a token the carrier refused; a newer one fetched meanwhile by someone else is kept. */
  invalidate(token: string): void {
    if (this.held?.token === token) this.held = null;
  }
}
