/**
 * Case managers: Case.caseManagerId and assignCaseManager (staff). The assignment and its
 * CASE_MANAGER_ASSIGNED event are one transaction; a closed case is not assigned (CONFLICT: nobody
 * works it any more). The worklist and the metrics filter by case manager.
 */
import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { badInput, conflict } from '../../platform/errors';
import { parseId } from '../../platform/ids';
import { requireRole } from '../shared/auth';
import { bumpMetricsGeneration } from './case-metrics.cache';
import { setCaseManager } from './case-manager.repository';
import { appendEvent, nowIso } from './case.repository';
import { CASE_MANAGERS, lockVisibleCase } from './case.scope';
import { Case, type CaseRow } from './case.type';
import type { CasesContext } from './cases.context';
import { isCaseManagerId } from './domain/case-manager';
import { isClosed } from './domain/case-status';

/** A case manager id argument, checked; BAD_USER_INPUT naming the argument otherwise. */
export function parseCaseManagerId(value: string, argument: string): string {
  if (!isCaseManagerId(value)) throw badInput(`${argument} is not a valid staff user id`);
  return value;
}

@Resolver(() => Case)
export class CaseManagerResolver {
  @FieldResolver(() => ID, { nullable: true, description: 'The staff user managing the case (their user id); null while unassigned.' })
  caseManagerId(@Root() row: CaseRow): string | null {
    return row.caseManagerId ?? null;
  }

  @Mutation(() => Case, {
    description:
      'Assigns (or reassigns) the case manager of an open case (STAFF, ADMIN), recorded as a CASE_MANAGER_ASSIGNED event. A closed case is CONFLICT; assigning the current case manager again changes nothing.',
  })
  async assignCaseManager(
    @Arg('caseId', () => ID, { description: 'The case.' }) caseId: string,
    @Arg('caseManagerId', () => ID, { description: 'The staff user who manages it (their user id, e.g. usr_staff_01).' })
    caseManagerId: string,
    @Ctx() ctx: CasesContext,
  ): Promise<CaseRow> {
    requireRole(ctx.identity, CASE_MANAGERS);
    parseId('case', caseId, 'caseId');
    const manager = parseCaseManagerId(caseManagerId, 'caseManagerId');
    const { row, changed } = await ctx.db.transaction(async (tx) => {
      const current = await lockVisibleCase(ctx, tx, caseId);
      if (isClosed(current.status)) throw conflict(`the case is ${current.status}: a closed case is not assigned`);
      if (current.caseManagerId === manager) return { row: current, changed: false };
      const at = nowIso();
      const updated = await setCaseManager(tx, caseId, manager, at);
      await appendEvent(tx, {
        caseId,
        at,
        type: 'CASE_MANAGER_ASSIGNED',
        actor: ctx.identity.sub,
        note: current.caseManagerId ? `${manager} (was ${current.caseManagerId})` : manager,
      });
      return { row: updated, changed: true };
    });
    if (changed) {
      ctx.loaders.case.clear(caseId).prime(caseId, row);
      await bumpMetricsGeneration(ctx.cache);
    }
    return row;
  }
}
