import { isUniqueViolation, type Db } from '../shared/db';
import type { LineOfAuthority } from '../shared/enums';

/** A row of agents.license, as stored (whether it is active today is the caller's to decide). */
export interface LicenseRow {
  id: string;
  agentId: string;
  state: string;
  number: string;
  resident: boolean;
  linesOfAuthority: LineOfAuthority[];
  effectiveOn: string;
  expiresOn: string;
  revoked: boolean;
  /** Typed in (BGA) or brought or corrected by the license sync (PRODUCER_DATABASE). */
  source: 'BGA' | 'PRODUCER_DATABASE';
}

const LICENSE_COLUMNS = `id, agent_id AS "agentId", state, number, resident, lines_of_authority AS "linesOfAuthority",
  effective_on AS "effectiveOn", expires_on AS "expiresOn", revoked, source`;

/** Every license of these agents, active or not, ordered by state, latest expiry first. */
export async function licensesByAgentIds(db: Db, agentIds: readonly string[]): Promise<LicenseRow[]> {
  return db.query<LicenseRow>(
    `SELECT ${LICENSE_COLUMNS} FROM agents.license WHERE agent_id = ANY($1) ORDER BY state, expires_on DESC, id`,
    [agentIds],
  );
}

/** Inserts a license (not revoked); null when the agent holds this state's license number on file already. */
export async function insertLicense(db: Db, license: Omit<LicenseRow, 'revoked' | 'source'>): Promise<LicenseRow | null> {
  try {
    const row = await db.one<LicenseRow>(
      `INSERT INTO agents.license (id, agent_id, state, number, resident, lines_of_authority, effective_on, expires_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${LICENSE_COLUMNS}`,
      [
        license.id,
        license.agentId,
        license.state,
        license.number,
        license.resident,
        license.linesOfAuthority,
        license.effectiveOn,
        license.expiresOn,
      ],
    );
    return row!;
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}
