import type { Kysely } from 'kysely';
import { AppointmentSchema, AppointmentStatusSchema, type Appointment, type BlacklistEntry } from '@hall/shared';
import { activeEntries } from '../blacklist/store';
import type { AppointmentTable, Database } from '../db/schema';

/** 一号联办: the further services of a booking, from its JSON column (older rows: none). */
export function moreServiceIdsFromRow(row: Pick<AppointmentTable, 'more_service_ids_json'>): string[] | undefined {
  if (row.more_service_ids_json === null || row.more_service_ids_json === undefined) return undefined;
  const parsed = AppointmentSchema.shape.moreServiceIds.safeParse(JSON.parse(row.more_service_ids_json));
  return parsed.success ? parsed.data : undefined;
}

function appointmentFromRow(row: AppointmentTable): Appointment {
  const appointment: Appointment = {
    id: row.id,
    hallId: row.hall_id,
    serviceId: row.service_id,
    date: row.date,
    slot: { from: row.slot_from, to: row.slot_to },
    citizen: { maskedName: row.citizen_masked_name, idHash: row.citizen_id_hash },
    status: AppointmentStatusSchema.parse(row.status),
    bookedAt: row.booked_at,
  };
  if (row.ticket_id !== null) appointment.ticketId = row.ticket_id;
  const more = moreServiceIdsFromRow(row);
  if (more) appointment.moreServiceIds = more;
  return appointment;
}

export async function listAppointments(db: Kysely<Database>, hallId: string, date: string): Promise<Appointment[]> {
  const rows = await db
    .selectFrom('appointments')
    .selectAll()
    .where('hall_id', '=', hallId)
    .where('date', '=', date)
    .orderBy('slot_from')
    .orderBy('booked_at')
    .execute();
  return rows.map(appointmentFromRow);
}

export async function getAppointment(db: Kysely<Database>, id: string): Promise<Appointment | undefined> {
  const row = await db.selectFrom('appointments').selectAll().where('id', '=', id).executeTakeFirst();
  return row && appointmentFromRow(row);
}

/** `sealedPhone`: the citizen's mobile already sealed for this row (or null). */
export async function insertAppointment(db: Kysely<Database>, input: Appointment, sealedPhone: string | null = null): Promise<void> {
  const a = AppointmentSchema.parse(input);
  await db
    .insertInto('appointments')
    .values({
      id: a.id,
      hall_id: a.hallId,
      service_id: a.serviceId,
      date: a.date,
      slot_from: a.slot.from,
      slot_to: a.slot.to,
      citizen_masked_name: a.citizen.maskedName,
      citizen_id_hash: a.citizen.idHash,
      status: a.status,
      ticket_id: a.ticketId ?? null,
      booked_at: a.bookedAt,
      citizen_phone: sealedPhone,
      no_show_at: null,
      more_service_ids_json: a.moreServiceIds ? JSON.stringify(a.moreServiceIds) : null,
    })
    .execute();
}

/** Moves only from `booked`, so two cancels (or a cancel racing a check-in) cannot both win. */
export async function cancelAppointment(db: Kysely<Database>, id: string): Promise<boolean> {
  const result = await db
    .updateTable('appointments')
    .set({ status: 'cancelled' })
    .where('id', '=', id)
    .where('status', '=', 'booked')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Entries barring this citizen on `date` (from ≤ date ≤ until, not lifted): city-wide ones and, given a hall, that hall's. */
export async function activeBlacklistEntries(db: Kysely<Database>, idHash: string, date: string, hallId?: string): Promise<BlacklistEntry[]> {
  const rows = await activeEntries(db, hallId, date, idHash);
  return rows.map((r) => ({ id: r.id, idHash: r.id_hash, reason: r.reason, from: r.from_date, until: r.until_date }));
}

export async function insertBlacklistEntry(db: Kysely<Database>, entry: BlacklistEntry): Promise<void> {
  await db
    .insertInto('blacklist')
    .values({ id: entry.id, id_hash: entry.idHash, reason: entry.reason, from_date: entry.from, until_date: entry.until })
    .execute();
}
