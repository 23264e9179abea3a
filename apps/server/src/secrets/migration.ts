import type { Kysely } from 'kysely';
import type { Migration } from '../db/migrations/types';

/**
 * Encryption at rest: one check value per data key that ever sealed data, so a start with
 * the wrong key fails at once. The rows themselves are sealed at start-up by
 * `prepareDataAtRest`, which alone has the key (migrations never see configuration).
 */
export const dataKeyTables: Migration = {
  name: '0920_data_keys',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('data_key_checks')
      .addColumn('kid', 'text', (c) => c.primaryKey())
      .addColumn('check_value', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
  },
};
