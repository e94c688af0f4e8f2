import type { IncomingMessage } from 'node:http';
import { createRemoteJWKSet, errors as joseErrors, type JWTVerifyGetKey, jwtVerify, SignJWT } from 'jose';
import { HttpError } from '../../platform/http';
import { ANONYMOUS, IdentityError, type Identity, IDENTITY_HEADER, type Role, verifyIdentity } from '../../platform/identity';
import type { GatewayPlugin } from './gateway-plugin';

/** Roles a JWT may carry; SERVICE comes only from a signed internal identity header. */
const TOKEN_ROLES: readonly Role[] = ['AGENT', 'STAFF', 'ADMIN'];

/** Algorithms verified against the JWKS. HS256 is never among them: a shared secret is not a published key. */
const JWKS_ALGORITHMS = ['RS256', 'ES256'] as const;

export interface AuthOptions {
  jwtSecret: string;
  jwtIssuer?: string;
  jwtAudience?: string;
  /** RS256/ES256 tokens are verified with the keys published here (config: JWT_JWKS_URL). */
  jwtJwksUrl?: string;
  /**
   * Accept HS256 tokens signed with jwtSecret. The config turns this off in production when a JWKS
   * is configured; left out, it is on only without a JWKS.
   */
  jwtAcceptHs256?: boolean;
  /** Seconds of clock difference tolerated on exp/nbf (config: JWT_CLOCK_SKEW_S, default 30). */
  jwtClockSkewSeconds?: number;
  /**
   * The key-set cache (jose's defaults): a fetched set is used for cacheMaxAgeMs (10 min); a token
   * whose kid is not in it refetches at once unless the last fetch is younger than cooldownMs (30 s),
   * which is how a rotated-in key is picked up without a restart and how a flood of made-up kids is
   * kept from hammering the identity provider. timeoutMs bounds one fetch (5 s).
   */
  jwks?: { cooldownMs?: number; cacheMaxAgeMs?: number; timeoutMs?: number };
  identitySecret: string;
  identityMaxSkewMs: number;
}

const unauthenticated = (reason: string) => new HttpError(401, 'UNAUTHENTICATED', reason);

/**
 * Why a token was refused, in words that carry neither the token nor its claims (this reaches the
 * client, and logs only ever see the code).
 */
function refusal(error: unknown): HttpError {
  if (error instanceof joseErrors.JWTExpired) return unauthenticated('token expired');
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return unauthenticated(error.claim === 'nbf' ? 'token not yet valid' : 'token claims not accepted');
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return unauthenticated('token algorithm not accepted');
  return unauthenticated('invalid token');
}

/**
 * Who is calling: a bearer JWT — RS256/ES256 verified with the keys of JWT_JWKS_URL (production), or
 * HS256 signed with JWT_SECRET (development tokens; refused in production once a JWKS is set) — or,
 * for a subgraph calling the supergraph as itself, an identity header signed with the shared secret
 * and role SERVICE. No credentials at all is ANONYMOUS (public data only). A bad credential is 401
 * UNAUTHENTICATED, never silently anonymous; a key set that cannot be fetched is 503, since the
 * token may well be good.
 */
const VERIFIED_TOKEN_TTL_MS = 60_000;
const VERIFIED_TOKENS_MAX = 10_000;

export function createAuthenticator(options: AuthOptions) {
  const secret = new TextEncoder().encode(options.jwtSecret);
  const acceptHs256 = options.jwtAcceptHs256 ?? !options.jwtJwksUrl;
  const jwks = options.jwtJwksUrl
    ? createRemoteJWKSet(new URL(options.jwtJwksUrl), {
        cooldownDuration: options.jwks?.cooldownMs,
        cacheMaxAge: options.jwks?.cacheMaxAgeMs,
        timeoutDuration: options.jwks?.timeoutMs,
      })
    : undefined;
  // jose checks the header's alg against this list before asking for a key: alg "none", HS256 where
  // it is refused, or RS256 without a JWKS never reach getKey.
  const algorithms = [...(acceptHs256 ? ['HS256'] : []), ...(jwks ? JWKS_ALGORITHMS : [])];
  const getKey: JWTVerifyGetKey = async (header, token) => {
    if (header.alg === 'HS256') return secret;
    try {
      return await jwks!(header, token);
    } catch (error) {
      // No key with that kid even after a refetch (or during the cooldown): a forged or stale token.
      if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys) {
        throw unauthenticated('token signed with an unknown key');
      }
      // Unreachable, slow, non-200 or malformed key set: our problem, not the caller's.
      throw new HttpError(503, 'SERVICE_UNAVAILABLE', 'cannot verify tokens now: the signing key set is unavailable');
    }
  };
  // HS256 tokens verified lately, until their exp but at most a minute: a client sends the same
  // token with every request, and a signature check costs more than the rest of a cached answer.
  // The secret cannot change while the process runs, so the answer would be the same. Tokens of the
  // key set are verified every time: a withdrawn key must stop working at the next refetch.
  // Bounded; the oldest go first.
  const verified = new Map<string, { identity: Identity; until: number }>();
  const remember = (token: string, identity: Identity, exp: number) => {
    verified.set(token, { identity, until: Math.min(exp * 1000, Date.now() + VERIFIED_TOKEN_TTL_MS) });
    if (verified.size > VERIFIED_TOKENS_MAX) verified.delete(verified.keys().next().value!);
  };
  return async function authenticate(req: IncomingMessage): Promise<Identity> {
    if (req.headers[IDENTITY_HEADER]) {
      try {
        const identity = verifyIdentity(req.headers, options.identitySecret, options.identityMaxSkewMs);
        if (identity.role === 'SERVICE') return identity;
      } catch (error) {
        if (!(error instanceof IdentityError)) throw error;
      }
      throw new HttpError(401, 'UNAUTHENTICATED', 'invalid service identity');
    }
    const authorization = req.headers.authorization;
    if (!authorization) return ANONYMOUS;
    // Keyed by the whole header: a remembered token is found before any parsing.
    const known = verified.get(authorization);
    if (known && known.until > Date.now()) return known.identity;
    if (known) verified.delete(authorization);
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(authorization);
    if (!match) throw unauthenticated('Authorization must be "Bearer <jwt>"');
    try {
      const { payload, protectedHeader } = await jwtVerify(match[1], getKey, {
        algorithms,
        issuer: options.jwtIssuer,
        audience: options.jwtAudience,
        clockTolerance: options.jwtClockSkewSeconds ?? 30,
        requiredClaims: ['sub', 'exp'],
      });
      const role = payload.role as Role;
      if (!TOKEN_ROLES.includes(role)) throw unauthenticated('token has no valid role');
      if (role === 'AGENT' && typeof payload.agentId !== 'string') throw unauthenticated('agent token without agentId');
      const identity: Identity = Object.freeze({
        sub: payload.sub!,
        role,
        ...(role === 'AGENT' ? { agentId: payload.agentId as string } : {}),
      });
      if (protectedHeader.alg === 'HS256') remember(authorization, identity, payload.exp!);
      return identity;
    } catch (error) {
      if (error instanceof HttpError) throw error;
      throw refusal(error);
    }
  };
}

/** A development token (HS256), as `npm run token` prints. */
export async function mintDevToken(
  secret: string,
  claims: { sub: string; role: Role; agentId?: string },
  ttlSeconds = 12 * 3600,
): Promise<string> {
  return new SignJWT({ role: claims.role, ...(claims.agentId ? { agentId: claims.agentId } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(new TextEncoder().encode(secret));
}

/** A request's caller, verified once per request (the rate limit asks first, authentication after it). */
export type Identify = (req: IncomingMessage) => Promise<Identity>;

/**
 * The authenticator with its verdict remembered per request: the rate limit keys its count on the
 * verified identity before the body is read, and the authentication plugin answers with the same
 * verdict (the identity, or the 401/503) without verifying the token twice.
 */
export function requestIdentity(options: AuthOptions): Identify {
  const authenticate = createAuthenticator(options);
  const verdicts = new WeakMap<IncomingMessage, Promise<Identity>>();
  return (req) => {
    let verdict = verdicts.get(req);
    if (!verdict) {
      verdict = authenticate(req);
      // A refused request may never reach onContext (a 429 first): its verdict is not an unhandled rejection.
      verdict.catch(() => {});
      verdicts.set(req, verdict);
    }
    return verdict;
  };
}

/** The authentication plugin: every request's context gets its caller's identity, or the request is refused (401, 503). */
export function authentication(options: AuthOptions | Identify): GatewayPlugin {
  const identify = typeof options === 'function' ? options : requestIdentity(options);
  return {
    async onContext(req, context) {
      context.identity = await identify(req);
    },
  };
}
