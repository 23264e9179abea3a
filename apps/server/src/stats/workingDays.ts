/**
 * Working-day arithmetic on hall-local days (YYYY-MM-DD). A working day is a listed 调休
 * working day, or a weekday the hall opens (ISO 1 = Monday … 7 = Sunday) that is not a
 * listed holiday — the rule promisedDueAt (shared caseRules) counts promised dates with.
 */
export interface WorkingCalendar {
  weekdays: readonly number[];
  holidays?: ReadonlySet<string>;
  /** 调休: weekend days the hall opens. */
  workdays?: ReadonlySet<string>;
}

const DAY_MS = 86_400_000;
const toMs = (day: string): number => Date.parse(`${day}T00:00:00.000Z`);
const toDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export function isWorkingDay(day: string, cal: WorkingCalendar): boolean {
  if (cal.workdays?.has(day)) return true;
  const iso = ((new Date(toMs(day)).getUTCDay() + 6) % 7) + 1;
  return cal.weekdays.includes(iso) && !(cal.holidays?.has(day) ?? false);
}

/**
 * Signed working days from `a` to `b`: the working days in (a, b] when b is later,
 * minus those in (b, a] when it is earlier; 0 on the same day.
 */
export function workingDaysBetween(a: string, b: string, cal: WorkingCalendar): number {
  const start = toMs(a);
  const end = toMs(b);
  if (Number.isNaN(start) || Number.isNaN(end)) throw new Error(`not a day: ${a} / ${b}`);
  const sign = end >= start ? 1 : -1;
  let count = 0;
  // At most a few hundred iterations: supervision looks at cases due within weeks.
  for (let t = Math.min(start, end) + DAY_MS; t <= Math.max(start, end); t += DAY_MS) {
    if (isWorkingDay(toDay(t), cal)) count += 1;
  }
  return sign * count;
}

/** The hall-local day of an instant, for a fixed UTC offset in minutes. */
export function localDayOf(iso: string, utcOffsetMinutes: number): string {
  return toDay(Date.parse(iso) + utcOffsetMinutes * 60_000);
}
