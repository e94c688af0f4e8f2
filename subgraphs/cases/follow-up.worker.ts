/**
 * The follow-up job: every FOLLOW_UP_INTERVAL_MS it leases the outstanding requirements whose
 * follow-up day has come (follow-up.repository.ts) and makes each one's follow-up in one
 * transaction: a REQUIREMENT_FOLLOW_UP event (and REQUIREMENT_ESCALATED when it goes to the case
 * manager or the agent), the follow-up counted, the next day, the escalation and the overdue day
 * written, as domain/follow-up.ts says. Exactly once with any number of replicas: the lease keeps
 * two workers off one row at a time, and the row, locked in the transaction, is looked at again
 * there, so a worker whose lease ran out finds the follow-up made and the day moved, and does
 * nothing. After the commit it asks the vendor for news (a VendorRefresher); a vendor that does not
 * answer is logged and asked again at the next follow-up.
 *
 * The clock is an option (`now`), so tests move time by days; every time written comes from it.
 */
import type { Cache } from '../../platform/cache';
import type { Logger } from '../../platform/logger';
import { Db, type Pool } from '../shared/db';
import { PollingJob, PollingWorker } from '../shared/polling-worker';
import { bumpMetricsGeneration } from './case-metrics.cache';
import { appendEvent } from './case.repository';
import { isClosed } from './domain/case-status';
import { planFollowUp } from './domain/follow-up';
import { claimDueFollowUps, followUpCase, recordFollowUp } from './follow-up.repository';
import { lockRequirement } from './requirement.repository';

/** Asks the requirement's vendor for its status now and applies it (vendor-event.service.ts refreshFromVendor, wired by the subgraph). */
export type VendorRefresher = (requirementId: string) => Promise<void>;

export const FOLLOW_UP_ACTOR = 'system:follow-up';

export interface FollowUpWorkerOptions {
  pool: Pool;
  logger: Logger;
  /** How often to look for due follow-ups (ms). */
  intervalMs: number;
  /** Cached metrics become stale when a requirement turns overdue or escalates. */
  cache?: Cache;
  /** Asks a vendor for news after a follow-up that says so; absent, nobody is asked (the event is still written). */
  refreshFromVendor?: VendorRefresher;
  /** The clock (default: the real one). */
  now?: () => Date;
  /** How long a claimed row stays leased to this worker (s). */
  leaseSeconds?: number;
  batchSize?: number;
}

/** What one requirement's follow-up did. */
export interface FollowUpOutcome {
  /** A follow-up was made (events written). */
  made: boolean;
  /** The vendor is to be asked. */
  askVendor: boolean;
  /** Overdue or escalation changed (metrics). */
  changed: boolean;
}

export class FollowUpWorker extends PollingJob<string> {
  private readonly db: Db;
  protected readonly worker: PollingWorker<string>;
  private readonly now: () => Date;
  private readonly batchSize: number;

  constructor(private readonly options: FollowUpWorkerOptions) {
    super();
    this.db = new Db(options.pool);
    this.now = options.now ?? (() => new Date());
    this.batchSize = options.batchSize ?? 100;
    this.worker = new PollingWorker<string>({
      name: 'follow-up',
      intervalMs: options.intervalMs,
      logger: options.logger,
      claim: () => {
        const now = this.now();
        return claimDueFollowUps(this.db, now.toISOString(), now.toISOString().slice(0, 10), options.leaseSeconds ?? 120, this.batchSize);
      },
      work: (ids) => this.work(ids),
    });
  }

  private async work(ids: string[]): Promise<void> {
    let changed = false;
    try {
      for (const id of ids) {
        let outcome: FollowUpOutcome;
        try {
          outcome = await this.followUp(id);
        } catch (error) {
          // The lease brings it back.
          this.options.logger.warn(
            { requirementId: id, err: (error as Error).message },
            'follow-up: failed; tried again when the lease ends',
          );
          continue;
        }
        changed ||= outcome.changed;
        if (outcome.askVendor && this.options.refreshFromVendor) {
          await this.options
            .refreshFromVendor(id)
            .catch((error: Error) =>
              this.options.logger.warn(
                { requirementId: id, err: error.message },
                'follow-up: the vendor could not be asked; asked again at the next follow-up',
              ),
            );
        }
      }
    } finally {
      if (changed && this.options.cache) await bumpMetricsGeneration(this.options.cache).catch(() => undefined);
    }
    // A full batch: more may be due (the job was down, or a day boundary). Look again now, not at the next interval.
    if (ids.length === this.batchSize) setImmediate(() => this.worker.nudge());
  }

  /**
   * One requirement's follow-up, in one transaction, if it is still due: the row is locked and read
   * again, so a second worker (or a lease that ran out) finds the day moved and does nothing.
   */
  async followUp(id: string): Promise<FollowUpOutcome> {
    const now = this.now();
    const at = now.toISOString();
    const today = at.slice(0, 10);
    return this.db.transaction(async (tx) => {
      const row = await lockRequirement(tx, id);
      if (row?.status !== 'ORDERED' || row.followUpOn === null || row.followUpOn > today) {
        return { made: false, askVendor: false, changed: false };
      }
      const kase = (await followUpCase(tx, row.caseId))!;
      if (isClosed(kase.status)) {
        // Nobody chases a requirement of a closed case; the job stops looking at it.
        await recordFollowUp(tx, id, { made: false, followUpOn: null, escalation: row.escalation, overdueSince: row.overdueSince });
        return { made: false, askVendor: false, changed: false };
      }
      const plan = planFollowUp(row, today);
      if (plan.due) {
        const n = row.followUps + 1;
        await appendEvent(tx, {
          caseId: row.caseId,
          at,
          type: 'REQUIREMENT_FOLLOW_UP',
          actor: FOLLOW_UP_ACTOR,
          requirementCode: row.code,
          requirementId: id,
          note: `${plan.due.action} (follow-up ${n}): ${plan.due.reason}${plan.due.askVendor ? '; the vendor is asked for its status' : ''}`,
        });
        if (plan.due.escalateTo) {
          const to =
            plan.due.escalateTo === 'AGENT'
              ? `the agent ${kase.agentId} is told`
              : `escalated to the case manager ${kase.caseManagerId ?? '(none assigned)'}`;
          await appendEvent(tx, {
            caseId: row.caseId,
            at,
            type: 'REQUIREMENT_ESCALATED',
            actor: FOLLOW_UP_ACTOR,
            requirementCode: row.code,
            requirementId: id,
            note: `${row.code} outstanding since ${row.orderedAt.slice(0, 10)}: ${to}`,
          });
        }
      }
      await recordFollowUp(tx, id, {
        made: plan.due !== null,
        followUpOn: plan.next?.on ?? null,
        escalation: plan.escalation,
        overdueSince: plan.overdueSince,
      });
      return {
        made: plan.due !== null,
        askVendor: plan.due?.askVendor ?? false,
        changed: plan.escalation !== row.escalation || plan.overdueSince !== row.overdueSince,
      };
    });
  }
}
