import { localDateTime, localDay, zonedInstant, type OpeningHours } from '@hall/shared';

export type OpeningState = { open: true } | { open: false; opensAt: string | null };

/** ISO weekday (1 = Monday) of a local date. */
function isoWeekday(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return weekday === 0 ? 7 : weekday;
}

function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * Whether the hall is open at `now`, and if not, when it next opens (within two weeks).
 * Sessions are local times in the hall's zone; `to` is exclusive.
 */
export function openingState(hours: OpeningHours, timeZone: string, now: number): OpeningState {
  const today = localDay(now, timeZone);
  const time = localDateTime(now, timeZone).slice(11, 16);
  const sessions = [...hours.sessions].sort((a, b) => a.from.localeCompare(b.from));
  if (hours.weekdays.includes(isoWeekday(today)) && sessions.some((s) => time >= s.from && time < s.to)) return { open: true };
  for (let offset = 0; offset < 14; offset++) {
    const day = addDays(today, offset);
    if (!hours.weekdays.includes(isoWeekday(day))) continue;
    const next = sessions.find((s) => offset > 0 || s.from > time);
    if (next) return { open: false, opensAt: new Date(zonedInstant(day, next.from, timeZone)).toISOString() };
  }
  return { open: false, opensAt: null };
}

/** The first opening on a later day: when a capped service takes tickets again. */
export function nextDayOpening(hours: OpeningHours, timeZone: string, now: number): string | null {
  const today = localDay(now, timeZone);
  const first = [...hours.sessions].sort((a, b) => a.from.localeCompare(b.from))[0];
  if (!first) return null;
  for (let offset = 1; offset < 15; offset++) {
    const day = addDays(today, offset);
    if (hours.weekdays.includes(isoWeekday(day))) return new Date(zonedInstant(day, first.from, timeZone)).toISOString();
  }
  return null;
}
