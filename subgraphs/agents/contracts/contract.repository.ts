import type { Db } from '../../shared/db';
import type { LapseChargebackCode } from '../../shared/vocabulary';
import type { ChainRow, ContractLevelDef, ScheduleTerms } from '../domain/contract-levels';

/** A carrier's contract level, as stored. */
export interface ContractLevelRow extends ContractLevelDef {
  carrierId: string;
}

/** A contract with a carrier: an agent's (agents.agent_contract) or the BGA's (agents.bga_contract, agentId null). */
export interface ContractRow {
  agentId: string | null;
  carrierId: string;
  levelCode: string;
  effectiveOn: string;
}

/** One row of agents.commission_schedule. */
export interface CommissionScheduleRow {
  carrierId: string;
  productId: string;
  levelCode: string;
  firstYearBasisPoints: number;
  renewalBasisPoints: number;
  renewalYears: number;
  chargebackMonths: number;
  lapseChargeback: LapseChargebackCode;
}

/** One period of an agent's place in the hierarchy; validFrom null: since the agent was added; validTo null: current. */
export interface HierarchyPeriodRow {
  agentId: string;
  uplineId: string | null;
  validFrom: string | null;
  validTo: string | null;
}

const SCHEDULE_COLUMNS = `carrier_id AS "carrierId", product_id AS "productId", level_code AS "levelCode",
  first_year_basis_points AS "firstYearBasisPoints", renewal_basis_points AS "renewalBasisPoints", renewal_years AS "renewalYears",
  chargeback_months AS "chargebackMonths", lapse_chargeback AS "lapseChargeback"`;

/** '-infinity' (since the agent was added) reads as null. */
const dateOrNull = (column: string) => `CASE WHEN ${column} = '-infinity' THEN NULL ELSE ${column}::text END`;

/**
 * Serialises every change to contracts and the hierarchy (both are checked against each other):
 * a transaction-scoped advisory lock; these are rare staff actions.
 */
export async function lockContracting(tx: Db): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('agents.contracting'))`);
}

export async function contractLevelsByCarrierIds(db: Db, carrierIds: readonly string[]): Promise<ContractLevelRow[]> {
  return db.query<ContractLevelRow>(
    `SELECT carrier_id AS "carrierId", code, rank FROM agents.contract_level WHERE carrier_id = ANY($1) ORDER BY carrier_id, rank DESC`,
    [carrierIds],
  );
}

export async function bgaContractsByCarrierIds(db: Db, carrierIds: readonly string[]): Promise<ContractRow[]> {
  return db.query<ContractRow>(
    `SELECT NULL AS "agentId", carrier_id AS "carrierId", level_code AS "levelCode", effective_on AS "effectiveOn"
     FROM agents.bga_contract WHERE carrier_id = ANY($1)`,
    [carrierIds],
  );
}

/** Every contract of these agents, by carrier id. */
export async function contractsByAgentIds(db: Db, agentIds: readonly string[]): Promise<ContractRow[]> {
  return db.query<ContractRow>(
    `SELECT agent_id AS "agentId", carrier_id AS "carrierId", level_code AS "levelCode", effective_on AS "effectiveOn"
     FROM agents.agent_contract WHERE agent_id = ANY($1) ORDER BY agent_id, carrier_id`,
    [agentIds],
  );
}

/** Every schedule row of these carriers, ordered by carrier, product and level code. */
export async function schedulesByCarrierIds(db: Db, carrierIds: readonly string[]): Promise<CommissionScheduleRow[]> {
  return db.query<CommissionScheduleRow>(
    `SELECT ${SCHEDULE_COLUMNS} FROM agents.commission_schedule WHERE carrier_id = ANY($1) ORDER BY carrier_id, product_id, level_code`,
    [carrierIds],
  );
}

/** The schedule rows of these (carrier, level) pairs, every product. */
export async function schedulesByCarrierLevels(
  db: Db,
  keys: readonly { carrierId: string; levelCode: string }[],
): Promise<CommissionScheduleRow[]> {
  return db.query<CommissionScheduleRow>(
    `SELECT ${SCHEDULE_COLUMNS} FROM agents.commission_schedule
     WHERE (carrier_id, level_code) IN (SELECT * FROM unnest($1::text[], $2::text[])) ORDER BY product_id`,
    [keys.map((k) => k.carrierId), keys.map((k) => k.levelCode)],
  );
}

/** An agent's current upline and contract at a carrier, the upline's contract there, the BGA's, and the direct downline's (current hierarchy). */
export async function nestingAt(
  tx: Db,
  agentId: string,
  carrierId: string,
): Promise<
  | {
      uplineId: string | null;
      levelCode: string | null;
      uplineLevelCode: string | null;
      bgaLevelCode: string | null;
      children: { agentId: string; levelCode: string }[];
    }
  | undefined
> {
  return tx.one(
    `SELECT a.upline_id AS "uplineId",
       (SELECT level_code FROM agents.agent_contract WHERE agent_id = a.id AND carrier_id = $2) AS "levelCode",
       (SELECT level_code FROM agents.agent_contract WHERE agent_id = a.upline_id AND carrier_id = $2) AS "uplineLevelCode",
       (SELECT level_code FROM agents.bga_contract WHERE carrier_id = $2) AS "bgaLevelCode",
       COALESCE((SELECT json_agg(json_build_object('agentId', c.id, 'levelCode', k.level_code) ORDER BY c.id)
         FROM agents.agent c JOIN agents.agent_contract k ON k.agent_id = c.id AND k.carrier_id = $2
         WHERE c.upline_id = a.id), '[]'::json) AS children
     FROM agents.agent a WHERE a.id = $1`,
    [agentId, carrierId],
  );
}

/** Sets an agent's level with a carrier from effectiveOn; returns the level it replaces (null: a new contract). */
export async function upsertAgentContract(
  tx: Db,
  contract: { agentId: string; carrierId: string; levelCode: string; effectiveOn: string },
): Promise<{ previous: string | null; row: ContractRow }> {
  const previous = await tx.one<{ levelCode: string }>(
    `SELECT level_code AS "levelCode" FROM agents.agent_contract WHERE agent_id = $1 AND carrier_id = $2`,
    [contract.agentId, contract.carrierId],
  );
  const row = await tx.one<ContractRow>(
    `INSERT INTO agents.agent_contract (agent_id, carrier_id, level_code, effective_on) VALUES ($1, $2, $3, $4)
     ON CONFLICT (agent_id, carrier_id) DO UPDATE SET level_code = EXCLUDED.level_code, effective_on = EXCLUDED.effective_on
     RETURNING agent_id AS "agentId", carrier_id AS "carrierId", level_code AS "levelCode", effective_on AS "effectiveOn"`,
    [contract.agentId, contract.carrierId, contract.levelCode, contract.effectiveOn],
  );
  return { previous: previous?.levelCode ?? null, row: row! };
}

/** Every period of these agents' places in the hierarchy, oldest first; an agent with no rows has one open period from agents.agent. */
export async function hierarchyByAgentIds(db: Db, agentIds: readonly string[]): Promise<HierarchyPeriodRow[]> {
  return db.query<HierarchyPeriodRow>(
    `SELECT agent_id AS "agentId", upline_id AS "uplineId", ${dateOrNull('valid_from')} AS "validFrom", valid_to AS "validTo", valid_from AS sort
     FROM agents.agent_hierarchy WHERE agent_id = ANY($1)
     UNION ALL
     SELECT a.id, a.upline_id, NULL, NULL, '-infinity'::date FROM agents.agent a
     WHERE a.id = ANY($1) AND NOT EXISTS (SELECT 1 FROM agents.agent_hierarchy h WHERE h.agent_id = a.id)
     ORDER BY 1, sort`,
    [agentIds],
  );
}

/** The agent's current period (written from agents.agent when it has none yet), locked; undefined for an unknown agent. */
export async function currentPeriodForUpdate(tx: Db, agentId: string): Promise<HierarchyPeriodRow | undefined> {
  await tx.query(
    `INSERT INTO agents.agent_hierarchy (agent_id, upline_id, valid_from, valid_to)
     SELECT id, upline_id, '-infinity', NULL FROM agents.agent a
     WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM agents.agent_hierarchy h WHERE h.agent_id = a.id)`,
    [agentId],
  );
  return tx.one<HierarchyPeriodRow>(
    `SELECT agent_id AS "agentId", upline_id AS "uplineId", ${dateOrNull('valid_from')} AS "validFrom", valid_to AS "validTo"
     FROM agents.agent_hierarchy WHERE agent_id = $1 AND valid_to IS NULL FOR UPDATE`,
    [agentId],
  );
}

/**
 * Every agent above `uplineId` at any time from `from` on (nearest first, each once), following the
 * dated hierarchy and agents.agent for agents with no rows: what a move effective `from` must not loop through.
 */
export async function ancestorsSince(tx: Db, uplineId: string, from: string, maxDepth: number): Promise<string[]> {
  const rows = await tx.query<{ id: string }>(
    `WITH RECURSIVE up(id, depth) AS (
       SELECT $1::text, 0
       UNION
       SELECT e.upline_id, up.depth + 1 FROM up
       CROSS JOIN LATERAL (
         SELECT h.upline_id FROM agents.agent_hierarchy h WHERE h.agent_id = up.id AND (h.valid_to IS NULL OR h.valid_to > $2::date)
         UNION ALL
         SELECT a.upline_id FROM agents.agent a WHERE a.id = up.id
       ) e
       WHERE e.upline_id IS NOT NULL AND up.depth < $3
     ) SELECT id FROM up GROUP BY id ORDER BY min(depth)`,
    [uplineId, from, maxDepth],
  );
  return rows.map((r) => r.id);
}

/** Closes the agent's current period at effectiveOn, opens the next under uplineId, and sets agents.agent.upline_id. */
export async function moveAgent(tx: Db, agentId: string, uplineId: string | null, effectiveOn: string): Promise<void> {
  await tx.query(`UPDATE agents.agent_hierarchy SET valid_to = $2 WHERE agent_id = $1 AND valid_to IS NULL`, [agentId, effectiveOn]);
  await tx.query(`INSERT INTO agents.agent_hierarchy (agent_id, upline_id, valid_from, valid_to) VALUES ($1, $2, $3, NULL)`, [
    agentId,
    uplineId,
    effectiveOn,
  ]);
  await tx.query(`UPDATE agents.agent SET upline_id = $2 WHERE id = $1`, [agentId, uplineId]);
}

/**
 * Every writing agent's chain as of a date, in one statement: the agent (depth 0) and each upline
 * in the dated hierarchy (agents.agent.upline_id for agents with no dated rows), with its contract
 * level at the carrier and that level's schedule row for the product. A loop or a chain deeper than
 * maxDepth stops there.
 */
export async function commissionChainRows(
  db: Db,
  query: { agentIds: readonly string[]; asOf: string; carrierId: string; productId: string; maxDepth: number },
): Promise<ChainRow[]> {
  return db.query<ChainRow>(
    `WITH RECURSIVE chain(agent_id, depth, party_id, path) AS (
       SELECT a.id, 0, a.id, ARRAY[a.id] FROM agents.agent a WHERE a.id = ANY($1)
       UNION ALL
       SELECT c.agent_id, c.depth + 1, up.upline_id, c.path || up.upline_id
       FROM chain c
       CROSS JOIN LATERAL (
         SELECT h.upline_id FROM agents.agent_hierarchy h
         WHERE h.agent_id = c.party_id AND h.valid_from <= $2::date AND (h.valid_to IS NULL OR h.valid_to > $2::date)
         UNION ALL
         SELECT a.upline_id FROM agents.agent a
         WHERE a.id = c.party_id AND NOT EXISTS (SELECT 1 FROM agents.agent_hierarchy h WHERE h.agent_id = a.id)
       ) up
       WHERE up.upline_id IS NOT NULL AND NOT up.upline_id = ANY(c.path) AND c.depth < $5
     )
     SELECT c.agent_id AS "agentId", c.depth, c.party_id AS "partyId", k.level_code AS "levelCode",
       s.first_year_basis_points AS "firstYearBasisPoints", s.renewal_basis_points AS "renewalBasisPoints",
       s.renewal_years AS "renewalYears", s.chargeback_months AS "chargebackMonths", s.lapse_chargeback AS "lapseChargeback"
     FROM chain c
     LEFT JOIN agents.agent_contract k ON k.agent_id = c.party_id AND k.carrier_id = $3
     LEFT JOIN agents.commission_schedule s ON s.carrier_id = $3 AND s.product_id = $4 AND s.level_code = k.level_code
     ORDER BY c.agent_id, c.depth`,
    [query.agentIds, query.asOf, query.carrierId, query.productId, query.maxDepth],
  );
}

/** The BGA's level at the carrier and its schedule row for the product (every field null when it has none). */
export async function bgaScheduleTerms(db: Db, carrierId: string, productId: string): Promise<ScheduleTerms> {
  const row = await db.one<ScheduleTerms>(
    `SELECT b.level_code AS "levelCode", s.first_year_basis_points AS "firstYearBasisPoints", s.renewal_basis_points AS "renewalBasisPoints",
       s.renewal_years AS "renewalYears", s.chargeback_months AS "chargebackMonths", s.lapse_chargeback AS "lapseChargeback"
     FROM agents.bga_contract b
     LEFT JOIN agents.commission_schedule s ON s.carrier_id = b.carrier_id AND s.product_id = $2 AND s.level_code = b.level_code
     WHERE b.carrier_id = $1`,
    [carrierId, productId],
  );
  return (
    row ?? {
      levelCode: null,
      firstYearBasisPoints: null,
      renewalBasisPoints: null,
      renewalYears: null,
      chargebackMonths: null,
      lapseChargeback: null,
    }
  );
}
