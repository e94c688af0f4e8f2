import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { requireRole } from '../shared/auth';
import type { CasesContext } from './cases.context';
import { MAX_ACCESS_PAGE, personalDataAccessPage } from './personal-data-access.repository';
import { PersonalDataAccess, PersonalDataAccessConnection, PersonalDataAccessFilter } from './personal-data-access.type';

/** The personal data access log, for admins: who read which personal data in full, and when. */
@Resolver(() => PersonalDataAccess)
export class PersonalDataAccessResolver {
  @Query(() => PersonalDataAccessConnection, {
    description: 'Full (unmasked) reads of personal data, newest first, a page at a time. ADMIN only.',
  })
  async personalDataAccess(
    @Ctx() ctx: CasesContext,
    @Arg('filter', () => PersonalDataAccessFilter, { nullable: true, description: 'Which entries; all of them when omitted.' })
    filter?: PersonalDataAccessFilter,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50, description: `Page size, 0 to ${MAX_ACCESS_PAGE}.` }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor of the last edge of the previous page.' }) after?: string,
  ): Promise<PersonalDataAccessConnection> {
    requireRole(ctx.identity, ['ADMIN']);
    return personalDataAccessPage(ctx.db, { filter, first, after });
  }
}
