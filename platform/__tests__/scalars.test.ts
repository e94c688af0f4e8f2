import { centsToMoney, DateScalar, DateTimeScalar, isIsoDate, MoneyScalar } from '../scalars';

describe('scalars', () => {
  it('accepts only real calendar dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2025-13-01')).toBe(false);
    expect(isIsoDate('25-01-01')).toBe(false);
    expect(() => DateScalar.parseValue('1990-02-30')).toThrow(/YYYY-MM-DD/);
    expect(DateScalar.parseValue('1990-04-17')).toBe('1990-04-17');
  });

  it('normalizes DateTime to UTC and refuses non-instants', () => {
    expect(DateTimeScalar.parseValue('2025-11-24T10:00:00-05:00')).toBe('2025-11-24T15:00:00.000Z');
    expect(() => DateTimeScalar.parseValue('yesterday')).toThrow();
  });

  it('formats cents as money with exactly two places', () => {
    expect(centsToMoney(41250)).toBe('412.50');
    expect(centsToMoney(5)).toBe('0.05');
    expect(centsToMoney(0)).toBe('0.00');
    expect(centsToMoney(12345678901234567890n)).toBe('123456789012345678.90');
    expect(MoneyScalar.serialize(37000)).toBe('370.00');
    expect(() => MoneyScalar.parseValue('12.5')).toThrow();
  });
});
