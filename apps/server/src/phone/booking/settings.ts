import { BookingSettingsSchema, type BookingSettings } from '@hall/shared';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { bookingDb, type BookingSettingsTable } from './tables';

function fromRow(row: BookingSettingsTable): BookingSettings {
  return BookingSettingsSchema.parse({
    serviceId: row.service_id,
    enabled: Number(row.enabled) === 1,
    slotMinutes: Number(row.slot_minutes),
    capacityPerSlot: Number(row.capacity_per_slot),
    daysAhead: Number(row.days_ahead),
    maxPerDay: row.max_per_day === null ? null : Number(row.max_per_day),
    maxOpenPerCitizen: Number(row.max_open_per_citizen),
  });
}

export async function hallBookingSettings(db: Kysely<Database>, hallId: string): Promise<BookingSettings[]> {
  const rows = await bookingDb(db).selectFrom('booking_settings').selectAll().where('hall_id', '=', hallId).orderBy('service_id').execute();
  return rows.map(fromRow);
}

export async function serviceBookingSettings(db: Kysely<Database>, serviceId: string): Promise<BookingSettings | undefined> {
  const row = await bookingDb(db).selectFrom('booking_settings').selectAll().where('service_id', '=', serviceId).executeTakeFirst();
  return row && fromRow(row);
}

export async function putBookingSettings(db: Kysely<Database>, hallId: string, settings: BookingSettings, at: Date): Promise<void> {
  const values = {
    hall_id: hallId,
    enabled: settings.enabled ? 1 : 0,
    slot_minutes: settings.slotMinutes,
    capacity_per_slot: settings.capacityPerSlot,
    days_ahead: settings.daysAhead,
    max_per_day: settings.maxPerDay,
    max_open_per_citizen: settings.maxOpenPerCitizen,
    updated_at: at.toISOString(),
  };
  await bookingDb(db)
    .insertInto('booking_settings')
    .values({ service_id: settings.serviceId, ...values })
    .onConflict((oc) => oc.column('service_id').doUpdateSet(values))
    .execute();
}
