/**
 * The appointment filing job: every APPOINTMENT_FILING_INTERVAL_MS (and when a request nudges it) it
 * leases the due appointments (appointment-filing.repository.ts) and
 * - sends each REQUESTED one to its carrier through the carriers port (our appointment id as the
 *   reference, so a resend after a crash files nothing twice): received → SUBMITTED; refused by the
 *   carrier → REJECTED with its words; carrier unreachable → noted, the lease brings it back;
 * - asks each carrier, in one call per carrier, about the SUBMITTED ones (until decided: ACTIVE with
 *   the writing number and effective date, or REJECTED with the reason) and the ACTIVE ones it filed
 *   (terminations with their dates), every APPOINTMENT_STATUS_POLL_MS per undecided appointment
 *   (24 times that for ACTIVE ones);
 * - raises APPOINTMENT_FILING_LATE once when a just-in-time filing is not at the carrier by its due date.
 * Every transition writes the appointment and its agent event in one transaction (domain/appointment-filing.ts
 * says what a report does). The clock is an option (`now`), so tests move the day.
 */
import { todayUtc } from '../../../platform/dates';
import type { Logger } from '../../../platform/logger';
import { Db, type Pool } from '../../shared/db';
import { PollingJob, PollingWorker } from '../../shared/polling-worker';
import { transitionFor } from '../domain/appointment-filing';
import { appointmentFilingsLate, appointmentTransitions } from './appointment-filing.metrics';
import type { CarriersPort } from '../ports/carriers.port';
import {
  type ClaimedAppointment,
  claimDueAppointments,
  recheckLater,
  recordRefused,
  recordSubmitted,
  recordTransition,
  recordTrouble,
} from './appointment-filing.repository';

const ACTIVE_POLL_FACTOR = 24;

export interface AppointmentFilingWorkerOptions {
  pool: Pool;
  logger: Logger;
  carriers: CarriersPort;
  /** How often to look for due appointments (ms). */
  intervalMs: number;
  /** How long after one inquiry an undecided (or active) appointment is asked about again (ms). */
  statusPollMs: number;
  /** How long a claimed row stays leased to this worker (s); also the wait before a failed send is retried. */
  leaseSeconds?: number;
  batchSize?: number;
  /** Only these agents' appointments (a test keeping to its own agents). */
  agentIds?: readonly string[];
  now?: () => Date;
}

/** What one pass did, for tests and logs. */
export interface FilingPassCounts {
  filed: number;
  refused: number;
  decided: number;
  troubles: number;
}

export class AppointmentFilingWorker extends PollingJob<ClaimedAppointment> {
  protected readonly worker: PollingWorker<ClaimedAppointment>;
  private readonly db: Db;
  private readonly now: () => Date;
  /** Totals since start (tests read them). */
  readonly counts: FilingPassCounts = { filed: 0, refused: 0, decided: 0, troubles: 0 };

  constructor(private readonly options: AppointmentFilingWorkerOptions) {
    super();
    this.db = new Db(options.pool);
    this.now = options.now ?? (() => new Date());
    this.worker = new PollingWorker({
      name: 'appointment-filing',
      intervalMs: options.intervalMs,
      logger: options.logger,
      claim: () =>
        claimDueAppointments(this.db, {
          leaseSeconds: options.leaseSeconds ?? 60,
          batchSize: options.batchSize ?? 50,
          agentIds: options.agentIds,
        }),
      work: (rows) => this.work(rows),
    });
  }

  private get pollSeconds(): number {
    return Math.max(0, Math.round(this.options.statusPollMs / 1000));
  }

  /** An ACTIVE appointment changes rarely (a termination): asked about a twenty-fourth as often as an undecided one. */
  private get activePollSeconds(): number {
    return this.pollSeconds * ACTIVE_POLL_FACTOR;
  }

  private async work(rows: ClaimedAppointment[]): Promise<void> {
    const today = todayUtc(this.now());
    for (const row of rows.filter((r) => r.status === 'REQUESTED')) await this.send(row, today);
    const asked = rows.filter((r) => r.status !== 'REQUESTED' && r.carrierReference !== null);
    const byCarrier = new Map<string, ClaimedAppointment[]>();
    for (const row of asked) byCarrier.set(row.carrierId, [...(byCarrier.get(row.carrierId) ?? []), row]);
    for (const [carrierId, list] of byCarrier) await this.ask(carrierId, list, today);
  }

  private async send(row: ClaimedAppointment, today: string): Promise<void> {
    const { carriers, logger } = this.options;
    try {
      const answer = await carriers.fileAppointment({
        reference: row.id,
        carrierId: row.carrierId,
        npn: row.npn,
        state: row.state,
        filing: row.filing,
        applicationOn: row.applicationOn,
      });
      if (answer.received && answer.carrierReference) {
        const { submitted, late } = await recordSubmitted(this.db, row, answer.carrierReference, { pollSeconds: this.pollSeconds, today });
        if (late) this.late(row);
        if (submitted) {
          this.counts.filed++;
          appointmentTransitions.inc({ carrier: row.carrierId, status: 'SUBMITTED' });
        }
      } else if (!answer.retryable) {
        if (await recordRefused(this.db, row, answer.message ?? 'refused by the carrier')) {
          this.counts.refused++;
          appointmentTransitions.inc({ carrier: row.carrierId, status: 'REJECTED' });
        }
      } else {
        this.counts.troubles++;
        if (await recordTrouble(this.db, row, `${answer.failureCode ?? 'CARRIER.ERROR'}: ${answer.message ?? ''}`, today)) this.late(row);
      }
    } catch (error) {
      // The carriers subgraph unreachable, or a database hiccup: the lease brings the row back.
      this.counts.troubles++;
      logger.warn({ err: (error as Error).message, appointmentId: row.id, carrierId: row.carrierId }, 'appointment filing: send failed');
      if (await recordTrouble(this.db, row, (error as Error).message, today).catch(() => false)) this.late(row);
    }
  }

  /** A just-in-time filing missed its deadline: the event is written; the metric and the log say so too. */
  private late(row: ClaimedAppointment): void {
    appointmentFilingsLate.inc({ carrier: row.carrierId });
    this.options.logger.warn(
      { appointmentId: row.id, carrierId: row.carrierId, state: row.state, filingDueOn: row.filingDueOn },
      'appointment filing: a just-in-time filing missed its deadline',
    );
  }

  private async ask(carrierId: string, rows: ClaimedAppointment[], today: string): Promise<void> {
    const { carriers, logger } = this.options;
    let reports: Awaited<ReturnType<CarriersPort['appointmentStatuses']>>;
    try {
      reports = await carriers.appointmentStatuses(
        carrierId,
        rows.map((r) => r.carrierReference!),
      );
    } catch (error) {
      this.counts.troubles += rows.length;
      logger.warn({ err: (error as Error).message, carrierId, appointments: rows.length }, 'appointment filing: status inquiry failed');
      return; // the leases bring the rows back
    }
    const byReference = new Map(reports.map((report) => [report.carrierReference, report]));
    for (const row of rows) {
      const report = byReference.get(row.carrierReference!);
      const poll = row.status === 'ACTIVE' ? this.activePollSeconds : this.pollSeconds;
      if (!report) {
        await recheckLater(this.db, row, poll, 'the carrier does not know this appointment reference');
        continue;
      }
      if (report.status === null)
        logger.warn({ carrierId, code: report.carrierStatusCode }, 'appointment filing: carrier sent an appointment status we do not map');
      const transition = transitionFor(row.status, report, today);
      if (!transition) await recheckLater(this.db, row, poll);
      else if (await recordTransition(this.db, row, transition, this.activePollSeconds)) {
        this.counts.decided++;
        appointmentTransitions.inc({ carrier: carrierId, status: transition.to });
      }
    }
  }
}
