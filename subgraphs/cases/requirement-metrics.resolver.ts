/**
 * requirementMetrics: turnaround per code and vendor (p50 and p90), outstanding orders by vendor
 * stage, overdue counts and case managers' workload, over the cases the caller may see (an agent:
 * their scope). Cached like caseMetrics, under the metrics generation every case and requirement
 * write bumps (the follow-up job's too), so a cached answer is never older than the last change.
 */
import { createHash } from 'node:crypto';
import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { requireSignedIn } from '../shared/auth';
import { METRICS_GENERATION_KEY, METRICS_TTL_SECONDS } from './case-metrics.cache';
import { parseCaseManagerId } from './case-manager.resolver';
import { visibleAgentIds } from './case.scope';
import type { CasesContext } from './cases.context';
import { computeRequirementMetrics } from './requirement-metrics.repository';
import { RequirementMetrics, RequirementMetricsFilter } from './requirement-metrics.type';

/** The cache key of one question: the generation and a hash of (scope, filter). Ids, codes and dates only: no personal data. */
export function requirementMetricsCacheKey(
  generation: number,
  scope: ReadonlySet<string> | null,
  filter: RequirementMetricsFilter | null | undefined,
): string {
  const canonical = JSON.stringify([
    scope ? [...scope].sort() : null,
    filter
      ? Object.keys(filter)
          .sort()
          .map((k) => [k, (filter as Record<string, unknown>)[k]])
      : null,
  ]);
  return `metrics:requirements:v1:${generation}:${createHash('sha256').update(canonical).digest('hex')}`;
}

@Resolver()
export class RequirementMetricsResolver {
  @Query(() => RequirementMetrics, {
    description:
      "Requirement figures over the cases the caller may see: turnaround per code and vendor (ordered to received, p50 and p90 days), outstanding orders by vendor stage, overdue counts, and each case manager's open cases and overdue requirements. Never older than the last change the caller could see.",
  })
  async requirementMetrics(
    @Ctx() ctx: CasesContext,
    @Arg('filter', () => RequirementMetricsFilter, {
      nullable: true,
      description: 'Which requirements: ordered dates, codes, vendors, case manager.',
    })
    filter?: RequirementMetricsFilter,
  ): Promise<RequirementMetrics> {
    requireSignedIn(ctx.identity);
    const caseManager = filter?.caseManager != null ? parseCaseManagerId(filter.caseManager, 'filter.caseManager') : null;
    const scope = await visibleAgentIds(ctx);
    const compute = () => computeRequirementMetrics(ctx.db, filter, scope, caseManager);
    const raw = await ctx.cache.get(METRICS_GENERATION_KEY);
    const generation = raw !== null ? Number(raw) : await ctx.cache.incr(METRICS_GENERATION_KEY);
    if (generation === null) return compute();
    const { value } = await ctx.cached.get(requirementMetricsCacheKey(generation, scope, filter), METRICS_TTL_SECONDS, compute, ctx.stats);
    return value;
  }
}
