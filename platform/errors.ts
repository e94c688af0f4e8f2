import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from './logger';
import { redactVariableError } from './redact';

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
  | 'FAILED_PRECONDITION'
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
/** The object is not yet (or no longer) in the state the operation needs; `extensions` may say what is missing. */
export const failedPrecondition = (message: string, extensions: Record<string, unknown> = {}) =>
  coded('FAILED_PRECONDITION', message, extensions);
export const conflict = (message: string, extensions: Record<string, unknown> = {}) => coded('CONFLICT', message, extensions);

/** Codes the contract lets through to clients; anything else is a bug and is masked. */
const CLIENT_CODES = new Set([
  'BAD_USER_INPUT',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'FAILED_PRECONDITION',
  'RATE_LIMITED',
  'LIMIT_EXCEEDED',
  'CARRIER_UNAVAILABLE',
  'SERVICE_UNAVAILABLE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'PERSISTED_QUERY_NOT_IN_LIST',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

/** Keeps coded errors, masks the rest as INTERNAL_SERVER_ERROR; never a stack trace. */
export function maskError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code as string | undefined;
    if (code && CLIENT_CODES.has(code)) {
      const { stacktrace: _dropped, ...extensions } = formatted.extensions ?? {};
      const reason = (error as { originalError?: { message?: string } })?.originalError?.message;
      return { ...formatted, message: redactVariableError(formatted.message, reason), extensions };
    }
    logger.error({ err: (error as { originalError?: Error })?.originalError ?? error, path: formatted.path }, 'unexpected error');
    return {
      message: 'internal error',
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
