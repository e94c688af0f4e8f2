import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs. Names, birth dates, emails and SSNs never go into a log line: the redact list is a
 * second line of defence for fields that should not have been logged in the first place.
 */
export function createLogger(service: string, level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name: service,
    level,
    base: { service },
    redact: {
      paths: ['*.firstName', '*.lastName', '*.birthDate', '*.email', '*.ssn', 'insured', '*.insured', 'headers.authorization'],
      censor: '[redacted]',
    },
  });
}
