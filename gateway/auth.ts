import type { IncomingMessage } from 'node:http';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { HttpError } from '../subgraphs/shared/http';
import { ANONYMOUS, IdentityError, type Identity, IDENTITY_HEADER, type Role, verifyIdentity } from '../subgraphs/shared/identity';

/** Roles a JWT may carry; SERVICE comes only from a signed internal identity header. */
const TOKEN_ROLES: readonly Role[] = ['AGENT', 'STAFF', 'ADMIN'];

export interface AuthOptions {
  jwtSecret: string;
  jwtIssuer?: string;
  jwtAudience?: string;
  identitySecret: string;
  identityMaxSkewMs: number;
  /** Seconds of clock difference tolerated on exp/nbf (default 30). */
  clockToleranceSeconds?: number;
}

/**
 * Who is calling: a bearer JWT (HS256 development tokens; RS256/JWKS comes with the gateway issue),
 * or — for a subgraph calling the supergraph as itself — an identity header signed with the shared
 * secret and role SERVICE. No credentials at all is ANONYMOUS (public data only). A bad credential
 * is 401 UNAUTHENTICATED, never silently anonymous.
 */
export function createAuthenticator(options: AuthOptions) {
  const key = new TextEncoder().encode(options.jwtSecret);
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
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(authorization);
    if (!match) throw new HttpError(401, 'UNAUTHENTICATED', 'Authorization must be "Bearer <jwt>"');
    try {
      const { payload } = await jwtVerify(match[1], key, {
        algorithms: ['HS256'],
        issuer: options.jwtIssuer,
        audience: options.jwtAudience,
        clockTolerance: options.clockToleranceSeconds ?? 30,
        requiredClaims: ['sub', 'exp'],
      });
      const role = payload.role as Role;
      if (!TOKEN_ROLES.includes(role)) throw new HttpError(401, 'UNAUTHENTICATED', 'token has no valid role');
      if (role === 'AGENT' && typeof payload.agentId !== 'string') throw new HttpError(401, 'UNAUTHENTICATED', 'agent token without agentId');
      return Object.freeze({ sub: payload.sub!, role, ...(role === 'AGENT' ? { agentId: payload.agentId as string } : {}) });
    } catch (error) {
      if (error instanceof HttpError) throw error;
      const reason = error instanceof joseErrors.JWTExpired ? 'token expired' : 'invalid token';
      throw new HttpError(401, 'UNAUTHENTICATED', reason);
    }
  };
}

/** A development token (HS256), as `npm run token` prints. */
export async function mintDevToken(secret: string, claims: { sub: string; role: Role; agentId?: string }, ttlSeconds = 12 * 3600): Promise<string> {
  return new SignJWT({ role: claims.role, ...(claims.agentId ? { agentId: claims.agentId } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(new TextEncoder().encode(secret));
}
