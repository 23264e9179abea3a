/** Spans of days the duration histograms are also summed by, so long ranges read fewer rows. */
export interface Span {
  table: 'stats_duration_weeks' | 'stats_duration_months';
  column: 'week' | 'month';
  /** The span's key of a YYYY-MM-DD day. */
  of(day: string): string;
  firstDay(key: string): string;
  lastDay(key: string): string;
}

export const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** Monday of the ISO week of a day. */
export const mondayOf = (day: string): string => addDays(day, -((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7));

export const MONTHS: Span = {
  table: 'stats_duration_months',
  column: 'month',
  of: (day) => day.slice(0, 7),
  firstDay: (month) => `${month}-01`,
  lastDay: (month) => addDays(`${addDays(`${month}-01`, 31).slice(0, 7)}-01`, -1),
};

export const WEEKS: Span = {
  table: 'stats_duration_weeks',
  column: 'week',
  of: mondayOf,
  firstDay: (monday) => monday,
  lastDay: (monday) => addDays(monday, 6),
};

/** The spans lying wholly inside [from, to], if any: first and last keys, with the first and last days they cover. */
export function wholeSpans(span: Span, from: string, to: string): { first: string; last: string; startDay: string; endDay: string } | undefined {
  const startDay = span.firstDay(span.of(from)) === from ? from : addDays(span.lastDay(span.of(from)), 1);
  const endDay = span.lastDay(span.of(to)) === to ? to : addDays(span.firstDay(span.of(to)), -1);
  if (startDay > endDay) return undefined;
  return { first: span.of(startDay), last: span.of(endDay), startDay, endDay };
}
