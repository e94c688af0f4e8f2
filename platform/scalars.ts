import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { formatMoney } from './money';

/** True for a real calendar date written YYYY-MM-DD (no 2025-02-30). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [y, m, d] = value.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const inputError = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

function parseDate(value: unknown): string {
  if (!isIsoDate(value)) throw inputError('Date must be a calendar date written YYYY-MM-DD');
  return value;
}

export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'An ISO-8601 calendar date, YYYY-MM-DD (for example "1990-04-17"). "Today" is the UTC date.',
  serialize: (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value)),
  parseValue: parseDate,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw inputError('Date must be a string written YYYY-MM-DD');
    return parseDate(ast.value);
  },
});

function parseDateTime(value: unknown): string {
  if (
    typeof value !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) ||
    Number.isNaN(Date.parse(value))
  ) {
    throw inputError('DateTime must be an ISO-8601 instant such as 2025-11-24T15:04:05Z');
  }
  return new Date(value).toISOString();
}

export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An ISO-8601 instant in UTC, for example "2025-11-24T15:04:05.000Z".',
  serialize: (value) => (value instanceof Date ? value.toISOString() : String(value)),
  parseValue: parseDateTime,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw inputError('DateTime must be a string');
    return parseDateTime(ast.value);
  },
});

/** Formats integer cents as dollars with exactly two places (the Money scalar's output). */
export const centsToMoney = formatMoney;

function parseMoney(value: unknown): string {
  if (typeof value !== 'string' || !/^-?\d+\.\d{2}$/.test(value))
    throw inputError('Money must be a decimal string with two places, such as "412.50"');
  return value;
}

export const MoneyScalar = new GraphQLScalarType({
  name: 'Money',
  description: 'US dollars as a decimal string with exactly two places ("412.50"). Computed in integer cents, never binary floats.',
  serialize: (value) => (typeof value === 'string' ? value : centsToMoney(value as number)),
  parseValue: parseMoney,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw inputError('Money must be a string such as "412.50"');
    return parseMoney(ast.value);
  },
});
