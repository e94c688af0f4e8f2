import {
  IdentityError,
  identitySigner,
  identityVerifier,
  signIdentity,
  verifyIdentity,
  IDENTITY_HEADER,
  SIGNATURE_HEADER,
} from '../identity';

const SECRET = 'test-secret';
const NOW = 1_760_000_000_000;

describe('signed identity headers', () => {
  it('round-trips an agent identity', () => {
    const headers = signIdentity({ sub: 'user:agt_0013', role: 'AGENT', agentId: 'agt_0013' }, SECRET, NOW);
    expect(verifyIdentity(headers, SECRET, 60_000, NOW + 1_000)).toEqual({ sub: 'user:agt_0013', role: 'AGENT', agentId: 'agt_0013' });
  });

  it('refuses a missing, forged, tampered or stale signature', () => {
    const headers = signIdentity({ sub: 'u', role: 'STAFF' }, SECRET, NOW);
    expect(() => verifyIdentity({}, SECRET, 60_000, NOW)).toThrow(IdentityError);
    expect(() => verifyIdentity(headers, 'other-secret', 60_000, NOW)).toThrow('bad identity signature');
    const elevated = Buffer.from(JSON.stringify({ sub: 'u', role: 'ADMIN' })).toString('base64url');
    expect(() => verifyIdentity({ ...headers, [IDENTITY_HEADER]: elevated }, SECRET, 60_000, NOW)).toThrow('bad identity signature');
    expect(() => verifyIdentity(headers, SECRET, 60_000, NOW + 61_000)).toThrow('expired');
    expect(() => verifyIdentity({ ...headers, [SIGNATURE_HEADER]: 'nonsense' }, SECRET, 60_000, NOW)).toThrow('malformed');
  });

  it('refuses an agent identity without agentId even when signed', () => {
    const headers = signIdentity({ sub: 'u', role: 'AGENT' }, SECRET, NOW);
    expect(() => verifyIdentity(headers, SECRET, 60_000, NOW)).toThrow('agentId');
  });
});

describe('reused signatures (gateway) and remembered verifications (subgraphs)', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('signs an identity once per reuse period, and each identity on its own', async () => {
    const sign = identitySigner(SECRET, 40);
    const staff = { sub: 'u1', role: 'STAFF' as const };
    const first = sign(staff);
    expect(sign({ ...staff })).toBe(first);
    const agent = sign({ sub: 'user:agt_1', role: 'AGENT', agentId: 'agt_1' });
    expect(agent[IDENTITY_HEADER]).not.toBe(first[IDENTITY_HEADER]);
    expect(verifyIdentity(agent, SECRET, 60_000)).toEqual({ sub: 'user:agt_1', role: 'AGENT', agentId: 'agt_1' });
    await sleep(60);
    const later = sign(staff);
    expect(later[SIGNATURE_HEADER]).not.toBe(first[SIGNATURE_HEADER]);
    expect(verifyIdentity(later, SECRET, 60_000)).toEqual(staff);
  });

  it('remembers a verified header pair but still refuses it once stale, and refuses anything tampered', async () => {
    const verify = identityVerifier(SECRET, 50);
    const headers = signIdentity({ sub: 'u', role: 'STAFF' }, SECRET);
    expect(verify(headers)).toEqual({ sub: 'u', role: 'STAFF' });
    expect(verify({ ...headers })).toEqual({ sub: 'u', role: 'STAFF' });
    const elevated = Buffer.from(JSON.stringify({ sub: 'u', role: 'ADMIN' })).toString('base64url');
    expect(() => verify({ ...headers, [IDENTITY_HEADER]: elevated })).toThrow('bad identity signature');
    expect(() => verify({ [IDENTITY_HEADER]: headers[IDENTITY_HEADER] })).toThrow(IdentityError);
    expect(() => verify(signIdentity({ sub: 'u', role: 'STAFF' }, 'other-secret'))).toThrow('bad identity signature');
    await sleep(80);
    expect(() => verify(headers)).toThrow('expired');
  });
});
