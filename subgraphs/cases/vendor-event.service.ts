/**
 * Applying what a vendor says about an order to its requirement: one rule for the three ways news
 * arrives (a signed webhook, the order worker's acknowledgement, a poll by the follow-up job). In
 * ONE transaction: a webhook's event id is claimed (a redelivery changes nothing), the requirement
 * row is locked, and the stage is applied only when its sequence is greater than the highest
 * applied: an older stage delivered late never overwrites a newer one (it is still recorded as
 * received). An applied stage writes a REQUIREMENT_VENDOR_STATUS event carrying the requirement's id.
 * Nothing personal is in a vendor status or in the history note.
 */
import type { Logger } from '../../platform/logger';
import type { Db } from '../shared/db';
import { nowIso } from './case.repository';
import { VENDORS, type VendorCode } from './domain/requirement-vendors';
import type { RequirementVendors, VendorEvent, VendorOrderStatus } from './ports/requirement-vendor.port';
import { followUpColumns } from './domain/follow-up';
import { claimVendorEventAndLock, lockRequirement, setVendorStage } from './requirement.repository';
import type { RequirementRow } from './requirement.type';

/** What applying a vendor's news needs. */
export interface VendorEventDeps {
  db: Db;
  vendors: RequirementVendors;
  logger?: Logger;
}

/** The stage, its sequence and details, wherever they came from. */
export type VendorNews = Pick<VendorOrderStatus, 'stage' | 'sequence' | 'at' | 'details'>;

/**
 * Applies news to a requirement locked by the caller's transaction: true when it was newer than
 * what the row holds (stage updated, history written), false when it was older or the same.
 * `history: false` updates the stage without a REQUIREMENT_VENDOR_STATUS event (the order's
 * acknowledgement, which REQUIREMENT_SENT_TO_VENDOR already records).
 */
export async function applyVendorNews(
  tx: Db,
  requirement: RequirementRow,
  news: VendorNews,
  actor: string,
  options: { history?: boolean } = {},
): Promise<boolean> {
  if (news.sequence <= requirement.vendorSequence) return false;
  // The row as the update leaves it (jsonb || merges the details' keys over the old ones), for the
  // follow-up rule: the worklist reflects the stage at once, its next follow-up and overdue day.
  const details = JSON.parse(JSON.stringify(news.details)) as VendorNews['details'];
  const updated: RequirementRow = {
    ...requirement,
    vendorStage: news.stage,
    vendorStageAt: new Date(news.at).toISOString(),
    vendorSequence: news.sequence,
    vendorDetails: { ...(requirement.vendorDetails ?? {}), ...details },
  };
  const note = `${requirement.vendor ? VENDORS[requirement.vendor].name : 'vendor'}: ${news.stage}`;
  await setVendorStage(
    tx,
    requirement.id,
    { stage: news.stage, at: news.at, sequence: news.sequence, details, ...followUpColumns(updated, nowIso().slice(0, 10)) },
    options.history === false ? undefined : { at: nowIso(), actor, note },
  );
  return true;
}

export type WebhookOutcome =
  | { result: 'APPLIED'; requirementId: string }
  | { result: 'STALE'; requirementId: string }
  | { result: 'DUPLICATE' }
  | { result: 'UNKNOWN_ORDER' };

class UnknownOrder extends Error {}

/**
 * A verified webhook event, in one transaction. An order we have not recorded yet (the worker may
 * still be committing its id) rolls the claim back and answers UNKNOWN_ORDER, so the vendor's
 * redelivery applies it later.
 */
export async function applyVendorEvent(db: Db, vendor: VendorCode, event: VendorEvent): Promise<WebhookOutcome> {
  return db
    .transaction<WebhookOutcome>(async (tx) => {
      const { claimed, requirement } = await claimVendorEventAndLock(tx, vendor, event.eventId, event.orderId);
      if (!claimed) return { result: 'DUPLICATE' };
      if (!requirement) throw new UnknownOrder();
      const applied = await applyVendorNews(
        tx,
        requirement,
        { stage: event.stage, sequence: event.sequence, at: event.occurredAt, details: event.details },
        `vendor:${vendor}`,
      );
      return { result: applied ? 'APPLIED' : 'STALE', requirementId: requirement.id };
    })
    .catch((error: unknown) => {
      if (error instanceof UnknownOrder) return { result: 'UNKNOWN_ORDER' } as const;
      throw error;
    });
}

/** What a refresh found: null when the requirement has no order at a vendor yet. */
export type RefreshOutcome = { applied: boolean; stage: VendorOrderStatus['stage']; sequence: number } | null;

/**
 * Asks the requirement's vendor where its order stands and applies the answer (the follow-up job's
 * "ask the vendor", and anyone's poll). The vendor is called outside any transaction; a VendorError
 * (vendor down, order unknown there) is thrown to the caller, which decides when to ask again.
 */
export async function refreshFromVendor(
  deps: VendorEventDeps,
  requirementId: string,
  actor = 'system:vendor-poll',
): Promise<RefreshOutcome> {
  const current = await deps.db.one<{ vendor: VendorCode | null; vendorOrderId: string | null }>(
    `SELECT vendor, vendor_order_id AS "vendorOrderId" FROM cases.requirement WHERE id = $1`,
    [requirementId],
  );
  if (!current?.vendor || !current.vendorOrderId) return null;
  const status = await deps.vendors[current.vendor].orderStatus(current.vendorOrderId);
  const applied = await deps.db.transaction(async (tx) => {
    const row = await lockRequirement(tx, requirementId);
    return row ? applyVendorNews(tx, row, status, actor) : false;
  });
  deps.logger?.debug({ requirementId, stage: status.stage, applied }, 'vendor status polled');
  return { applied, stage: status.stage, sequence: status.sequence };
}
