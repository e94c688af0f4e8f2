import { Arg, Ctx, Directive, ID, Query, Resolver } from 'type-graphql';
import { badInput, failedPrecondition } from '../../../platform/errors';
import { parseId } from '../../../platform/ids';
import { DateScalar } from '../../../platform/scalars';
import { requireRole } from '../../shared/auth';
import type { AgentsContext } from '../agents.context';
import { MAX_HIERARCHY_DEPTH } from '../domain/agent-scope';
import { buildCommissionChains, type CommissionChain as Chain } from '../domain/contract-levels';
import { bgaScheduleTerms, commissionChainRows } from './contract.repository';
import { CommissionChain } from './contract.type';

/** Writing agents per call: a case has a handful; a batch of cases a few hundred at most. */
export const MAX_CHAIN_AGENTS = 500;

/**
 * Query.commissionChains, for the cases subgraph's commission worker. @inaccessible: the gateway leaves
 * it out of the public API; the cases subgraph calls this subgraph directly with its signed SERVICE
 * identity. Two SQL statements for any number of agents.
 */
@Resolver()
export class CommissionChainResolver {
  @Query(() => [CommissionChain], {
    description:
      "Internal (SERVICE role only): each writing agent's commission chain for a carrier product as of a date: the agent, each upline in the hierarchy as of that date, then the BGA, with each level's rates. FAILED_PRECONDITION (extensions.agentIds, extensions.reasons) when any agent's chain is incomplete (no contract or schedule on the way up).",
  })
  @Directive('@inaccessible')
  async commissionChains(
    @Arg('carrierId', () => ID, { description: 'The carrier (car_...).' }) carrierId: string,
    @Arg('productId', () => ID, { description: 'The product (prd_...).' }) productId: string,
    @Arg('agentIds', () => [ID], { description: 'The writing agents (agt_...).' }) agentIds: string[],
    @Arg('asOf', () => DateScalar, { description: "The hierarchy's date: the case's submission date." }) asOf: string,
    @Ctx() ctx: AgentsContext,
  ): Promise<Chain[]> {
    requireRole(ctx.identity, ['SERVICE']);
    parseId('carrier', carrierId, 'carrierId');
    parseId('product', productId, 'productId');
    for (const id of agentIds) parseId('agent', id, 'agentIds');
    if (agentIds.length > MAX_CHAIN_AGENTS) throw badInput(`agentIds takes at most ${MAX_CHAIN_AGENTS} agents`, ['agentIds']);
    if (agentIds.length === 0) return [];
    const [rows, bga] = await Promise.all([
      commissionChainRows(ctx.db, { agentIds, asOf, carrierId, productId, maxDepth: MAX_HIERARCHY_DEPTH }),
      bgaScheduleTerms(ctx.db, carrierId, productId),
    ]);
    const { chains, problems } = buildCommissionChains({ carrierId, productId, agentIds, rows, bga });
    if (problems.length) {
      throw failedPrecondition(problems.map((p) => p.reason).join('; '), {
        agentIds: problems.map((p) => p.agentId),
        reasons: problems.map((p) => p.reason),
      });
    }
    return chains;
  }
}
