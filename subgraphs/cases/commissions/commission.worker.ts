/**
 * The commission job: every COMMISSION_INTERVAL_MS it leases the cases due (commission.repository.ts
 * claimDueCommissions, on the partial index case_commission_due_idx) and
 * - BOOK: a PLACED case with no commission yet, however it was placed (a person's status move, a
 *   carrier sync, a carrier's push): asks the agents subgraph for each writing agent's commission
 *   chain as the hierarchy stood on the case's submission date (through the agents port, outside any
 *   transaction), computes the first-year lines (domain/commissions.ts) and books them, the
 *   chargeback terms and the case's mark in one transaction;
 * - REVERSE: a case NOT_TAKEN after its commission was booked (a free-look cancellation): every
 *   first-year line back as a negative CHARGEBACK line, in one transaction.
 * Exactly once with any number of replicas: the lease keeps two workers off one case at a time, the
 * case is locked and looked at again in the transaction, and the ledger's unique key refuses a line
 * twice. A chain the agents subgraph refuses (no contract) or the arithmetic cannot use is recorded as
 * an exception for staff and retried later, with a growing delay; nothing is booked for that case.
 *
 * The clock is an option (`now`), so tests set the period lines fall in.
 */
import type { Logger } from '../../../platform/logger';
import { Db, type Pool } from '../../shared/db';
import { PollingJob, PollingWorker } from '../../shared/polling-worker';
import {
  type CommissionChain,
  chargebackLines,
  FULL_SPLIT,
  firstYearLines,
  NOT_TAKEN_FRACTION,
  periodOf,
  type WritingShare,
} from '../domain/commissions';
import type { AgentsPort } from '../ports/agents.port';
import {
  claimDueCommissions,
  type DueCommission,
  firstYearLinesOfCase,
  insertCommissionLines,
  lockCommissionCase,
  markBooked,
  markReversed,
  recordCommissionException,
  writingAgentsByCaseIds,
} from './commission.repository';

export interface CommissionWorkerOptions {
  pool: Pool;
  logger: Logger;
  /** Only the agents subgraph's commission chains are asked. */
  agents: Pick<AgentsPort, 'commissionChains'>;
  /** How often to look for due cases (ms). */
  intervalMs: number;
  /** The clock (default: the real one). */
  now?: () => Date;
  /** How long a claimed case stays leased to this worker (s). */
  leaseSeconds?: number;
  /** The longest wait before a case with an exception is tried again (s; the wait doubles from a minute). */
  maxRetrySeconds?: number;
  batchSize?: number;
  /** Only these carriers' cases (a job split by carrier; a test keeping to its own cases); every carrier's when omitted. */
  carrierIds?: readonly string[];
}

/** What a pass did, case by case (tests read it through `lastPass`). */
export interface CommissionOutcome {
  caseId: string;
  kind: DueCommission['kind'];
  /** Lines written (0 when nothing was due any more, or on an exception). */
  lines: number;
  exception?: string;
}

export class CommissionWorker extends PollingJob<DueCommission> {
  private readonly db: Db;
  protected readonly worker: PollingWorker<DueCommission>;
  private readonly now: () => Date;
  /** The outcomes of the latest pass. */
  lastPass: CommissionOutcome[] = [];

  constructor(private readonly options: CommissionWorkerOptions) {
    super();
    this.db = new Db(options.pool);
    this.now = options.now ?? (() => new Date());
    this.worker = new PollingWorker<DueCommission>({
      name: 'commissions',
      intervalMs: options.intervalMs,
      logger: options.logger,
      claim: () => {
        this.lastPass = [];
        return claimDueCommissions(
          this.db,
          this.now().toISOString(),
          options.leaseSeconds ?? 120,
          options.batchSize ?? 50,
          options.carrierIds ?? null,
        );
      },
      work: (due) => this.work(due),
    });
  }

  private async work(due: DueCommission[]): Promise<void> {
    const booking = due.filter((c) => c.kind === 'BOOK');
    const writers = booking.length
      ? await writingAgentsByCaseIds(
          this.db,
          booking.map((c) => c.id),
        )
      : [];
    const outcomes: CommissionOutcome[] = [];
    // Oldest placement first (an UPDATE's RETURNING has no order): lines are booked in the order cases were placed.
    const placed = (c: DueCommission) => (c.placedAt ? new Date(c.placedAt).getTime() : 0);
    const ordered = [...due].sort((a, b) => placed(a) - placed(b) || a.id.localeCompare(b.id));
    for (const c of ordered) {
      try {
        const lines =
          c.kind === 'BOOK'
            ? await this.book(
                c,
                writers.filter((w) => w.caseId === c.id),
              )
            : await this.reverse(c);
        outcomes.push({ caseId: c.id, kind: c.kind, lines });
      } catch (error) {
        // A chain refused or unusable is the case's exception; anything else (the agents subgraph down, the
        // database) too: the case is tried again after the delay, and staff see why.
        const reason = (error as Error).message;
        outcomes.push({ caseId: c.id, kind: c.kind, lines: 0, exception: reason });
        await recordCommissionException(this.db, c.id, reason, this.now().toISOString(), this.options.maxRetrySeconds ?? 21_600).catch(
          () => undefined,
        );
      }
    }
    this.lastPass = outcomes;
    // One line a pass, not one a case: a carrier without contracts would otherwise fill the log.
    const failed = outcomes.filter((outcome) => outcome.exception);
    if (failed.length)
      this.options.logger.warn(
        {
          exceptions: failed.length,
          booked: outcomes.length - failed.length,
          firstCaseId: failed[0]!.caseId,
          firstReason: failed[0]!.exception,
        },
        'commissions: some cases not booked (listed in commissionExceptions); retried later',
      );
  }

  /** The first-year lines of a placed case: chains asked first (no lock held), then one transaction. */
  private async book(c: DueCommission, writers: { agentId: string; splitBasisPoints: number }[]): Promise<number> {
    // A case written before writing agents were recorded: its own agent at 100%.
    const shares: WritingShare[] = writers.length ? writers : [{ agentId: c.agentId, splitBasisPoints: FULL_SPLIT }];
    const asOf = new Date(c.submittedAt).toISOString().slice(0, 10);
    const answered = await this.options.agents.commissionChains({
      carrierId: c.carrierId,
      productId: c.productId,
      agentIds: shares.map((share) => share.agentId),
      asOf,
    });
    const chains = new Map<string, CommissionChain>(answered.map((chain) => [chain.agentId, chain]));
    return this.db.transaction(async (tx) => {
      const row = await lockCommissionCase(tx, c.id);
      // Moved on since the claim (not taken, booked by a replica whose lease ran out): nothing to do here.
      if (row?.status !== 'PLACED' || row.bookedAt || !row.placedAt) return 0;
      const lines = firstYearLines(Number(row.annualPremiumCents), shares, chains);
      // The first writing agent's chain carries the carrier's chargeback rules (the same schedule for every agent of the case).
      const rules = chains.get(shares[0]!.agentId)!;
      const at = this.now().toISOString();
      const written = await insertCommissionLines(
        tx,
        {
          caseId: c.id,
          carrierId: row.carrierId,
          transaction: 'FIRST_YEAR',
          policyYear: 1,
          period: periodOf(new Date(row.placedAt).toISOString()),
          at,
        },
        lines,
      );
      await markBooked(tx, c.id, { asOf, chargebackMonths: rules.chargebackMonths, lapseChargeback: rules.lapseChargeback }, at);
      return written;
    });
  }

  /** Not taken after placement: every first-year line back, in the period of the chargeback. */
  private async reverse(c: DueCommission): Promise<number> {
    return this.db.transaction(async (tx) => {
      const row = await lockCommissionCase(tx, c.id);
      if (row?.status !== 'NOT_TAKEN' || !row.bookedAt || row.reversedAt) return 0;
      const at = this.now().toISOString();
      const lines = chargebackLines(await firstYearLinesOfCase(tx, c.id), NOT_TAKEN_FRACTION);
      const written = await insertCommissionLines(
        tx,
        { caseId: c.id, carrierId: row.carrierId, transaction: 'CHARGEBACK', policyYear: 1, period: periodOf(at), at },
        lines,
      );
      await markReversed(tx, c.id, at);
      return written;
    });
  }
}
