import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { todayUtc } from '../../../platform/dates';
import { badInput, notFound } from '../../../platform/errors';
import { parseId } from '../../../platform/ids';
import { DateScalar } from '../../../platform/scalars';
import { requireRole } from '../../shared/auth';
import { canSeeAgent } from '../agent-scope.loader';
import { agentsByIds } from '../agent.repository';
import { Agent, type AgentRow } from '../agent.type';
import type { AgentsContext } from '../agents.context';
import { Carrier } from '../carrier/carrier.type';
import { MAX_HIERARCHY_DEPTH } from '../domain/agent-scope';
import {
  aboveParentProblem,
  belowChildrenProblems,
  type ContractLevelDef,
  cycleProblem,
  LEVEL_CODE,
  moveProblems,
  type Parent,
  unknownLevelProblem,
} from '../domain/contract-levels';
import { appendAgentEvents } from '../events/agent-event.repository';
import {
  ancestorsSince,
  bgaContractsByCarrierIds,
  type CommissionScheduleRow,
  contractLevelsByCarrierIds,
  contractsByAgentIds,
  currentPeriodForUpdate,
  lockContracting,
  moveAgent,
  nestingAt,
  upsertAgentContract,
} from './contract.repository';
import { AgentContract, CommissionSchedule, UplinePeriod } from './contract.type';

/** Who may set levels and move agents. */
const CONTRACT_MANAGER_ROLES = ['ADMIN'] as const;

/** Schedule rows as the API shows them: the product as an entity reference. */
export const asSchedules = (rows: readonly CommissionScheduleRow[]): CommissionSchedule[] =>
  rows.map(({ productId, carrierId: _carrier, ...row }) => ({ ...row, product: { id: productId } }));

/** Refuses with every reason, the first as the message. */
function refuse(problems: readonly string[]): never {
  throw badInput(problems[0], [...problems]);
}

function groupLevels(rows: readonly (ContractLevelDef & { carrierId: string })[]): Map<string, ContractLevelDef[]> {
  const map = new Map<string, ContractLevelDef[]>();
  for (const row of rows) map.set(row.carrierId, [...(map.get(row.carrierId) ?? []), row]);
  return map;
}

/** Agent.contracts, Agent.uplineHistory, Mutation.setContractLevel and Mutation.changeUpline. */
@Resolver(() => Agent)
export class AgentContractsResolver {
  @FieldResolver(() => [AgentContract], {
    description: "The agent's or agency's contracts, one per carrier, each at a level not above its upline's there.",
  })
  async contracts(@Root() agent: AgentRow, @Ctx() ctx: AgentsContext): Promise<AgentContract[]> {
    if (!(await canSeeAgent(ctx, agent.id))) return [];
    return (await ctx.loaders.agentContracts.load(agent.id)) as AgentContract[];
  }

  @FieldResolver(() => [UplinePeriod], {
    description: "The agent's places in the hierarchy, oldest first: commissions follow the upline of a case's submission date.",
  })
  async uplineHistory(@Root() agent: AgentRow, @Ctx() ctx: AgentsContext): Promise<UplinePeriod[]> {
    if (!(await canSeeAgent(ctx, agent.id))) return [];
    return ctx.loaders.hierarchy.load(agent.id);
  }

  @Mutation(() => AgentContract, {
    description:
      "Sets an agent's or agency's contract level with a carrier. Refused (BAD_USER_INPUT) when the level is above the upline's there (the BGA's for an agent directly under it), or below a direct downline agent's. ADMIN only.",
  })
  async setContractLevel(
    @Arg('agentId', () => ID, { description: 'The agent or agency (agt_...).' }) agentId: string,
    @Arg('carrierId', () => ID, { description: 'The carrier (car_...).' }) carrierId: string,
    @Arg('levelCode', () => String, { description: "One of the carrier's contract levels, e.g. L100." }) levelCode: string,
    @Ctx() ctx: AgentsContext,
    @Arg('effectiveOn', () => DateScalar, { nullable: true, description: 'Since when: today (UTC) or earlier; today when omitted.' })
    effectiveOn?: string | null,
  ): Promise<AgentContract> {
    requireRole(ctx.identity, CONTRACT_MANAGER_ROLES);
    parseId('agent', agentId, 'agentId');
    parseId('carrier', carrierId, 'carrierId');
    if (!LEVEL_CODE.test(levelCode)) throw badInput('levelCode must be a contract level code such as L100', ['levelCode']);
    const on = effectiveOn ?? todayUtc();
    if (on > todayUtc()) throw badInput('effectiveOn may not be in the future', ['effectiveOn']);
    return ctx.db.transaction(async (tx) => {
      await lockContracting(tx);
      const [nesting, levels] = await Promise.all([nestingAt(tx, agentId, carrierId), contractLevelsByCarrierIds(tx, [carrierId])]);
      if (!nesting) throw notFound('agent');
      const unknown = unknownLevelProblem(levels, carrierId, levelCode);
      if (unknown) refuse([unknown]);
      const parent: Parent = nesting.uplineId
        ? { kind: 'UPLINE', agentId: nesting.uplineId, levelCode: nesting.uplineLevelCode }
        : { kind: 'BGA', levelCode: nesting.bgaLevelCode };
      const problems = [
        aboveParentProblem(levels, carrierId, levelCode, parent),
        ...belowChildrenProblems(levels, carrierId, levelCode, nesting.children),
      ];
      const refused = problems.filter((p): p is string => p !== null);
      if (refused.length) refuse(refused);
      const { previous, row } = await upsertAgentContract(tx, { agentId, carrierId, levelCode, effectiveOn: on });
      await appendAgentEvents(tx, [
        {
          agentId,
          type: 'CONTRACT_LEVEL_SET',
          actor: ctx.identity.sub,
          carrierId,
          note: `contract level ${previous ? `${previous} -> ` : ''}${levelCode} effective ${on}`,
        },
      ]);
      ctx.loaders.agentContracts.clear(agentId);
      return row as AgentContract;
    });
  }

  @Mutation(() => Agent, {
    description:
      'Moves an agent under another upline (or directly under the BGA) from a date: earlier business keeps the earlier upline. Refused (BAD_USER_INPUT) for a cycle, or when the new upline lacks a contract at a carrier the agent holds one with or holds a lower level there. ADMIN only.',
  })
  async changeUpline(
    @Arg('agentId', () => ID, { description: 'The agent moving (agt_...).' }) agentId: string,
    @Arg('uplineId', () => ID, { nullable: true, description: 'The new upline (agt_...); null: directly under the BGA.' })
    uplineId: string | null,
    @Arg('effectiveOn', () => DateScalar, {
      description: "The first day under the new upline: today (UTC) or earlier, after the agent's last move.",
    })
    effectiveOn: string,
    @Ctx() ctx: AgentsContext,
  ): Promise<AgentRow> {
    requireRole(ctx.identity, CONTRACT_MANAGER_ROLES);
    parseId('agent', agentId, 'agentId');
    if (uplineId) parseId('agent', uplineId, 'uplineId');
    if (effectiveOn > todayUtc()) throw badInput('effectiveOn may not be in the future', ['effectiveOn']);
    const upline = uplineId ?? null;
    await ctx.db.transaction(async (tx) => {
      await lockContracting(tx);
      const current = await currentPeriodForUpdate(tx, agentId);
      if (!current) throw notFound('agent');
      if (upline && !(await agentsByIds(tx, [upline]))[0]) throw notFound('upline agent');
      if (current.uplineId === upline) refuse([`agent ${agentId} is already under ${upline ?? 'the BGA'}`]);
      if (current.validFrom !== null && effectiveOn <= current.validFrom) {
        refuse([`effectiveOn must be after ${current.validFrom}, the start of agent ${agentId}'s current upline period`]);
      }
      if (upline) {
        const cycle = cycleProblem(agentId, upline, await ancestorsSince(tx, upline, effectiveOn, MAX_HIERARCHY_DEPTH));
        if (cycle) refuse([cycle]);
      }
      const contracts = await contractsByAgentIds(tx, [agentId]);
      if (contracts.length) {
        const carrierIds = contracts.map((c) => c.carrierId);
        const [levels, parentContracts] = await Promise.all([
          contractLevelsByCarrierIds(tx, carrierIds),
          upline ? contractsByAgentIds(tx, [upline]) : bgaContractsByCarrierIds(tx, carrierIds),
        ]);
        const parentLevel = new Map(parentContracts.map((c) => [c.carrierId, c.levelCode]));
        const problems = moveProblems(contracts, groupLevels(levels), (carrierId) =>
          upline
            ? { kind: 'UPLINE', agentId: upline, levelCode: parentLevel.get(carrierId) ?? null }
            : { kind: 'BGA', levelCode: parentLevel.get(carrierId) ?? null },
        );
        if (problems.length) refuse(problems);
      }
      await moveAgent(tx, agentId, upline, effectiveOn);
      await appendAgentEvents(tx, [
        {
          agentId,
          type: 'UPLINE_CHANGED',
          actor: ctx.identity.sub,
          note: `upline ${current.uplineId ?? 'BGA'} -> ${upline ?? 'BGA'} effective ${effectiveOn}`,
        },
      ]);
    });
    ctx.loaders.agent.clear(agentId);
    ctx.loaders.hierarchy.clear(agentId);
    const row = await ctx.loaders.agent.load(agentId);
    if (!row) throw notFound('agent');
    return row;
  }
}

/** AgentContract.carrier and AgentContract.schedules. */
@Resolver(() => AgentContract)
export class AgentContractFieldsResolver {
  @FieldResolver(() => Carrier, { description: 'The carrier.' })
  carrier(@Root() contract: AgentContract): Pick<Carrier, 'id'> {
    return { id: contract.carrierId };
  }

  @FieldResolver(() => [CommissionSchedule], { description: "What this level earns on each of the carrier's products." })
  async schedules(@Root() contract: AgentContract, @Ctx() ctx: AgentsContext): Promise<CommissionSchedule[]> {
    return asSchedules(await ctx.loaders.levelSchedules.load({ carrierId: contract.carrierId, levelCode: contract.levelCode }));
  }
}

/** UplinePeriod.upline. */
@Resolver(() => UplinePeriod)
export class UplinePeriodResolver {
  @FieldResolver(() => Agent, {
    nullable: true,
    description: "The upline in this period; null: directly under the BGA, or outside the caller's scope.",
  })
  async upline(@Root() period: UplinePeriod, @Ctx() ctx: AgentsContext): Promise<AgentRow | undefined> {
    if (!period.uplineId) return undefined;
    const row = await ctx.loaders.agent.load(period.uplineId);
    return row && (await canSeeAgent(ctx, row.id)) ? row : undefined;
  }
}
