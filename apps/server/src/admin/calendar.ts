import type { Kysely } from 'kysely';
import { z } from 'zod';
import { LocalDateSchema, type Hall } from '@hall/shared';
import type { Database } from '../db/schema';

/** 法定节假日 closes a day the hall would open; 调休 opens a weekend day it would not. */
export const CalendarDayKindSchema = z.enum(['holiday', 'workday']);

export const CalendarDaySchema = z.object({
  day: LocalDateSchema.refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'not a calendar day'),
  kind: CalendarDayKindSchema,
  name: z.string().trim().min(1).max(32),
});
export type CalendarDay = z.infer<typeof CalendarDaySchema>;

/** Up to a year of days in one change (the State Council's list for the coming year). */
export const CalendarChangeSchema = z.object({
  put: z.array(CalendarDaySchema).max(366).default([]),
  remove: z.array(LocalDateSchema).max(366).default([]),
});
export type CalendarChange = z.infer<typeof CalendarChangeSchema>;

interface CalendarTable {
  hall_id: string;
  day: string;
  kind: string;
  name: string;
  updated_at: string;
}
const tables = (db: Kysely<Database>) => db.withTables<{ hall_calendar_days: CalendarTable }>();

export async function listCalendarDays(db: Kysely<Database>, hallId: string, range?: { from: string; to: string }): Promise<CalendarDay[]> {
  let query = tables(db).selectFrom('hall_calendar_days').selectAll().where('hall_id', '=', hallId);
  if (range) query = query.where('day', '>=', range.from).where('day', '<=', range.to);
  const rows = await query.orderBy('day').execute();
  return rows.map((r) => CalendarDaySchema.parse({ day: r.day, kind: r.kind, name: r.name }));
}

export async function changeCalendar(db: Kysely<Database>, hallId: string, change: CalendarChange, at: Date): Promise<void> {
  const days = [...change.remove, ...change.put.map((d) => d.day)];
  if (days.length > 0) await tables(db).deleteFrom('hall_calendar_days').where('hall_id', '=', hallId).where('day', 'in', days).execute();
  if (change.put.length > 0) {
    await tables(db)
      .insertInto('hall_calendar_days')
      .values(change.put.map((d) => ({ hall_id: hallId, day: d.day, kind: d.kind, name: d.name, updated_at: at.toISOString() })))
      .execute();
  }
}

/** A hall's working calendar: opening weekdays with its holidays taken out and 调休 days added. */
export interface HallCalendar {
  weekdays: readonly number[];
  holidays: ReadonlySet<string>;
  workdays: ReadonlySet<string>;
}

/** What working-day deadlines (stats/workingDays, with its 调休 `workdays`) need for a hall. */
export async function hallCalendar(db: Kysely<Database>, hallId: string, weekdays: readonly number[]): Promise<HallCalendar> {
  const days = await listCalendarDays(db, hallId);
  return {
    weekdays,
    holidays: new Set(days.filter((d) => d.kind === 'holiday').map((d) => d.day)),
    workdays: new Set(days.filter((d) => d.kind === 'workday').map((d) => d.day)),
  };
}

/** Calendars of several halls by hall id, as supervision takes them (one query per hall). */
export async function hallCalendars(db: Kysely<Database>, halls: readonly Hall[]): Promise<Map<string, HallCalendar>> {
  const entries = await Promise.all(halls.map(async (h) => [h.id, await hallCalendar(db, h.id, h.openingHours.weekdays)] as const));
  return new Map(entries);
}
