import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { badInput } from '../../../platform/errors';
import { Agent, type AgentRow } from '../agent.type';
import type { AgentsContext } from '../agents.context';
import { Carrier } from '../carrier/carrier.type';
import { AgentEvent } from './agent-event.type';

const MAX_EVENTS = 200;

/** Agent.events and AgentEvent.carrier. */
@Resolver(() => AgentEvent)
export class AgentEventResolver {
  @FieldResolver(() => Carrier, { nullable: true, description: 'The carrier it concerns (appointments, contracts); null otherwise.' })
  carrier(@Root() event: AgentEvent): Pick<Carrier, 'id'> | null {
    return event.carrierId ? { id: event.carrierId } : null;
  }
}

@Resolver(() => Agent)
export class AgentEventsFieldResolver {
  @FieldResolver(() => [AgentEvent], { description: "The agent's newest events first: contracting, licensing, appointments, hierarchy." })
  async events(
    @Root() agent: AgentRow,
    @Ctx() ctx: AgentsContext,
    @Arg('last', () => Int, { defaultValue: 50, description: `How many of the newest events, 1 to ${MAX_EVENTS}.` }) last: number,
  ): Promise<AgentEvent[]> {
    if (!Number.isInteger(last) || last < 1 || last > MAX_EVENTS) throw badInput(`last must be 1 to ${MAX_EVENTS}`, ['last']);
    return ctx.loaders.events(last).load(agent.id);
  }
}
