/**
 * What makes a new agent or license record acceptable: each rule a plain message, every broken one
 * listed at once so an admin fixes the form in one go. Pure: the resolver turns them into BAD_USER_INPUT.
 */

/** A National Producer Number: 1 to 10 digits. */
export function isNpn(value: string): boolean {
  return /^\d{1,10}$/.test(value);
}

/** The problems of a new agent's fields; empty when it may be created. */
export function newAgentProblems(input: { npn: string; firstName: string; lastName: string; email: string }): string[] {
  const problems: string[] = [];
  if (!isNpn(input.npn)) problems.push('npn must be 1 to 10 digits');
  if (!input.firstName.trim() || input.firstName.length > 100) problems.push('firstName must be 1 to 100 characters');
  if (!input.lastName.trim() || input.lastName.length > 100) problems.push('lastName must be 1 to 100 characters');
  if (!/^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,}$/.test(input.email)) problems.push('email is not a valid address');
  return problems;
}

/**
 * The problems of a license to record for an agent whose home state is residentState; empty when it
 * may be recorded. Dates compare as YYYY-MM-DD strings.
 */
export function newLicenseProblems(
  input: { state: string; number: string; resident: boolean; linesOfAuthority: readonly string[]; effectiveOn: string; expiresOn: string },
  residentState: string,
): string[] {
  const problems: string[] = [];
  if (!/^[A-Za-z0-9-]{1,30}$/.test(input.number)) problems.push('number must be 1 to 30 letters, digits or dashes');
  if (input.expiresOn < input.effectiveOn) problems.push('expiresOn must be on or after effectiveOn');
  if (input.linesOfAuthority.length === 0) problems.push('linesOfAuthority must name at least one line');
  if (input.resident !== (input.state === residentState)) problems.push("resident must be true exactly for the agent's home state");
  return problems;
}

/** Admins manage agents, licenses and appointments; services may too, to request just-in-time appointments for a submitted case. */
export const RECORD_MANAGER_ROLES = ['ADMIN', 'SERVICE'] as const;
