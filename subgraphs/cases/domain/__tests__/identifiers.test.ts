import fc from 'fast-check';
import { maskSsn, maskTin, normalizeTin, validEin, validItin, validSsn } from '../identifiers';

const digits = (length: number) => fc.stringMatching(new RegExp(`^\\d{${length}}$`));

describe('validSsn', () => {
  it.each([
    ['123-45-6789', true],
    ['123456789', true],
    ['123 45 6789', true],
    ['000-12-3456', false], // area 000
    ['001-12-3456', true],
    ['666-12-3456', false], // area 666
    ['665-12-3456', true],
    ['667-12-3456', true],
    ['899-12-3456', true],
    ['900-12-3456', false], // 9xx areas are never SSNs
    ['999-12-3456', false],
    ['123-00-4567', false], // group 00
    ['123-01-4567', true],
    ['123-45-0000', false], // serial 0000
    ['123-45-0001', true],
    ['12345678', false],
    ['1234567890', false],
    ['12a456789', false],
    ['', false],
  ])('%s → %s', (value, valid) => {
    expect(validSsn(value)).toBe(valid);
  });

  it('is exactly the issuing rules over every nine digits', () => {
    fc.assert(
      fc.property(digits(9), (ssn) => {
        const area = Number(ssn.slice(0, 3));
        const expected = area !== 0 && area !== 666 && area < 900 && ssn.slice(3, 5) !== '00' && ssn.slice(5) !== '0000';
        expect(validSsn(ssn)).toBe(expected);
      }),
    );
  });

  it('does not depend on dashes or spaces', () => {
    fc.assert(
      fc.property(digits(9), (ssn) => {
        const dashed = `${ssn.slice(0, 3)}-${ssn.slice(3, 5)}-${ssn.slice(5)}`;
        expect(validSsn(dashed)).toBe(validSsn(ssn));
        expect(validSsn(` ${ssn.slice(0, 4)} ${ssn.slice(4)}`)).toBe(validSsn(ssn));
      }),
    );
  });
});

describe('validEin', () => {
  it.each([
    ['12-3456789', true],
    ['123456789', true],
    ['01-2345678', true],
    ['00-1234567', false],
    ['001234567', false],
    ['10-0000000', true],
    ['12-345678', false],
  ])('%s → %s', (value, valid) => {
    expect(validEin(value)).toBe(valid);
  });

  it('is every nine digits not starting 00', () => {
    fc.assert(fc.property(digits(9), (ein) => expect(validEin(ein)).toBe(!ein.startsWith('00'))));
  });
});

describe('validItin', () => {
  it.each([
    ['912-50-1234', true],
    ['912-65-1234', true],
    ['912-66-1234', false],
    ['912-69-1234', false],
    ['912-70-1234', true],
    ['912-88-1234', true],
    ['912-89-1234', false],
    ['912-92-1234', true],
    ['912-93-1234', false],
    ['912-94-1234', true],
    ['912-99-1234', true],
    ['812-70-1234', false],
  ])('%s → %s', (value, valid) => {
    expect(validItin(value)).toBe(valid);
  });

  it('never accepts what is a valid SSN', () => {
    fc.assert(fc.property(digits(9), (value) => expect(validItin(value) && validSsn(value)).toBe(false)));
  });
});

describe('normalizeTin', () => {
  it('keeps nine digits, drops dashes and spaces, refuses anything else', () => {
    expect(normalizeTin('123-45-6789')).toBe('123456789');
    expect(normalizeTin(' 12-3456789 ')).toBe('123456789');
    expect(normalizeTin('123.45.6789')).toBeNull();
    expect(normalizeTin('1234567890')).toBeNull();
  });
});

describe('masking', () => {
  it('shows only the last four digits', () => {
    expect(maskSsn('123456789')).toBe('***-**-6789');
    expect(maskSsn('123-45-6789')).toBe('***-**-6789');
    expect(maskTin('12-3456789')).toBe('**-***6789');
  });

  it('shows no digit of what is not nine digits', () => {
    expect(maskSsn('12345678')).toBe('***-**-****');
    expect(maskTin('1234')).toBe('**-*******');
  });

  it('never shows the first five digits', () => {
    fc.assert(
      fc.property(digits(9), (value) => {
        for (const masked of [maskSsn(value), maskTin(value)]) {
          expect(masked.replace(/\D/g, '')).toBe(value.slice(5));
        }
      }),
    );
  });
});
