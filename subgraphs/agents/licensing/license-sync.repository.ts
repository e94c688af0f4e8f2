/**
 * The license sync's SQL: what it reads of one agent (licenses, appointments with their source, the
 * PDB company codes), the statements that apply a plan (each a single statement for all its rows),
 * the sync state and its lease, open discrepancies, and the licensing alerts list.
 */
import type { Db } from '../../shared/db';
import type { LineOfAuthorityCode } from '../../shared/vocabulary';
import { LIVE_APPOINTMENT_STATUSES_SQL } from '../../shared/vocabulary';
import type { LicenseValues, LicensingDiscrepancyKind, OurAppointment, OurLicense, PlannedDiscrepancy } from '../domain/license-sync';

/** Who the sync's events and resolutions name as their actor when the job ran them. */
export const SYNC_ACTOR = 'producer-database-sync';

/** Serializes syncs of one agent (the job and the mutation, any replica) for the transaction. */
export async function lockAgentSync(tx: Db, agentId: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('license-sync:' || $1))`, [agentId]);
}

export async function licensesOf(tx: Db, agentId: string): Promise<OurLicense[]> {
  return tx.query<OurLicense>(
    `SELECT id, state, number, resident, lines_of_authority AS "linesOfAuthority", effective_on AS "effectiveOn", expires_on AS "expiresOn", revoked
     FROM agents.license WHERE agent_id = $1 ORDER BY state, id`,
    [agentId],
  );
}

export async function appointmentsOf(tx: Db, agentId: string): Promise<OurAppointment[]> {
  return tx.query<OurAppointment>(
    `SELECT id, carrier_id AS "carrierId", state, status, source, effective_on AS "effectiveOn", terminated_on AS "terminatedOn"
     FROM agents.appointment WHERE agent_id = $1 ORDER BY carrier_id, state, id`,
    [agentId],
  );
}

/** The carrier id of every PDB company code on file. */
export async function carrierIdsByCompanyCode(db: Db): Promise<Map<string, string>> {
  const rows = await db.query<{ code: string; carrierId: string }>(
    `SELECT company_code AS code, carrier_id AS "carrierId" FROM agents.producer_database_company`,
  );
  return new Map(rows.map((row) => [row.code, row.carrierId]));
}

const linesText = (lines: readonly LineOfAuthorityCode[]) => lines.join(',');

export async function insertLicenses(tx: Db, agentId: string, licenses: readonly (LicenseValues & { id: string })[]): Promise<void> {
  if (licenses.length === 0) return;
  await tx.query(
    `INSERT INTO agents.license (id, agent_id, state, number, resident, lines_of_authority, effective_on, expires_on, revoked, source)
     SELECT x.id, $1, x.state, x.number, x.resident, string_to_array(x.lines, ','), x.effective_on, x.expires_on, x.revoked, 'PRODUCER_DATABASE'
     FROM json_to_recordset($2::json) AS x(id text, state text, number text, resident boolean, lines text, effective_on date, expires_on date, revoked boolean)`,
    [
      agentId,
      JSON.stringify(
        licenses.map((l) => ({
          id: l.id,
          state: l.state,
          number: l.number,
          resident: l.resident,
          lines: linesText(l.linesOfAuthority),
          effective_on: l.effectiveOn,
          expires_on: l.expiresOn,
          revoked: l.revoked,
        })),
      ),
    ],
  );
}

export async function updateLicenses(tx: Db, agentId: string, licenses: readonly { id: string; after: LicenseValues }[]): Promise<void> {
  if (licenses.length === 0) return;
  await tx.query(
    `UPDATE agents.license l SET number = x.number, resident = x.resident, lines_of_authority = string_to_array(x.lines, ','),
       effective_on = x.effective_on, expires_on = x.expires_on, revoked = x.revoked, source = 'PRODUCER_DATABASE'
     FROM json_to_recordset($2::json) AS x(id text, number text, resident boolean, lines text, effective_on date, expires_on date, revoked boolean)
     WHERE l.id = x.id AND l.agent_id = $1`,
    [
      agentId,
      JSON.stringify(
        licenses.map(({ id, after }) => ({
          id,
          number: after.number,
          resident: after.resident,
          lines: linesText(after.linesOfAuthority),
          effective_on: after.effectiveOn,
          expires_on: after.expiresOn,
          revoked: after.revoked,
        })),
      ),
    ],
  );
}

export async function deleteLicenses(tx: Db, agentId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.query(`DELETE FROM agents.license WHERE agent_id = $1 AND id = ANY($2)`, [agentId, ids]);
}

export interface NewPdbAppointment {
  id: string;
  carrierId: string;
  state: string;
  status: 'ACTIVE' | 'TERMINATED';
  effectiveOn: string | null;
  terminatedOn: string | null;
}

/** New appointment rows from the PDB; a live one the appointments flow made meanwhile wins (ON CONFLICT on the live index). Answers the ids that went in. */
export async function insertPdbAppointments(tx: Db, agentId: string, rows: readonly NewPdbAppointment[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const inserted = await tx.query<{ id: string }>(
    `INSERT INTO agents.appointment (id, agent_id, carrier_id, state, status, effective_on, terminated_on, source, decided_at)
     SELECT x.id, $1, x.carrier_id, x.state, x.status, x.effective_on, x.terminated_on, 'PRODUCER_DATABASE', now()
     FROM json_to_recordset($2::json) AS x(id text, carrier_id text, state text, status text, effective_on date, terminated_on date)
     ON CONFLICT (agent_id, carrier_id, state) WHERE status IN ${LIVE_APPOINTMENT_STATUSES_SQL} DO NOTHING RETURNING id`,
    [
      agentId,
      JSON.stringify(
        rows.map((r) => ({
          id: r.id,
          carrier_id: r.carrierId,
          state: r.state,
          status: r.status,
          effective_on: r.effectiveOn,
          terminated_on: r.terminatedOn,
        })),
      ),
    ],
  );
  return new Set(inserted.map((row) => row.id));
}

/** Ends appointments the PDB gave us and has ended since (only those: the carriers' own rows are theirs). */
export async function terminatePdbAppointments(
  tx: Db,
  agentId: string,
  rows: readonly { id: string; terminatedOn: string | null }[],
): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `UPDATE agents.appointment a SET status = 'TERMINATED', terminated_on = coalesce(x.terminated_on, current_date), decided_at = now()
     FROM json_to_recordset($2::json) AS x(id text, terminated_on date)
     WHERE a.id = x.id AND a.agent_id = $1 AND a.source = 'PRODUCER_DATABASE' AND a.status = 'ACTIVE'`,
    [agentId, JSON.stringify(rows.map((r) => ({ id: r.id, terminated_on: r.terminatedOn })))],
  );
}

export interface DiscrepancyRow {
  id: string;
  agentId: string;
  kind: LicensingDiscrepancyKind;
  state: string | null;
  carrierId: string | null;
  note: string;
  detectedAt: string;
}

const DISCREPANCY_COLUMNS = `id::text AS id, agent_id AS "agentId", kind, state, carrier_id AS "carrierId", note, detected_at AS "detectedAt"`;

/** Opens these discrepancies; one already open (same agent, kind, state, carrier) is left as it is. Answers the newly opened ones. */
export async function openDiscrepancies(tx: Db, agentId: string, discrepancies: readonly PlannedDiscrepancy[]): Promise<DiscrepancyRow[]> {
  if (discrepancies.length === 0) return [];
  return tx.query<DiscrepancyRow>(
    `INSERT INTO agents.licensing_discrepancy (agent_id, kind, state, carrier_id, note, detected_at)
     SELECT $1, x.kind, x.state, x.carrier_id, x.note, now() FROM json_to_recordset($2::json) AS x(kind text, state text, carrier_id text, note text)
     ON CONFLICT (agent_id, kind, (coalesce(state, '')), (coalesce(carrier_id, ''))) WHERE resolved_at IS NULL DO NOTHING
     RETURNING ${DISCREPANCY_COLUMNS}`,
    [agentId, JSON.stringify(discrepancies.map((d) => ({ kind: d.kind, state: d.state, carrier_id: d.carrierId, note: d.note })))],
  );
}

/** Closes the agent's open discrepancies of these kinds that are not among `stillOpen` (kind/state/carrier keys). */
export async function resolveAgreedDiscrepancies(
  tx: Db,
  agentId: string,
  kinds: readonly LicensingDiscrepancyKind[],
  stillOpen: readonly PlannedDiscrepancy[],
  actor: string,
): Promise<number> {
  const rows = await tx.query(
    `UPDATE agents.licensing_discrepancy SET resolved_at = now(), resolved_by = $4
     WHERE agent_id = $1 AND resolved_at IS NULL AND kind = ANY($2)
       AND NOT (kind || '/' || coalesce(state, '') || '/' || coalesce(carrier_id, '') = ANY($3)) RETURNING id`,
    [agentId, kinds, stillOpen.map((d) => `${d.kind}/${d.state ?? ''}/${d.carrierId ?? ''}`), actor],
  );
  return rows.length;
}

/** Staff closed a discrepancy; null when there is no open one under this id (or it is outside `agentIds`). */
export async function resolveDiscrepancy(db: Db, id: string, actor: string): Promise<DiscrepancyRow | undefined> {
  return db.one<DiscrepancyRow>(
    `UPDATE agents.licensing_discrepancy SET resolved_at = now(), resolved_by = $2 WHERE id = $1::bigint AND resolved_at IS NULL
     RETURNING ${DISCREPANCY_COLUMNS}`,
    [id, actor],
  );
}

export type SyncOutcome = 'SYNCED' | 'NPN_NOT_FOUND' | 'FAILED';

/** Records a sync's outcome and ends its lease; a failure keeps the last success's time (and its lease, so the job tries again when it runs out). */
export async function recordSync(db: Db, agentId: string, outcome: SyncOutcome): Promise<string> {
  const row = await db.one<{ at: string }>(
    `INSERT INTO agents.license_sync AS s (agent_id, synced_at, outcome, attempted_at, lease_until)
     VALUES ($1, CASE WHEN $2 = 'FAILED' THEN NULL ELSE now() END, $2, now(), NULL)
     ON CONFLICT (agent_id) DO UPDATE SET
       synced_at = CASE WHEN $2 = 'FAILED' THEN s.synced_at ELSE now() END,
       outcome = $2, attempted_at = now(),
       lease_until = CASE WHEN $2 = 'FAILED' THEN s.lease_until ELSE NULL END
     RETURNING attempted_at AS at`,
    [agentId, outcome],
  );
  return row!.at;
}

/**
 * Leases up to `limit` agents due a sync, least recently synced first (never-synced first of all):
 * not TERMINATED, last synced more than `staleSeconds` ago, no lease running. The upsert's WHERE is
 * the lease: a replica racing for the same agent waits for the other's row, then finds it leased.
 */
export async function claimAgentsDue(db: Db, options: { limit: number; staleSeconds: number; leaseSeconds: number }): Promise<string[]> {
  const rows = await db.query<{ agentId: string }>(
    `WITH due AS (
       SELECT a.id FROM agents.agent a LEFT JOIN agents.license_sync s ON s.agent_id = a.id
       WHERE a.status <> 'TERMINATED'
         AND (s.agent_id IS NULL OR ((s.lease_until IS NULL OR s.lease_until < now())
           AND (s.synced_at IS NULL OR s.synced_at < now() - make_interval(secs => $2))))
       ORDER BY s.synced_at NULLS FIRST, a.id
       LIMIT $1
     )
     INSERT INTO agents.license_sync AS s (agent_id, lease_until)
     SELECT id, now() + make_interval(secs => $3) FROM due
     ON CONFLICT (agent_id) DO UPDATE SET lease_until = EXCLUDED.lease_until
       WHERE s.lease_until IS NULL OR s.lease_until < now()
     RETURNING agent_id AS "agentId"`,
    [options.limit, options.staleSeconds, options.leaseSeconds],
  );
  return rows.map((row) => row.agentId);
}

export const ALERT_KINDS = ['LICENSE_EXPIRING', 'DISCREPANCY', 'NPN_NOT_FOUND', 'APPOINTMENT_FILING_DUE'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export interface AlertRow {
  id: string;
  kind: AlertKind;
  agentId: string;
  state: string | null;
  carrierId: string | null;
  discrepancy: LicensingDiscrepancyKind | null;
  dueOn: string | null;
  detectedAt: string | null;
  note: string | null;
}

export interface AlertQuery {
  /** The caller's visible agents; null: every agent. */
  scope: readonly string[] | null;
  agentId?: string;
  kinds: readonly AlertKind[];
  today: string;
  expiringWithinDays: number;
  filingDueWithinDays: number;
  limit: number;
}

/**
 * The alerts, most urgent first (the earliest due or detected day), at most `limit`: licenses active
 * today expiring within the window, open discrepancies (an unknown NPN its own kind), and just-in-time
 * filings still REQUESTED or SUBMITTED whose deadline is within the window or past. One statement.
 */
export async function listAlerts(db: Db, query: AlertQuery): Promise<AlertRow[]> {
  const params: unknown[] = [];
  let todayAt: number | undefined;
  // Numbered when first used: a parameter no branch names has no type Postgres can infer.
  const today = () => `$${(todayAt ??= params.push(query.today))}::date`;
  const agentWhere = (column: string) => {
    const parts: string[] = [];
    if (query.scope) parts.push(`${column} = ANY($${params.push([...query.scope])})`);
    if (query.agentId) parts.push(`${column} = $${params.push(query.agentId)}`);
    return parts.map((p) => ` AND ${p}`).join('');
  };
  const branches: string[] = [];
  if (query.kinds.includes('LICENSE_EXPIRING'))
    branches.push(`SELECT 'alert_license_' || l.id AS id, 'LICENSE_EXPIRING' AS kind, l.agent_id AS "agentId", l.state, NULL::text AS "carrierId",
        NULL::text AS discrepancy, l.expires_on AS "dueOn", NULL::timestamptz AS "detectedAt", NULL::text AS note
      FROM agents.license l
      WHERE NOT l.revoked AND l.effective_on <= ${today()} AND l.expires_on BETWEEN ${today()} AND ${today()} + $${params.push(query.expiringWithinDays)}::int
      ${agentWhere('l.agent_id')}`);
  const discrepancyKinds = (['DISCREPANCY', 'NPN_NOT_FOUND'] as const).filter((k) => query.kinds.includes(k));
  if (discrepancyKinds.length)
    branches.push(`SELECT 'alert_discrepancy_' || d.id AS id, CASE WHEN d.kind = 'NPN_NOT_FOUND' THEN 'NPN_NOT_FOUND' ELSE 'DISCREPANCY' END AS kind,
        d.agent_id AS "agentId", d.state, d.carrier_id AS "carrierId", d.kind AS discrepancy, NULL::date AS "dueOn", d.detected_at AS "detectedAt", d.note
      FROM agents.licensing_discrepancy d
      WHERE d.resolved_at IS NULL AND (CASE WHEN d.kind = 'NPN_NOT_FOUND' THEN 'NPN_NOT_FOUND' ELSE 'DISCREPANCY' END) = ANY($${params.push(discrepancyKinds)})
      ${agentWhere('d.agent_id')}`);
  if (query.kinds.includes('APPOINTMENT_FILING_DUE'))
    branches.push(`SELECT 'alert_filing_' || a.id AS id, 'APPOINTMENT_FILING_DUE' AS kind, a.agent_id AS "agentId", a.state, a.carrier_id AS "carrierId",
        NULL::text AS discrepancy, a.filing_due_on AS "dueOn", NULL::timestamptz AS "detectedAt", NULL::text AS note
      FROM agents.appointment a
      WHERE a.filing = 'JUST_IN_TIME' AND a.status IN ('REQUESTED', 'SUBMITTED') AND a.filing_due_on <= ${today()} + $${params.push(query.filingDueWithinDays)}::int
      ${agentWhere('a.agent_id')}`);
  if (branches.length === 0) return [];
  return db.query<AlertRow>(
    `SELECT * FROM (${branches.join(' UNION ALL ')}) alerts
     ORDER BY coalesce("dueOn", ("detectedAt" AT TIME ZONE 'UTC')::date), id LIMIT $${params.push(query.limit)}`,
    params,
  );
}

export interface SyncStateRow {
  agentId: string;
  syncedAt: string | null;
  outcome: SyncOutcome | null;
  attemptedAt: string | null;
}

/** The sync state of these agents (agents never synced are absent): one statement. */
export async function syncStatesByAgentIds(db: Db, agentIds: readonly string[]): Promise<SyncStateRow[]> {
  return db.query<SyncStateRow>(
    `SELECT agent_id AS "agentId", synced_at AS "syncedAt", outcome, attempted_at AS "attemptedAt" FROM agents.license_sync WHERE agent_id = ANY($1)`,
    [agentIds],
  );
}
