import { Arg, Ctx, Directive, ID, Query, Resolver } from 'type-graphql';
import { parseId } from '../../platform/ids';
import { requireRole } from '../shared/auth';
import { downlineIds } from './agent.repository';
import type { AgentsContext } from './agents.context';
import { MAX_HIERARCHY_DEPTH } from './domain/agent-scope';

/**
 * Query.agentScope, for the cases subgraph's own scope checks. @inaccessible: the gateway leaves it
 * out of the public API, and services call it on this subgraph directly with their signed identity.
 */
@Resolver()
export class AgentScopeResolver {
  @Query(() => [ID], { description: 'Internal (SERVICE role only): the ids an agent may see, themself and their whole downline.' })
  @Directive('@inaccessible')
  async agentScope(@Arg('agentId', () => ID, { description: 'The agent.' }) agentId: string, @Ctx() ctx: AgentsContext): Promise<string[]> {
    requireRole(ctx.identity, ['SERVICE']);
    return downlineIds(ctx.db, parseId('agent', agentId, 'agentId'), MAX_HIERARCHY_DEPTH);
  }
}
