/**
 * Case managers (staff users who work a case's requirements), as a pure module: what a case
 * manager's id looks like. Ids are the staff user's id as the identity provider names it
 * (usr_staff_01, user:jane.doe); never a name or an email in our data.
 */

/** A staff user id: letters, digits and _ . : - only, at most 128 characters. */
const CASE_MANAGER_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

export const isCaseManagerId = (value: string): boolean => CASE_MANAGER_ID.test(value) && !value.includes('@');
