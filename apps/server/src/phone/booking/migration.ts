import type { Kysely } from 'kysely';
import type { Migration } from '../../db/migrations/types';

/** Issue 18, booking from the phone: per-service slot settings, seats, SMS codes and citizen sessions. */
export const phoneBookingTables: Migration = {
  name: '1120_phone_booking',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('booking_settings')
      .addColumn('service_id', 'text', (c) => c.primaryKey())
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('slot_minutes', 'integer', (c) => c.notNull())
      .addColumn('capacity_per_slot', 'integer', (c) => c.notNull())
      .addColumn('days_ahead', 'integer', (c) => c.notNull())
      .addColumn('max_per_day', 'integer')
      .addColumn('max_open_per_citizen', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('booking_seats')
      .addColumn('service_id', 'text', (c) => c.notNull())
      .addColumn('date', 'text', (c) => c.notNull())
      .addColumn('slot_from', 'text', (c) => c.notNull())
      .addColumn('seat', 'integer', (c) => c.notNull())
      .addColumn('appointment_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('booking_seats_pk', ['service_id', 'date', 'slot_from', 'seat'])
      .execute();
    await db.schema.createIndex('booking_seats_appointment').on('booking_seats').column('appointment_id').execute();
    await db.schema
      .createTable('booking_codes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('phone_hash', 'text', (c) => c.notNull())
      .addColumn('address_hash', 'text', (c) => c.notNull())
      .addColumn('code_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .execute();
    await db.schema.createIndex('booking_codes_phone').on('booking_codes').columns(['phone_hash', 'created_at']).execute();
    await db.schema.createIndex('booking_codes_address').on('booking_codes').columns(['address_hash', 'created_at']).execute();
    await db.schema
      .createTable('booking_sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('id_hash', 'text', (c) => c.notNull())
      .addColumn('masked_name', 'text', (c) => c.notNull())
      .addColumn('phone', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
  },
};
