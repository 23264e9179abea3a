import type { Kysely } from 'kysely';
import type { Migration } from '../../db/migrations/types';

/**
 * Issue 20: what a counter did with itself (opened, paused, resumed, closed), kept when the
 * sync log is compacted, for 暂停服务统计. One row per applied mutation (id = mutation id).
 */
export const counterActivityTables: Migration = {
  name: '1211_counter_activity',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('counter_activity')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('counter_id', 'text', (c) => c.notNull())
      .addColumn('staff_id', 'text')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('counter_activity_hall_day').on('counter_activity').columns(['hall_id', 'day']).execute();
  },
};
