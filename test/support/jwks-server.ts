/**
 * An identity provider's key set for tests: a real HTTP server on loopback serving a JWKS that a
 * test can rotate, break or slow down, with keys made by jose and tokens signed with them.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, type KeyLike, SignJWT } from 'jose';

export interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: KeyLike;
  jwk: JWK;
}

export async function makeKey(kid: string, alg: 'RS256' | 'ES256' = 'RS256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export interface TokenClaims {
  sub?: string;
  role?: string;
  agentId?: string;
  iss?: string;
  aud?: string;
  /** Seconds since the epoch; default an hour from now. */
  exp?: number;
  nbf?: number;
  iat?: number;
}

/** A token signed with `key` (header kid = key.kid unless `kid` says otherwise). */
export async function signToken(key: SigningKey, claims: TokenClaims, header: { kid?: string } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const { sub = 'user:idp-staff', exp = now + 3600, iat = now, iss, aud, nbf, ...rest } = claims;
  const jwt = new SignJWT({ ...rest })
    .setProtectedHeader({ alg: key.alg, typ: 'JWT', kid: header.kid ?? key.kid })
    .setSubject(sub)
    .setIssuedAt(iat)
    .setExpirationTime(exp);
  if (iss) jwt.setIssuer(iss);
  if (aud) jwt.setAudience(aud);
  if (nbf !== undefined) jwt.setNotBefore(nbf);
  return jwt.sign(key.privateKey);
}

export interface JwksServer {
  url: string;
  /** GET requests served so far: how often the gateway fetched the key set. */
  readonly fetches: number;
  /** Publish exactly these keys from now on. */
  publish(...keys: SigningKey[]): void;
  /** 'ok' (the JWKS), 'error' (500), 'hang' (never answers). */
  mode: 'ok' | 'error' | 'hang';
  stop(): Promise<void>;
}

export async function startJwksServer(...keys: SigningKey[]): Promise<JwksServer> {
  let published = keys;
  let fetches = 0;
  const state = { mode: 'ok' as JwksServer['mode'] };
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((_req, res) => {
    fetches += 1;
    if (state.mode === 'hang') return void hanging.add(res);
    if (state.mode === 'error') return void res.writeHead(500).end('boom');
    const body = JSON.stringify({ keys: published.map((key) => key.jwk) });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    get fetches() {
      return fetches;
    },
    publish: (...next) => void (published = next),
    get mode() {
      return state.mode;
    },
    set mode(mode) {
      state.mode = mode;
    },
    async stop() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
