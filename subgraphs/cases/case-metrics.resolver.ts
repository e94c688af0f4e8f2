import { createHash } from 'node:crypto';
import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { requireSignedIn } from '../shared/auth';
import { METRICS_GENERATION_KEY } from './case.history';
import type { CasesContext } from './case.loader';
import { visibleAgentIds } from './case.scope';
import { CaseFilter } from './case.type';
import { CaseMetrics, MetricsGrouping } from './case-metrics.type';
import { computeCaseMetrics } from './case-metrics.query';

/** Cached metrics are short-lived anyway; the generation number is what keeps them exact. */
export const METRICS_TTL_SECONDS = 300;

/**
 * The cache key of one dashboard question: the current generation (bumped by every case write, so
 * a write makes every older entry unreachable at once) and a hash of (scope, filter, grouping).
 * Ids and dates only: no personal data.
 */
export function metricsCacheKey(
  generation: number,
  scope: ReadonlySet<string> | null,
  filter: CaseFilter | null | undefined,
  groupBy: string | null | undefined,
): string {
  const canonical = JSON.stringify([
    scope ? [...scope].sort() : null,
    filter
      ? Object.keys(filter)
          .sort()
          .map((k) => [k, (filter as Record<string, unknown>)[k]])
      : null,
    groupBy ?? null,
  ]);
  return `metrics:v1:${generation}:${createHash('sha256').update(canonical).digest('hex')}`;
}

@Resolver()
export class CaseMetricsResolver {
  @Query(() => CaseMetrics, {
    description:
      "Dashboard figures over the cases submitted in the filter's date range that match it, as they stand now (DOMAIN.md). Never older than the last case change the caller could see.",
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
    if (generation === null) return compute();
    const { value } = await ctx.cached.get(metricsCacheKey(generation, scope, filter, groupBy), METRICS_TTL_SECONDS, compute, ctx.stats);
    return value;
  }
}
