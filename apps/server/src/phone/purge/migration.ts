import type { Kysely } from 'kysely';
import type { Migration } from '../../db/migrations/types';

/**
 * Issue 18: the schedule purging citizens' phone data (one city-wide row, set in the
 * console), with the last run so every instance agrees when the next one is due.
 */
export const personalDataPurgeTables: Migration = {
  name: '1161_personal_data_purge',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('purge_settings')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('every_minutes', 'integer', (c) => c.notNull())
      .addColumn('keep_phone_days', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text')
      .addColumn('updated_by', 'text')
      .addColumn('last_run_at', 'text')
      .addColumn('last_report_json', 'text')
      .execute();
  },
};
