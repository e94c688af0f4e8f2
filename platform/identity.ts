import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Who is calling, as the gateway verified it. The gateway signs this with IDENTITY_SECRET and every
 * subgraph verifies the signature: a subgraph never trusts a caller that did not come through the
 * gateway (or through another service that holds the secret).
 */
export type Role = 'ANONYMOUS' | 'AGENT' | 'STAFF' | 'ADMIN' | 'SERVICE';
export const ROLES: readonly Role[] = ['ANONYMOUS', 'AGENT', 'STAFF', 'ADMIN', 'SERVICE'];

export interface Identity {
  /** Stable subject: a user id, an agent id, or service:<name>. Never a name or an email. */
  sub: string;
  role: Role;
  /** Set for role AGENT: the agent the caller is. */
  agentId?: string;
}

export const ANONYMOUS: Identity = Object.freeze({ sub: 'anonymous', role: 'ANONYMOUS' });

export const IDENTITY_HEADER = 'x-bga-identity';
export const SIGNATURE_HEADER = 'x-bga-signature';

function mac(secret: string, timestamp: number, payload: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest('base64url');
}

/** Headers that carry `identity`, signed at `now` (ms since the epoch). */
export function signIdentity(identity: Identity, secret: string, now = Date.now()): Record<string, string> {
  const payload = Buffer.from(JSON.stringify({ sub: identity.sub, role: identity.role, agentId: identity.agentId })).toString('base64url');
  return { [IDENTITY_HEADER]: payload, [SIGNATURE_HEADER]: `t=${now},v1=${mac(secret, now, payload)}` };
}

/**
 * signIdentity for a caller that signs for the same identities again and again (the gateway: every
 * subgraph fetch of every request): one identity's signed headers are reused for up to `reuseMs`,
 * well inside the receivers' skew, instead of an HMAC per call. Bounded; returned headers are shared
 * (read only).
 */
export function identitySigner(secret: string, reuseMs = 1_000): (identity: Identity) => Readonly<Record<string, string>> {
  const signed = new Map<string, { at: number; headers: Record<string, string> }>();
  return (identity) => {
    const now = Date.now();
    const key = `${identity.role}\n${identity.sub}\n${identity.agentId ?? ''}`;
    const known = signed.get(key);
    if (known && now - known.at < reuseMs) return known.headers;
    if (signed.size >= 10_000) signed.clear();
    const headers = signIdentity(identity, secret, now);
    signed.set(key, { at: now, headers });
    return headers;
  };
}

export class IdentityError extends Error {}

type HeaderBag = Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The identity in signed headers. Throws IdentityError when the headers are missing, forged, or
 * older (or newer) than maxSkewMs: a captured header cannot be replayed for long.
 */
export function verifyIdentity(headers: HeaderBag, secret: string, maxSkewMs: number, now = Date.now()): Identity {
  const payload = header(headers, IDENTITY_HEADER);
  const signature = header(headers, SIGNATURE_HEADER);
  if (!payload || !signature) throw new IdentityError('missing signed identity');
  const match = /^t=(\d+),v1=([A-Za-z0-9_-]+)$/.exec(signature);
  if (!match) throw new IdentityError('malformed identity signature');
  const timestamp = Number(match[1]);
  if (Math.abs(now - timestamp) > maxSkewMs) throw new IdentityError('identity signature expired');
  const expected = Buffer.from(mac(secret, timestamp, payload));
  const given = Buffer.from(match[2]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new IdentityError('bad identity signature');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new IdentityError('malformed identity');
  }
  const { sub, role, agentId } = parsed as Partial<Identity>;
  if (typeof sub !== 'string' || !ROLES.includes(role as Role)) throw new IdentityError('malformed identity');
  if (role === 'AGENT' && typeof agentId !== 'string') throw new IdentityError('agent identity without agentId');
  return Object.freeze({ sub, role: role as Role, ...(typeof agentId === 'string' ? { agentId } : {}) });
}

/**
 * verifyIdentity for a receiver (a subgraph): a header pair already verified is not verified again
 * (the gateway reuses one signature per identity for a second, over many calls), but its age is
 * checked on every call all the same. Bounded.
 */
export function identityVerifier(secret: string, maxSkewMs: number): (headers: HeaderBag) => Identity {
  const verified = new Map<string, { identity: Identity; timestamp: number }>();
  return (headers) => {
    const payload = header(headers, IDENTITY_HEADER);
    const signature = header(headers, SIGNATURE_HEADER);
    const key = payload && signature ? `${payload}\n${signature}` : undefined;
    const known = key ? verified.get(key) : undefined;
    if (known) {
      if (Math.abs(Date.now() - known.timestamp) > maxSkewMs) throw new IdentityError('identity signature expired');
      return known.identity;
    }
    const identity = verifyIdentity(headers, secret, maxSkewMs);
    if (verified.size >= 10_000) verified.clear();
    verified.set(key!, { identity, timestamp: Number(/^t=(\d+)/.exec(signature!)![1]) });
    return identity;
  };
}

/** The identity a service uses when it calls the supergraph on its own behalf. */
export function serviceIdentity(service: string): Identity {
  return Object.freeze({ sub: `service:${service}`, role: 'SERVICE' as const });
}
