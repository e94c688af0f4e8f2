/**
 * The port to the national producer database (NIPR's PDB in production): what the agents subgraph
 * asks of it, in our words. One adapter per protocol in ports/pdb/ (the entity-info XML report over
 * HTTP Basic auth, pdb-xml.adapter.ts); the license sync knows only this port.
 *
 * The answer carries licenses and appointments only: the producer's name stays behind the port (we
 * have our own record of the agent, and nothing past here needs it). Expected failures are thrown
 * as ProducerDatabaseError with a namespaced code and whether trying again later can help.
 */

/** Lines of authority as the producer database names them. */
export const PDB_LINES = ['LIFE', 'HEALTH', 'ANNUITY', 'VARIABLE'] as const;
export type PdbLineCode = (typeof PDB_LINES)[number];

/** One state license as the producer database shows it. */
export interface PdbLicenseRecord {
  state: string;
  number: string;
  resident: boolean;
  /** The license class ("Insurance Producer"). */
  licenseClass: string;
  lines: PdbLineCode[];
  status: 'ACTIVE' | 'INACTIVE';
  effectiveOn: string;
  expiresOn: string;
}

/** One carrier's appointment of the producer in a state, as the producer database shows it. */
export interface PdbAppointmentRecord {
  /** The code the producer database knows the carrier by (its company code). */
  companyCode: string;
  state: string;
  line: PdbLineCode;
  status: 'ACTIVE' | 'TERMINATED';
  effectiveOn: string | null;
  terminatedOn: string | null;
}

/** The producer's licensing report: licenses per state and appointments per carrier and state. */
export interface PdbProducerReport {
  npn: string;
  residentState: string | null;
  licenses: PdbLicenseRecord[];
  appointments: PdbAppointmentRecord[];
}

export type ProducerDatabaseErrorCode =
  /** The producer database has no producer with this NPN. */
  | 'PDB.NPN_NOT_FOUND'
  /** No answer in time, a 5xx or 429, or an answer we cannot read: try again later. */
  | 'PDB.UNAVAILABLE'
  /** It refused our request (credentials, a malformed NPN): trying again with the same request cannot help. */
  | 'PDB.REJECTED';

export class ProducerDatabaseError extends Error {
  constructor(
    readonly code: ProducerDatabaseErrorCode,
    message: string,
  ) {
    super(message);
  }

  get retryable(): boolean {
    return this.code === 'PDB.UNAVAILABLE';
  }
}

export interface ProducerDatabase {
  /** The producer's licensing report by NPN; ProducerDatabaseError PDB.NPN_NOT_FOUND when the database does not know the NPN. */
  producer(npn: string): Promise<PdbProducerReport>;
}
