/**
 * Catches up on lost vendor webhooks: asks the vendor about every outstanding order (ordered, placed,
 * not at a final stage) whose stage has not moved and which has not been asked for `staleSeconds`,
 * and applies the answer through refreshFromVendor, the one rule webhooks also go through (a stage
 * already applied changes nothing). Claiming is a lease (requirement.repository.ts
 * claimStaleVendorOrders stamps vendor_polled_at), so replicas never ask about the same order at
 * once and no transaction stays open while a vendor is called. A vendor that is down is logged, and
 * the order is asked again at its next turn.
 */
import type { Logger } from '../../platform/logger';
import { Db, type Pool } from '../shared/db';
import { PollingJob, PollingWorker } from '../shared/polling-worker';
import type { RequirementVendors } from './ports/requirement-vendor.port';
import { claimStaleVendorOrders } from './requirement.repository';
import { refreshFromVendor } from './vendor-event.service';

export interface VendorPollOptions {
  pool: Pool;
  logger: Logger;
  vendors: RequirementVendors;
  /** How often the worker looks for stale orders (ms). */
  intervalMs: number;
  /** How long an order goes without news (a stage change or a poll) before the vendor is asked (s). */
  staleSeconds: number;
  batchSize?: number;
}

export class VendorPollWorker extends PollingJob<{ id: string }> {
  private readonly db: Db;
  protected readonly worker: PollingWorker<{ id: string }>;

  constructor(private readonly options: VendorPollOptions) {
    super();
    this.db = new Db(options.pool);
    this.worker = new PollingWorker<{ id: string }>({
      name: 'vendor-poll',
      intervalMs: options.intervalMs,
      logger: options.logger,
      claim: () => claimStaleVendorOrders(this.db, options.staleSeconds, options.batchSize ?? 50),
      // Orders at once: a vendor that hangs until its timeout holds up only its own orders.
      work: async (rows) => {
        await Promise.all(rows.map((row) => this.poll(row.id)));
      },
    });
  }

  private async poll(requirementId: string): Promise<void> {
    const { logger, vendors } = this.options;
    try {
      const outcome = await refreshFromVendor({ db: this.db, vendors, logger }, requirementId);
      if (outcome?.applied) logger.info({ requirementId, stage: outcome.stage }, 'vendor stage caught up by polling (a webhook was lost?)');
    } catch (error) {
      // Vendor down or the order unknown there: the claim's stamp brings the order back at its next turn.
      const code = (error as { code?: string }).code;
      logger.warn({ requirementId, code, err: (error as Error).message }, 'vendor poll failed; asking again at its next turn');
    }
  }
}
