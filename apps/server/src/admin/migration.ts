import type { Kysely } from 'kysely';
import type { Migration } from '../db/migrations/types';

/**
 * Console configuration (issue 9): which counters and queues a clerk may serve, the hall's
 * holiday calendar (法定节假日 and 调休 working weekends), and per-hall SMS wording.
 */
export const consoleAdminTables: Migration = {
  name: '0910_console_admin',
  async up(db: Kysely<unknown>) {
    const s = db.schema;
    await s
      .createTable('staff_assignments')
      .addColumn('staff_id', 'text', (c) => c.primaryKey().references('staff.id'))
      .addColumn('hall_id', 'text', (c) => c.notNull().references('halls.id'))
      .addColumn('counter_ids_json', 'text', (c) => c.notNull())
      .addColumn('queue_ids_json', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await s
      .createTable('hall_calendar_days')
      .addColumn('hall_id', 'text', (c) => c.notNull().references('halls.id'))
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('hall_calendar_days_pk', ['hall_id', 'day'])
      .execute();
    await s
      .createTable('sms_template_texts')
      .addColumn('hall_id', 'text', (c) => c.notNull().references('halls.id'))
      .addColumn('template', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('sms_template_texts_pk', ['hall_id', 'template'])
      .execute();
  },
};
