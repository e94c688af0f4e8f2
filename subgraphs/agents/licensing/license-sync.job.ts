/**
 * The scheduled license sync: every PDB_SYNC_INTERVAL_MS it leases a batch of agents due a sync,
 * least recently synced first (claimAgentsDue: the lease keeps replicas apart), and syncs each from
 * the producer database one after another (license-sync.service.ts: one transaction per agent). An
 * agent the database cannot answer for now keeps its lease and comes back when the lease runs out.
 */
import type { Logger } from '../../../platform/logger';
import { agentsByIds } from '../agent.repository';
import { Db, type Pool } from '../../shared/db';
import { PollingJob, PollingWorker } from '../../shared/polling-worker';
import type { ProducerDatabase } from '../ports/producer-database.port';
import { claimAgentsDue, SYNC_ACTOR } from './license-sync.repository';
import { type LicenseSyncResult, syncAgentLicenses } from './license-sync.service';

export interface LicenseSyncJobOptions {
  pool: Pool;
  logger: Logger;
  pdb: ProducerDatabase;
  intervalMs: number;
  batchSize: number;
  staleSeconds: number;
  /** How long a claimed agent stays leased (default 300 s): a pass that dies gives its agents back after this. */
  leaseSeconds?: number;
}

export class LicenseSyncJob extends PollingJob<string> {
  private readonly db: Db;
  protected readonly worker: PollingWorker<string>;
  /** The outcome of each agent synced by this process's last pass (tests read it). */
  lastPass: { agentId: string; outcome: LicenseSyncResult['outcome'] | 'FAILED' }[] = [];

  constructor(private readonly options: LicenseSyncJobOptions) {
    super();
    this.db = new Db(options.pool);
    this.worker = new PollingWorker<string>({
      name: 'license-sync',
      intervalMs: options.intervalMs || 60_000,
      logger: options.logger,
      claim: () =>
        claimAgentsDue(this.db, {
          limit: options.batchSize,
          staleSeconds: options.staleSeconds,
          leaseSeconds: options.leaseSeconds ?? 300,
        }),
      work: (agentIds) => this.syncAll(agentIds),
    });
  }

  private async syncAll(agentIds: string[]): Promise<void> {
    const agents = await agentsByIds(this.db, agentIds);
    const byId = new Map(agents.map((agent) => [agent.id, agent]));
    this.lastPass = [];
    // One at a time: the producer database is one shared service, and each sync is one transaction.
    for (const agentId of agentIds) {
      const agent = byId.get(agentId);
      if (!agent) continue;
      try {
        const result = await syncAgentLicenses({ db: this.db, pdb: this.options.pdb }, agent, SYNC_ACTOR);
        this.lastPass.push({ agentId, outcome: result.outcome });
        if (result.outcome === 'NPN_NOT_FOUND')
          this.options.logger.warn({ agentId }, 'license sync: the producer database does not know this NPN');
      } catch (error) {
        this.lastPass.push({ agentId, outcome: 'FAILED' });
        // The code only: never the NPN.
        this.options.logger.warn(
          { agentId, code: (error as { code?: string }).code },
          'license sync failed; the agent comes back when its lease runs out',
        );
      }
    }
  }
}
