/**
 * The REST carriers' OAuth2 authorization server, reduced to what the adapters meet in real life:
 * opaque bearer tokens that expire, can be revoked, and are checked on every API call.
 */
import { randomBytes } from 'node:crypto';

export class TokenIssuer {
  private readonly expiries = new Map<string, number>();

  constructor(
    private ttlSeconds: number,
    private readonly now: () => number,
  ) {}

  get lifetimeSeconds(): number {
    return this.ttlSeconds;
  }

  setTtl(seconds: number): void {
    if (!(seconds > 0)) throw new RangeError('token lifetime must be positive');
    this.ttlSeconds = seconds;
  }

  issue(): { accessToken: string; expiresIn: number } {
    this.forgetExpired();
    const accessToken = randomBytes(24).toString('base64url');
    this.expiries.set(accessToken, this.now() + this.ttlSeconds * 1000);
    return { accessToken, expiresIn: this.ttlSeconds };
  }

  /** True for a token this server issued that has neither expired nor been revoked. */
  isValid(token: string | null): boolean {
    if (!token) return false;
    const expiresAt = this.expiries.get(token);
    return expiresAt !== undefined && expiresAt > this.now();
  }

  /** Every token issued so far stops working, as when a carrier rotates its signing keys. */
  revokeAll(): void {
    this.expiries.clear();
  }

  // Tokens are issued all day long: the map must not grow without bound.
  private forgetExpired(): void {
    const now = this.now();
    for (const [token, expiresAt] of this.expiries) if (expiresAt <= now) this.expiries.delete(token);
  }
}
