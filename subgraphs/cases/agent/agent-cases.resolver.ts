import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { parseIds } from '../../../platform/ids';
import { requireSignedIn } from '../../shared/auth';
import { casePage, MAX_PAGE } from '../case.repository';
import { visibleAgentIds } from '../case.scope';
import { CaseConnection, CaseFilter, CaseOrder } from '../case.type';
import type { CasesContext } from '../cases.context';
import { Agent } from './agent.type';

/** The field this subgraph contributes to the agents subgraph's Agent entity. */
@Resolver(() => Agent)
export class AgentCasesResolver {
  /**
   * Each agent of a list runs its own page query: pages cannot be batched into one statement without
   * a lateral join per agent, and lists of agents with their cases are small (the dashboard lists cases).
   */
  @FieldResolver(() => CaseConnection, {
    nullable: true,
    description: "This agent's cases; null when the agent is not visible to the caller.",
  })
  async cases(
    @Root() agent: Agent,
    @Ctx() ctx: CasesContext,
    @Arg('filter', () => CaseFilter, { nullable: true, description: "Which of the agent's cases." }) filter?: CaseFilter,
    @Arg('orderBy', () => CaseOrder, { nullable: true, defaultValue: 'SUBMITTED_AT_DESC', description: 'Order of the list.' })
    orderBy?: CaseOrder,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50, description: `Page size, 0 to ${MAX_PAGE}.` }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor of the last edge of the previous page.' }) after?: string,
  ): Promise<CaseConnection | null> {
    requireSignedIn(ctx.identity);
    const scope = await visibleAgentIds(ctx);
    if (scope && !scope.has(agent.id)) return null;
    // Every condition of the filter holds, agentIds included: asking agent A for agent B's cases
    // answers an empty page, not A's whole list.
    const requested = parseIds('agent', filter?.agentIds, 'filter.agentIds');
    const agentIds = !requested || requested.includes(agent.id) ? [agent.id] : [];
    const { rows, connection } = await casePage(ctx.db, { filter: { ...filter, agentIds }, orderBy, first, after }, scope);
    for (const row of rows) ctx.loaders.case.prime(row.id, row);
    return connection;
  }
}
