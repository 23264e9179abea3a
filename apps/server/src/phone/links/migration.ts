import type { Kysely } from 'kysely';
import type { Migration } from '../../db/migrations/types';

/** Issue 18: each hall's public address of the phone pages (slips, receipts, SMS), set in the console. */
export const phoneLinkTables: Migration = {
  name: '1181_hall_phone_links',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('hall_phone_links')
      .addColumn('hall_id', 'text', (c) => c.primaryKey())
      .addColumn('base_url', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .execute();
  },
};
