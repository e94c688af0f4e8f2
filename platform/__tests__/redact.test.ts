import { redactVariableError } from '../redact';

describe('variable errors without personal data', () => {
  it('drops the echoed value and keeps the variable, path and reason', () => {
    const reason = 'Field "state" is not defined by type "SubmitCaseInput".';
    const message = `Variable "$input" got invalid value { insured: { firstName: "Pat; Jones", birthDate: "1988-06-15" } }; ${reason}`;
    expect(redactVariableError(message, reason)).toBe(`Variable "$input" got invalid value; ${reason}`);
    const enumReason = 'Value "Pat; Jones" does not exist in "Gender" enum.';
    const nested = `Variable "$input" got invalid value "Pat; Jones" at "input.insured.gender"; ${enumReason}`;
    expect(redactVariableError(nested, enumReason)).toBe(
      'Variable "$input" got invalid value at "input.insured.gender"; Value (value hidden) does not exist in "Gender" enum.',
    );
    const intReason = 'Int cannot represent non-integer value: "John"';
    expect(redactVariableError(`Variable "$f" got invalid value "John" at "f.faceAmount"; ${intReason}`, intReason)).toBe(
      'Variable "$f" got invalid value at "f.faceAmount"; Int cannot represent non-integer value: (value hidden)',
    );
  });

  it('hides a number whole and an unknown key that cannot be a field name (found by the gateway fuzz suite)', () => {
    const floatReason = 'ID cannot represent value: 85000.75';
    expect(redactVariableError(`Variable "$v" got invalid value 85000.75; ${floatReason}`, floatReason)).toBe(
      'Variable "$v" got invalid value; ID cannot represent value: (value hidden)',
    );
    const keyReason = 'Field "pat.jones@example.com" is not defined by type "AgentFilter".';
    expect(redactVariableError(`Variable "$f" got invalid value { "pat.jones@example.com": 1 }; ${keyReason}`, keyReason)).toBe(
      'Variable "$f" got invalid value; Field (name hidden) is not defined by type "AgentFilter".',
    );
    const typo = 'Field "statuss" is not defined by type "AgentFilter". Did you mean "statuses"?';
    expect(redactVariableError(`Variable "$f" got invalid value { statuss: [] }; ${typo}`, typo)).toBe(
      `Variable "$f" got invalid value; ${typo}`,
    );
  });

  it('says only which variable when the reason is unknown, and leaves other messages alone', () => {
    expect(redactVariableError('Variable "$input" got invalid value { name: "Pat" }; whatever')).toBe(
      'Variable "$input" got invalid value',
    );
    expect(redactVariableError('faceAmount must be positive')).toBe('faceAmount must be positive');
  });
});
