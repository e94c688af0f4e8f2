/**
 * Calendar periods of caseMetricsSeries, in UTC, and the limits on a series' size. Pure.
 * Weeks are ISO weeks (Monday first, as PostgreSQL's date_trunc('week')), quarters start in
 * January, April, July and October.
 */
export type Interval = 'WEEK' | 'MONTH' | 'QUARTER';

/** A WEEK series spans at most this many years (about 522 periods). */
export const MAX_WEEK_SERIES_YEARS = 10;
/** A MONTH or QUARTER series spans at most this many years. */
export const MAX_SERIES_YEARS = 50;
/** At most this many groupings at once. */
export const MAX_GROUPINGS = 2;

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The first day of the period that holds `date` (YYYY-MM-DD). */
export function periodStart(interval: Interval, date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  if (interval === 'WEEK') return iso(d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY_MS);
  const month = interval === 'MONTH' ? d.getUTCMonth() : d.getUTCMonth() - (d.getUTCMonth() % 3);
  return iso(Date.UTC(d.getUTCFullYear(), month, 1));
}

/** The first day of the next period. */
export function nextPeriod(interval: Interval, start: string): string {
  const d = new Date(`${start}T00:00:00Z`);
  if (interval === 'WEEK') return iso(d.getTime() + 7 * DAY_MS);
  return iso(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + (interval === 'MONTH' ? 1 : 3), 1));
}

/** The day before a date. */
export const dayBefore = (date: string) => iso(Date.parse(`${date}T00:00:00Z`) - DAY_MS);
/** The day after a date. */
export const dayAfter = (date: string) => iso(Date.parse(`${date}T00:00:00Z`) + DAY_MS);

/** Every period from the one holding `from` to the one holding `to`: [start, end] inclusive. */
export function periodsBetween(interval: Interval, from: string, to: string): Array<{ start: string; end: string }> {
  const periods: Array<{ start: string; end: string }> = [];
  for (let start = periodStart(interval, from); start <= to; ) {
    const next = nextPeriod(interval, start);
    periods.push({ start, end: dayBefore(next) });
    start = next;
  }
  return periods;
}

/** Why a series question is refused, naming the limit; null when it may be answered. */
export function seriesRefusal(interval: Interval, from: string, to: string, groupings: number): string | null {
  if (from > to) return 'from must be on or before to';
  if (groupings > MAX_GROUPINGS) return `groupBy takes at most ${MAX_GROUPINGS} groupings`;
  const years = interval === 'WEEK' ? MAX_WEEK_SERIES_YEARS : MAX_SERIES_YEARS;
  const limit = `${Number(from.slice(0, 4)) + years}${from.slice(4)}`;
  if (to >= limit) return `a ${interval} series spans at most ${years} years (to must be before ${limit})`;
  return null;
}
