/**
 * Production authentication: RS256/ES256 tokens verified with the keys of a JWKS URL, served by a
 * real HTTP server on loopback. Covers key rotation (and jose's refetch cooldown), exp/nbf with the
 * configured clock skew, issuer and audience, forged and malformed tokens, alg "none", and the rule
 * that HS256 development tokens are refused in production once a JWKS is configured.
 */
import type { IncomingMessage } from 'node:http';
import { base64url } from 'jose';
import { type AuthOptions, createAuthenticator, mintDevToken } from '../authentication';
import { readGatewayConfig } from '../../gateway.config';
import { HttpError } from '../../../platform/http';
import { DEV_JWT_SECRET } from '../../../platform/config';
import { makeKey, signToken, startJwksServer, type JwksServer, type SigningKey } from '../../../test/support/jwks-server';

const ISSUER = 'https://idp.example.test/';
const AUDIENCE = 'bga-graph';
const now = () => Math.floor(Date.now() / 1000);
const request = (token?: string) => ({ headers: token ? { authorization: `Bearer ${token}` } : {} }) as IncomingMessage;

/** The refusal an authentication ended with: status, code and message (or 'accepted'). */
async function outcome(authenticate: (req: IncomingMessage) => Promise<unknown>, token: string) {
  try {
    await authenticate(request(token));
    return 'accepted';
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return { status: error.status, code: error.code, message: error.message };
  }
}
const refused = (message: string) => ({ status: 401, code: 'UNAUTHENTICATED', message });

let jwks: JwksServer;
let keyA: SigningKey;
let keyB: SigningKey;
let ecKey: SigningKey;

beforeAll(async () => {
  [keyA, keyB, ecKey] = await Promise.all([makeKey('key-a'), makeKey('key-b'), makeKey('key-ec', 'ES256')]);
  jwks = await startJwksServer(keyA, ecKey);
});
afterAll(() => jwks?.stop());
beforeEach(() => {
  jwks.publish(keyA, ecKey);
  jwks.mode = 'ok';
});

const base = (overrides: Partial<AuthOptions> = {}): AuthOptions => ({
  jwtSecret: DEV_JWT_SECRET,
  jwtJwksUrl: jwks.url,
  jwtAcceptHs256: true, // as outside production
  identitySecret: 'identity-secret-for-tests',
  identityMaxSkewMs: 60_000,
  ...overrides,
});

describe('JWKS authentication', () => {
  it('accepts RS256 and ES256 tokens and maps their claims to the same identities as HS256 tokens', async () => {
    const authenticate = createAuthenticator(base());
    expect(await authenticate(request(await signToken(keyA, { sub: 'user:s1', role: 'STAFF' })))).toEqual({
      sub: 'user:s1',
      role: 'STAFF',
    });
    expect(await authenticate(request(await signToken(ecKey, { sub: 'user:a1', role: 'ADMIN' })))).toEqual({
      sub: 'user:a1',
      role: 'ADMIN',
    });
    const agent = await authenticate(request(await signToken(keyA, { sub: 'user:agt_0013', role: 'AGENT', agentId: 'agt_0013' })));
    expect(agent).toEqual({ sub: 'user:agt_0013', role: 'AGENT', agentId: 'agt_0013' });
    expect(Object.isFrozen(agent)).toBe(true);
    // Same claims as a development token: same identity.
    const dev = await mintDevToken(DEV_JWT_SECRET, { sub: 'user:agt_0013', role: 'AGENT', agentId: 'agt_0013' });
    expect(await authenticate(request(dev))).toEqual(agent);
    expect(await authenticate(request())).toEqual({ sub: 'anonymous', role: 'ANONYMOUS' });
  });

  it('refuses tokens without a usable role, an agent without agentId, and SERVICE from a token', async () => {
    const authenticate = createAuthenticator(base());
    expect(await outcome(authenticate, await signToken(keyA, {}))).toEqual(refused('token has no valid role'));
    expect(await outcome(authenticate, await signToken(keyA, { role: 'SERVICE' }))).toEqual(refused('token has no valid role'));
    expect(await outcome(authenticate, await signToken(keyA, { role: 'AGENT' }))).toEqual(refused('agent token without agentId'));
  });

  it('picks up a rotated-in key without a restart and refuses the old one once it is withdrawn', async () => {
    const authenticate = createAuthenticator(base({ jwks: { cooldownMs: 0 } }));
    const oldToken = await signToken(keyA, { role: 'STAFF' });
    const fetchesBefore = jwks.fetches;
    expect(await outcome(authenticate, oldToken)).toBe('accepted');
    expect(jwks.fetches).toBe(fetchesBefore + 1);
    // Rotation, step 1: the new key is published beside the old one.
    jwks.publish(keyA, keyB);
    expect(await outcome(authenticate, await signToken(keyB, { role: 'STAFF' }))).toBe('accepted');
    expect(jwks.fetches).toBe(fetchesBefore + 2); // unknown kid: one refetch
    expect(await outcome(authenticate, oldToken)).toBe('accepted');
    expect(jwks.fetches).toBe(fetchesBefore + 2); // both keys cached now
    // Step 2: the old key is withdrawn (and a next one published). The cached set still holds the old
    // key until something makes the gateway refetch (an unknown kid, or the cache's max age, below);
    // after that the old token is refused.
    const newer = await makeKey('key-c');
    jwks.publish(keyB, newer);
    expect(await outcome(authenticate, await signToken(newer, { role: 'STAFF' }))).toBe('accepted');
    expect(await outcome(authenticate, oldToken)).toEqual(refused('token signed with an unknown key'));
    expect(await outcome(authenticate, await signToken(keyB, { role: 'STAFF' }))).toBe('accepted');
  });

  it('refuses an old key once the cache expires and the refetched set no longer has it', async () => {
    const authenticate = createAuthenticator(base({ jwks: { cooldownMs: 0, cacheMaxAgeMs: 100 } }));
    const oldToken = await signToken(keyA, { role: 'STAFF' });
    expect(await outcome(authenticate, oldToken)).toBe('accepted');
    jwks.publish(keyB);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await outcome(authenticate, oldToken)).toEqual(refused('token signed with an unknown key'));
    expect(await outcome(authenticate, await signToken(keyB, { role: 'STAFF' }))).toBe('accepted');
  });

  it('refetches for unknown kids at most once per cooldown, so made-up kids cannot hammer the identity provider', async () => {
    const authenticate = createAuthenticator(base({ jwks: { cooldownMs: 300 } }));
    expect(await outcome(authenticate, await signToken(keyA, { role: 'STAFF' }))).toBe('accepted');
    const fetches = jwks.fetches;
    jwks.publish(keyA, keyB);
    const rotated = await signToken(keyB, { role: 'STAFF' });
    // Within the cooldown the new kid is not looked up: refused, no fetch.
    expect(await outcome(authenticate, rotated)).toEqual(refused('token signed with an unknown key'));
    for (let i = 0; i < 20; i++) {
      expect(await outcome(authenticate, await signToken(keyA, { role: 'STAFF' }, { kid: `made-up-${i}` }))).toEqual(
        refused('token signed with an unknown key'),
      );
    }
    expect(jwks.fetches).toBe(fetches);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await outcome(authenticate, rotated)).toBe('accepted');
    expect(jwks.fetches).toBe(fetches + 1);
  });

  it('refuses expired and not-yet-valid tokens, within JWT_CLOCK_SKEW_S tolerance only', async () => {
    const authenticate = createAuthenticator(readGatewayConfig({ JWT_JWKS_URL: jwks.url, JWT_CLOCK_SKEW_S: '30' }));
    const at = now();
    expect(await outcome(authenticate, await signToken(keyA, { role: 'STAFF', iat: at - 600, exp: at - 20 }))).toBe('accepted');
    expect(await outcome(authenticate, await signToken(keyA, { role: 'STAFF', iat: at - 600, exp: at - 40 }))).toEqual(
      refused('token expired'),
    );
    expect(await outcome(authenticate, await signToken(keyA, { role: 'STAFF', iat: at - 7200, exp: at - 3600 }))).toEqual(
      refused('token expired'),
    );
    expect(await outcome(authenticate, await signToken(keyA, { role: 'STAFF', nbf: at + 20 }))).toBe('accepted');
    expect(await outcome(authenticate, await signToken(keyA, { role: 'STAFF', nbf: at + 40 }))).toEqual(refused('token not yet valid'));
    // A tighter skew from the configuration applies.
    const strict = createAuthenticator(readGatewayConfig({ JWT_JWKS_URL: jwks.url, JWT_CLOCK_SKEW_S: '5' }));
    expect(await outcome(strict, await signToken(keyA, { role: 'STAFF', iat: at - 600, exp: at - 20 }))).toEqual(refused('token expired'));
    expect(await outcome(strict, await signToken(keyA, { role: 'STAFF', nbf: at + 20 }))).toEqual(refused('token not yet valid'));
  });

  it('checks the issuer and the audience when configured', async () => {
    const authenticate = createAuthenticator(base({ jwtIssuer: ISSUER, jwtAudience: AUDIENCE }));
    expect(await outcome(authenticate, await signToken(keyA, { role: 'STAFF', iss: ISSUER, aud: AUDIENCE }))).toBe('accepted');
    for (const claims of [
      { iss: 'https://other-tenant.example.test/', aud: AUDIENCE },
      { iss: ISSUER, aud: 'another-app' },
      { aud: AUDIENCE },
      { iss: ISSUER },
    ]) {
      expect(await outcome(authenticate, await signToken(keyA, { role: 'STAFF', ...claims }))).toEqual(
        refused('token claims not accepted'),
      );
    }
  });

  it('refuses forged, tampered, unknown-kid, malformed and alg "none" tokens', async () => {
    const authenticate = createAuthenticator(base());
    const good = await signToken(keyA, { role: 'STAFF' });
    // Signed by someone else's key that claims our kid.
    const impostor = await makeKey('key-a');
    expect(await outcome(authenticate, await signToken(impostor, { role: 'ADMIN' }))).toEqual(refused('invalid token'));
    // Our signature over a payload promoted to ADMIN.
    const [header, payload, signature] = good.split('.');
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload)));
    const promoted = base64url.encode(JSON.stringify({ ...claims, role: 'ADMIN' }));
    expect(await outcome(authenticate, `${header}.${promoted}.${signature}`)).toEqual(refused('invalid token'));
    // A signature cut short.
    expect(await outcome(authenticate, `${good.slice(0, -4)}AAAA`)).toEqual(refused('invalid token'));
    // A kid nobody published.
    expect(await outcome(authenticate, await signToken(keyB, { role: 'STAFF' }))).toEqual(refused('token signed with an unknown key'));
    // alg "none": no signature at all.
    const none = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
    expect(await outcome(authenticate, `${none}.${promoted}.`)).toEqual(refused('token algorithm not accepted'));
    // An algorithm we do not verify, and HMAC "signed" with our public key (algorithm confusion).
    const hs512 = base64url.encode(JSON.stringify({ alg: 'HS512', kid: 'key-a' }));
    expect(await outcome(authenticate, `${hs512}.${promoted}.${signature}`)).toEqual(refused('token algorithm not accepted'));
    const { createHmac } = await import('node:crypto');
    const hs256 = base64url.encode(JSON.stringify({ alg: 'HS256', kid: 'key-a' }));
    const confused = createHmac('sha256', JSON.stringify(keyA.jwk)).update(`${hs256}.${promoted}`).digest('base64url');
    expect(await outcome(authenticate, `${hs256}.${promoted}.${confused}`)).toEqual(refused('invalid token'));
    // Not a JWT.
    for (const junk of ['abc.def.ghi', `${header}.${payload}`, 'e30.e30.e30']) {
      expect((await outcome(authenticate, junk)) as object).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    }
    const notBearer = await authenticate({ headers: { authorization: `Basic ${good}` } } as IncomingMessage).catch(
      (error: HttpError) => error,
    );
    expect(notBearer).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it('never puts the token or its claims in a refusal', async () => {
    const authenticate = createAuthenticator(base({ jwtIssuer: ISSUER, jwtAudience: AUDIENCE }));
    const at = now();
    const secretSub = 'user:very-identifying-subject';
    const tokens = [
      await signToken(keyA, { sub: secretSub, role: 'STAFF', iss: 'https://evil.example.test/', aud: AUDIENCE }),
      await signToken(keyA, { sub: secretSub, role: 'STAFF', iss: ISSUER, aud: 'leaky-audience' }),
      await signToken(keyA, { sub: secretSub, role: 'WIZARD', iss: ISSUER, aud: AUDIENCE }),
      await signToken(keyA, { sub: secretSub, role: 'STAFF', iss: ISSUER, aud: AUDIENCE, exp: at - 3600, iat: at - 7200 }),
      await signToken(keyB, { sub: secretSub, role: 'STAFF', iss: ISSUER, aud: AUDIENCE }),
    ];
    for (const token of tokens) {
      const result = await outcome(authenticate, token);
      expect(result).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
      const text = JSON.stringify(result);
      for (const leak of [secretSub, 'evil', 'leaky', 'WIZARD', ...token.split('.').filter(Boolean)]) expect(text).not.toContain(leak);
    }
  });

  it('answers 503 SERVICE_UNAVAILABLE, not 401, when the key set cannot be fetched', async () => {
    const token = await signToken(keyA, { role: 'STAFF' });
    const unavailable = {
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
      message: 'cannot verify tokens now: the signing key set is unavailable',
    };
    jwks.mode = 'error';
    expect(await outcome(createAuthenticator(base()), token)).toEqual(unavailable);
    jwks.mode = 'hang';
    expect(await outcome(createAuthenticator(base({ jwks: { timeoutMs: 200 } })), token)).toEqual(unavailable);
    expect(await outcome(createAuthenticator(base({ jwtJwksUrl: 'http://127.0.0.1:1/jwks.json' })), token)).toEqual(unavailable);
  });
});

describe('HS256 development tokens beside a JWKS', () => {
  const production = () => ({
    NODE_ENV: 'production',
    JWT_JWKS_URL: jwks.url,
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
    IDENTITY_SECRET: 'a-real-identity-secret',
  });

  it('are accepted outside production, with or without a JWKS', async () => {
    const dev = await mintDevToken(DEV_JWT_SECRET, { sub: 'user:dev', role: 'STAFF' });
    expect(await outcome(createAuthenticator(readGatewayConfig({ JWT_JWKS_URL: jwks.url })), dev)).toBe('accepted');
    expect(await outcome(createAuthenticator(readGatewayConfig({})), dev)).toBe('accepted');
    // Without a JWKS, RS256 is not an accepted algorithm at all.
    expect(await outcome(createAuthenticator(readGatewayConfig({})), await signToken(keyA, { role: 'STAFF' }))).toEqual(
      refused('token algorithm not accepted'),
    );
  });

  it('are refused in production with a JWKS, whatever secret signed them; RS256 is accepted', async () => {
    const config = readGatewayConfig({ ...production(), JWT_SECRET: 'a-real-jwt-secret' });
    expect(config.jwtAcceptHs256).toBe(false);
    const authenticate = createAuthenticator(config);
    for (const secret of ['a-real-jwt-secret', DEV_JWT_SECRET]) {
      const hs256 = await mintDevToken(secret, { sub: 'user:dev', role: 'ADMIN' });
      expect(await outcome(authenticate, hs256)).toEqual(refused('token algorithm not accepted'));
    }
    expect(await outcome(authenticate, await signToken(keyA, { role: 'STAFF', iss: ISSUER, aud: AUDIENCE }))).toBe('accepted');
  });

  it('are still the production tokens when no JWKS is configured (with a real JWT_SECRET)', async () => {
    const config = readGatewayConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'a-real-jwt-secret',
      IDENTITY_SECRET: 'a-real-identity-secret',
    });
    expect(config.jwtAcceptHs256).toBe(true);
    expect(await outcome(createAuthenticator(config), await mintDevToken('a-real-jwt-secret', { sub: 'user:x', role: 'STAFF' }))).toBe(
      'accepted',
    );
  });
});

describe('JWT configuration', () => {
  it('defaults: no JWKS, HS256 accepted, 30 s of clock skew; frozen', () => {
    const config = readGatewayConfig({});
    expect(config).toMatchObject({
      jwtJwksUrl: undefined,
      jwtAcceptHs256: true,
      jwtClockSkewSeconds: 30,
      jwtIssuer: undefined,
      jwtAudience: undefined,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names the variable when a value is bad', () => {
    const production = { NODE_ENV: 'production', IDENTITY_SECRET: 'a-real-identity-secret', JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE };
    expect(() => readGatewayConfig({ JWT_CLOCK_SKEW_S: 'half a minute' })).toThrow(/JWT_CLOCK_SKEW_S must be a whole number/);
    expect(() => readGatewayConfig({ JWT_CLOCK_SKEW_S: '-1' })).toThrow(/JWT_CLOCK_SKEW_S must be at least 0/);
    expect(() => readGatewayConfig({ JWT_CLOCK_SKEW_S: '3600' })).toThrow(/JWT_CLOCK_SKEW_S must be at most 300/);
    expect(() => readGatewayConfig({ JWT_JWKS_URL: 'not a url' })).toThrow(/JWT_JWKS_URL must be a URL/);
    expect(() => readGatewayConfig({ JWT_JWKS_URL: 'file:///etc/jwks.json' })).toThrow(/JWT_JWKS_URL must be an http\(s\) URL/);
    expect(() => readGatewayConfig({ ...production, JWT_JWKS_URL: 'http://idp.internal/jwks.json' })).toThrow(
      /JWT_JWKS_URL must be an https URL/,
    );
    expect(() => readGatewayConfig({ ...production, JWT_ISSUER: '', JWT_JWKS_URL: 'https://idp.example.test/jwks.json' })).toThrow(
      /JWT_ISSUER is required/,
    );
    expect(() => readGatewayConfig({ ...production, JWT_AUDIENCE: '', JWT_JWKS_URL: 'https://idp.example.test/jwks.json' })).toThrow(
      /JWT_AUDIENCE is required/,
    );
    // Production without a JWKS still needs a real JWT_SECRET; with one, JWT_SECRET is not used.
    expect(() => readGatewayConfig(production)).toThrow(/JWT_SECRET must be set/);
    expect(readGatewayConfig({ ...production, JWT_JWKS_URL: 'https://idp.example.test/jwks.json' }).jwtAcceptHs256).toBe(false);
    expect(readGatewayConfig({ ...production, JWT_JWKS_URL: 'http://127.0.0.1:8080/jwks.json' }).jwtJwksUrl).toBe(
      'http://127.0.0.1:8080/jwks.json',
    );
  });
});
