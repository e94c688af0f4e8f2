/**
 * The E&O lapse job: every EO_LAPSE_INTERVAL_MS it leases the complete E&O steps whose coverage ended
 * before today (onboarding.repository.ts claimLapsedEo) and lapses each in one transaction
 * (onboarding.service.ts lapseEoCoverage): the step EXPIRED with ONBOARDING_STEP_REOPENED, an ACTIVE
 * agent SUSPENDED with STATUS_CHANGED. Safe with replicas: the lease keeps two workers off one row,
 * and the row is re-read under its lock, so coverage recorded again in the meantime is left alone.
 * Recording new coverage (recordEoCoverage) makes the agent ACTIVE again.
 *
 * The clock is an option (`now`), so tests can move the day.
 */
import { todayUtc } from '../../../platform/dates';
import type { Logger } from '../../../platform/logger';
import { Db, type Pool } from '../../shared/db';
import { PollingJob, PollingWorker } from '../../shared/polling-worker';
import { claimLapsedEo } from './onboarding.repository';
import { lapseEoCoverage } from './onboarding.service';

export interface EoLapseJobOptions {
  pool: Pool;
  logger: Logger;
  intervalMs: number;
  now?: () => Date;
  leaseSeconds?: number;
  batchSize?: number;
}

export class EoLapseJob extends PollingJob<string> {
  protected readonly worker: PollingWorker<string>;
  private readonly db: Db;
  private readonly now: () => Date;

  constructor(options: EoLapseJobOptions) {
    super();
    this.db = new Db(options.pool);
    this.now = options.now ?? (() => new Date());
    const leaseSeconds = options.leaseSeconds ?? 300;
    const batchSize = options.batchSize ?? 100;
    this.worker = new PollingWorker<string>({
      name: 'eo-lapse',
      intervalMs: options.intervalMs,
      logger: options.logger,
      claim: () => claimLapsedEo(this.db, todayUtc(this.now()), batchSize, leaseSeconds),
      work: async (agentIds) => {
        const today = todayUtc(this.now());
        let lapsed = 0;
        for (const agentId of agentIds) if (await lapseEoCoverage(this.db, agentId, today)) lapsed++;
        if (lapsed) options.logger.info({ lapsed }, 'eo-lapse: E&O coverage lapsed');
      },
    });
  }
}
