import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { todayUtc } from '../../platform/dates';
import { badInput, conflict, notFound } from '../../platform/errors';
import { newId, parseId } from '../../platform/ids';
import { requireRole } from '../shared/auth';
import type { AgentsContext } from './agents.context';
import { newLicenseProblems, RECORD_MANAGER_ROLES } from './domain/agent-records';
import { licenseActive } from './domain/eligibility';
import { insertLicense } from './license.repository';
import { License, LicenseInput } from './license.type';

/** Mutation.addLicense. License has no field of its own to resolve: Agent.licenses loads them (agent.resolver.ts). */
@Resolver(() => License)
export class LicenseResolver {
  @Mutation(() => License, { description: 'Records a state license for an agent. ADMIN only.' })
  async addLicense(
    @Arg('agentId', () => ID, { description: 'The agent.' }) agentId: string,
    @Arg('input', () => LicenseInput, { description: 'The license.' }) input: LicenseInput,
    @Ctx() ctx: AgentsContext,
  ): Promise<License> {
    requireRole(ctx.identity, RECORD_MANAGER_ROLES);
    parseId('agent', agentId, 'agentId');
    const agent = await ctx.loaders.agent.load(agentId);
    if (!agent) throw notFound('agent');
    const problems = newLicenseProblems(input, agent.residentState);
    if (problems.length) throw badInput(problems.join('; '), problems);
    const row = await insertLicense(ctx.db, {
      id: newId('license'),
      agentId,
      state: input.state,
      number: input.number,
      resident: input.resident,
      linesOfAuthority: [...new Set(input.linesOfAuthority)],
      effectiveOn: input.effectiveOn,
      expiresOn: input.expiresOn,
    });
    if (!row) throw conflict('this license is on file already');
    return { ...row, active: licenseActive(row, todayUtc()) };
  }
}
