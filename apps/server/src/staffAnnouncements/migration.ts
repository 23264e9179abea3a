import type { Kysely } from 'kysely';
import type { Migration } from '../db/migrations/types';

/**
 * 系统通知公告 (issue 20): a hall manager's announcements to the hall's staff, and one read
 * receipt (已阅) per announcement and staff member, whichever counter it was pressed at.
 */
export const staffAnnouncementTables: Migration = {
  name: '1240_staff_announcements',
  async up(db: Kysely<unknown>) {
    const s = db.schema;
    await s
      .createTable('staff_announcements')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('title_zh', 'text', (c) => c.notNull())
      .addColumn('title_en', 'text')
      .addColumn('body_zh', 'text', (c) => c.notNull())
      .addColumn('body_en', 'text')
      // 'all', 'clerk' or 'officer' (STAFF_AUDIENCES).
      .addColumn('audience', 'text', (c) => c.notNull())
      .addColumn('valid_from', 'text', (c) => c.notNull())
      .addColumn('valid_until', 'text')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('withdrawn_at', 'text')
      .execute();
    await s.createIndex('staff_announcements_hall').on('staff_announcements').columns(['hall_id', 'created_at']).execute();
    await s
      .createTable('staff_announcement_reads')
      .addColumn('announcement_id', 'text', (c) => c.notNull())
      .addColumn('staff_id', 'text', (c) => c.notNull())
      .addColumn('counter_id', 'text')
      .addColumn('read_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('staff_announcement_reads_pk', ['announcement_id', 'staff_id'])
      .execute();
  },
};
