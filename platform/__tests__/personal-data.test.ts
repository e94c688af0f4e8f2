import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { ConfigError } from '../config';
import type { Identity } from '../identity';
import { canSeeInFull, DEV_PERSONAL_DATA_KEY, mask, PersonalDataError, PersonalDataVault, readPersonalDataConfig } from '../personal-data';

const KEY_A = randomBytes(32).toString('base64');
const KEY_B = randomBytes(32).toString('base64');
const vaultA = PersonalDataVault.fromEnv({ PERSONAL_DATA_KEYS: `a:${KEY_A}` });
const vaultAB = PersonalDataVault.fromEnv({ PERSONAL_DATA_KEYS: `a:${KEY_A},b:${KEY_B}`, PERSONAL_DATA_ACTIVE_KEY: 'b' });
const SSN = '123-45-6789';

/** The message of what fn throws; fails the test when fn does not throw. */
function thrown(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a throw');
}

describe('PersonalDataVault', () => {
  it('opens what it sealed, for any text and field, and the sealed form carries no plaintext', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), fc.stringMatching(/^[a-z_.]{1,30}$/), (plaintext, field) => {
        const sealed = vaultA.seal(field, plaintext);
        expect(vaultA.open(field, sealed)).toEqual({ plaintext, stale: false });
        expect(sealed.startsWith('pd1.a.')).toBe(true);
        expect(/^[A-Za-z0-9_.-]+$/.test(sealed)).toBe(true);
      }),
    );
    expect(vaultA.seal('ssn', SSN)).not.toContain('6789');
  });

  it('uses a fresh data key per value: the same plaintext never seals the same way twice', () => {
    const one = vaultA.seal('ssn', SSN).split('.');
    const two = vaultA.seal('ssn', SSN).split('.');
    expect(one[2]).not.toBe(two[2]); // wrapped data key
    expect(one[3]).not.toBe(two[3]); // iv
    expect(one[5]).not.toBe(two[5]); // ciphertext
  });

  it('binds a value to its field: moved to another column it does not open', () => {
    const sealed = vaultA.seal('insured.ssn', SSN);
    expect(() => vaultA.open('owner.ssn', sealed)).toThrow(PersonalDataError);
    expect(thrown(() => vaultA.open('owner.ssn', sealed))).toBe(
      'the value of owner.ssn does not open under kid "a": altered, or sealed for another field or key',
    );
  });

  it('detects tampering with any part of the sealed value', () => {
    const sealed = vaultA.seal('ssn', SSN);
    const parts = sealed.split('.');
    for (const index of [2, 3, 4, 5]) {
      const bytes = Buffer.from(parts[index], 'base64url');
      bytes[bytes.length - 1] ^= 0x01;
      const altered = [...parts];
      altered[index] = bytes.toString('base64url');
      expect(() => vaultA.open('ssn', altered.join('.'))).toThrow(PersonalDataError);
    }
    expect(() => vaultA.open('ssn', 'pd1.a.x.y.z')).toThrow('the value of ssn is not a sealed value');
    expect(() => vaultA.open('ssn', SSN)).toThrow('the value of ssn is not a sealed value');
  });

  it('refuses an unknown kid and a wrong key with the same kid, naming neither key nor plaintext', () => {
    const sealed = vaultAB.seal('ssn', SSN);
    expect(thrown(() => vaultA.open('ssn', sealed))).toBe('the value of ssn is sealed under kid "b", which the keyring does not hold');
    const impostor = PersonalDataVault.fromEnv({ PERSONAL_DATA_KEYS: `a:${KEY_B}` });
    const message = thrown(() => impostor.open('ssn', vaultA.seal('ssn', SSN)));
    expect(message).toMatch(/does not open under kid "a"/);
    for (const secret of [SSN, '6789', KEY_A, KEY_B]) expect(message).not.toContain(secret);
  });

  it('rotates: an old-kid value opens as stale and reseal moves it to the active kid; an active one is left as it is', () => {
    const old = vaultA.seal('ssn', SSN);
    expect(vaultAB.open('ssn', old)).toEqual({ plaintext: SSN, stale: true });
    const moved = vaultAB.reseal('ssn', old);
    expect(PersonalDataVault.kidOf(moved)).toBe('b');
    expect(vaultAB.open('ssn', moved)).toEqual({ plaintext: SSN, stale: false });
    expect(vaultAB.reseal('ssn', moved)).toBe(moved);
  });
});

describe('readPersonalDataConfig', () => {
  it('has a development key under kid dev, and production refuses it by name', () => {
    const dev = readPersonalDataConfig({});
    expect(dev.activeKid).toBe('dev');
    expect(Object.isFrozen(dev)).toBe(true);
    expect(() => readPersonalDataConfig({ NODE_ENV: 'production' })).toThrow(/^Configuration error: PERSONAL_DATA_KEYS must be set/);
    const message = thrown(() => readPersonalDataConfig({ NODE_ENV: 'production', PERSONAL_DATA_KEYS: `k1:${DEV_PERSONAL_DATA_KEY}` }));
    expect(message).toBe(
      'Configuration error: PERSONAL_DATA_KEYS entry 1 (kid "k1") is the development key, refused when NODE_ENV=production',
    );
    expect(message).not.toContain(DEV_PERSONAL_DATA_KEY);
    expect(readPersonalDataConfig({ NODE_ENV: 'production', PERSONAL_DATA_KEYS: `k1:${KEY_A}` }).activeKid).toBe('k1');
  });

  it('names the variable for each bad value and never prints the key', () => {
    const short = randomBytes(16).toString('base64');
    const cases: [Record<string, string>, RegExp][] = [
      [{ PERSONAL_DATA_KEYS: `a:${short}` }, /PERSONAL_DATA_KEYS entry 1 \(kid "a"\) must be 32 bytes in base64/],
      [{ PERSONAL_DATA_KEYS: `a:${KEY_A.slice(0, 20)}!!${KEY_A.slice(22)}` }, /PERSONAL_DATA_KEYS entry 1 \(kid "a"\) must be 32 bytes/],
      [{ PERSONAL_DATA_KEYS: KEY_A }, /PERSONAL_DATA_KEYS entry 1 must be kid:base64-key/],
      [{ PERSONAL_DATA_KEYS: `a:${KEY_A},a:${KEY_B}` }, /PERSONAL_DATA_KEYS entry 2 repeats kid "a"/],
      [{ PERSONAL_DATA_KEYS: `a:${KEY_A},b:${KEY_B}` }, /PERSONAL_DATA_ACTIVE_KEY is required/],
      [{ PERSONAL_DATA_KEYS: `a:${KEY_A}`, PERSONAL_DATA_ACTIVE_KEY: 'c' }, /PERSONAL_DATA_ACTIVE_KEY names kid "c"/],
    ];
    for (const [env, expected] of cases) {
      let error: unknown;
      try {
        readPersonalDataConfig(env);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(expected);
      for (const secret of [KEY_A, KEY_B, short, KEY_A.slice(0, 20)]) expect((error as Error).message).not.toContain(secret);
    }
  });
});

describe('mask', () => {
  it('shows only the last digits, in the shape of each kind', () => {
    expect(mask('SSN', '123-45-1234')).toBe('***-**-1234');
    expect(mask('SSN', '123451234')).toBe('***-**-1234');
    expect(mask('TIN', '12-3451234')).toBe('**-***1234');
    expect(mask('BANK_ACCOUNT', '000123451234')).toBe('****1234');
    expect(mask('DRIVERS_LICENSE', 'D1234-5678-34')).toBe('****34');
    expect(mask('SSN', '123')).toBe('***-**-****');
  });
});

describe('canSeeInFull', () => {
  const owner = { agentId: 'agt_1' };
  const who = (role: Identity['role'], agentId?: string): Identity => ({ sub: `user:${role}`, role, ...(agentId ? { agentId } : {}) });

  it('staff, admins and the owning agent see in full; other agents, anonymous and a service without a reason see masks', () => {
    expect(canSeeInFull(who('STAFF'), owner)).toBe(true);
    expect(canSeeInFull(who('ADMIN'), owner)).toBe(true);
    expect(canSeeInFull(who('AGENT', 'agt_1'), owner)).toBe(true);
    expect(canSeeInFull(who('AGENT', 'agt_2'), owner)).toBe(false);
    expect(canSeeInFull(who('AGENT'), owner)).toBe(false);
    expect(canSeeInFull(who('ANONYMOUS'), owner)).toBe(false);
    expect(canSeeInFull(who('SERVICE'), owner)).toBe(false);
    expect(canSeeInFull(who('SERVICE'), { ...owner, reason: '  ' })).toBe(false);
    expect(canSeeInFull(who('SERVICE'), { ...owner, reason: 'carrier submission' })).toBe(true);
  });
});
