/**
 * One agent's license sync: ask the producer database (outside any transaction), then, in ONE
 * transaction serialized per agent, read ours, plan (domain/license-sync.ts), apply the plan, open the
 * discrepancies, close the ones that agree again, append an agent event per change and record the
 * sync. An NPN the producer database does not know changes nothing but opens (once) an NPN_NOT_FOUND
 * alert; an unreachable database records the failed attempt only.
 */
import { todayUtc } from '../../../platform/dates';
import { newId } from '../../../platform/ids';
import type { Db } from '../../shared/db';
import {
  type LicenseSyncPlan,
  type PlannedDiscrepancy,
  type PlannedEvent,
  planLicenseSync,
  SELF_RESOLVING_DISCREPANCIES,
} from '../domain/license-sync';
import { appendAgentEvents, type NewAgentEvent } from '../events/agent-event.repository';
import { type ProducerDatabase, ProducerDatabaseError } from '../ports/producer-database.port';
import {
  appointmentsOf,
  carrierIdsByCompanyCode,
  type DiscrepancyRow,
  deleteLicenses,
  insertLicenses,
  insertPdbAppointments,
  licensesOf,
  lockAgentSync,
  openDiscrepancies,
  recordSync,
  resolveAgreedDiscrepancies,
  terminatePdbAppointments,
  updateLicenses,
} from './license-sync.repository';

export interface LicenseSyncSummary {
  agentId: string;
  syncedAt: string;
  licensesAdded: number;
  licensesChanged: number;
  licensesRemoved: number;
  appointmentsAdded: number;
  appointmentsTerminated: number;
  /** The events appended: one per change, then one per newly opened discrepancy. */
  changes: PlannedEvent[];
  /** Discrepancies this sync opened (ones already open are not repeated). */
  discrepancies: DiscrepancyRow[];
  /** Discrepancies this sync found agreeing again and closed. */
  discrepanciesResolved: number;
  unknownCompanyCodes: string[];
}

export type LicenseSyncResult =
  | { outcome: 'SYNCED'; summary: LicenseSyncSummary }
  /** The producer database does not know the agent's NPN: nothing changed; `alert` is the open NPN_NOT_FOUND discrepancy when this sync opened it. */
  | { outcome: 'NPN_NOT_FOUND'; alert: DiscrepancyRow | undefined };

const NPN_NOT_FOUND_NOTE = "the producer database has no producer with this agent's NPN";

const discrepancyEvent = (agentId: string, actor: string, d: DiscrepancyRow): NewAgentEvent => ({
  agentId,
  type: 'LICENSING_DISCREPANCY',
  actor,
  state: d.state,
  carrierId: d.carrierId,
  toStatus: d.kind,
  note: d.note,
});

/**
 * Syncs one agent's licenses and appointments from the producer database. Throws
 * ProducerDatabaseError (PDB.UNAVAILABLE, PDB.REJECTED) when the database cannot answer, after
 * recording the failed attempt.
 */
export async function syncAgentLicenses(
  deps: { db: Db; pdb: ProducerDatabase },
  agent: { id: string; npn: string },
  actor: string,
  today: string = todayUtc(),
): Promise<LicenseSyncResult> {
  const { db, pdb } = deps;
  let report: Awaited<ReturnType<ProducerDatabase['producer']>>;
  try {
    report = await pdb.producer(agent.npn);
  } catch (error) {
    if (error instanceof ProducerDatabaseError && error.code === 'PDB.NPN_NOT_FOUND') {
      const alert = await db.transaction(async (tx) => {
        await lockAgentSync(tx, agent.id);
        const notFound: PlannedDiscrepancy = { kind: 'NPN_NOT_FOUND', state: null, carrierId: null, note: NPN_NOT_FOUND_NOTE };
        const [opened] = await openDiscrepancies(tx, agent.id, [notFound]);
        if (opened) await appendAgentEvents(tx, [discrepancyEvent(agent.id, actor, opened)]);
        await recordSync(tx, agent.id, 'NPN_NOT_FOUND');
        return opened;
      });
      return { outcome: 'NPN_NOT_FOUND', alert };
    }
    await recordSync(db, agent.id, 'FAILED').catch(() => undefined);
    throw error;
  }
  const summary = await db.transaction(async (tx) => {
    await lockAgentSync(tx, agent.id);
    const [licenses, appointments, carrierIdByCompanyCode] = [
      await licensesOf(tx, agent.id),
      await appointmentsOf(tx, agent.id),
      await carrierIdsByCompanyCode(tx),
    ];
    const plan = planLicenseSync({
      licenses,
      appointments,
      theirs: { licenses: report.licenses, appointments: report.appointments },
      carrierIdByCompanyCode,
      today,
    });
    return applyPlan(tx, agent.id, actor, plan);
  });
  return { outcome: 'SYNCED', summary };
}

async function applyPlan(tx: Db, agentId: string, actor: string, plan: LicenseSyncPlan): Promise<LicenseSyncSummary> {
  await insertLicenses(
    tx,
    agentId,
    plan.licenses.added.map((license) => ({ ...license, id: newId('license') })),
  );
  await updateLicenses(tx, agentId, plan.licenses.changed);
  await deleteLicenses(
    tx,
    agentId,
    plan.licenses.removed.map((license) => license.id),
  );
  const newAppointments = plan.appointments.added.map((row) => ({ ...row, id: newId('appointment') }));
  const inserted = await insertPdbAppointments(tx, agentId, newAppointments);
  // A live appointment the appointments flow made meanwhile won the live index: no row, so no event for it.
  const lost = new Set(newAppointments.filter((row) => !inserted.has(row.id)).map((row) => `${row.carrierId}/${row.state}`));
  const planned = plan.events.filter((event) => !(event.type.startsWith('APPOINTMENT_') && lost.has(`${event.carrierId}/${event.state}`)));
  await terminatePdbAppointments(tx, agentId, plan.appointments.terminated);
  const opened = await openDiscrepancies(tx, agentId, plan.discrepancies);
  const resolved = await resolveAgreedDiscrepancies(tx, agentId, SELF_RESOLVING_DISCREPANCIES, plan.discrepancies, actor);
  const events: NewAgentEvent[] = [
    ...planned.map((event) => ({ agentId, actor, ...event })),
    ...opened.map((d) => discrepancyEvent(agentId, actor, d)),
  ];
  await appendAgentEvents(tx, events);
  const syncedAt = await recordSync(tx, agentId, 'SYNCED');
  return {
    agentId,
    syncedAt,
    licensesAdded: plan.licenses.added.length,
    licensesChanged: plan.licenses.changed.length,
    licensesRemoved: plan.licenses.removed.length,
    appointmentsAdded: inserted.size,
    appointmentsTerminated: plan.appointments.terminated.length,
    changes: events.map(({ type, state, carrierId, fromStatus, toStatus, note }) => ({
      type,
      state: state ?? null,
      carrierId: carrierId ?? null,
      fromStatus: fromStatus ?? null,
      toStatus: toStatus ?? null,
      note: note ?? '',
    })),
    discrepancies: opened,
    discrepanciesResolved: resolved,
    unknownCompanyCodes: plan.unknownCompanyCodes,
  };
}
