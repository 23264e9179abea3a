import { randomUUID } from 'node:crypto';
import {
  addDays,
  closedReason,
  daySlots,
  localDateTime,
  localDay,
  type Appointment,
  type BookingRequest,
  type BookingSettings,
  type BookingSlot,
  type ClosedReason,
  type Hall,
  type HallDays,
  type Service,
} from '@hall/shared';
import type { ServerContext } from '../../context';
import { hallCalendar } from '../../admin/calendar';
import { ApiError } from '../../http/errors';
import { sealContext } from '../../secrets/atRest';
import { enqueueSms } from '../../sms/outbox';
import type { SmsTemplate } from '../../sms/templates';
import { activeBlacklistEntries, getAppointment, insertAppointment } from '../../store/appointments';
import { getService, hallOfService } from '../../store/catalogue';
import { getHall } from '../../store/halls';
import type { BookingCitizen } from './identity';
import { DAY_POOL, releaseSeats, seatsTaken, takeSeat } from './seats';
import { serviceBookingSettings } from './settings';

const APPOINTMENT_PHONE = { table: 'appointments', column: 'citizen_phone' } as const;

interface Bookable {
  service: Service;
  hall: Hall;
  settings: BookingSettings;
  days: HallDays;
  today: string;
  /** "HH:MM" on the hall's wall clock now. */
  nowTime: string;
}

/** A service that takes bookings, with its hall's calendar; 404 for any other. */
export async function bookable(ctx: ServerContext, serviceId: string): Promise<Bookable> {
  const settings = await serviceBookingSettings(ctx.db, serviceId);
  const service = settings?.enabled ? await getService(ctx.db, serviceId) : undefined;
  const hallId = service && (await hallOfService(ctx.db, serviceId));
  const hall = hallId ? await getHall(ctx.db, hallId) : undefined;
  if (!settings || !service || !hall) throw new ApiError(404, 'not_bookable', `service ${serviceId} takes no appointments`);
  const calendar = await hallCalendar(ctx.db, hall.id, hall.openingHours.weekdays);
  const now = ctx.clock().getTime();
  return {
    service,
    hall,
    settings,
    days: { openingHours: hall.openingHours, holidays: calendar.holidays, workdays: calendar.workdays },
    today: localDay(now, hall.timeZone),
    nowTime: localDateTime(now, hall.timeZone).slice(11),
  };
}

export interface SlotView extends BookingSlot {
  left: number;
}

/** The days a citizen may pick, each open or closed with its reason. */
export function bookingDays(b: Bookable): { date: string; closed?: ClosedReason }[] {
  const days: { date: string; closed?: ClosedReason }[] = [];
  for (let i = 0; i <= b.settings.daysAhead; i++) {
    const date = addDays(b.today, i);
    const closed = closedReason(date, b.today, b.settings.daysAhead, b.days);
    days.push(closed ? { date, closed } : { date });
  }
  return days;
}

/** A day's slots with the places left (a slot already begun today offers none). */
export async function daySlotView(ctx: ServerContext, b: Bookable, date: string): Promise<{ date: string; closed?: ClosedReason; slots: SlotView[] }> {
  const closed = closedReason(date, b.today, b.settings.daysAhead, b.days);
  if (closed) return { date, closed, slots: [] };
  const taken = await seatsTaken(ctx.db, b.service.id, date);
  const dayLeft = b.settings.maxPerDay === null ? Infinity : b.settings.maxPerDay - (taken.get(DAY_POOL) ?? 0);
  const slots = daySlots(b.hall.openingHours, b.settings.slotMinutes).map((slot) => {
    const past = date === b.today && slot.from <= b.nowTime;
    const left = past ? 0 : Math.max(0, Math.min(dayLeft, b.settings.capacityPerSlot - (taken.get(slot.from) ?? 0)));
    return { ...slot, left };
  });
  return { date, slots };
}

/** The slot a request names, on a day that takes bookings; a clear refusal otherwise. */
function chosenSlot(b: Bookable, date: string, slotFrom: string): BookingSlot {
  const closed = closedReason(date, b.today, b.settings.daysAhead, b.days);
  if (closed) throw new ApiError(422, 'day_closed', `the hall takes no bookings on ${date} (${closed})`, { reason: closed });
  const slot = daySlots(b.hall.openingHours, b.settings.slotMinutes).find((s) => s.from === slotFrom);
  if (!slot) throw new ApiError(422, 'unknown_slot', `${slotFrom} is not a slot of ${b.service.id}`);
  if (date === b.today && slot.from <= b.nowTime) throw new ApiError(422, 'slot_past', `the ${slot.from} slot has begun`);
  return slot;
}

/** Both pools for one appointment, or a 409 saying which is full. Runs inside the caller's transaction. */
async function seatsFor(trx: ServerContext['db'], b: Bookable, date: string, slot: BookingSlot, appointmentId: string): Promise<void> {
  if (!(await takeSeat(trx, { serviceId: b.service.id, date, slotFrom: slot.from, capacity: b.settings.capacityPerSlot }, appointmentId))) {
    throw new ApiError(409, 'slot_full', `the ${slot.from} slot of ${date} is full`);
  }
  if (b.settings.maxPerDay !== null && !(await takeSeat(trx, { serviceId: b.service.id, date, slotFrom: DAY_POOL, capacity: b.settings.maxPerDay }, appointmentId))) {
    throw new ApiError(409, 'day_full', `${date} is fully booked for this service`);
  }
}

async function refuseBarred(ctx: ServerContext, citizen: BookingCitizen, date: string, hallId: string): Promise<void> {
  const barred = await activeBlacklistEntries(ctx.db, citizen.idHash, date, hallId);
  const entry = barred[0];
  if (entry) {
    throw new ApiError(403, 'blacklisted', `you may not book until ${entry.until}: ${entry.reason}`, { until: entry.until, reason: entry.reason });
  }
}

const smsParams = (b: Bookable, date: string, slot: BookingSlot) => ({ hallName: b.hall.name.zh, serviceName: b.service.name.zh, date, slot: `${slot.from}-${slot.to}` });

async function tell(trx: ServerContext['db'], ctx: ServerContext, key: string, citizen: BookingCitizen, b: Bookable, template: SmsTemplate, date: string, slot: BookingSlot): Promise<void> {
  await enqueueSms(trx, ctx.dataKeys, { idempotencyKey: key, hallId: b.hall.id, phone: citizen.phone, template, params: smsParams(b, date, slot) }, ctx.clock());
}

export async function book(ctx: ServerContext, citizen: BookingCitizen, request: BookingRequest): Promise<Appointment> {
  const b = await bookable(ctx, request.serviceId);
  const slot = chosenSlot(b, request.date, request.slotFrom);
  await refuseBarred(ctx, citizen, request.date, b.hall.id);
  const open = await ctx.db
    .selectFrom('appointments')
    .select(['service_id', 'date'])
    .where('citizen_id_hash', '=', citizen.idHash)
    .where('status', '=', 'booked')
    .where('date', '>=', b.today)
    .execute();
  if (open.some((a) => a.service_id === request.serviceId && a.date === request.date)) {
    throw new ApiError(409, 'already_booked', 'you already hold a booking for this service on that day: move it instead');
  }
  if (open.length >= b.settings.maxOpenPerCitizen) {
    throw new ApiError(409, 'too_many_bookings', `you already hold ${open.length} booking(s), the most this hall allows`, { limit: b.settings.maxOpenPerCitizen });
  }
  const appointment: Appointment = {
    id: randomUUID(),
    hallId: b.hall.id,
    serviceId: b.service.id,
    date: request.date,
    slot,
    citizen: { maskedName: citizen.maskedName, idHash: citizen.idHash },
    status: 'booked',
    bookedAt: ctx.clock().toISOString(),
  };
  await ctx.db.transaction().execute(async (trx) => {
    await seatsFor(trx, b, request.date, slot, appointment.id);
    await insertAppointment(trx, appointment, ctx.dataKeys.seal(citizen.phone, sealContext(APPOINTMENT_PHONE, appointment.id)));
    await tell(trx, ctx, `booking:${appointment.id}:confirmed`, citizen, b, 'booking_confirmed', request.date, slot);
  });
  return appointment;
}

/** The citizen's own booked appointment, or 404 (another citizen's id says nothing either). */
async function ownBooking(ctx: ServerContext, citizen: BookingCitizen, id: string): Promise<Appointment> {
  const appointment = await getAppointment(ctx.db, id);
  if (!appointment || appointment.citizen.idHash !== citizen.idHash) throw new ApiError(404, 'not_found', `booking ${id} does not exist`);
  if (appointment.status !== 'booked') throw new ApiError(409, 'conflict', `booking ${id} is ${appointment.status}; only a booked one can change`);
  return appointment;
}

export async function move(ctx: ServerContext, citizen: BookingCitizen, id: string, to: { date: string; slotFrom: string }): Promise<Appointment> {
  const current = await ownBooking(ctx, citizen, id);
  const b = await bookable(ctx, current.serviceId);
  const slot = chosenSlot(b, to.date, to.slotFrom);
  await refuseBarred(ctx, citizen, to.date, b.hall.id);
  await ctx.db.transaction().execute(async (trx) => {
    // Old places are given back first, so moving within a full slot's day keeps its own seat; a failure restores them.
    await releaseSeats(trx, id);
    await seatsFor(trx, b, to.date, slot, id);
    const moved = await trx
      .updateTable('appointments')
      .set({ date: to.date, slot_from: slot.from, slot_to: slot.to })
      .where('id', '=', id)
      .where('status', '=', 'booked')
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) throw new ApiError(409, 'conflict', `booking ${id} changed meanwhile`);
    await tell(trx, ctx, `booking:${id}:moved:${to.date}:${slot.from}:${ctx.clock().toISOString()}`, citizen, b, 'booking_moved', to.date, slot);
  });
  return (await getAppointment(ctx.db, id))!;
}

export async function cancel(ctx: ServerContext, citizen: BookingCitizen, id: string): Promise<Appointment> {
  const current = await ownBooking(ctx, citizen, id);
  const b = await bookable(ctx, current.serviceId).catch(() => undefined);
  await ctx.db.transaction().execute(async (trx) => {
    const done = await trx.updateTable('appointments').set({ status: 'cancelled' }).where('id', '=', id).where('status', '=', 'booked').executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw new ApiError(409, 'conflict', `booking ${id} changed meanwhile`);
    await releaseSeats(trx, id);
    if (b) await tell(trx, ctx, `booking:${id}:cancelled`, citizen, b, 'booking_cancelled', current.date, current.slot);
  });
  return (await getAppointment(ctx.db, id))!;
}

/** The citizen's bookings from today on, soonest first. */
export async function myBookings(ctx: ServerContext, citizen: BookingCitizen): Promise<(Appointment & { serviceName: Service['name'] })[]> {
  const today = localDay(ctx.clock().getTime(), 'Asia/Shanghai');
  const rows = await ctx.db
    .selectFrom('appointments')
    .select('id')
    .where('citizen_id_hash', '=', citizen.idHash)
    .where('date', '>=', today)
    .orderBy('date')
    .orderBy('slot_from')
    .execute();
  const appointments = (await Promise.all(rows.map((r) => getAppointment(ctx.db, r.id)))).filter((a): a is Appointment => a !== undefined);
  const names = new Map<string, Service['name']>();
  for (const a of appointments) if (!names.has(a.serviceId)) names.set(a.serviceId, (await getService(ctx.db, a.serviceId))?.name ?? { zh: a.serviceId });
  return appointments.map((a) => ({ ...a, serviceName: names.get(a.serviceId)! }));
}
