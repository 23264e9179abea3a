import type { Kysely } from 'kysely';
import type { Migration } from '../db/migrations/types';

/**
 * Issue 20 (~1649 好差评): each rating waits here until the city's 好差评 platform has it.
 * One row per evaluation (its id is the key and the idempotency key), so a rating pushed
 * twice by a station, or recorded on two instances, is delivered once.
 */
export const ratingOutboxTables: Migration = {
  name: '1212_rating_outbox',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('rating_outbox')
      .addColumn('evaluation_id', 'text', (c) => c.primaryKey())
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('lease_until', 'text')
      .addColumn('last_error', 'text')
      .addColumn('platform_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('delivered_at', 'text')
      .execute();
    await db.schema.createIndex('rating_outbox_due').on('rating_outbox').columns(['status', 'next_attempt_at']).execute();
  },
};
