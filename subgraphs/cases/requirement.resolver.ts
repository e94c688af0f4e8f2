import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import { daysBetween } from '../../platform/dates';
import { badInput, conflict, notFound } from '../../platform/errors';
import { newId, parseId } from '../../platform/ids';
import { requireRole } from '../shared/auth';
import { RequirementCode } from '../shared/enums';
import { optionalText } from '../shared/text-input';
import { bumpMetricsGeneration } from './case-metrics.cache';
import { appendEvent, nowIso } from './case.repository';
import { CASE_MANAGERS, lockVisibleCase } from './case.scope';
import type { CasesContext } from './cases.context';
import { isClosed } from './domain/case-status';
import { firstFollowUpOn } from './domain/follow-up';
import { checkVendorOrder } from './domain/vendor-order';
import {
  cancelRequirementRow,
  closeRequirement,
  insertOrderedRequirement,
  lockRequirement,
  requirementByIdempotencyKey,
} from './requirement.repository';
import { PhysicianInput, RequirementVendorCode } from './requirement-vendor.type';
import { PHYSICIAN_FIELD } from './vendor-order.worker';
import { Requirement, type RequirementRow } from './requirement.type';

/** Every field of Requirement this subgraph resolves, and the mutations that order and close requirements. */
@Resolver(() => Requirement)
export class RequirementResolver {
  @FieldResolver(() => Int, { description: 'Days outstanding: from ordering to receipt, or to today while outstanding (UTC dates).' })
  ageDays(@Root() row: RequirementRow): number {
    return daysBetween(row.orderedAt, row.receivedAt ?? new Date().toISOString());
  }

  @Mutation(() => Requirement, {
    description:
      'Orders a requirement on an open case (STAFF). Exams go to PULSE and APSs to CHARTWELL unless `vendor` says otherwise; an APS through a vendor needs the physician (name and phone). Several of one code may be ordered (two physicians, a repeat exam); the same idempotencyKey answers the same requirement. The vendor order is sent in the background (vendorStatus shows QUEUED until the vendor acknowledges it).',
  })
  async orderRequirement(
    @Arg('caseId', () => ID, { description: 'The case.' }) caseId: string,
    @Arg('code', () => RequirementCode, { description: 'What to order.' }) code: RequirementCode,
    @Ctx() ctx: CasesContext,
    @Arg('note', () => String, { nullable: true, description: 'A note for the case manager.' }) note?: string,
    @Arg('vendor', () => RequirementVendorCode, {
      nullable: true,
      description:
        'The vendor to order from (default: PULSE for exams, CHARTWELL for an APS, none for the rest); one that does not take the code is BAD_USER_INPUT.',
    })
    vendor?: RequirementVendorCode,
    @Arg('physician', () => PhysicianInput, { nullable: true, description: 'For an APS: the physician whose records are wanted.' })
    physician?: PhysicianInput,
    @Arg('idempotencyKey', () => String, {
      nullable: true,
      description: 'Retry-safe key (up to 200 characters): the same key from the same caller answers the requirement it first ordered.',
    })
    idempotencyKey?: string,
  ): Promise<RequirementRow> {
    requireRole(ctx.identity, CASE_MANAGERS);
    parseId('case', caseId, 'caseId');
    const cleanNote = optionalText(note, 'note', 2000);
    const key = optionalText(idempotencyKey, 'idempotencyKey', 200);
    const checked = checkVendorOrder(code, vendor, physician);
    if (!checked.ok) throw badInput(checked.reasons.map((reason) => reason.split(':')[0]).join(', '), checked.reasons);
    const { vendor: chosen, physician: checkedPhysician } = checked;
    const requestedBy = ctx.identity.sub;
    const requirement = await ctx.db.transaction(async (tx) => {
      if (key) {
        const earlier = await requirementByIdempotencyKey(tx, requestedBy, key);
        if (earlier) return sameOrder(earlier, caseId, code);
      }
      const row = await lockVisibleCase(ctx, tx, caseId);
      if (isClosed(row.status)) throw conflict(`the case is ${row.status}: nothing can be ordered on a closed case`);
      const at = nowIso();
      const created = await insertOrderedRequirement(tx, {
        id: newId('requirement'),
        caseId,
        code,
        status: 'ORDERED',
        orderedAt: at,
        receivedAt: null,
        followUpOn: firstFollowUpOn(code, chosen, at),
        carrierCode: null,
        note: cleanNote,
        vendor: chosen,
        physician: checkedPhysician ? ctx.vault.seal(PHYSICIAN_FIELD, JSON.stringify(checkedPhysician)) : null,
        requestedBy,
        idempotencyKey: key,
      });
      // The same key committed by a concurrent request meanwhile: answer its requirement.
      if (!created) return sameOrder((await requirementByIdempotencyKey(tx, requestedBy, key!))!, caseId, code);
      await appendEvent(tx, {
        caseId,
        at,
        type: 'REQUIREMENT_ORDERED',
        actor: requestedBy,
        requirementCode: code,
        requirementId: created.id,
        note: cleanNote,
      });
      return created;
    });
    await bumpMetricsGeneration(ctx.cache);
    if (requirement.vendor) ctx.nudgeVendorOrders();
    return requirement;
  }

  @Mutation(() => Requirement, {
    description:
      'Cancels an outstanding requirement, with the reason (STAFF); an order at a vendor is cancelled there too (in the background, retried while the vendor is down).',
  })
  async cancelRequirement(
    @Arg('requirementId', () => ID, { description: 'The requirement.' }) requirementId: string,
    @Arg('reason', () => String, { description: 'Why it is no longer needed (kept in the history).' }) reason: string,
    @Ctx() ctx: CasesContext,
  ): Promise<RequirementRow> {
    requireRole(ctx.identity, CASE_MANAGERS);
    parseId('requirement', requirementId, 'requirementId');
    const why = optionalText(reason, 'reason', 500);
    if (!why) throw badInput('reason must be 1 to 500 characters');
    const requirement = await ctx.db.transaction(async (tx) => {
      const current = await lockRequirement(tx, requirementId);
      if (!current) throw notFound('requirement');
      await lockVisibleCase(ctx, tx, current.caseId);
      if (current.status !== 'ORDERED') throw conflict(`the requirement is ${current.status}, not outstanding`);
      const updated = await cancelRequirementRow(tx, requirementId, why);
      await appendEvent(tx, {
        caseId: current.caseId,
        at: nowIso(),
        type: 'REQUIREMENT_CANCELLED',
        actor: ctx.identity.sub,
        requirementCode: current.code,
        requirementId,
        note: why,
      });
      return updated;
    });
    await bumpMetricsGeneration(ctx.cache);
    if (requirement.vendor) ctx.nudgeVendorOrders();
    return requirement;
  }

  @Mutation(() => Requirement, { description: 'Records an outstanding requirement as received (STAFF).' })
  async receiveRequirement(
    @Arg('requirementId', () => ID, { description: 'The requirement.' }) requirementId: string,
    @Ctx() ctx: CasesContext,
  ): Promise<RequirementRow> {
    return this.close(ctx, requirementId, 'RECEIVED', null);
  }

  @Mutation(() => Requirement, { description: 'Waives an outstanding requirement, with the reason (STAFF).' })
  async waiveRequirement(
    @Arg('requirementId', () => ID, { description: 'The requirement.' }) requirementId: string,
    @Arg('reason', () => String, { description: 'Why it is not needed (kept in the history).' }) reason: string,
    @Ctx() ctx: CasesContext,
  ): Promise<RequirementRow> {
    return this.close(ctx, requirementId, 'WAIVED', optionalText(reason, 'reason', 500));
  }

  private async close(
    ctx: CasesContext,
    requirementId: string,
    status: 'RECEIVED' | 'WAIVED',
    reason: string | null,
  ): Promise<RequirementRow> {
    requireRole(ctx.identity, CASE_MANAGERS);
    parseId('requirement', requirementId, 'requirementId');
    const requirement = await ctx.db.transaction(async (tx) => {
      const current = await lockRequirement(tx, requirementId);
      if (!current) throw notFound('requirement');
      await lockVisibleCase(ctx, tx, current.caseId);
      if (current.status !== 'ORDERED') throw conflict(`the requirement is ${current.status}, not outstanding`);
      const at = nowIso();
      const updated = await closeRequirement(tx, requirementId, status, at, reason);
      await appendEvent(tx, {
        caseId: current.caseId,
        at,
        type: status === 'RECEIVED' ? 'REQUIREMENT_RECEIVED' : 'REQUIREMENT_WAIVED',
        actor: ctx.identity.sub,
        requirementCode: current.code,
        requirementId,
        note: reason,
      });
      return updated;
    });
    await bumpMetricsGeneration(ctx.cache);
    return requirement;
  }
}

/** A repeated idempotency key answers its requirement, unless it was used for another order. */
function sameOrder(earlier: RequirementRow, caseId: string, code: RequirementCode): RequirementRow {
  if (earlier.caseId !== caseId || earlier.code !== code)
    throw conflict('idempotencyKey was already used for another order', { requirementId: earlier.id });
  return earlier;
}
