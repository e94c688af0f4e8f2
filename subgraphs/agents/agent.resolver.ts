import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { todayUtc } from '../../platform/dates';
import { badInput, conflict, notFound } from '../../platform/errors';
import { newId, parseId } from '../../platform/ids';
import { requireRole, requireSignedIn } from '../shared/auth';
import { State } from '../shared/enums';
import { decodeCursor, keysetPage, pageSize } from '../shared/pagination';
import { canSeeAgent, visibleAgentIds } from './agent-scope.loader';
import { agentByNpn, countAgents, insertAgent, listAgents, type AgentListFilter } from './agent.repository';
import { Agent, AgentConnection, AgentFilter, CreateAgentInput, type AgentRow } from './agent.type';
import type { AgentsContext } from './agents.context';
import { Appointment } from './appointment.type';
import { isNpn, newAgentProblems, RECORD_MANAGER_ROLES } from './domain/agent-records';
import { eligibility } from './domain/eligibility';
import { Eligibility } from './eligibility.type';
import { appendAgentEvents } from './events/agent-event.repository';
import { License } from './license.type';

const MAX_PAGE = 200;
/** A prefix of a name or an NPN: anything longer is no search, and a megabyte pattern per request is work for nobody. */
const MAX_SEARCH = 100;

/** The row when the caller may see it; undefined otherwise, so existence never leaks. */
async function visible(ctx: AgentsContext, row: AgentRow | undefined): Promise<AgentRow | undefined> {
  return row && (await canSeeAgent(ctx, row.id)) ? row : undefined;
}

/** Query.agent, Query.agentByNpn, Query.agents, Mutation.createAgent, and every field of Agent this subgraph resolves. */
@Resolver(() => Agent)
export class AgentResolver {
  @Query(() => Agent, { nullable: true, description: 'An agent by id; null when unknown or not visible to the caller.' })
  async agent(
    @Arg('id', () => ID, { description: 'The agent id (agt_...).' }) id: string,
    @Ctx() ctx: AgentsContext,
  ): Promise<AgentRow | undefined> {
    requireSignedIn(ctx.identity);
    return visible(ctx, await ctx.loaders.agent.load(parseId('agent', id, 'id')));
  }

  @Query(() => Agent, { nullable: true, description: 'An agent by National Producer Number; null when unknown or not visible.' })
  async agentByNpn(
    @Arg('npn', () => String, { description: 'The National Producer Number.' }) npn: string,
    @Ctx() ctx: AgentsContext,
  ): Promise<AgentRow | undefined> {
    requireSignedIn(ctx.identity);
    if (!isNpn(npn)) throw badInput('npn must be 1 to 10 digits');
    const row = await agentByNpn(ctx.db, npn);
    if (row) ctx.loaders.agent.prime(row.id, row);
    return visible(ctx, row);
  }

  @Query(() => AgentConnection, { description: 'Agents matching the filter, ordered by id, a page at a time.' })
  async agents(
    @Ctx() ctx: AgentsContext,
    @Arg('filter', () => AgentFilter, { nullable: true, description: 'Which agents; all when omitted.' }) filter?: AgentFilter,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50, description: `Page size, 0 to ${MAX_PAGE}.` }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor of the last edge of the previous page.' }) after?: string,
  ): Promise<AgentConnection> {
    requireSignedIn(ctx.identity);
    const limit = pageSize(first, MAX_PAGE);
    const scope = await visibleAgentIds(ctx);
    if (filter?.search && filter.search.length > MAX_SEARCH) throw badInput(`filter.search takes at most ${MAX_SEARCH} characters`);
    const afterId = after ? (decodeCursor(after, ['string'])[0] as string) : undefined;
    const where: AgentListFilter = {
      ids: scope ? [...scope] : undefined,
      statuses: filter?.statuses,
      residentState: filter?.residentState,
      search: filter?.search,
    };
    const rows = await listAgents(ctx.db, where, { afterId, limit: limit + 1 });
    const connection = keysetPage(rows, limit, after, (row) => [row.id]) as AgentConnection;
    for (const { node } of connection.edges) ctx.loaders.agent.prime(node.id, node);
    // totalCount is a getter: the count(*) runs only when a client selects the field.
    Object.defineProperty(connection, 'totalCount', { enumerable: true, get: () => countAgents(ctx.db, where) });
    return connection;
  }

  @Mutation(() => Agent, { description: 'Adds an agent in PENDING status (contracting starts). ADMIN only.' })
  async createAgent(
    @Arg('input', () => CreateAgentInput, { description: 'The new agent.' }) input: CreateAgentInput,
    @Ctx() ctx: AgentsContext,
  ): Promise<AgentRow> {
    requireRole(ctx.identity, RECORD_MANAGER_ROLES);
    const problems = newAgentProblems(input);
    if (input.uplineId) parseId('agent', input.uplineId, 'uplineId');
    if (problems.length) throw badInput(problems.join('; '), problems);
    if (input.uplineId && !(await ctx.loaders.agent.load(input.uplineId))) throw notFound('upline agent');
    const row = await ctx.db.transaction(async (tx) => {
      const inserted = await insertAgent(tx, {
        id: newId('agent'),
        npn: input.npn,
        firstName: input.firstName.trim(),
        lastName: input.lastName.trim(),
        email: input.email.trim().toLowerCase(),
        residentState: input.residentState,
        uplineId: input.uplineId ?? null,
      });
      if (inserted) await appendAgentEvents(tx, [{ agentId: inserted.id, type: 'CREATED', actor: ctx.identity.sub, toStatus: 'PENDING' }]);
      return inserted;
    });
    if (!row) throw conflict('an agent with this npn exists already');
    return row;
  }

  @FieldResolver(() => Agent, {
    nullable: true,
    description: "The upline agent or agency (hierarchy: agent -> upline agency -> BGA); null when outside the caller's scope.",
  })
  async upline(@Root() agent: AgentRow, @Ctx() ctx: AgentsContext): Promise<AgentRow | undefined> {
    return agent.uplineId ? visible(ctx, await ctx.loaders.agent.load(agent.uplineId)) : undefined;
  }

  @FieldResolver(() => [Agent], { description: 'Agents directly below this one in the hierarchy.' })
  async downline(@Root() agent: AgentRow, @Ctx() ctx: AgentsContext): Promise<AgentRow[]> {
    const rows = await ctx.loaders.downline.load(agent.id);
    for (const row of rows) ctx.loaders.agent.prime(row.id, row);
    return rows;
  }

  @FieldResolver(() => [License], { description: 'Every license on file, active or not.' })
  async licenses(@Root() agent: AgentRow, @Ctx() ctx: AgentsContext): Promise<License[]> {
    return ctx.loaders.licenses.load(agent.id);
  }

  @FieldResolver(() => [Appointment], { description: 'Carrier appointments, requested, active or terminated.' })
  async appointments(@Root() agent: AgentRow, @Ctx() ctx: AgentsContext): Promise<Appointment[]> {
    return ctx.loaders.appointments.load(agent.id);
  }

  @FieldResolver(() => Eligibility, {
    description: "Can this agent write this carrier's business for an insured in this state today (UTC)?",
  })
  async eligibility(
    @Root() agent: AgentRow,
    @Arg('carrierId', () => ID, { description: 'The carrier (car_...).' }) carrierId: string,
    @Arg('state', () => State, { description: "The insured's state." }) state: string,
    @Ctx() ctx: AgentsContext,
  ): Promise<Eligibility> {
    parseId('carrier', carrierId, 'carrierId');
    const [licenses, appointments, preAppointmentStates] = await Promise.all([
      ctx.loaders.licenses.load(agent.id),
      ctx.loaders.appointments.load(agent.id),
      ctx.loaders.preAppointmentStates.load(carrierId),
    ]);
    return eligibility({ agent, licenses, appointments, carrierId, state, preAppointmentStates, today: todayUtc() });
  }
}
