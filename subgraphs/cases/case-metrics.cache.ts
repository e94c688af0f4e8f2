import { createHash } from 'node:crypto';
import type { Cache } from '../../platform/cache';
import type { CaseFilter } from './case.type';

/** The one key every case write bumps: cached metrics live under its value, so a write makes them all unreachable. */
export const METRICS_GENERATION_KEY = 'metrics:gen';

/** Cached metrics are short-lived anyway; the generation number is what keeps them exact. */
export const METRICS_TTL_SECONDS = 300;

/** After a committed case write: every cached metrics entry becomes unreachable at once. */
export async function bumpMetricsGeneration(cache: Cache): Promise<void> {
  await cache.incr(METRICS_GENERATION_KEY);
}

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
  return `metrics:v2:${generation}:${createHash('sha256').update(canonical).digest('hex')}`;
}

/**
 * The cache key of any other metrics question (series, funnel, cycle times, ranking): the kind of
 * question, the generation, and a hash of (scope, question). Ids, dates and enum values only.
 */
export function metricsQuestionKey(generation: number, scope: ReadonlySet<string> | null, kind: string, question: unknown): string {
  const canonical = JSON.stringify([scope ? [...scope].sort() : null, sortedKeys(question)]);
  return `metrics:${kind}:v1:${generation}:${createHash('sha256').update(canonical).digest('hex')}`;
}

/** The same value with every object's keys in order, so equal questions hash alike; undefined and null alike. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || value === undefined || typeof value !== 'object') return value ?? null;
  return Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]);
}
