import { badInput } from '../../platform/errors';

/** Free text from a client, trimmed: null when absent, BAD_USER_INPUT when blank or longer than `max`. */
export function optionalText(value: string | undefined | null, field: string, max: number): string | null {
  if (value === undefined || value === null) return null;
  const trimmed = value.trim();
  if (!trimmed || trimmed.length > max) throw badInput(`${field} must be 1 to ${max} characters`);
  return trimmed;
}
