/**
 * Carrier sync: pulls what carriers report about the open cases they accepted and applies it (the
 * carrier wins: domain/carrier-sync.ts plans the steps). Statuses are asked in one batched call per
 * carrier, and each case is applied in its own short transaction. The periodic worker leases due
 * cases (case.repository.ts claimDueSyncs), so two replicas never sync the same case at once.
 */
import type { Cache } from '../../platform/cache';
import type { Logger } from '../../platform/logger';
import { Db, type Pool } from '../shared/db';
import { PollingWorker } from '../shared/polling-worker';
import { bumpMetricsGeneration } from './case-metrics.cache';
import { applySyncSteps, carrierSyncNotes, claimDueSyncs, lockCase, nowIso } from './case.repository';
import type { CaseRow } from './case.type';
import { eventsOf, planSync } from './domain/carrier-sync';
import type { CarrierSnapshot, CarriersPort } from './ports/carriers.port';
import { requirementsOfCase } from './requirement.repository';

/** The changes one snapshot makes to one case, applied in one transaction. Returns how many events it wrote. */
export async function applySnapshot(db: Db, caseId: string, snapshot: CarrierSnapshot, logger: Logger): Promise<number> {
  return db.transaction(async (tx) => {
    const row = await lockCase(tx, caseId);
    if (!row) return 0;
    const at = nowIso();
    const steps = planSync(row, await requirementsOfCase(tx, caseId), await carrierSyncNotes(tx, caseId), snapshot, at);
    for (const step of steps)
      if (step.kind === 'note') logger.warn({ caseId, carrierId: row.carrierId, note: step.note }, 'carrier sync: unknown carrier code');
    await applySyncSteps(tx, caseId, `carrier:${row.carrierId}`, at, steps);
    return eventsOf(steps);
  });
}

type SyncTarget = Pick<CaseRow, 'id' | 'carrierId' | 'carrierReference'>;

/** Asks each carrier once for all of its cases here, then applies each answer. */
export async function syncCases(
  deps: { db: Db; cache: Cache; logger: Logger; carriers: CarriersPort },
  cases: readonly SyncTarget[],
): Promise<number> {
  const byCarrier = new Map<string, SyncTarget[]>();
  for (const c of cases) if (c.carrierReference) byCarrier.set(c.carrierId, [...(byCarrier.get(c.carrierId) ?? []), c]);
  let written = 0;
  await Promise.all(
    [...byCarrier].map(async ([carrierId, group]) => {
      const snapshots = await deps.carriers.caseSnapshots(
        carrierId,
        group.map((c) => c.carrierReference!),
      );
      for (const snapshot of snapshots) {
        const target = group.find((c) => c.carrierReference === snapshot.carrierReference);
        if (target) written += await applySnapshot(deps.db, target.id, snapshot, deps.logger);
      }
    }),
  );
  if (written > 0) await bumpMetricsGeneration(deps.cache);
  return written;
}

export interface SyncWorkerOptions {
  pool: Pool;
  cache: Cache;
  logger: Logger;
  carriers: CarriersPort;
  /** How often to look for due cases (ms); a case is due once its last sync is older than this. */
  intervalMs: number;
  batchSize?: number;
}

/** Pulls carrier status for open cases the carrier has accepted, oldest sync first, every intervalMs. */
export function createSyncWorker(options: SyncWorkerOptions): PollingWorker<SyncTarget> {
  const db = new Db(options.pool);
  return new PollingWorker<SyncTarget>({
    name: 'carrier sync',
    intervalMs: options.intervalMs,
    logger: options.logger,
    claim: () => claimDueSyncs(db, Math.round(options.intervalMs / 1000), options.batchSize ?? 100),
    work: async (due) => {
      await syncCases({ ...options, db }, due);
    },
  });
}
