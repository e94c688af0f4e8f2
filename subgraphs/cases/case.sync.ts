/**
 * Carrier sync: the carrier is the system of record for underwriting, so what it reports wins. Its
 * status and requirements are applied as CARRIER_SYNC events (actor carrier:<carrierId>), one per
 * change, even when the case jumps several steps (SUBMITTED -> ISSUED). Codes we do not know are
 * recorded once as a note and reported in the log, never fatal. Statuses are asked in one batched
 * call per carrier, and each case is applied in its own short transaction.
 */
import type { Cache } from '../../platform/cache';
import { Db } from '../shared/db';
import type { CaseStatus, RequirementCode, RequirementStatus } from '../shared/enums';
import type { Logger } from '../../platform/logger';
import type { SupergraphClient } from '../shared/supergraph-client';
import { stampsFor } from './case-status';
import { appendEvent, bumpMetricsGeneration, nowIso } from './case.history';
import { CASE_COLUMNS, REQUIREMENT_COLUMNS } from './case.loader';
import type { CaseRow, RequirementRow } from './case.type';
import { followUpOn } from './requirement.rules';
import { newId } from '../../platform/ids';

export interface CarrierSnapshot {
  carrierReference: string;
  status: CaseStatus | null;
  carrierStatusCode: string;
  policyNumber: string | null;
  requirements: {
    code: RequirementCode | null;
    carrierCode: string;
    status: RequirementStatus | null;
    requestedOn: string | null;
    fulfilledOn: string | null;
  }[];
}

const SNAPSHOTS = `query Sync($carrierId: ID!, $refs: [String!]!) {
  carrierCaseSnapshots(carrierId: $carrierId, carrierReferences: $refs) {
    carrierReference status carrierStatusCode policyNumber requirements { code carrierCode status requestedOn fulfilledOn }
  }
}`;

/** The changes one snapshot makes to one case, applied in one transaction. Returns how many events it wrote. */
export async function applySnapshot(db: Db, caseId: string, snapshot: CarrierSnapshot, logger: Logger): Promise<number> {
  return db.transaction(async (tx) => {
    const row = await tx.one<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases."case" WHERE id = $1 FOR UPDATE`, [caseId]);
    if (!row) return 0;
    const actor = `carrier:${row.carrierId}`;
    const at = nowIso();
    let written = 0;
    const noted = async (note: string) => {
      // Recorded once: the same unknown code on every sync would bury the history.
      const seen = await tx.one(`SELECT 1 FROM cases.case_event WHERE case_id = $1 AND type = 'CARRIER_SYNC' AND note = $2`, [
        caseId,
        note,
      ]);
      if (seen) return;
      logger.warn({ caseId, carrierId: row.carrierId, note }, 'carrier sync: unknown carrier code');
      await appendEvent(tx, { caseId, at, type: 'CARRIER_SYNC', actor, note });
      written++;
    };

    if (snapshot.status === null) {
      await noted(`unknown carrier status code ${snapshot.carrierStatusCode}`);
    } else if (snapshot.status !== row.status) {
      const stamps = stampsFor(row, snapshot.status, at);
      await tx.query(
        `UPDATE cases."case" SET status = $2, policy_number = COALESCE($3, policy_number), approved_at = COALESCE(approved_at, $4),
            issued_at = COALESCE(issued_at, $5), placed_at = COALESCE(placed_at, $6), closed_at = COALESCE(closed_at, $7), updated_at = $8 WHERE id = $1`,
        [
          caseId,
          snapshot.status,
          snapshot.policyNumber,
          stamps.approvedAt ?? null,
          stamps.issuedAt ?? null,
          stamps.placedAt ?? null,
          stamps.closedAt ?? null,
          at,
        ],
      );
      await appendEvent(tx, {
        caseId,
        at,
        type: 'CARRIER_SYNC',
        actor,
        fromStatus: row.status,
        toStatus: snapshot.status,
        note: `carrier status ${snapshot.carrierStatusCode}`,
      });
      written++;
    } else if (snapshot.policyNumber && snapshot.policyNumber !== row.policyNumber) {
      await tx.query(`UPDATE cases."case" SET policy_number = $2, updated_at = $3 WHERE id = $1`, [caseId, snapshot.policyNumber, at]);
    }

    const ours = await tx.query<RequirementRow>(
      `SELECT ${REQUIREMENT_COLUMNS} FROM cases.requirement WHERE case_id = $1 ORDER BY ordered_at DESC`,
      [caseId],
    );
    for (const theirs of snapshot.requirements) {
      if (theirs.code === null) {
        await noted(`unknown carrier requirement code ${theirs.carrierCode}`);
        continue;
      }
      const status = theirs.status ?? 'ORDERED';
      const mine = ours.find((r) => r.code === theirs.code && r.status !== 'CANCELLED');
      if (!mine) {
        const orderedAt = theirs.requestedOn ? `${theirs.requestedOn}T00:00:00.000Z` : at;
        await tx.query(
          `INSERT INTO cases.requirement (id, case_id, code, status, ordered_at, received_at, follow_up_on, carrier_code) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [
            newId('requirement'),
            caseId,
            theirs.code,
            status,
            orderedAt,
            status === 'RECEIVED' ? (theirs.fulfilledOn ? `${theirs.fulfilledOn}T00:00:00.000Z` : at) : null,
            followUpOn(theirs.code, orderedAt),
            theirs.carrierCode,
          ],
        );
        await appendEvent(tx, {
          caseId,
          at,
          type: 'CARRIER_SYNC',
          actor,
          requirementCode: theirs.code,
          note: `requirement ${status.toLowerCase()} at the carrier`,
        });
        written++;
      } else if (mine.status !== status) {
        await tx.query(
          `UPDATE cases.requirement SET status = $2, received_at = CASE WHEN $2 = 'RECEIVED' THEN COALESCE(received_at, $3::timestamptz) ELSE received_at END WHERE id = $1`,
          [mine.id, status, at],
        );
        await appendEvent(tx, {
          caseId,
          at,
          type: 'CARRIER_SYNC',
          actor,
          requirementCode: theirs.code,
          note: `requirement ${status.toLowerCase()} at the carrier`,
        });
        written++;
      }
    }
    await tx.query(`UPDATE cases."case" SET last_synced_at = $2 WHERE id = $1`, [caseId, at]);
    return written;
  });
}

/** Asks each carrier once for all of its cases here, then applies each answer. */
export async function syncCases(
  deps: { db: Db; cache: Cache; logger: Logger; supergraph: SupergraphClient },
  cases: readonly Pick<CaseRow, 'id' | 'carrierId' | 'carrierReference'>[],
): Promise<number> {
  const byCarrier = new Map<string, Pick<CaseRow, 'id' | 'carrierId' | 'carrierReference'>[]>();
  for (const c of cases) if (c.carrierReference) byCarrier.set(c.carrierId, [...(byCarrier.get(c.carrierId) ?? []), c]);
  let written = 0;
  await Promise.all(
    [...byCarrier].map(async ([carrierId, group]) => {
      const { carrierCaseSnapshots } = await deps.supergraph.request<{ carrierCaseSnapshots: CarrierSnapshot[] }>(SNAPSHOTS, {
        carrierId,
        refs: group.map((c) => c.carrierReference),
      });
      for (const snapshot of carrierCaseSnapshots) {
        const target = group.find((c) => c.carrierReference === snapshot.carrierReference);
        if (target) written += await applySnapshot(deps.db, target.id, snapshot, deps.logger);
      }
    }),
  );
  if (written > 0) await bumpMetricsGeneration(deps.cache);
  return written;
}

/**
 * Pulls carrier status for open cases the carrier has accepted, oldest sync first. Cases are
 * claimed by pushing last_synced_at forward inside one UPDATE ... FOR UPDATE SKIP LOCKED, so two
 * replicas never sync the same case at once.
 */
export class SyncWorker {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private readonly db: Db;

  constructor(
    private readonly deps: {
      pool: import('../shared/db').Pool;
      cache: Cache;
      logger: Logger;
      supergraph: () => SupergraphClient;
      intervalMs: number;
      batchSize?: number;
    },
  ) {
    this.db = new Db(deps.pool);
  }

  start(): void {
    this.timer = setInterval(() => void this.runOnce(), this.deps.intervalMs);
    this.timer.unref();
  }

  runOnce(): Promise<number> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async pass(): Promise<number> {
    try {
      const due = await this.db.query<Pick<CaseRow, 'id' | 'carrierId' | 'carrierReference'>>(
        `UPDATE cases."case" c SET last_synced_at = now()
          WHERE c.id IN (SELECT id FROM cases."case"
                          WHERE carrier_reference IS NOT NULL AND closed_at IS NULL
                            AND (last_synced_at IS NULL OR last_synced_at < now() - make_interval(secs => $1))
                          ORDER BY last_synced_at NULLS FIRST LIMIT $2 FOR UPDATE SKIP LOCKED)
          RETURNING c.id, c.carrier_id AS "carrierId", c.carrier_reference AS "carrierReference"`,
        [Math.round(this.deps.intervalMs / 1000), this.deps.batchSize ?? 100],
      );
      return due.length ? await syncCases({ ...this.deps, db: this.db, supergraph: this.deps.supergraph() }, due) : 0;
    } catch (error) {
      this.deps.logger.warn({ err: (error as Error).message }, 'carrier sync pass failed; will try again');
      return 0;
    }
  }
}
