import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireRole, requireSignedIn } from '../shared/auth';
import { todayUtc } from '../../platform/dates';
import { State } from '../shared/enums';
import { badInput, conflict, notFound } from '../../platform/errors';

const MAX_SEARCH = 100;
import { newId, parseId } from '../../platform/ids';
import { decodeCursor, encodeCursor, pageSize } from '../shared/pagination';
import { AGENT_COLUMNS, type AgentsContext } from './agent.loader';
import {
  Agent,
  AgentConnection,
  AgentFilter,
  Appointment,
  CreateAgentInput,
  Eligibility,
  License,
  LicenseInput,
  type AgentRow,
} from './agent.type';
import { Carrier } from './carrier.type';
import { canSeeAgent, downlineIds, visibleAgentIds } from './agent-scope';
import { eligibility } from './eligibility';

const MAX_PAGE = 200;
/** Admins manage agents, licenses and appointments; services request just-in-time appointments. */
const ADMIN_ROLES = ['ADMIN', 'SERVICE'] as const;

/** The row when the caller may see it; undefined otherwise, so existence never leaks. */
async function visible(ctx: AgentsContext, row: AgentRow | undefined): Promise<AgentRow | undefined> {
  return row && (await canSeeAgent(ctx, row.id)) ? row : undefined;
}

/** Postgres unique_violation: a concurrent or repeated write hit a unique index. */
const isUniqueViolation = (error: unknown) => (error as { code?: string })?.code === '23505';

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
    if (!/^\d{1,10}$/.test(npn)) throw badInput('npn must be 1 to 10 digits');
    const row = await ctx.db.one<AgentRow>(`SELECT ${AGENT_COLUMNS} FROM agents.agent WHERE npn = $1`, [npn]);
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
    const where: string[] = [];
    const params: unknown[] = [];
    const scope = await visibleAgentIds(ctx);
    if (scope) where.push(`id = ANY($${params.push([...scope])})`);
    if (filter?.statuses?.length) where.push(`status = ANY($${params.push(filter.statuses)})`);
    if (filter?.residentState) where.push(`resident_state = $${params.push(filter.residentState)}`);
    if (filter?.search) {
      // A prefix of a name or an NPN: anything longer is no search, and a megabyte pattern per request is work for nobody.
      if (filter.search.length > MAX_SEARCH) throw badInput(`filter.search takes at most ${MAX_SEARCH} characters`);
      const term = filter.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`);
      where.push(`(npn LIKE $${params.push(`${term}%`)} OR lower(last_name) LIKE lower($${params.length}))`);
    }
    const countWhere = [...where];
    const countParams = [...params];
    if (after) where.push(`id > $${params.push(decodeCursor(after, ['string'])[0])}`);
    const rows = await ctx.db.query<AgentRow>(
      `SELECT ${AGENT_COLUMNS} FROM agents.agent ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT $${params.push(limit + 1)}`,
      params,
    );
    const page = rows.slice(0, limit);
    for (const row of page) ctx.loaders.agent.prime(row.id, row);
    const edges = page.map((node) => ({ cursor: encodeCursor([node.id]), node: node as Agent }));
    const connection = {
      edges,
      pageInfo: {
        hasNextPage: rows.length > limit,
        hasPreviousPage: Boolean(after),
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
    } as AgentConnection;
    // totalCount is a getter: the count(*) runs only when a client selects the field.
    Object.defineProperty(connection, 'totalCount', {
      enumerable: true,
      get: () =>
        ctx.db
          .one<{ n: number }>(
            `SELECT count(*)::int AS n FROM agents.agent ${countWhere.length ? `WHERE ${countWhere.join(' AND ')}` : ''}`,
            countParams,
          )
          .then((r) => r!.n),
    });
    return connection;
  }

  @Query(() => [ID], { description: 'Internal (SERVICE role only): the ids an agent may see, themself and their whole downline.' })
  async agentScope(@Arg('agentId', () => ID, { description: 'The agent.' }) agentId: string, @Ctx() ctx: AgentsContext): Promise<string[]> {
    requireRole(ctx.identity, ['SERVICE']);
    return downlineIds(ctx, parseId('agent', agentId, 'agentId'));
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

  @Mutation(() => Agent, { description: 'Adds an agent in PENDING status (contracting starts). ADMIN only.' })
  async createAgent(
    @Arg('input', () => CreateAgentInput, { description: 'The new agent.' }) input: CreateAgentInput,
    @Ctx() ctx: AgentsContext,
  ): Promise<AgentRow> {
    requireRole(ctx.identity, ADMIN_ROLES);
    const reasons: string[] = [];
    if (!/^\d{1,10}$/.test(input.npn)) reasons.push('npn must be 1 to 10 digits');
    if (!input.firstName.trim() || input.firstName.length > 100) reasons.push('firstName must be 1 to 100 characters');
    if (!input.lastName.trim() || input.lastName.length > 100) reasons.push('lastName must be 1 to 100 characters');
    if (!/^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,}$/.test(input.email)) reasons.push('email is not a valid address');
    if (input.uplineId) parseId('agent', input.uplineId, 'uplineId');
    if (reasons.length) throw badInput(reasons.join('; '), reasons);
    if (input.uplineId && !(await ctx.loaders.agent.load(input.uplineId))) throw notFound('upline agent');
    try {
      const row = await ctx.db.one<AgentRow>(
        `INSERT INTO agents.agent (id, npn, first_name, last_name, email, resident_state, status, upline_id)
         VALUES ($1, $2, $3, $4, $5, $6, 'PENDING', $7) RETURNING ${AGENT_COLUMNS}`,
        [
          newId('agent'),
          input.npn,
          input.firstName.trim(),
          input.lastName.trim(),
          input.email.trim().toLowerCase(),
          input.residentState,
          input.uplineId ?? null,
        ],
      );
      return row!;
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('an agent with this npn exists already');
      throw error;
    }
  }

  @Mutation(() => License, { description: 'Records a state license for an agent. ADMIN only.' })
  async addLicense(
    @Arg('agentId', () => ID, { description: 'The agent.' }) agentId: string,
    @Arg('input', () => LicenseInput, { description: 'The license.' }) input: LicenseInput,
    @Ctx() ctx: AgentsContext,
  ): Promise<License> {
    requireRole(ctx.identity, ADMIN_ROLES);
    parseId('agent', agentId, 'agentId');
    const reasons: string[] = [];
    if (!/^[A-Za-z0-9-]{1,30}$/.test(input.number)) reasons.push('number must be 1 to 30 letters, digits or dashes');
    if (input.expiresOn < input.effectiveOn) reasons.push('expiresOn must be on or after effectiveOn');
    if (input.linesOfAuthority.length === 0) reasons.push('linesOfAuthority must name at least one line');
    const agent = await ctx.loaders.agent.load(agentId);
    if (!agent) throw notFound('agent');
    if (input.resident !== (input.state === agent.residentState)) reasons.push("resident must be true exactly for the agent's home state");
    if (reasons.length) throw badInput(reasons.join('; '), reasons);
    try {
      const row = await ctx.db.one<License>(
        `INSERT INTO agents.license (id, agent_id, state, number, resident, lines_of_authority, effective_on, expires_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         RETURNING agent_id AS "agentId", state, number, resident, lines_of_authority AS "linesOfAuthority",
                   effective_on AS "effectiveOn", expires_on AS "expiresOn", revoked`,
        [
          newId('license'),
          agentId,
          input.state,
          input.number,
          input.resident,
          [...new Set(input.linesOfAuthority)],
          input.effectiveOn,
          input.expiresOn,
        ],
      );
      const today = todayUtc();
      return { ...row!, active: !row!.revoked && row!.effectiveOn <= today && today <= row!.expiresOn } as License;
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('this license is on file already');
      throw error;
    }
  }

  @Mutation(() => Appointment, {
    description:
      'Requests a carrier appointment in a state. Idempotent: a live (requested or active) appointment is returned as it is. ADMIN, or SERVICE when a case submission requests it.',
  })
  async requestAppointment(
    @Arg('agentId', () => ID, { description: 'The agent.' }) agentId: string,
    @Arg('carrierId', () => ID, { description: 'The carrier.' }) carrierId: string,
    @Arg('state', () => State, { description: 'The state.' }) state: string,
    @Ctx() ctx: AgentsContext,
  ): Promise<Appointment> {
    requireRole(ctx.identity, ADMIN_ROLES);
    parseId('agent', agentId, 'agentId');
    parseId('carrier', carrierId, 'carrierId');
    if (!(await ctx.loaders.agent.load(agentId))) throw notFound('agent');
    const columns = `id, agent_id AS "agentId", carrier_id AS "carrierId", state, status, writing_number AS "writingNumber",
      effective_on AS "effectiveOn", terminated_on AS "terminatedOn"`;
    // ON CONFLICT on the partial unique index makes a retried or concurrent request a no-op.
    const inserted = await ctx.db.one<Appointment>(
      `INSERT INTO agents.appointment (id, agent_id, carrier_id, state, status) VALUES ($1, $2, $3, $4, 'REQUESTED')
       ON CONFLICT (agent_id, carrier_id, state) WHERE status <> 'TERMINATED' DO NOTHING RETURNING ${columns}`,
      [newId('appointment'), agentId, carrierId, state],
    );
    return (
      inserted ??
      (await ctx.db.one<Appointment>(
        `SELECT ${columns} FROM agents.appointment WHERE agent_id = $1 AND carrier_id = $2 AND state = $3 AND status <> 'TERMINATED'`,
        [agentId, carrierId, state],
      ))!
    );
  }
}

@Resolver(() => Appointment)
export class AppointmentResolver {
  @FieldResolver(() => Carrier, { nullable: true, description: 'The appointing carrier (resolved by the carriers subgraph).' })
  carrier(@Root() appointment: Appointment): Pick<Carrier, 'id'> {
    return { id: appointment.carrierId };
  }
}

@Resolver(() => Carrier)
export class CarrierContractingResolver {
  @FieldResolver(() => [State], {
    description: 'States where this carrier requires an ACTIVE appointment before the application; elsewhere appointment is just-in-time.',
  })
  async preAppointmentStates(@Root() carrier: Pick<Carrier, 'id'>, @Ctx() ctx: AgentsContext): Promise<string[]> {
    return ctx.loaders.preAppointmentStates.load(carrier.id);
  }
}
