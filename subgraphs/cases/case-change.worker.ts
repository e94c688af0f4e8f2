/**
 * Sends requested case changes to their carriers, as the outbox worker sends applications:
 * at-least-once from here, exactly-once at the carrier, because every send of a change carries the
 * change's reference, which carriers deduplicate (a resend answers the first decision). Rows are
 * leased (case-change.repository.ts claimDueChanges), so replicas never send one at once and no
 * transaction stays open while the carrier is called. The carrier's decision is written in one
 * transaction: the change's status, its event, and the AMENDMENT requirement when the carrier needs
 * the client's signature (unless one is already outstanding: the client signs one amendment).
 */
import { newId } from '../../platform/ids';
import type { Logger } from '../../platform/logger';
import type { PersonalDataVault } from '../../platform/personal-data';
import { Db, type Pool } from '../shared/db';
import { PollingJob, PollingWorker } from '../shared/polling-worker';
import { type DueChange, claimDueChanges, decideChange, lockUndecidedChange, retryChangeLater } from './case-change.repository';
import { CHANGE_PERSONAL_FIELD, type ChangePersonalData } from './case-change.service';
import { appendEvent, caseById, nowIso } from './case.repository';
import type { CaseRow } from './case.type';
import { followUpOn } from './domain/requirement.rules';
import { backoffSeconds } from './outbox.worker';
import type { CarrierChangeRequest, CarriersPort, ChangeResult } from './ports/carriers.port';
import { insertRequirement, isOutstanding } from './requirement.repository';

export interface ChangeWorkerOptions {
  pool: Pool;
  logger: Logger;
  carriers: CarriersPort;
  vault: PersonalDataVault;
  /** How often to look for due changes (ms). */
  pollMs: number;
  /** How long a claimed change stays leased to this worker before another may resend it (s). */
  leaseSeconds?: number;
  batchSize?: number;
}

/** The change as the carriers port takes it: the non-personal parts from the row, the rest opened from the vault. */
export function carrierChange(row: DueChange, caseRow: CaseRow, personal: ChangePersonalData | null): CarrierChangeRequest {
  const draft = row.draft as {
    faceAmount?: number | null;
    productId?: string | null;
    termYears?: number | null;
    riders?: string[] | null;
    paymentMode?: string | null;
  };
  const owner = personal?.owner ?? null;
  return {
    reference: row.reference,
    caseId: caseRow.id,
    carrierId: caseRow.carrierId,
    carrierReference: caseRow.carrierReference!,
    faceAmount: draft.faceAmount ?? null,
    productId: draft.productId ?? null,
    termYears: draft.termYears ?? null,
    riders: draft.riders ?? null,
    beneficiaries: personal?.beneficiaries?.map((b) => ({ ...b })) ?? null,
    paymentMode: draft.paymentMode ?? null,
    owner: !owner
      ? null
      : owner.kind === 'PERSON'
        ? { kind: 'PERSON', fullName: owner.fullName, relationship: owner.relationship, name: null, tin: null }
        : { kind: 'ENTITY', fullName: null, relationship: null, name: owner.name, tin: owner.tin },
  };
}

export class CaseChangeWorker extends PollingJob<DueChange> {
  private readonly db: Db;
  protected readonly worker: PollingWorker<DueChange>;

  constructor(private readonly options: ChangeWorkerOptions) {
    super();
    this.db = new Db(options.pool);
    this.worker = new PollingWorker<DueChange>({
      name: 'case-changes',
      intervalMs: options.pollMs,
      logger: options.logger,
      claim: () => claimDueChanges(this.db, options.leaseSeconds ?? 60, options.batchSize ?? 20),
      work: async (rows) => {
        for (const row of rows) await this.send(row);
      },
    });
  }

  private async send(row: DueChange): Promise<void> {
    const { carriers, vault, logger } = this.options;
    try {
      const caseRow = await caseById(this.db, row.caseId);
      if (!caseRow?.carrierReference) return;
      const personal = row.personal ? (JSON.parse(vault.open(CHANGE_PERSONAL_FIELD, row.personal).plaintext) as ChangePersonalData) : null;
      const result = await carriers.requestChange(carrierChange(row, caseRow, personal));
      if (result.retryable) await this.retryLater(row, `${result.failureCode}: ${result.message ?? ''}`);
      else await this.decided(row, caseRow, result);
    } catch (error) {
      // The carriers subgraph or the carrier is unreachable: keep the change and resend it later with the same reference.
      await this.retryLater(row, (error as Error).message);
    }
    // Ids and counts only: the change itself may name people.
    logger.debug({ caseId: row.caseId, changeId: row.id, attempts: row.attempts }, 'case change handled');
  }

  private async decided(row: DueChange, caseRow: CaseRow, result: ChangeResult): Promise<void> {
    const at = nowIso();
    const actor = `carrier:${caseRow.carrierId}`;
    const message = result.message?.slice(0, 500) ?? null;
    const amendment = result.accepted && result.amendmentRequired;
    await this.db.transaction(async (tx) => {
      // A lease that ran out while the carrier answered lets another worker decide the same change:
      // the first to lock it writes the decision, the other nothing.
      if (!(await lockUndecidedChange(tx, row.id))) return;
      await decideChange(tx, row.id, {
        status: result.accepted ? 'ACCEPTED' : 'REJECTED',
        carrierMessage: message,
        amendmentRequired: result.accepted ? result.amendmentRequired : null,
      });
      const kinds = row.kinds.join(', ');
      await appendEvent(tx, {
        caseId: row.caseId,
        at,
        type: result.accepted ? 'CHANGE_ACCEPTED' : 'CHANGE_REJECTED',
        actor,
        note: `${kinds}${message ? `: ${message}` : ''}`.slice(0, 500),
      });
      // One outstanding amendment gathers every change still to be signed, as the carrier keeps one
      // amendment requirement per application: a second would stay ORDERED after the carrier's one is received.
      if (amendment && !(await isOutstanding(tx, row.caseId, 'AMENDMENT'))) {
        await insertRequirement(tx, {
          id: newId('requirement'),
          caseId: row.caseId,
          code: 'AMENDMENT',
          status: 'ORDERED',
          orderedAt: at,
          receivedAt: null,
          followUpOn: followUpOn('AMENDMENT', at),
          carrierCode: null,
          note: `the client signs the amendment for ${kinds}`,
        });
        await appendEvent(tx, { caseId: row.caseId, at, type: 'REQUIREMENT_ORDERED', actor, requirementCode: 'AMENDMENT', note: kinds });
      }
    });
  }

  private async retryLater(row: DueChange, reason: string): Promise<void> {
    // If even this fails, the lease expires and the change comes back.
    await retryChangeLater(this.db, row.id, backoffSeconds(row.attempts), reason.slice(0, 500)).catch(() => undefined);
  }
}
