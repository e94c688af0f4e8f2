import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import { daysBetween } from '../../platform/dates';
import { conflict, notFound } from '../../platform/errors';
import { newId, parseId } from '../../platform/ids';
import { requireRole } from '../shared/auth';
import { RequirementCode } from '../shared/enums';
import { optionalText } from '../shared/text-input';
import { bumpMetricsGeneration } from './case-metrics.cache';
import { appendEvent, nowIso } from './case.repository';
import { CASE_MANAGERS, lockVisibleCase } from './case.scope';
import type { CasesContext } from './cases.context';
import { isClosed } from './domain/case-status';
import { followUpOn } from './domain/requirement.rules';
import { closeRequirement, insertRequirement, isOutstanding, lockRequirement } from './requirement.repository';
import { Requirement, type RequirementRow } from './requirement.type';

/** Every field of Requirement this subgraph resolves, and the mutations that order and close requirements. */
@Resolver(() => Requirement)
export class RequirementResolver {
  @FieldResolver(() => Int, { description: 'Days outstanding: from ordering to receipt, or to today while outstanding (UTC dates).' })
  ageDays(@Root() row: RequirementRow): number {
    return daysBetween(row.orderedAt, row.receivedAt ?? new Date().toISOString());
  }

  @Mutation(() => Requirement, {
    description: 'Orders a requirement on an open case (STAFF); its follow-up date defaults by code (an APS later than an MIB check).',
  })
  async orderRequirement(
    @Arg('caseId', () => ID, { description: 'The case.' }) caseId: string,
    @Arg('code', () => RequirementCode, { description: 'What to order.' }) code: RequirementCode,
    @Ctx() ctx: CasesContext,
    @Arg('note', () => String, { nullable: true, description: 'A note for the case manager.' }) note?: string,
  ): Promise<RequirementRow> {
    requireRole(ctx.identity, CASE_MANAGERS);
    parseId('case', caseId, 'caseId');
    const cleanNote = optionalText(note, 'note', 2000);
    const requirement = await ctx.db.transaction(async (tx) => {
      const row = await lockVisibleCase(ctx, tx, caseId);
      if (isClosed(row.status)) throw conflict(`the case is ${row.status}: nothing can be ordered on a closed case`);
      if (await isOutstanding(tx, caseId, code)) throw conflict(`a ${code} requirement is already outstanding on this case`);
      const at = nowIso();
      const created = await insertRequirement(tx, {
        id: newId('requirement'),
        caseId,
        code,
        status: 'ORDERED',
        orderedAt: at,
        receivedAt: null,
        followUpOn: followUpOn(code, at),
        carrierCode: null,
        note: cleanNote,
      });
      await appendEvent(tx, { caseId, at, type: 'REQUIREMENT_ORDERED', actor: ctx.identity.sub, requirementCode: code, note: cleanNote });
      return created;
    });
    await bumpMetricsGeneration(ctx.cache);
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
        note: reason,
      });
      return updated;
    });
    await bumpMetricsGeneration(ctx.cache);
    return requirement;
  }
}
