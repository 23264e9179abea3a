import type { Kysely } from 'kysely';
import type { Migration } from '../../db/migrations/types';

/**
 * Batch SMS from the console (issue 18). The id comes from the console, so pressing "send"
 * twice names the same batch; `status` stays `filling` until every recipient's message is
 * in the outbox, so a batch interrupted by a restart is finished when the API starts again.
 */
export const smsBatchTables: Migration = {
  name: '1160_sms_batches',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('sms_batches')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('service_id', 'text')
      .addColumn('date_from', 'text', (c) => c.notNull())
      .addColumn('date_to', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('recipients', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('filled_at', 'text')
      .execute();
    await db.schema.createIndex('sms_batches_hall').on('sms_batches').columns(['hall_id', 'created_at']).execute();
  },
};
