import type { FastifyBaseLogger, FastifyPluginAsync } from 'fastify';
import { localDay, zonedInstant } from '@hall/shared';
import { addDays } from '../blacklist/rule';
import type { ServerContext } from '../context';
import { sealContext } from '../secrets/atRest';
import { enqueueSms } from '../sms/outbox';

const APPOINTMENT_PHONE = { table: 'appointments', column: 'citizen_phone' } as const;
/** Hall-local hour from which the day-before reminders go out: nobody is texted at night. */
export const REMINDER_FROM = '09:00';

type ReminderContext = Pick<ServerContext, 'db' | 'dataKeys' | 'clock'>;

/**
 * The key names the appointment and its day, so each booking is reminded once, and once
 * more only if it is moved to another day.
 */
export const reminderKey = (appointmentId: string, date: string) => `booking:${appointmentId}:reminder:${date}`;

/**
 * Queues "your visit is tomorrow" for every booked appointment of each hall's tomorrow
 * (hall time) that left a phone number, from REMINDER_FROM on. A booking made today for
 * tomorrow was just confirmed by SMS and gets no second message. Safe to run often and on
 * several instances: the outbox key makes each reminder exactly once.
 */
export async function queueDayBeforeReminders(ctx: ReminderContext): Promise<number> {
  const now = ctx.clock();
  const utcDay = now.toISOString().slice(0, 10);
  // Tomorrow in any zone lies within a day either side of UTC's tomorrow.
  const rows = await ctx.db
    .selectFrom('appointments')
    .innerJoin('halls', 'halls.id', 'appointments.hall_id')
    .innerJoin('services', 'services.id', 'appointments.service_id')
    .select(['appointments.id', 'appointments.hall_id', 'appointments.date', 'appointments.slot_from', 'appointments.slot_to', 'appointments.booked_at', 'appointments.citizen_phone', 'halls.name_zh as hall_name', 'halls.time_zone', 'services.name_zh as service_name'])
    .where('appointments.status', '=', 'booked')
    .where('appointments.citizen_phone', 'is not', null)
    .where('appointments.date', '>=', utcDay)
    .where('appointments.date', '<=', addDays(utcDay, 2))
    .execute();
  let queued = 0;
  for (const a of rows) {
    const today = localDay(now.getTime(), a.time_zone);
    if (a.date !== addDays(today, 1)) continue;
    if (now.getTime() < zonedInstant(today, REMINDER_FROM, a.time_zone)) continue;
    if (localDay(Date.parse(a.booked_at), a.time_zone) === today) continue;
    const phone = ctx.dataKeys.open(a.citizen_phone!, sealContext(APPOINTMENT_PHONE, a.id));
    const added = await enqueueSms(
      ctx.db,
      ctx.dataKeys,
      { idempotencyKey: reminderKey(a.id, a.date), hallId: a.hall_id, phone, template: 'booking_reminder', params: { hallName: a.hall_name, serviceName: a.service_name, date: a.date, slot: `${a.slot_from}-${a.slot_to}` } },
      now,
    );
    if (added) queued++;
  }
  return queued;
}

/** Runs queueDayBeforeReminders every `intervalMs`; a failed run is logged and retried next time. */
export function startReminderTimer(ctx: ReminderContext, intervalMs: number, log?: FastifyBaseLogger): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = queueDayBeforeReminders(ctx)
      .then((queued) => queued > 0 && log?.info({ queued }, 'booking reminders queued'))
      .catch((error: unknown) => log?.error({ error: (error as Error).message }, 'booking reminders failed'));
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}

/** The reminder job in the API process (HALL_REMINDER_INTERVAL_MS, default 10 minutes; 0 turns it off). */
export const reminderPlugin: FastifyPluginAsync = async (app) => {
  const interval = Number(process.env.HALL_REMINDER_INTERVAL_MS ?? 10 * 60_000);
  if (interval > 0) app.addHook('onClose', startReminderTimer(app.hall, interval, app.log));
};
