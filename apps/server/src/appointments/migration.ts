import type { Kysely } from 'kysely';
import type { Migration } from '../db/migrations/types';

/** 一号联办 bookings (Appointment.moreServiceIds) as a JSON array; null: one matter, as before. */
export const appointmentMoreServicesColumn: Migration = {
  name: '0985_appointment_more_services',
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('appointments').addColumn('more_service_ids_json', 'text').execute();
  },
};
