import { AppointmentStatusSchema, type Appointment, type Catalogue, localDay, type QueueCommandOf } from '@hall/shared';
import type { Kysely } from 'kysely';
import { reconsiderBars } from '../blacklist/noShows';
import type { Database } from '../db/schema';
import { moreServiceIdsFromRow } from '../store/appointments';
import type { SyncDb } from './tables';

type StoredAppointment = Pick<Appointment, 'id' | 'hallId' | 'serviceId' | 'moreServiceIds' | 'date' | 'slot' | 'status' | 'citizen'>;

export type CheckInCommand = QueueCommandOf<'checkIn'>;
type Checked = { ok: true; command: CheckInCommand } | { ok: false; code: string; reason: string };

export interface CheckInContext {
  hallId: string;
  deviceId: string;
  catalogue: Catalogue;
  /** The mutation's instant (the kiosk's clock, already bounded by the skew check). */
  at: string;
  appointment: (id: string) => Promise<StoredAppointment | undefined>;
  leased: (queueId: string, day: string, sequence: number) => Promise<boolean>;
}

/**
 * 预约签到 from a kiosk, checked against the API's own appointment record before the engine
 * decides it: the appointment exists in this hall, is for today, belongs to the citizen the
 * kiosk identified, and has not been checked in (a second kiosk that checked the same
 * appointment in while offline loses here). The engine then runs on the authoritative
 * appointment, never on the copy the kiosk cached.
 */
export async function checkCheckIn(ctx: CheckInContext, command: CheckInCommand): Promise<Checked> {
  const stored = await ctx.appointment(command.appointment.id);
  if (!stored || stored.hallId !== ctx.hallId) {
    return { ok: false, code: 'unknown_appointment', reason: `appointment ${command.appointment.id} does not exist in this hall` };
  }
  if (stored.status === 'checked_in') {
    return { ok: false, code: 'appointment_checked_in', reason: `appointment ${stored.id} is already checked in` };
  }
  // A kiosk that checked the citizen in while offline syncs after the no-show job marked the
  // appointment: the citizen came, so the check-in stands and the no-show is undone.
  if (stored.status !== 'booked' && stored.status !== 'no_show') return { ok: false, code: 'appointment_not_booked', reason: `appointment ${stored.id} is ${stored.status}` };
  if (stored.citizen.idHash !== command.appointment.citizen.idHash) {
    return { ok: false, code: 'appointment_other_citizen', reason: `appointment ${stored.id} was booked by another citizen` };
  }
  const day = localDay(ctx.at, ctx.catalogue.hall.timeZone);
  if (stored.date !== day) return { ok: false, code: 'appointment_not_today', reason: `appointment ${stored.id} is for ${stored.date}, not ${day}` };
  const queueId = ctx.catalogue.services.find((s) => s.id === stored.serviceId)?.queueId;
  if (command.sequence === undefined || queueId === undefined || !(await ctx.leased(queueId, day, command.sequence))) {
    return { ok: false, code: 'number_not_leased', reason: `a check-in must carry a sequence leased to this device` };
  }
  const { id, serviceId, moreServiceIds, date, slot, citizen } = stored;
  // The matters are the booking's, never the kiosk's copy of them.
  const more = moreServiceIds === undefined ? {} : { moreServiceIds };
  return { ok: true, command: { ...command, deviceId: ctx.deviceId, appointment: { id, serviceId, ...more, date, slot, status: 'booked', citizen } } };
}

export async function storedAppointment(trx: SyncDb, id: string): Promise<StoredAppointment | undefined> {
  const row = await trx.selectFrom('appointments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const more = moreServiceIdsFromRow(row);
  return {
    id: row.id,
    hallId: row.hall_id,
    serviceId: row.service_id,
    date: row.date,
    slot: { from: row.slot_from, to: row.slot_to },
    status: AppointmentStatusSchema.parse(row.status),
    citizen: { maskedName: row.citizen_masked_name, idHash: row.citizen_id_hash },
    ...(more === undefined ? {} : { moreServiceIds: more }),
  };
}

/** Marks applied check-ins on the appointment rows, in the push's transaction. */
export async function recordCheckIns(trx: SyncDb, checkIns: readonly { appointmentId: string; ticketId: string }[], now: Date): Promise<void> {
  for (const { appointmentId, ticketId } of checkIns) {
    const before = await trx.selectFrom('appointments').select(['hall_id', 'citizen_id_hash', 'date', 'status']).where('id', '=', appointmentId).executeTakeFirst();
    await trx
      .updateTable('appointments')
      .set({ status: 'checked_in', ticket_id: ticketId, no_show_at: null })
      .where('id', '=', appointmentId)
      .where('status', 'in', ['booked', 'no_show'])
      .execute();
    if (before?.status === 'no_show') {
      // The sync tables are a superset of Database; the blacklist needs only the latter.
      await reconsiderBars(trx as unknown as Kysely<Database>, { id: appointmentId, hallId: before.hall_id, idHash: before.citizen_id_hash, date: before.date }, now);
    }
  }
}
