import type { Kysely } from 'kysely';
import type { Migration } from '../db/migrations/types';

/**
 * 容缺受理 (issue 16) was a field of Service that the services table had no column for, so
 * a service saved through the API or the console lost it and counters refused every case
 * with materials pending.
 */
export const servicePendingMaterialsColumn: Migration = {
  name: '1250_service_accept_pending',
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('services').addColumn('accept_pending_materials', 'integer').execute();
  },
};
