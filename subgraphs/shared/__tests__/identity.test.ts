import { IdentityError, signIdentity, verifyIdentity, IDENTITY_HEADER, SIGNATURE_HEADER } from '../identity';

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
