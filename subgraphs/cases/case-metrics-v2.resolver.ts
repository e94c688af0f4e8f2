import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { badInput } from '../../platform/errors';
import { DateScalar } from '../../platform/scalars';
import { requireSignedIn } from '../shared/auth';
import { CaseFilter } from './case.type';
import { SCOPE_TTL_SECONDS, visibleAgentIds } from './case.scope';
import { METRICS_GENERATION_KEY, METRICS_TTL_SECONDS, metricsQuestionKey } from './case-metrics.cache';
import { CaseMetrics, MetricsGrouping } from './case-metrics.type';
import { computeCycleTimes, computeFunnel, computeSeries, placedByWritingAgent, rankAgents } from './case-metrics-v2.repository';
import { AgentProduction, CaseFunnel, CaseMetricsSeries, CycleTime, MetricsBasis, MetricsInterval } from './case-metrics-v2.type';
import type { CasesContext } from './cases.context';
import { seriesRefusal } from './domain/metrics-periods';

/** The most agents agentProduction ranks in one answer. */
export const MAX_RANKED_AGENTS = 100;

/**
 * One metrics question through the cache, as caseMetrics does: under the current generation (read
 * before computing, so nothing computed before a write is served after it) and the caller's scope.
 */
export async function cachedMetrics<T>(
  ctx: CasesContext,
  scope: ReadonlySet<string> | null,
  kind: string,
  question: unknown,
  compute: () => Promise<T>,
): Promise<T> {
  const raw = await ctx.cache.get(METRICS_GENERATION_KEY);
  const generation = raw !== null ? Number(raw) : await ctx.cache.incr(METRICS_GENERATION_KEY);
  if (generation === null) return compute();
  const { value } = await ctx.cached.get(metricsQuestionKey(generation, scope, kind, question), METRICS_TTL_SECONDS, compute, ctx.stats);
  return value;
}

/** A series question checked against its limits: BAD_USER_INPUT naming the limit. */
export function checkSeries(
  interval: MetricsInterval,
  from: string,
  to: string,
  groupBy: readonly MetricsGrouping[] | null | undefined,
): void {
  if (groupBy && new Set(groupBy).size !== groupBy.length) throw badInput('groupBy names a grouping twice');
  const refusal = seriesRefusal(interval, from, to, groupBy?.length ?? 0);
  if (refusal) throw badInput(refusal);
}

/** The cohort of a caseMetrics answer, kept beside it (not cached, not a field) for its cycleTimes. */
const COHORT = Symbol('cohort');
type WithCohort = CaseMetrics & { [COHORT]?: { filter: CaseFilter | null; scope: ReadonlySet<string> | null } };

/** Remembers a caseMetrics answer's cohort for CaseMetrics.cycleTimes. */
export function withCohort(metrics: CaseMetrics, filter: CaseFilter | null | undefined, scope: ReadonlySet<string> | null): CaseMetrics {
  return Object.assign({}, metrics, { [COHORT]: { filter: filter ?? null, scope } });
}

@Resolver(() => CaseMetrics)
export class CaseMetricsV2Resolver {
  @Query(() => CaseMetricsSeries, {
    description:
      'Case figures per calendar period (UTC) from `from` to `to` inclusive, each period counting the cases whose basis date lies in it, as they stand now; optionally split by up to 2 groupings. At WEEK a series spans at most 10 years.',
  })
  async caseMetricsSeries(
    @Ctx() ctx: CasesContext,
    @Arg('interval', () => MetricsInterval, { description: 'The length of a period.' }) interval: MetricsInterval,
    @Arg('basis', () => MetricsBasis, { description: 'Which date puts a case into a period.' }) basis: MetricsBasis,
    @Arg('from', () => DateScalar, { description: 'The first day (UTC), inclusive.' }) from: string,
    @Arg('to', () => DateScalar, { description: 'The last day (UTC), inclusive.' }) to: string,
    @Arg('filter', () => CaseFilter, { nullable: true, description: 'Further conditions on the cases (any CaseFilter field).' })
    filter?: CaseFilter,
    @Arg('groupBy', () => [MetricsGrouping], { nullable: true, description: 'Split each period by these groupings (at most 2).' })
    groupBy?: MetricsGrouping[],
  ): Promise<CaseMetricsSeries> {
    requireSignedIn(ctx.identity);
    checkSeries(interval, from, to, groupBy);
    const scope = await visibleAgentIds(ctx);
    const question = { interval, basis, from, to, filter: filter ?? null, groupBy: groupBy ?? [] };
    return cachedMetrics(ctx, scope, 'series', question, async () => ({
      periods: await computeSeries(ctx.db, question, scope),
      asOf: new Date().toISOString(),
    }));
  }

  @Query(() => CaseFunnel, {
    description:
      "The pipeline funnel of the cases submitted in the filter's date range that match it, as they stand now: how many reached approval, issue and placement, and where the rest left.",
  })
  async caseFunnel(
    @Ctx() ctx: CasesContext,
    @Arg('filter', () => CaseFilter, { nullable: true, description: 'The cohort: submittedFrom/submittedTo and any other condition.' })
    filter?: CaseFilter,
  ): Promise<CaseFunnel> {
    requireSignedIn(ctx.identity);
    const scope = await visibleAgentIds(ctx);
    return cachedMetrics(ctx, scope, 'funnel', filter ?? null, () => computeFunnel(ctx.db, filter, scope));
  }

  @Query(() => [AgentProduction], {
    description:
      "Agents ranked by placed premium over the cohort (the cases submitted in the filter's date range that match it, placed now), each with their downline's production rolled up. Agents see their own scope only.",
  })
  async agentProduction(
    @Ctx() ctx: CasesContext,
    @Arg('filter', () => CaseFilter, { nullable: true, description: 'The cohort: submittedFrom/submittedTo and any other condition.' })
    filter?: CaseFilter,
    @Arg('first', () => Int, { defaultValue: 10, description: 'How many agents, from the top (at most 100).' }) first = 10,
  ): Promise<AgentProduction[]> {
    requireSignedIn(ctx.identity);
    if (first < 1 || first > MAX_RANKED_AGENTS) throw badInput(`first must be between 1 and ${MAX_RANKED_AGENTS}`);
    const scope = await visibleAgentIds(ctx);
    // Each writing agent's downline is their scope as the agents subgraph answers it, cached per
    // agent for SCOPE_TTL_SECONDS like the caller's own.
    const scopeOf = async (agentId: string) =>
      (await ctx.cached.get(`scope:v1:${agentId}`, SCOPE_TTL_SECONDS, () => ctx.agents.scope(agentId, ctx.requestId), ctx.stats)).value;
    return cachedMetrics(ctx, scope, 'production', { filter: filter ?? null, first }, async () =>
      rankAgents(await placedByWritingAgent(ctx.db, filter, scope), scopeOf, first),
    );
  }

  @FieldResolver(() => [CycleTime])
  async cycleTimes(@Root() metrics: WithCohort, @Ctx() ctx: CasesContext): Promise<CycleTime[]> {
    if (metrics.cycleTimes) return metrics.cycleTimes;
    const cohort = metrics[COHORT];
    if (!cohort) throw new Error('CaseMetrics without its cohort');
    return cachedMetrics(ctx, cohort.scope, 'cycles', cohort.filter, () => computeCycleTimes(ctx.db, cohort.filter, cohort.scope));
  }
}
