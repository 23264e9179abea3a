import { z } from 'zod';
import { IdSchema, LocalDateSchema, LocalTimeSchema } from '../domain/common';
import type { OpeningHours } from '../domain/hall';

/** How a service takes appointments, set per service in the console. */
export const BookingSettingsSchema = z
  .object({
    serviceId: IdSchema,
    enabled: z.boolean(),
    /** Length of one slot; slots fill the hall's opening sessions from their start. */
    slotMinutes: z.number().int().min(10).max(240),
    /** Citizens per slot. */
    capacityPerSlot: z.number().int().min(1).max(500),
    /** How many days ahead a citizen may book (today counts as day 0). */
    daysAhead: z.number().int().min(1).max(60),
    /** At most this many bookings of the service per day, whatever the slots hold; null: only the slots limit. */
    maxPerDay: z.number().int().min(1).max(10_000).nullable(),
    /** Open bookings one citizen may hold in the whole hall. */
    maxOpenPerCitizen: z.number().int().min(1).max(10),
  })
  .strict();
export type BookingSettings = z.infer<typeof BookingSettingsSchema>;

export const BookingSlotSchema = z.object({ from: LocalTimeSchema, to: LocalTimeSchema });
export type BookingSlot = z.infer<typeof BookingSlotSchema>;

/** Why a day takes no bookings: not an opening weekday, a holiday, or out of the booking window. */
export type ClosedReason = 'weekend' | 'holiday' | 'past' | 'too_far';

export interface HallDays {
  openingHours: OpeningHours;
  holidays: ReadonlySet<string>;
  /** 调休: weekend days worked. */
  workdays: ReadonlySet<string>;
}

/** ISO weekday (1 Monday … 7 Sunday) of a calendar date, independent of any time zone. */
export function isoWeekday(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

export function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/** Undefined when the hall takes bookings on `date`; a holiday closes even an opening weekday, a 调休 day opens a weekend. */
export function closedReason(date: string, today: string, daysAhead: number, hall: HallDays): ClosedReason | undefined {
  if (date < today) return 'past';
  if (date > addDays(today, daysAhead)) return 'too_far';
  if (hall.holidays.has(date)) return 'holiday';
  if (hall.workdays.has(date)) return undefined;
  return hall.openingHours.weekdays.includes(isoWeekday(date)) ? undefined : 'weekend';
}

const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
const clock = (total: number) => `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;

/** The day's slots: each opening session cut into `slotMinutes`, a shorter tail dropped. */
export function daySlots(openingHours: OpeningHours, slotMinutes: number): BookingSlot[] {
  const slots: BookingSlot[] = [];
  for (const session of openingHours.sessions) {
    for (let at = minutes(session.from); at + slotMinutes <= minutes(session.to); at += slotMinutes) {
      slots.push({ from: clock(at), to: clock(at + slotMinutes) });
    }
  }
  return slots;
}

export const BookingRequestSchema = z.object({ serviceId: IdSchema, date: LocalDateSchema, slotFrom: LocalTimeSchema }).strict();
export type BookingRequest = z.infer<typeof BookingRequestSchema>;
