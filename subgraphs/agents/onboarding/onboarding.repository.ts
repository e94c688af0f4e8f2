import type { Db } from '../../shared/db';
import type { OnboardingStepCode, StoredStepStatus } from '../domain/onboarding';

/** A row of agents.onboarding_step. `sealed` is a PersonalDataVault value, never opened here. */
export interface OnboardingStepRow {
  agentId: string;
  step: OnboardingStepCode;
  status: StoredStepStatus;
  completedAt: string | null;
  expiresOn: string | null;
  details: Record<string, unknown>;
  sealed: string | null;
}

const STEP_COLUMNS = `agent_id AS "agentId", step, status, completed_at AS "completedAt", expires_on AS "expiresOn", details, sealed`;

/** Every recorded step of these agents: one statement for the batch. */
export async function stepsByAgentIds(db: Db, agentIds: readonly string[]): Promise<OnboardingStepRow[]> {
  return db.query<OnboardingStepRow>(
    `SELECT ${STEP_COLUMNS} FROM agents.onboarding_step WHERE agent_id = ANY($1) ORDER BY agent_id, step`,
    [agentIds],
  );
}

/** The agent's standing, its row locked until the transaction ends (one step change at a time per agent). */
export async function lockAgent(tx: Db, agentId: string): Promise<{ id: string; status: string } | undefined> {
  return tx.one<{ id: string; status: string }>(`SELECT id, status FROM agents.agent WHERE id = $1 FOR UPDATE`, [agentId]);
}

/** The step as written: inserted, or replacing what was recorded before. */
export interface StepWrite {
  agentId: string;
  step: OnboardingStepCode;
  status: StoredStepStatus;
  /** Null keeps an earlier completion time (a step going to review records none). */
  completedAt: string | null;
  recordedBy: string;
  details: Record<string, unknown>;
  sealed: string | null;
  expiresOn?: string | null;
}

export async function upsertStep(tx: Db, write: StepWrite): Promise<void> {
  await tx.query(
    `INSERT INTO agents.onboarding_step (agent_id, step, status, completed_at, recorded_by, details, sealed, expires_on)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (agent_id, step) DO UPDATE SET status = EXCLUDED.status,
       completed_at = COALESCE(EXCLUDED.completed_at, agents.onboarding_step.completed_at),
       recorded_at = now(), recorded_by = EXCLUDED.recorded_by, details = EXCLUDED.details, sealed = EXCLUDED.sealed,
       expires_on = EXCLUDED.expires_on, lease_until = NULL`,
    [
      write.agentId,
      write.step,
      write.status,
      write.completedAt,
      write.recordedBy,
      JSON.stringify(write.details),
      write.sealed,
      write.expiresOn ?? null,
    ],
  );
}

/** One step's row, locked (the review and the lapse job re-read before they change it). */
export async function lockStep(tx: Db, agentId: string, step: OnboardingStepCode): Promise<OnboardingStepRow | undefined> {
  return tx.one<OnboardingStepRow>(`SELECT ${STEP_COLUMNS} FROM agents.onboarding_step WHERE agent_id = $1 AND step = $2 FOR UPDATE`, [
    agentId,
    step,
  ]);
}

export async function setStepStatus(
  tx: Db,
  agentId: string,
  step: OnboardingStepCode,
  status: StoredStepStatus,
  completedAt: string | null,
) {
  await tx.query(
    `UPDATE agents.onboarding_step SET status = $3, completed_at = COALESCE($4, completed_at), lease_until = NULL
     WHERE agent_id = $1 AND step = $2`,
    [agentId, step, status, completedAt],
  );
}

/** Who made the agent's last status change (the E&O lapse job, or someone else). */
export async function lastStatusChangeActor(tx: Db, agentId: string): Promise<string | undefined> {
  const row = await tx.one<{ actor: string }>(
    `SELECT actor FROM agents.agent_event WHERE agent_id = $1 AND type = 'STATUS_CHANGED' ORDER BY id DESC LIMIT 1`,
    [agentId],
  );
  return row?.actor;
}

export async function setAgentStatus(tx: Db, agentId: string, status: string): Promise<void> {
  await tx.query(`UPDATE agents.agent SET status = $2 WHERE id = $1`, [agentId, status]);
}

/** The agent row's E&O expiry (what eligibility reads) follows the coverage recorded in onboarding. */
export async function setAgentEoExpiresOn(tx: Db, agentId: string, expiresOn: string): Promise<void> {
  await tx.query(`UPDATE agents.agent SET eo_expires_on = $2 WHERE id = $1`, [agentId, expiresOn]);
}

export async function setAgentAmlTrainedOn(tx: Db, agentId: string, day: string): Promise<void> {
  await tx.query(`UPDATE agents.agent SET aml_trained_on = $2 WHERE id = $1`, [agentId, day]);
}

/**
 * Leases up to `limit` complete E&O steps whose coverage ended before `today` and that no replica
 * holds: one UPDATE ... FOR UPDATE SKIP LOCKED pushing lease_until ahead. Returns their agent ids.
 */
export async function claimLapsedEo(db: Db, today: string, limit: number, leaseSeconds: number): Promise<string[]> {
  const rows = await db.query<{ agentId: string }>(
    `UPDATE agents.onboarding_step SET lease_until = now() + make_interval(secs => $3)
     WHERE step = 'EO_COVERAGE' AND agent_id IN (
       SELECT agent_id FROM agents.onboarding_step
       WHERE step = 'EO_COVERAGE' AND status = 'COMPLETE' AND expires_on < $1::date AND (lease_until IS NULL OR lease_until < now())
       ORDER BY expires_on, agent_id LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING agent_id AS "agentId"`,
    [today, limit, leaseSeconds],
  );
  return rows.map((r) => r.agentId);
}

/** Per agent not TERMINATED, the facts its stage follows, grouped: one statement, a handful of rows. */
export interface StageSummaryRow {
  requiredComplete: number;
  anyRecorded: boolean;
  lapsed: boolean;
  inReview: boolean;
  agents: number;
}

export async function stageSummaries(db: Db, today: string, required: readonly OnboardingStepCode[]): Promise<StageSummaryRow[]> {
  return db.query<StageSummaryRow>(
    `WITH per_agent AS (
       SELECT a.id,
         count(s.step) FILTER (WHERE s.step = ANY($2) AND s.status = 'COMPLETE' AND (s.expires_on IS NULL OR s.expires_on >= $1::date))::int AS "requiredComplete",
         count(s.step) > 0 AS "anyRecorded",
         coalesce(bool_or(s.step = ANY($2) AND (s.status = 'EXPIRED' OR (s.status = 'COMPLETE' AND s.expires_on < $1::date))), false) AS lapsed,
         coalesce(bool_or(s.step = ANY($2) AND s.status = 'IN_REVIEW'), false) AS "inReview"
       FROM agents.agent a LEFT JOIN agents.onboarding_step s ON s.agent_id = a.id
       WHERE a.status <> 'TERMINATED'
       GROUP BY a.id)
     SELECT "requiredComplete", "anyRecorded", lapsed, "inReview", count(*)::int AS agents
     FROM per_agent GROUP BY 1, 2, 3, 4`,
    [today, required],
  );
}
