import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { requireSignedIn } from '../shared/auth';
import { CaseFilter } from './case.type';
import { visibleAgentIds } from './case.scope';
import { METRICS_GENERATION_KEY, METRICS_TTL_SECONDS, metricsCacheKey } from './case-metrics.cache';
import { computeCaseMetrics } from './case-metrics.repository';
import { withCohort } from './case-metrics-v2.resolver';
import { CaseMetrics, MetricsGrouping } from './case-metrics.type';
import type { CasesContext } from './cases.context';

@Resolver()
export class CaseMetricsResolver {
  @Query(() => CaseMetrics, {
    description:
      "Dashboard figures over the cases submitted in the filter's date range that match it, as they stand now. Never older than the last case change the caller could see.",
  })
  async caseMetrics(
    @Ctx() ctx: CasesContext,
    @Arg('filter', () => CaseFilter, { nullable: true, description: 'The cohort: submittedFrom/submittedTo and any other condition.' })
    filter?: CaseFilter,
    @Arg('groupBy', () => MetricsGrouping, { nullable: true, description: 'Split the cohort into groups.' }) groupBy?: MetricsGrouping,
  ): Promise<CaseMetrics> {
    requireSignedIn(ctx.identity);
    const scope = await visibleAgentIds(ctx);
    const compute = () => computeCaseMetrics(ctx.db, filter, scope, groupBy);
    // The generation is read before computing: a write after this read bumps it, so what is cached
    // now is never served after that write. No generation yet: start one. Unreachable cache: compute.
    const raw = await ctx.cache.get(METRICS_GENERATION_KEY);
    const generation = raw !== null ? Number(raw) : await ctx.cache.incr(METRICS_GENERATION_KEY);
    if (generation === null) return withCohort(await compute(), filter, scope);
    const { value } = await ctx.cached.get(metricsCacheKey(generation, scope, filter, groupBy), METRICS_TTL_SECONDS, compute, ctx.stats);
    return withCohort(value, filter, scope);
  }
}
