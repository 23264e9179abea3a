import type { Kysely } from 'kysely';
import type { Migration } from '../db/migrations/types';

/** Signing keys of residence, deposit and staff codes, and the citizen-hash key (issue 8). */
export const residenceCodeTables: Migration = {
  name: '0801_residence_codes',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('residence_keys')
      .addColumn('kid', 'text', (c) => c.primaryKey())
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('private_key', 'text', (c) => c.notNull())
      .addColumn('sign_from', 'text', (c) => c.notNull())
      .addColumn('sign_until', 'text', (c) => c.notNull())
      .addColumn('verify_until', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('residence_secrets')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
  },
};
