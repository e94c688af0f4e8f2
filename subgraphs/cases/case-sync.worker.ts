/**
 * Carrier sync: pulls what carriers report about the open cases they accepted and applies it (the
 * carrier wins: domain/carrier-sync.ts plans the steps). Statuses are asked in one batched call per
 * carrier, and each case is applied in its own short transaction. The periodic worker leases due
 * cases (case.repository.ts claimDueSyncs), so two replicas never sync the same case at once. A
 * carrier's push (carrier-push.route.ts) applies one case the same way, within seconds.
 */
import type { Cache } from '../../platform/cache';
import type { Logger } from '../../platform/logger';
import { Db, type Pool } from '../shared/db';
import { PollingWorker } from '../shared/polling-worker';
import { bumpMetricsGeneration } from './case-metrics.cache';
import { formatMoney, parseMoney } from '../../platform/money';
import { applySyncSteps, carrierSyncNotes, caseById, claimDueSyncs, lockCase, nowIso } from './case.repository';
import type { CaseRow } from './case.type';
import { changedTerms, eventsOf, planSync, type TermsPricing } from './domain/carrier-sync';
import type { CarrierSnapshot, CarriersPort } from './ports/carriers.port';
import { requirementsOfCase } from './requirement.repository';

/**
 * The price of the terms a carrier approved, from the carrier's own rates (the carriers port's
 * price, as at submission: a rated class prices off Standard with its table, a flat extra added),
 * when they change the case; undefined when they do not (or no port is given). Asked before the
 * case's transaction: no lock is held while a carrier is called.
 */
export async function priceApprovedTerms(
  carriers: CarriersPort | undefined,
  row: CaseRow,
  snapshot: CarrierSnapshot,
): Promise<TermsPricing | undefined> {
  const terms = changedTerms(row, snapshot);
  if (!terms || !carriers) return undefined;
  try {
    const pricing = await carriers.price({
      carrierId: row.carrierId,
      productId: row.productId,
      insured: { birthDate: row.insuredBirthDate, gender: row.insuredGender, state: row.insuredState, tobacco: row.insuredTobacco },
      healthClass: terms.healthClass ?? 'STANDARD',
      tableRating: terms.tableRating,
      faceAmount: terms.faceAmount,
      termYears: row.termYears,
      paymentMode: row.paymentMode,
      ...(terms.flatExtraPerThousandCents > 0
        ? { flatExtraPerThousand: formatMoney(terms.flatExtraPerThousandCents), flatExtraYears: terms.flatExtraYears }
        : {}),
    });
    if (pricing.priced)
      return { priced: true, annualPremiumCents: parseMoney(pricing.annualPremium), modalPremiumCents: parseMoney(pricing.modalPremium) };
    return {
      priced: false,
      carrierDown: pricing.carrierDown,
      message: pricing.message ?? `the carrier could not price them (${pricing.carrierStatus ?? 'no answer'})`,
    };
  } catch (error) {
    // The carriers subgraph is unreachable: the terms wait for the next sync, when they can be priced.
    return { priced: false, carrierDown: true, message: (error as Error).message };
  }
}

/**
 * The changes one snapshot makes to one case, applied in one transaction. With the carriers port,
 * approved terms that change the case are priced first (priceApprovedTerms) and written re-priced.
 * Returns how many events it wrote.
 */
export async function applySnapshot(
  db: Db,
  caseId: string,
  snapshot: CarrierSnapshot,
  logger: Logger,
  carriers?: CarriersPort,
): Promise<number> {
  // Only a report with approved terms may need a price: no extra read for the others.
  const before = carriers && snapshot.approvedTerms ? await caseById(db, caseId) : undefined;
  const pricing = before ? await priceApprovedTerms(carriers, before, snapshot) : undefined;
  return db.transaction(async (tx) => {
    const row = await lockCase(tx, caseId);
    if (!row) return 0;
    const at = nowIso();
    const steps = planSync(row, await requirementsOfCase(tx, caseId), await carrierSyncNotes(tx, caseId), snapshot, at, pricing);
    for (const step of steps)
      if (step.kind === 'note') logger.warn({ caseId, carrierId: row.carrierId, note: step.note }, 'carrier sync: noted, not applied');
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
        if (target) written += await applySnapshot(deps.db, target.id, snapshot, deps.logger, deps.carriers);
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
