import type { Kysely } from 'kysely';
import type { Migration } from '../db/migrations/types';

/** Form values of cases submitted through sync: the server keeps them, stations scrub theirs. */
export const syncCaseFormTables: Migration = {
  name: '0904_sync_case_forms',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('sync_case_forms')
      .addColumn('case_id', 'text', (c) => c.primaryKey())
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('mutation_id', 'text', (c) => c.notNull())
      .addColumn('values_json', 'text', (c) => c.notNull())
      .addColumn('submitted_at', 'text', (c) => c.notNull())
      .execute();
  },
};

/** Who refused a case (不予受理), beside who accepted one. */
export const caseRefusedByColumn: Migration = {
  name: '0922_case_refused_by',
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('cases').addColumn('refused_by_staff_id', 'text').execute();
  },
};

/**
 * The counter a counter device serves: the central API lets a counter device act for that
 * counter only. Devices created before have none and send no counter mutation until a hall
 * manager binds them (POST /sync/devices/:id/counter).
 */
export const deviceCounterColumn: Migration = {
  name: '0932_device_counter',
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('devices').addColumn('counter_id', 'text').execute();
  },
};
