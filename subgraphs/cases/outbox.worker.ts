/**
 * Sends submitted applications to their carriers. At-least-once from here, exactly-once at the
 * carrier: every send of a case carries the same reference, which carriers deduplicate. Rows are
 * leased by the polling worker (outbox.repository.ts claimDueApplications), so replicas never send
 * the same row at once and no transaction stays open while the carrier is called. A carrier that is
 * down means backoff and retry, never a lost case.
 *
 * The application lists the requirements already ordered for the case (our ids and codes), so the
 * carrier reports each with our id and carrier sync matches them by identity, never by code.
 *
 * One call per application, to the carriers subgraph, which does the sending: the agent as the
 * submission named them is on the row (the eligibility check recorded it). The agents subgraph is
 * asked only for what it alone can do: the just-in-time appointment a submission asked for.
 */
import type { Cache } from '../../platform/cache';
import type { Logger } from '../../platform/logger';
import { centsToMoney } from '../../platform/scalars';
import { Db, type Pool } from '../shared/db';
import { PollingJob, PollingWorker } from '../shared/polling-worker';
import { bumpMetricsGeneration } from './case-metrics.cache';
import { appendEvent, caseById, closeAsIncomplete, hasEvent, nowIso, setCarrierReference } from './case.repository';
import type { CaseRow } from './case.type';
import { claimDueApplications, markSent, type OutboxRow, retryLater } from './outbox.repository';
import type { AgentsPort, ApplicationAgent } from './ports/agents.port';
import type { CarrierApplication, CarriersPort } from './ports/carriers.port';
import type { Application, CarrierAttachment } from './domain/application';
import { requirementsOfCase } from './requirement.repository';

/** A case's full application and the documents to send with it, or null for a case that has none (legacy: the basics go). */
export type ApplicationLoader = (db: Db, caseId: string) => Promise<{ application: Application; attachments: CarrierAttachment[] } | null>;

/** How much of a carrier's rejection the case's history keeps: room for a carrier's list of not-in-good-order reasons. */
export const REJECTION_NOTE_MAX = 2_000;

export interface OutboxOptions {
  pool: Pool;
  cache: Cache;
  logger: Logger;
  agents: AgentsPort;
  carriers: CarriersPort;
  /** How often to look for due rows (ms). */
  pollMs: number;
  /** How long a claimed row stays leased to this worker before another may retry it (s). */
  leaseSeconds?: number;
  batchSize?: number;
  /**
   * The full application of a case (the application subgraph's draft and its signed PDF), read when
   * the row is sent. Absent, or null for a case: the carrier gets the basics, as before. Personal
   * data: never logged.
   */
  loadApplication?: ApplicationLoader;
}

/** Exponential backoff: 2 s, 4 s, 8 s … capped at 5 minutes. */
export const backoffSeconds = (attempts: number) => Math.min(300, 2 ** Math.min(attempts, 9));

/** The application of a case, as the carriers port takes it. */
function application(row: OutboxRow, caseRow: CaseRow, agent: ApplicationAgent | null): CarrierApplication {
  return {
    reference: row.reference,
    caseId: caseRow.id,
    carrierId: caseRow.carrierId,
    productId: caseRow.productId,
    insured: {
      firstName: caseRow.insuredFirstName,
      lastName: caseRow.insuredLastName,
      birthDate: caseRow.insuredBirthDate,
      gender: caseRow.insuredGender,
      state: caseRow.insuredState,
      tobacco: caseRow.insuredTobacco,
    },
    faceAmount: caseRow.faceAmount,
    termYears: caseRow.termYears,
    healthClass: caseRow.appliedHealthClass,
    tableRating: caseRow.tableRating,
    paymentMode: caseRow.paymentMode,
    annualPremium: centsToMoney(caseRow.annualPremiumCents),
    agent: { id: caseRow.agentId, npn: agent?.npn ?? '0', writingNumber: agent?.writingNumber ?? null },
  };
}

export class OutboxWorker extends PollingJob<OutboxRow> {
  private readonly db: Db;
  protected readonly worker: PollingWorker<OutboxRow>;

  constructor(private readonly options: OutboxOptions) {
    super();
    this.db = new Db(options.pool);
    this.worker = new PollingWorker<OutboxRow>({
      name: 'outbox',
      intervalMs: options.pollMs,
      logger: options.logger,
      claim: () => claimDueApplications(this.db, options.leaseSeconds ?? 60, options.batchSize ?? 20),
      work: async (rows) => {
        for (const row of rows) await this.send(row);
      },
    });
  }

  private async send(row: OutboxRow): Promise<void> {
    const { logger, agents, carriers } = this.options;
    try {
      // Inside the try: a database gone between the claim and this read used to reject the whole
      // pass, and the timer's `void runOnce()` turned that into an unhandled rejection that ended
      // the process (found by test:chaos). The row's lease brings it back.
      const caseRow = await caseById(this.db, row.caseId);
      if (!caseRow) return;
      const key = { agentId: caseRow.agentId, carrierId: caseRow.carrierId, state: caseRow.insuredState };
      // Idempotent at the agents subgraph: asking again after a crash is harmless. The application
      // date (the case's submission, UTC) starts the carrier's 15-day filing deadline, whenever the outbox runs.
      if (await hasEvent(this.db, row.caseId, 'APPOINTMENT_REQUESTED'))
        await agents.requestAppointment(key, new Date(caseRow.submittedAt).toISOString().slice(0, 10));
      const agent = row.agentNpn !== null ? { npn: row.agentNpn, writingNumber: row.writingNumber } : await agents.applicationAgent(key);
      const full = (await this.options.loadApplication?.(this.db, row.caseId)) ?? null;
      // What we already ordered goes with the application, each with our id: the carrier keeps it as its requirement's reference.
      const ordered = (await requirementsOfCase(this.db, row.caseId)).filter((r) => r.status === 'ORDERED' || r.status === 'RECEIVED');
      const payload = {
        ...application(row, caseRow, agent),
        ...(ordered.length ? { requirements: ordered.reverse().map((r) => ({ id: r.id, code: r.code })) } : {}),
      };
      const result = await carriers.sendApplication(
        full ? { ...payload, application: full.application, attachments: full.attachments } : payload,
      );
      if (result.accepted) await this.accepted(row, result.carrierReference!, result.message);
      else if (result.retryable) await this.retryLater(row, `${result.failureCode}: ${result.message ?? ''}`);
      else await this.rejected(row, caseRow, result.message ?? 'rejected by the carrier');
    } catch (error) {
      // A subgraph or the carrier is unreachable: keep the row and try again later with the same reference.
      await this.retryLater(row, (error as Error).message);
    }
    logger.debug({ caseId: row.caseId, attempts: row.attempts }, 'outbox: row handled');
  }

  private async accepted(row: OutboxRow, carrierReference: string, message: string | null): Promise<void> {
    await this.db.transaction(async (tx) => {
      await setCarrierReference(tx, row.caseId, carrierReference);
      await appendEvent(tx, {
        caseId: row.caseId,
        at: nowIso(),
        type: 'SUBMITTED_TO_CARRIER',
        actor: 'system:outbox',
        note: message ? `${carrierReference}: ${message}`.slice(0, 500) : carrierReference,
      });
      await markSent(tx, row.id, null);
    });
  }

  private async rejected(row: OutboxRow, caseRow: CaseRow, message: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const at = nowIso();
      const closes = caseRow.status === 'SUBMITTED';
      if (closes) await closeAsIncomplete(tx, row.caseId, at);
      await appendEvent(tx, {
        caseId: row.caseId,
        at,
        type: 'SUBMISSION_REJECTED',
        actor: `carrier:${caseRow.carrierId}`,
        fromStatus: closes ? caseRow.status : null,
        toStatus: closes ? 'INCOMPLETE' : null,
        note: message.slice(0, REJECTION_NOTE_MAX),
      });
      await markSent(tx, row.id, message.slice(0, REJECTION_NOTE_MAX));
    });
    await bumpMetricsGeneration(this.options.cache);
  }

  private async retryLater(row: OutboxRow, reason: string): Promise<void> {
    // If even this fails, the lease expires and the row comes back.
    await retryLater(this.db, row.id, backoffSeconds(row.attempts), reason.slice(0, 500)).catch(() => undefined);
  }
}
