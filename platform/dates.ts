/** Today's UTC calendar date, YYYY-MM-DD: "today" in the contract is always the UTC date. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Whole days from a to b (YYYY-MM-DD or ISO instants), by UTC calendar date. */
export function daysBetween(a: string, b: string): number {
  const day = (value: string) => Date.UTC(Number(value.slice(0, 4)), Number(value.slice(5, 7)) - 1, Number(value.slice(8, 10)));
  return Math.round((day(b) - day(a)) / 86_400_000);
}
