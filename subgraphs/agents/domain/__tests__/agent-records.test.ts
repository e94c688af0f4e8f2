import { isNpn, newAgentProblems, newLicenseProblems } from '../agent-records';

describe('new agent records', () => {
  const agent = { npn: '12345678', firstName: 'Ana', lastName: 'Ruiz', email: 'ana.ruiz@example.com' };
  const license = {
    state: 'TX',
    number: 'TX-1234',
    resident: true,
    linesOfAuthority: ['LIFE'],
    effectiveOn: '2025-01-01',
    expiresOn: '2026-12-31',
  };

  it('takes an NPN of 1 to 10 digits only', () => {
    expect(['1', '1234567890'].map(isNpn)).toEqual([true, true]);
    expect(['', '12345678901', '12a4', ' 123'].map(isNpn)).toEqual([false, false, false, false]);
  });

  it('accepts a well-formed agent and lists every problem of a bad one, in field order', () => {
    expect(newAgentProblems(agent)).toEqual([]);
    expect(newAgentProblems({ npn: 'x', firstName: ' ', lastName: 'y'.repeat(101), email: 'nope' })).toEqual([
      'npn must be 1 to 10 digits',
      'firstName must be 1 to 100 characters',
      'lastName must be 1 to 100 characters',
      'email is not a valid address',
    ]);
  });

  it('accepts a resident license in the home state, a non-resident one elsewhere, and one valid for a single day', () => {
    expect(newLicenseProblems(license, 'TX')).toEqual([]);
    expect(newLicenseProblems({ ...license, state: 'OK', resident: false }, 'TX')).toEqual([]);
    expect(newLicenseProblems({ ...license, expiresOn: license.effectiveOn }, 'TX')).toEqual([]);
  });

  it('lists every problem of a bad license', () => {
    expect(
      newLicenseProblems({ ...license, number: 'no spaces', expiresOn: '2024-12-31', linesOfAuthority: [], resident: false }, 'TX'),
    ).toEqual([
      'number must be 1 to 30 letters, digits or dashes',
      'expiresOn must be on or after effectiveOn',
      'linesOfAuthority must name at least one line',
      "resident must be true exactly for the agent's home state",
    ]);
    expect(newLicenseProblems({ ...license, state: 'OK' }, 'TX')).toEqual(["resident must be true exactly for the agent's home state"]);
  });
});
