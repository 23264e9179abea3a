import { z } from 'zod';

/** 考评周期: a calendar month "2026-03" or year "2026" of the hall's local time. */
export const PeriodSchema = z.string().regex(/^\d{4}(-(0[1-9]|1[0-2]))?$/, 'a month like 2026-03 or a year like 2026');

/** The hall's zone offset: halls of this suite are in China (UTC+8, no daylight saving). */
const HALL_OFFSET_MS = 8 * 3_600_000;

export interface PeriodRange {
  kind: 'month' | 'year';
  /** First instant of the period and first instant after it, ISO UTC. */
  from: string;
  to: string;
}

export function periodRange(period: string): PeriodRange {
  const [y, m] = period.split('-').map(Number) as [number, number | undefined];
  const start = Date.UTC(y, (m ?? 1) - 1, 1) - HALL_OFFSET_MS;
  const end = m === undefined ? Date.UTC(y + 1, 0, 1) - HALL_OFFSET_MS : Date.UTC(y, m, 1) - HALL_OFFSET_MS;
  return { kind: m === undefined ? 'year' : 'month', from: new Date(start).toISOString(), to: new Date(end).toISOString() };
}

/** The hall-local day and minute of the day of an instant. */
export function localDayAndMinute(iso: string): { day: string; weekday: number; minute: number } {
  const local = new Date(Date.parse(iso) + HALL_OFFSET_MS);
  const weekday = local.getUTCDay() === 0 ? 7 : local.getUTCDay();
  return { day: local.toISOString().slice(0, 10), weekday, minute: local.getUTCHours() * 60 + local.getUTCMinutes() };
}

/** Minutes after local midnight of "HH:MM". */
export const minuteOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
