import type { Kysely } from 'kysely';
import type { Migration } from '../db/migrations/types';

/**
 * Statistics and supervision (issue 9). Tickets gain the clerk who served them and how
 * often they were transferred, which the statistics group and count by; the indexes keep
 * a year of a busy hall (500k+ tickets) fast: every statistics query ranges over one
 * hall's days, and supervision ranges over open cases by due date.
 */
export const statsTables: Migration = {
  name: '0901_stats',
  async up(db: Kysely<unknown>) {
    const s = db.schema;
    await s.alterTable('tickets').addColumn('staff_id', 'text').execute();
    await s.alterTable('tickets').addColumn('transfer_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await s.createIndex('tickets_stats_idx').on('tickets').columns(['hall_id', 'day', 'status']).execute();
    await s.createIndex('evaluations_hall_at_idx').on('evaluations').columns(['hall_id', 'at']).execute();
    await s.createIndex('cases_hall_due_idx').on('cases').columns(['hall_id', 'due_at']).execute();
    await s.createIndex('audit_log_hall_entity_idx').on('audit_log').columns(['hall_id', 'entity']).execute();
    await s
      .createTable('hall_notices')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('hall_id', 'text', (c) => c.notNull().references('halls.id'))
      .addColumn('text_zh', 'text', (c) => c.notNull())
      .addColumn('text_en', 'text')
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
