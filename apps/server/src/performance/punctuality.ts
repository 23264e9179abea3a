import type { OpeningHours } from '@hall/shared';
import { localDayAndMinute, minuteOf } from './periods';

/** Minutes after the hall opens that a counter sign-in still counts as on time. */
export const PUNCTUALITY_GRACE_MINUTES = 5;

/**
 * 服务准时率: of the hall's open days on which the clerk signed in at a counter, those whose
 * first sign-in came by the first session's start (plus grace). Sign-ins on closed days
 * (weekend overtime) are neither late nor on time.
 */
export function punctuality(signIns: readonly string[], hours: OpeningHours, graceMinutes = PUNCTUALITY_GRACE_MINUTES): { daysSignedIn: number; daysOnTime: number } {
  const firstByDay = new Map<string, number>();
  for (const at of signIns) {
    const { day, weekday, minute } = localDayAndMinute(at);
    if (!hours.weekdays.includes(weekday)) continue;
    firstByDay.set(day, Math.min(firstByDay.get(day) ?? Infinity, minute));
  }
  const opens = Math.min(...hours.sessions.map((s) => minuteOf(s.from)));
  let daysOnTime = 0;
  for (const minute of firstByDay.values()) if (minute <= opens + graceMinutes) daysOnTime += 1;
  return { daysSignedIn: firstByDay.size, daysOnTime };
}
