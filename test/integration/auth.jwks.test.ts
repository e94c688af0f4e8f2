/**
 * Production tokens end to end over real HTTP: the gateway started with JWT_JWKS_URL pointing at a
 * loopback identity provider, an RS256 token reaching data from every subgraph, and a forged one
 * answered 401 UNAUTHENTICATED.
 */
import { SignJWT } from 'jose';
import { DEV_JWT_SECRET } from '../../platform/config';
import { codes, graphql } from '../support/graphql';
import { makeKey, signToken, startJwksServer, type JwksServer, type SigningKey } from '../support/jwks-server';
import { startStack, type Stack } from '../support/stack';

const ISSUER = 'https://idp.example.test/';
const AUDIENCE = 'bga-graph';
const QUERY = '{ cases(first: 2) { edges { node { caseNumber agent { npn } carrier { name } } } } }';

let jwks: JwksServer;
let key: SigningKey;
let stack: Stack;

beforeAll(async () => {
  key = await makeKey('idp-key-1');
  jwks = await startJwksServer(key);
  stack = await startStack({ env: { JWT_JWKS_URL: jwks.url, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE } });
});

afterAll(async () => {
  await stack?.stop();
  await jwks?.stop();
});

describe('RS256 tokens from a JWKS through the gateway', () => {
  it('serves a caller with a token signed by the identity provider', async () => {
    const token = await signToken(key, { sub: 'user:idp-staff', role: 'STAFF', iss: ISSUER, aud: AUDIENCE });
    const response = await graphql(stack.url, QUERY, {}, { token });
    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    const edges = response.data!.cases.edges;
    expect(edges).toHaveLength(2);
    expect(edges[0].node.agent.npn).toMatch(/^\d+$/);
    expect(edges[0].node.carrier.name).toEqual(expect.any(String));
    expect(Object.keys(response.extensions!.stats).sort()).toEqual(['agents', 'carriers', 'cases']);
    // Outside production HS256 development tokens keep working beside the JWKS (same iss/aud rules).
    const dev = await new SignJWT({ role: 'STAFF' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('user:dev-staff')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(DEV_JWT_SECRET));
    expect((await graphql(stack.url, QUERY, {}, { token: dev })).errors).toBeUndefined();
  });

  it('answers a forged token with 401 UNAUTHENTICATED', async () => {
    const impostor = await makeKey('idp-key-1');
    const forged = await signToken(impostor, { sub: 'user:intruder', role: 'ADMIN', iss: ISSUER, aud: AUDIENCE });
    const response = await graphql(stack.url, QUERY, {}, { token: forged });
    expect(response.status).toBe(401);
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.data).toBeUndefined();
    expect(JSON.stringify(response)).not.toContain('intruder');
  });
});
