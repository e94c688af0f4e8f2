/**
 * How the simulators describe themselves to whoever calls them: the CARRIER_<CODE>_* variable
 * names (the ones the carriers subgraph reads, so one env file configures both sides) and the
 * development client credentials a simulated REST carrier accepts when none are configured.
 */

/** A carrier code as it appears in variable names: upper case, non-alphanumerics as _. */
export const envName = (code: string) => code.toUpperCase().replace(/[^A-Z0-9]/g, '_');

/** The development credentials of a simulated carrier (the carriers subgraph's defaults are the same pair). */
export function devClientCredentials(code: string): { clientId: string; clientSecret: string } {
  const lower = code.toLowerCase();
  return { clientId: `bga-dev-${lower}`, clientSecret: `bga-dev-secret-${lower}` };
}
