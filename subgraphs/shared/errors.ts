import { GraphQLError } from 'graphql';

/**
 * Expected failures, as GraphQL errors with the codes of the contract. Messages name the field that
 * is wrong and never echo personal data back (no names, birth dates or emails in an error).
 */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'LIMIT_EXCEEDED'
  | 'CARRIER_UNAVAILABLE'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

export function coded(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

/** One bad input, or several: `reasons` lists each for the client to show. */
export function badInput(message: string, reasons?: string[]): GraphQLError {
  return coded('BAD_USER_INPUT', message, reasons ? { reasons } : {});
}

export const notFound = (what: string) => coded('NOT_FOUND', `${what} not found`);
export const forbidden = (message = 'not allowed for this role') => coded('FORBIDDEN', message);
export const unauthenticated = (message = 'authentication required') => coded('UNAUTHENTICATED', message);
export const conflict = (message: string, extensions: Record<string, unknown> = {}) => coded('CONFLICT', message, extensions);
