/**
 * Sends ordered requirements to their vendors, and cancels there what a person cancelled here. The
 * requirement row is its own outbox entry (vendor_due_at, vendor_attempts), leased like cases.outbox
 * (requirement.repository.ts claimDueVendorOrders), so replicas never work the same row at once and
 * no transaction stays open while a vendor is called. The order's idempotency key is our
 * requirement id: a vendor that is down means backoff and retry, and a retry after a lost answer
 * gives back the same order, never a second one. A vendor that refuses the order for good (missing
 * data) leaves the reason in vendor_last_error and the history, and the row is not retried.
 *
 * What goes to the vendor: the insured's contact data from the case's application when there is one
 * (unsealed here, each read in the personal data access log), else the case's insured basics; the
 * carrier's code, the case's carrier reference, the carrier's id for the requirement when known and
 * a kit id; for an APS, the physician (sealed on the row). An order waits (with backoff) until the
 * carrier has accepted the application: the vendor delivers results under its reference. Personal
 * data is never logged.
 */
import type { Logger } from '../../platform/logger';
import type { PersonalDataVault } from '../../platform/personal-data';
import { Db, type Pool } from '../shared/db';
import { PollingJob, PollingWorker } from '../shared/polling-worker';
import { applicationOfCase } from './application.repository';
import { unsealPersonal } from './application.service';
import { appendEvent, caseById, nowIso } from './case.repository';
import type { CaseRow } from './case.type';
import { VENDORS, type VendorCode } from './domain/requirement-vendors';
import { backoffSeconds } from './outbox.worker';
import { recordAccess } from './personal-data-access.repository';
import type { CarriersPort } from './ports/carriers.port';
import {
  type Physician,
  type RequirementVendors,
  VendorError,
  type VendorOrderRequest,
  type VendorOrderStatus,
} from './ports/requirement-vendor.port';
import {
  claimDueVendorOrders,
  lockRequirement,
  recordVendorOrder,
  type VendorOrderRow,
  vendorOrderDone,
  vendorOrderLater,
  vendorOrderNeverSent,
} from './requirement.repository';
import { applyVendorNews } from './vendor-event.service';

/** The vault field a requirement's physician is sealed under. */
export const PHYSICIAN_FIELD = 'requirement.physician';

const ACTOR = 'system:vendor-orders';

/** The case has no carrier reference yet (the carrier has not accepted the application): the order waits, with backoff. */
class WaitingForCarrier extends Error {
  constructor() {
    super('waiting for the carrier to accept the application (no carrier reference yet)');
  }
}

export interface VendorOrderOptions {
  pool: Pool;
  logger: Logger;
  vendors: RequirementVendors;
  vault: PersonalDataVault;
  /** Asked once per carrier for its code (the vendor knows carriers by code). */
  carriers?: Pick<CarriersPort, 'applicationCatalog'>;
  /** Where a vendor POSTs its webhooks for an order. */
  callbackUrl: (vendor: VendorCode) => string;
  pollMs: number;
  /** How long a claimed row stays leased to this worker before another may retry it (s, default 60). */
  leaseSeconds?: number;
  batchSize?: number;
}

export class VendorOrderWorker extends PollingJob<VendorOrderRow> {
  private readonly db: Db;
  protected readonly worker: PollingWorker<VendorOrderRow>;
  private readonly carrierCodes = new Map<string, string>();

  constructor(private readonly options: VendorOrderOptions) {
    super();
    this.db = new Db(options.pool);
    this.worker = new PollingWorker<VendorOrderRow>({
      name: 'vendor-orders',
      intervalMs: options.pollMs,
      logger: options.logger,
      claim: () => claimDueVendorOrders(this.db, options.leaseSeconds ?? 60, options.batchSize ?? 20),
      // Rows at once: a vendor that hangs until the timeout holds up only its own rows, well inside the lease.
      work: async (rows) => {
        await Promise.all(rows.map((row) => this.work(row)));
      },
    });
  }

  private async work(row: VendorOrderRow): Promise<void> {
    const { logger } = this.options;
    try {
      const vendor = this.options.vendors[row.vendor];
      if (row.status === 'CANCELLED') {
        // Never placed, or placed with the answer lost: placing again under the same key finds the order, if any, to cancel it.
        // An order still waiting for the carrier's reference was never sent: nothing to cancel.
        const orderId =
          row.vendorOrderId ??
          (await this.place(row).then(
            (placed) => placed.orderId,
            (error: unknown) => {
              if (error instanceof WaitingForCarrier) return null;
              throw error;
            },
          ));
        if (orderId === null) return await vendorOrderNeverSent(this.db, row.id);
        const cancelled = await vendor.cancelOrder(orderId, 'cancelled by the agency').catch((error: unknown) => {
          // Already final, or unknown there: nothing left to cancel.
          if (error instanceof VendorError && (error.code === 'VENDOR.CONFLICT' || error.code === 'VENDOR.NOT_FOUND')) return null;
          throw error;
        });
        // The answer is the order, CANCELLED: applied like its webhook (whichever comes first applies it, once).
        await this.db.transaction(async (tx) => {
          await vendorOrderDone(tx, row.id, null);
          const current = cancelled ? await lockRequirement(tx, row.id) : undefined;
          if (current && cancelled) await applyVendorNews(tx, current, cancelled, ACTOR);
        });
      } else if (row.status === 'ORDERED' && !row.vendorOrderId) {
        await this.place(row);
      } else {
        // Received or waived before the order went out, or already ordered: nothing to send.
        await vendorOrderDone(this.db, row.id, null);
      }
      logger.debug({ requirementId: row.id, vendor: row.vendor, attempts: row.attempts }, 'vendor order handled');
    } catch (error) {
      if (error instanceof WaitingForCarrier) {
        await vendorOrderLater(this.db, row.id, backoffSeconds(row.attempts), error.message).catch(() => undefined);
        return;
      }
      const reason = `${error instanceof VendorError ? `${error.code}: ` : ''}${(error as Error).message}`.slice(0, 500);
      logger.warn({ requirementId: row.id, vendor: row.vendor, attempts: row.attempts, reason }, 'vendor order not sent');
      // If even this fails, the lease expires and the row comes back.
      if (error instanceof VendorError && !error.retryable) await this.refused(row, reason).catch(() => undefined);
      else await vendorOrderLater(this.db, row.id, backoffSeconds(row.attempts), reason).catch(() => undefined);
    }
  }

  /** The vendor refused the order for good: the row is not retried, and the history says why (field names, never values). */
  private async refused(row: VendorOrderRow, reason: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await vendorOrderDone(tx, row.id, reason);
      await appendEvent(tx, {
        caseId: row.caseId,
        at: nowIso(),
        type: 'REQUIREMENT_VENDOR_STATUS',
        actor: ACTOR,
        requirementCode: row.code,
        requirementId: row.id,
        note: `${VENDORS[row.vendor].name} refused the order: ${reason}`.slice(0, 500),
      });
    });
  }

  /** Places the order (idempotent at the vendor) and records its id, stage and the history, in one transaction. */
  private async place(row: VendorOrderRow): Promise<VendorOrderStatus> {
    const order = await this.orderOf(row);
    const status = await this.options.vendors[row.vendor].placeOrder(order);
    await this.db.transaction(async (tx) => {
      const current = await lockRequirement(tx, row.id);
      if (!current) return;
      if (!current.vendorOrderId) {
        await recordVendorOrder(tx, row.id, status.orderId);
        await appendEvent(tx, {
          caseId: row.caseId,
          at: nowIso(),
          type: 'REQUIREMENT_SENT_TO_VENDOR',
          actor: ACTOR,
          requirementCode: row.code,
          requirementId: row.id,
          note: `${VENDORS[row.vendor].name}: order ${status.orderId}`,
        });
      }
      // A first acknowledgement at ORDERED is said by REQUIREMENT_SENT_TO_VENDOR; a later stage (a lost answer's order moved on) gets its own event.
      await applyVendorNews(tx, current, status, ACTOR, { history: Boolean(current.vendorOrderId) || status.stage !== 'ORDERED' });
    });
    return status;
  }

  private async orderOf(row: VendorOrderRow): Promise<VendorOrderRequest> {
    const caseRow = await caseById(this.db, row.caseId);
    if (!caseRow) throw new Error(`requirement ${row.id}: its case is missing`);
    // The vendor sends the results to the carrier under the carrier's application reference: wait for it.
    if (!caseRow.carrierReference) throw new WaitingForCarrier();
    const reason = `ordering a requirement from ${row.vendor}`;
    const physician = row.physician ? (JSON.parse(this.options.vault.open(PHYSICIAN_FIELD, row.physician).plaintext) as Physician) : null;
    if (physician)
      await recordAccess(this.db, [
        {
          actorSub: 'service:cases-vendor-orders',
          actorRole: 'SERVICE',
          subjectKind: 'CASE',
          subjectId: row.caseId,
          field: PHYSICIAN_FIELD,
          requestId: `vendor-order:${row.id}`,
          reason,
        },
      ]);
    return {
      reference: row.id,
      code: row.code,
      applicant: await this.applicant(caseRow, row.id, reason),
      carrier: {
        code: await this.carrierCode(caseRow),
        policyReference: caseRow.carrierReference,
        requirementId: row.carrierRequirementId,
        kit: `KIT-${row.code}`,
      },
      physician,
      callbackUrl: this.options.callbackUrl(row.vendor),
    };
  }

  /** The insured as the vendor reaches them: the application's contact data when the case has one, else the case's basics. */
  private async applicant(caseRow: CaseRow, requirementId: string, reason: string): Promise<VendorOrderRequest['applicant']> {
    const basics = {
      firstName: caseRow.insuredFirstName,
      lastName: caseRow.insuredLastName,
      birthDate: caseRow.insuredBirthDate,
      gender: caseRow.insuredGender as 'MALE' | 'FEMALE',
    };
    const application = await applicationOfCase(this.db, caseRow.id);
    if (!application) return { ...basics, phone: null, email: null, address: null };
    const insured = unsealPersonal(this.options.vault, application.personal).insured;
    await recordAccess(this.db, [
      {
        actorSub: 'service:cases-vendor-orders',
        actorRole: 'SERVICE',
        subjectKind: 'APPLICATION',
        subjectId: application.id,
        field: 'application.personal',
        requestId: `vendor-order:${requirementId}`,
        reason,
      },
    ]);
    const address = insured?.address;
    return {
      ...basics,
      phone: insured?.phone ?? null,
      email: insured?.email ?? null,
      address:
        address?.line1 && address.city && address.zip
          ? { line1: address.line1, city: address.city, state: address.state ?? caseRow.insuredState, postalCode: address.zip }
          : null,
    };
  }

  /** The carrier's code, as the vendor knows the carrier; asked once per carrier, else made from its id. */
  private async carrierCode(caseRow: CaseRow): Promise<string> {
    const known = this.carrierCodes.get(caseRow.carrierId);
    if (known) return known;
    const catalog = await this.options.carriers?.applicationCatalog(caseRow.carrierId, caseRow.productId).catch(() => null);
    const code = catalog?.carrier.code ?? caseRow.carrierId.replace(/^car_/, '').toUpperCase();
    if (catalog) this.carrierCodes.set(caseRow.carrierId, code);
    return code;
  }
}
