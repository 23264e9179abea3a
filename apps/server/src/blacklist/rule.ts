import { z } from 'zod';

/**
 * A hall's 爽约 rule: `noShows` no-shows within `windowDays` days bar the citizen from
 * booking and from appointment check-in for `barDays` days. `noShows: 0` turns it off.
 */
export const NoShowRuleSchema = z
  .object({
    noShows: z.number().int().min(0).max(50),
    windowDays: z.number().int().min(1).max(366),
    barDays: z.number().int().min(1).max(3660),
  })
  .strict();
export type NoShowRule = z.infer<typeof NoShowRuleSchema>;

export const DEFAULT_NO_SHOW_RULE: NoShowRule = { noShows: 3, windowDays: 30, barDays: 30 };

/** Adds whole days to a local date (YYYY-MM-DD), by the calendar, not by 24-hour steps. */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** No-show dates (appointment dates) that fall in the window ending `today` (today included). */
export function noShowsInWindow(rule: NoShowRule, noShowDates: readonly string[], today: string): number {
  const from = addDays(today, -(rule.windowDays - 1));
  return noShowDates.filter((d) => d >= from && d <= today).length;
}

/**
 * Whether the rule bars the citizen, and until when (the last barred day, inclusive):
 * `barDays` days counted from today, so 30 days bars today and the 29 days after it.
 */
export function ruleBars(rule: NoShowRule, noShowDates: readonly string[], today: string): { until: string } | undefined {
  if (rule.noShows === 0) return undefined;
  if (noShowsInWindow(rule, noShowDates, today) < rule.noShows) return undefined;
  return { until: addDays(today, rule.barDays - 1) };
}
