import type { Kysely } from 'kysely';
import type { Migration } from '../db/migrations/types';

/**
 * 放号密码 and their uses (release/store.ts). A password row keeps only the salt and the
 * verifier (never the code); a use row is the supervision record of one 现场号/特殊号,
 * written in the push that applied its ticket, once per ticket.
 */
export const releasePasswordTables: Migration = {
  name: '0970_release_passwords',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('release_passwords')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('serial', 'integer', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('priority_group_id', 'text')
      .addColumn('max_uses', 'integer', (c) => c.notNull())
      .addColumn('salt', 'text', (c) => c.notNull())
      .addColumn('verifier', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema.createIndex('release_passwords_serial').on('release_passwords').columns(['hall_id', 'day', 'serial']).unique().execute();
    await db.schema
      .createTable('release_uses')
      .addColumn('ticket_id', 'text', (c) => c.primaryKey())
      .addColumn('password_id', 'text', (c) => c.notNull())
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('number', 'text', (c) => c.notNull())
      .addColumn('serial', 'integer', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('priority_group_id', 'text')
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('issued_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('release_uses_password').on('release_uses').column('password_id').execute();
    await db.schema.createIndex('release_uses_hall_day').on('release_uses').columns(['hall_id', 'day']).execute();
  },
};
