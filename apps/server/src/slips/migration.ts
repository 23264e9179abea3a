import type { Kysely } from 'kysely';
import type { Migration } from '../db/migrations/types';

/**
 * Issue 20: printed documents' wording per service (回执个性化定制). `service_id` is '' for
 * the hall's default of a kind, so one unique key covers both without NULL semantics
 * differing between SQLite and PostgreSQL.
 */
export const slipTemplateTables: Migration = {
  name: '1210_slip_templates',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('slip_templates')
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('service_id', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('slip_templates_pk', ['hall_id', 'kind', 'service_id'])
      .execute();
  },
};
