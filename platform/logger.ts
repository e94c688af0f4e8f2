import pino, { type Logger } from 'pino';
import { traceFields } from './tracing';

export type { Logger };

/**
 * JSON logs. Names, birth dates, emails and SSNs never go into a log line: the redact list is a
 * second line of defence for fields that should not have been logged in the first place.
 */
export function createLogger(
  service: string,
  level: string = process.env.LOG_LEVEL ?? 'info',
  destination?: pino.DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    name: service,
    level,
    base: { service },
    // An error logged under `err` (or `error`) keeps its type, message and stack (pino's error
    // serializer); answers to clients never carry a stack (platform/errors.ts masks them).
    serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    // With tracing on (platform/tracing.ts), each line written inside a span carries its trace_id and span_id.
    mixin: traceFields,
    redact: {
      paths: ['*.firstName', '*.lastName', '*.birthDate', '*.email', '*.ssn', 'insured', '*.insured', 'headers.authorization'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
