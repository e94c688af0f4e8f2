/**
 * The SQL of commissions: a case's writing agents (cases.case_writing_agent), the commission ledger
 * (cases.commission, rows only inserted, the unique key making every booking idempotent), the
 * commission job's leases on the case row, its exceptions, the chargeback terms kept at booking,
 * lapses, payout batches, statements and metrics. Functions take the Db (or the transaction).
 */
import type { Db } from '../../shared/db';
import type { CommissionRoleCode, CommissionTransactionCode } from '../../shared/vocabulary';
import type { CommissionLine, LapseChargebackRule, WritingShare } from '../domain/commissions';

export interface WritingAgentRow {
  caseId: string;
  agentId: string;
  splitBasisPoints: number;
}

/** A case's writing agents and their splits, in one statement (inside the submission's transaction). */
export async function insertWritingAgents(tx: Db, caseId: string, shares: readonly WritingShare[]): Promise<void> {
  await tx.query(
    `INSERT INTO cases.case_writing_agent (case_id, agent_id, split_basis_points)
     SELECT $1, agent_id, split FROM unnest($2::text[], $3::int[]) AS s (agent_id, split)`,
    [caseId, shares.map((share) => share.agentId), shares.map((share) => share.splitBasisPoints)],
  );
}

export const writingAgentsByCaseIds = (db: Db, caseIds: readonly string[]): Promise<WritingAgentRow[]> =>
  db.query<WritingAgentRow>(
    `SELECT case_id AS "caseId", agent_id AS "agentId", split_basis_points AS "splitBasisPoints"
       FROM cases.case_writing_agent WHERE case_id = ANY($1) ORDER BY case_id, split_basis_points DESC, agent_id`,
    [caseIds],
  );

/** A case the commission job leased: BOOK its first-year lines (placed), or REVERSE them (not taken after placement). */
export interface DueCommission {
  id: string;
  kind: 'BOOK' | 'REVERSE';
  agentId: string;
  carrierId: string;
  productId: string;
  submittedAt: string;
  placedAt: string | null;
  annualPremiumCents: number;
}

/** The partial index case_commission_due_idx's predicate, word for word (the planner matches it). */
const DUE = `((status = 'PLACED' AND commission_booked_at IS NULL)
           OR (status = 'NOT_TAKEN' AND commission_booked_at IS NOT NULL AND commission_reversed_at IS NULL))`;

/**
 * Leases the cases due to the commission job: pushes commission_due_at ahead by the lease in one
 * UPDATE ... FOR UPDATE SKIP LOCKED, so replicas never take the same case at once. A placement after
 * `now` (a test's clock) is not due yet; `carrierIds` keeps a job to some carriers' cases.
 */
export const claimDueCommissions = (
  db: Db,
  now: string,
  leaseSeconds: number,
  batchSize: number,
  carrierIds: readonly string[] | null = null,
): Promise<DueCommission[]> =>
  db.query<DueCommission>(
    `UPDATE cases."case" c SET commission_due_at = $1::timestamptz + make_interval(secs => $2)
      WHERE c.id IN (SELECT id FROM cases."case"
                      WHERE ${DUE} AND (commission_due_at IS NULL OR commission_due_at <= $1::timestamptz)
                        AND (placed_at IS NULL OR placed_at <= $1::timestamptz)
                        AND ($4::text[] IS NULL OR carrier_id = ANY($4))
                      ORDER BY commission_due_at NULLS FIRST, id LIMIT $3 FOR NO KEY UPDATE SKIP LOCKED)
      RETURNING c.id, CASE WHEN c.status = 'PLACED' THEN 'BOOK' ELSE 'REVERSE' END AS kind, c.agent_id AS "agentId",
        c.carrier_id AS "carrierId", c.product_id AS "productId", c.submitted_at AS "submittedAt", c.placed_at AS "placedAt",
        c.annual_premium_cents AS "annualPremiumCents"`,
    [now, leaseSeconds, batchSize, carrierIds],
  );

/** The case row as the job sees it, locked for the booking's transaction. */
export const lockCommissionCase = (tx: Db, caseId: string) =>
  tx.one<{
    status: string;
    carrierId: string;
    placedAt: string | null;
    annualPremiumCents: number;
    bookedAt: string | null;
    reversedAt: string | null;
  }>(
    `SELECT status, carrier_id AS "carrierId", placed_at AS "placedAt", annual_premium_cents AS "annualPremiumCents",
            commission_booked_at AS "bookedAt", commission_reversed_at AS "reversedAt"
       FROM cases."case" WHERE id = $1 FOR NO KEY UPDATE`,
    [caseId],
  );

/** Writes ledger lines in one statement; a line already booked (the unique key) is left as it is. Returns how many were written. */
export async function insertCommissionLines(
  tx: Db,
  c: { caseId: string; carrierId: string; transaction: CommissionTransactionCode; policyYear: number; period: string; at: string },
  lines: readonly CommissionLine[],
): Promise<number> {
  if (!lines.length) return 0;
  const column = <K extends keyof CommissionLine>(key: K) => lines.map((line) => line[key]);
  const written = await tx.query(
    `INSERT INTO cases.commission (case_id, carrier_id, party_id, role, writing_agent_id, transaction, policy_year, premium_cents,
       split_basis_points, rate_basis_points, amount_cents, period, level_code, computed_at)
     SELECT $1, $2, party_id, role, writing_agent_id, $3, $4, premium, split, rate, amount, $5, level_code, $6
       FROM unnest($7::text[], $8::text[], $9::text[], $10::bigint[], $11::int[], $12::int[], $13::bigint[], $14::text[])
            WITH ORDINALITY AS l (party_id, role, writing_agent_id, premium, split, rate, amount, level_code, n)
      ORDER BY n
     ON CONFLICT (case_id, transaction, policy_year, role, party_id, writing_agent_id) DO NOTHING
     RETURNING id`,
    [
      c.caseId,
      c.carrierId,
      c.transaction,
      c.policyYear,
      c.period,
      c.at,
      column('partyId'),
      column('role'),
      column('writingAgentId'),
      column('premiumCents'),
      column('splitBasisPoints'),
      column('rateBasisPoints'),
      column('amountCents'),
      column('levelCode'),
    ],
  );
  return written.length;
}

/** A case's first-year lines, as booked. */
export const firstYearLinesOfCase = (db: Db, caseId: string): Promise<CommissionLine[]> =>
  db.query<CommissionLine>(
    `SELECT party_id AS "partyId", role, writing_agent_id AS "writingAgentId", premium_cents::int AS "premiumCents",
            split_basis_points AS "splitBasisPoints", rate_basis_points AS "rateBasisPoints", amount_cents::int AS "amountCents",
            level_code AS "levelCode"
       FROM cases.commission WHERE case_id = $1 AND transaction = 'FIRST_YEAR' AND policy_year = 1 ORDER BY id`,
    [caseId],
  );

/** The first-year lines are booked: the chargeback terms kept, the case out of the job's index, its exception gone. */
export async function markBooked(
  tx: Db,
  caseId: string,
  terms: { asOf: string; chargebackMonths: number; lapseChargeback: LapseChargebackRule },
  at: string,
): Promise<void> {
  await tx.query(
    `WITH terms AS (
       INSERT INTO cases.commission_terms (case_id, as_of, chargeback_months, lapse_chargeback, booked_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (case_id) DO NOTHING),
     gone AS (DELETE FROM cases.commission_exception WHERE case_id = $1)
     UPDATE cases."case" SET commission_booked_at = $5, commission_due_at = NULL WHERE id = $1`,
    [caseId, terms.asOf, terms.chargebackMonths, terms.lapseChargeback, at],
  );
}

/** The first-year lines are charged back (not taken, or a lapse): the case leaves the job's index. */
export async function markReversed(tx: Db, caseId: string, at: string): Promise<void> {
  await tx.query(`UPDATE cases."case" SET commission_reversed_at = $2, commission_due_at = NULL WHERE id = $1`, [caseId, at]);
}

/** Commissions could not be computed: the reason listed for staff, and the case retried after a delay growing with the attempts. */
export async function recordCommissionException(
  db: Db,
  caseId: string,
  reason: string,
  at: string,
  maxDelaySeconds: number,
): Promise<void> {
  await db.query(
    `WITH e AS (
       INSERT INTO cases.commission_exception (case_id, reason, attempts, first_at, last_at) VALUES ($1, $2, 1, $3, $3)
       ON CONFLICT (case_id) DO UPDATE SET reason = EXCLUDED.reason, attempts = cases.commission_exception.attempts + 1, last_at = EXCLUDED.last_at
       RETURNING attempts)
     UPDATE cases."case" SET commission_due_at = $3::timestamptz + make_interval(secs => least($4, 60 * power(2, (SELECT attempts FROM e) - 1)))
      WHERE id = $1`,
    [caseId, reason.slice(0, 500), at, maxDelaySeconds],
  );
}

export interface CommissionExceptionRow {
  caseId: string;
  reason: string;
  attempts: number;
  firstAt: string;
  lastAt: string;
}

/** Placed cases whose commissions could not be computed, oldest first (a case no longer placed drops out of the list). */
export const commissionExceptions = (db: Db, limit: number): Promise<CommissionExceptionRow[]> =>
  db.query<CommissionExceptionRow>(
    `SELECT e.case_id AS "caseId", e.reason, e.attempts, e.first_at AS "firstAt", e.last_at AS "lastAt"
       FROM cases.commission_exception e JOIN cases."case" c ON c.id = e.case_id
      WHERE c.status = 'PLACED' AND c.commission_booked_at IS NULL
      ORDER BY e.first_at, e.case_id LIMIT $1`,
    [limit],
  );

export interface CommissionTermsRow {
  asOf: string;
  chargebackMonths: number;
  lapseChargeback: LapseChargebackRule;
}

export const commissionTermsOf = (db: Db, caseId: string): Promise<CommissionTermsRow | undefined> =>
  db.one<CommissionTermsRow>(
    `SELECT to_char(as_of, 'YYYY-MM-DD') AS "asOf", chargeback_months AS "chargebackMonths", lapse_chargeback AS "lapseChargeback"
       FROM cases.commission_terms WHERE case_id = $1`,
    [caseId],
  );

export interface PolicyLapseRow {
  caseId: string;
  lapsedOn: string;
  paidMonths: number;
  chargebackCents: number;
  recordedBy: string;
  recordedAt: string;
}

const LAPSE_COLUMNS = `case_id AS "caseId", to_char(lapsed_on, 'YYYY-MM-DD') AS "lapsedOn", paid_months AS "paidMonths",
  chargeback_cents::int AS "chargebackCents", recorded_by AS "recordedBy", recorded_at AS "recordedAt"`;

export const policyLapseOf = (db: Db, caseId: string): Promise<PolicyLapseRow | undefined> =>
  db.one<PolicyLapseRow>(`SELECT ${LAPSE_COLUMNS} FROM cases.policy_lapse WHERE case_id = $1`, [caseId]);

export const insertPolicyLapse = (tx: Db, lapse: Omit<PolicyLapseRow, 'recordedAt'>, at: string): Promise<PolicyLapseRow | undefined> =>
  tx.one<PolicyLapseRow>(
    `INSERT INTO cases.policy_lapse (case_id, lapsed_on, paid_months, chargeback_cents, recorded_by, recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${LAPSE_COLUMNS}`,
    [lapse.caseId, lapse.lapsedOn, lapse.paidMonths, lapse.chargebackCents, lapse.recordedBy, at],
  );

/** One line of a statement: the ledger row with its case number. */
export interface CommissionLineRow {
  id: string;
  caseId: string;
  caseNumber: string;
  carrierId: string;
  partyId: string;
  role: CommissionRoleCode;
  writingAgentId: string;
  transaction: CommissionTransactionCode;
  policyYear: number;
  premiumCents: number;
  splitBasisPoints: number;
  rateBasisPoints: number;
  amountCents: number;
  period: string;
  levelCode: string | null;
  computedAt: string;
  payoutBatchId: string | null;
}

/** A party's lines of a period, in booking order: one statement on commission_party_period_idx. */
export const statementLines = (db: Db, partyId: string, period: string): Promise<CommissionLineRow[]> =>
  db.query<CommissionLineRow>(
    `SELECT m.id::text AS id, m.case_id AS "caseId", c.case_number AS "caseNumber", m.carrier_id AS "carrierId", m.party_id AS "partyId",
            m.role, m.writing_agent_id AS "writingAgentId", m.transaction, m.policy_year AS "policyYear", m.premium_cents::int AS "premiumCents",
            m.split_basis_points AS "splitBasisPoints", m.rate_basis_points AS "rateBasisPoints", m.amount_cents::int AS "amountCents",
            m.period, m.level_code AS "levelCode", m.computed_at AS "computedAt", m.payout_batch_id AS "payoutBatchId"
       FROM cases.commission m JOIN cases."case" c ON c.id = m.case_id
      WHERE m.party_id = $1 AND m.period = $2 ORDER BY m.id`,
    [partyId, period],
  );

export interface PayoutBatchRow {
  id: string;
  period: string;
  lineCount: number;
  totalCents: number;
  createdBy: string;
  createdAt: string;
}

const BATCH_COLUMNS = `id, period, line_count AS "lineCount", total_cents::float8 AS "totalCents", created_by AS "createdBy", created_at AS "createdAt"`;

/**
 * The payout batch of a period, made once, in the caller's transaction: the batch row first (a
 * concurrent call for the period waits on it, then finds it made: undefined), then the unpaid lines
 * of the period and earlier (never the BGA's own) marked with it, counted and summed. Two statements.
 */
export async function insertPayoutBatch(tx: Db, id: string, period: string, by: string, at: string): Promise<PayoutBatchRow | undefined> {
  const made = await tx.one(
    `INSERT INTO cases.payout_batch (id, period, line_count, total_cents, created_by, created_at) VALUES ($1, $2, 0, 0, $3, $4)
     ON CONFLICT (period) DO NOTHING RETURNING id`,
    [id, period, by, at],
  );
  if (!made) return undefined;
  return tx.one<PayoutBatchRow>(
    `WITH marked AS (
       UPDATE cases.commission SET payout_batch_id = $1 WHERE payout_batch_id IS NULL AND party_id <> 'BGA' AND period <= $2
       RETURNING amount_cents)
     UPDATE cases.payout_batch SET line_count = (SELECT count(*) FROM marked), total_cents = (SELECT coalesce(sum(amount_cents), 0) FROM marked)
      WHERE id = $1 RETURNING ${BATCH_COLUMNS}`,
    [id, period],
  );
}

export const payoutBatchOfPeriod = (db: Db, period: string): Promise<PayoutBatchRow | undefined> =>
  db.one<PayoutBatchRow>(`SELECT ${BATCH_COLUMNS} FROM cases.payout_batch WHERE period = $1`, [period]);

export const payoutBatchList = (db: Db, limit: number): Promise<PayoutBatchRow[]> =>
  db.query<PayoutBatchRow>(`SELECT ${BATCH_COLUMNS} FROM cases.payout_batch ORDER BY period DESC LIMIT $1`, [limit]);

/** Expected (first-year, all roles: what the carrier pays) and charged back, by carrier and period. */
export interface CommissionPeriodRow {
  carrierId: string;
  period: string;
  expectedCents: number;
  chargebackCents: number;
  cases: number;
}

export const commissionByCarrierPeriod = (
  db: Db,
  from: string,
  to: string,
  carrierIds: readonly string[] | null,
): Promise<CommissionPeriodRow[]> =>
  db.query<CommissionPeriodRow>(
    `SELECT carrier_id AS "carrierId", period,
            coalesce(sum(amount_cents) FILTER (WHERE transaction = 'FIRST_YEAR'), 0)::float8 AS "expectedCents",
            coalesce(sum(amount_cents) FILTER (WHERE transaction = 'CHARGEBACK'), 0)::float8 AS "chargebackCents",
            count(DISTINCT case_id)::int AS cases
       FROM cases.commission
      WHERE period >= $1 AND period <= $2 AND ($3::text[] IS NULL OR carrier_id = ANY($3))
      GROUP BY carrier_id, period ORDER BY period, carrier_id`,
    [from, to, carrierIds],
  );

/**
 * Days from placement to the first payout batch that paid a line of the case, for cases placed in
 * [from, to] (periods) and paid: count, mean and median.
 */
export const placementToFirstPayout = (db: Db, from: string, to: string, carrierIds: readonly string[] | null) =>
  db.one<{ cases: number; meanDays: number | null; medianDays: number | null }>(
    `WITH firsts AS (
       SELECT c.id, extract(epoch FROM min(b.created_at) - c.placed_at) / 86400 AS days
         FROM cases."case" c JOIN cases.commission m ON m.case_id = c.id JOIN cases.payout_batch b ON b.id = m.payout_batch_id
        WHERE c.placed_at IS NOT NULL AND to_char(c.placed_at AT TIME ZONE 'UTC', 'YYYY-MM') BETWEEN $1 AND $2
          AND ($3::text[] IS NULL OR c.carrier_id = ANY($3)) AND m.transaction = 'FIRST_YEAR'
        GROUP BY c.id, c.placed_at)
     SELECT count(*)::int AS cases, round(avg(days)::numeric, 1)::float8 AS "meanDays",
            round((percentile_cont(0.5) WITHIN GROUP (ORDER BY days))::numeric, 1)::float8 AS "medianDays"
       FROM firsts`,
    [from, to, carrierIds],
  );
