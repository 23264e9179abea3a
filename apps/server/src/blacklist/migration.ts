import type { Kysely } from 'kysely';
import type { Migration } from '../db/migrations/types';

/**
 * The blacklist gets a producer (issue 19): entries name their hall and where they came from
 * (the no-show rule or a manager), are lifted rather than deleted (who, why, when stay on
 * record), and appointments may carry the citizen's mobile number (sealed) so the citizen
 * can be told by SMS. Each hall's no-show rule is one row; no row means the default rule.
 */
export const noShowBlacklistTables: Migration = {
  name: '0975_no_show_blacklist',
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('appointments').addColumn('citizen_phone', 'text').execute();
    await db.schema.alterTable('appointments').addColumn('no_show_at', 'text').execute();
    for (const [column, type] of [
      ['hall_id', 'text'],
      ['source', 'text'],
      ['masked_name', 'text'],
      ['created_at', 'text'],
      ['created_by', 'text'],
      ['lifted_at', 'text'],
      ['lifted_by', 'text'],
      ['lift_reason', 'text'],
    ] as const) {
      await db.schema.alterTable('blacklist').addColumn(column, type).execute();
    }
    await db.schema.createIndex('appointments_status_date_idx').on('appointments').columns(['status', 'date']).execute();
    await db.schema
      .createTable('no_show_rules')
      .addColumn('hall_id', 'text', (c) => c.primaryKey())
      .addColumn('no_shows', 'integer', (c) => c.notNull())
      .addColumn('window_days', 'integer', (c) => c.notNull())
      .addColumn('bar_days', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
