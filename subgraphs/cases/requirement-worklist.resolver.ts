/**
 * requirementsWorklist: a case manager's desk, the outstanding requirements of open cases the
 * caller may see (staff: all; an agent: their own and their downline's), most urgent first, a page
 * at a time (requirement-worklist.repository.ts).
 */
import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { requireSignedIn } from '../shared/auth';
import { parseCaseManagerId } from './case-manager.resolver';
import { visibleAgentIds } from './case.scope';
import type { CasesContext } from './cases.context';
import { MAX_WORKLIST_PAGE, worklistPage } from './requirement-worklist.repository';
import { RequirementConnection, RequirementWorklistFilter } from './requirement-worklist.type';

@Resolver()
export class RequirementWorklistResolver {
  @Query(() => RequirementConnection, {
    description:
      'Outstanding requirements of the open cases the caller may see, most urgent first: those the agent was told of (30 days), then those escalated to the case manager (21 days), then the overdue ones (longest overdue first), then by the next follow-up day, then by order. Keyset cursors; totalCount is computed only when selected.',
  })
  async requirementsWorklist(
    @Ctx() ctx: CasesContext,
    @Arg('filter', () => RequirementWorklistFilter, {
      nullable: true,
      description: 'Which requirements; every outstanding one when omitted.',
    })
    filter?: RequirementWorklistFilter,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50, description: `Page size, 0 to ${MAX_WORKLIST_PAGE}.` }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor of the last edge of the previous page.' }) after?: string,
  ): Promise<RequirementConnection> {
    requireSignedIn(ctx.identity);
    const caseManager = filter?.caseManager != null ? parseCaseManagerId(filter.caseManager, 'filter.caseManager') : null;
    const { connection } = await worklistPage(ctx.db, { filter, first, after }, await visibleAgentIds(ctx), caseManager);
    return connection;
  }
}
