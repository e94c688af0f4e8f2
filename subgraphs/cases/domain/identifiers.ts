/**
 * Taxpayer identifiers on an application: SSN (people), ITIN (people without an SSN) and EIN (trusts
 * and businesses). Validity is of form only (the issuing rules), never a lookup. Shown masked, last
 * four digits only, because the full number is personal data.
 */

/** The nine digits of an identifier typed with or without dashes and spaces; null when it is not nine digits. */
export function normalizeTin(value: string): string | null {
  const digits = value.replace(/[\s-]/g, '');
  return /^\d{9}$/.test(digits) ? digits : null;
}

/** An SSN in a form the Social Security Administration issues: area 000, 666 and 900-999, group 00 and serial 0000 never are. */
export function validSsn(value: string): boolean {
  const digits = normalizeTin(value);
  if (digits === null) return false;
  const area = digits.slice(0, 3);
  return area !== '000' && area !== '666' && area[0] !== '9' && digits.slice(3, 5) !== '00' && digits.slice(5) !== '0000';
}

/** An ITIN: area 9xx with a group in 50-65, 70-88, 90-92 or 94-99 (the ranges the IRS issues). */
export function validItin(value: string): boolean {
  const digits = normalizeTin(value);
  if (digits === null || digits[0] !== '9') return false;
  const group = Number(digits.slice(3, 5));
  return (group >= 50 && group <= 65) || (group >= 70 && group <= 88) || (group >= 90 && group <= 92) || group >= 94;
}

/** An EIN: nine digits, never starting 00 (no IRS campus prefix is 00). */
export function validEin(value: string): boolean {
  const digits = normalizeTin(value);
  return digits !== null && !digits.startsWith('00');
}

/** `***-**-1234`; anything that is not nine digits shows no digit at all, so a mistyped number leaks nothing. */
export function maskSsn(value: string): string {
  const digits = normalizeTin(value);
  return `***-**-${digits === null ? '****' : digits.slice(5)}`;
}

/** An EIN as `**-***1234`, the EIN's own grouping; not nine digits: no digit shown. */
export function maskTin(value: string): string {
  const digits = normalizeTin(value);
  return `**-***${digits === null ? '****' : digits.slice(5)}`;
}

/** An ABA routing number: nine digits whose weighted sum (3, 7, 1 repeating) is a multiple of ten. */
export function validRoutingNumber(value: string): boolean {
  if (!/^\d{9}$/.test(value)) return false;
  const weights = [3, 7, 1, 3, 7, 1, 3, 7, 1];
  const sum = weights.reduce((total, weight, index) => total + weight * Number(value[index]), 0);
  return sum % 10 === 0 && value !== '000000000';
}
