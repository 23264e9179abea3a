import type { Kysely } from 'kysely';
import type { Migration } from '../db/migrations/types';

/**
 * 窗口绩效管理 (issue 20, seed 001 §8): appraisal schemes, bonus and penalty events, the
 * appraisals of a period with their scored results (a snapshot, so a published result does
 * not move when activity rows change later), the clerks' appeals, and the mobile each clerk
 * is told on (sealed at rest).
 */
export const performanceTables: Migration = {
  name: '1220_performance',
  async up(db: Kysely<unknown>) {
    const s = db.schema;
    await s
      .createTable('performance_schemes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('items_json', 'text', (c) => c.notNull())
      .addColumn('appeal_days', 'integer', (c) => c.notNull())
      .addColumn('answer_days', 'integer', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await s
      .createTable('performance_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('staff_id', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('points', 'real', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('counts', 'integer', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await s.createIndex('performance_events_hall_day').on('performance_events').columns(['hall_id', 'day']).execute();
    await s
      .createTable('performance_appraisals')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('scheme_id', 'text', (c) => c.notNull())
      .addColumn('period', 'text', (c) => c.notNull())
      // 'clerk' (each clerk) or 'counter' (each 窗口, whoever served there).
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('results_json', 'text', (c) => c.notNull())
      .addColumn('computed_at', 'text', (c) => c.notNull())
      .addColumn('published_at', 'text')
      .addColumn('appeal_until', 'text')
      .addUniqueConstraint('performance_appraisals_once', ['hall_id', 'scheme_id', 'period', 'subject'])
      .execute();
    await s
      .createTable('performance_appeals')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('appraisal_id', 'text', (c) => c.notNull())
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('staff_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('filed_at', 'text', (c) => c.notNull())
      .addColumn('answer_due_at', 'text', (c) => c.notNull())
      .addColumn('answered_at', 'text')
      .addColumn('answered_by', 'text')
      .addColumn('outcome', 'text')
      .addColumn('answer', 'text')
      // 不能无限次重复申诉: one appeal per clerk per appraisal.
      .addUniqueConstraint('performance_appeals_once', ['appraisal_id', 'staff_id'])
      .execute();
    await s
      .createTable('performance_contacts')
      .addColumn('staff_id', 'text', (c) => c.primaryKey())
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('phone', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
