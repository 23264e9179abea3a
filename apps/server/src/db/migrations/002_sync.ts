import type { Kysely } from 'kysely';
import type { Migration } from './types';

/**
 * Tables of station sync (issue 3; code in src/sync). `sync_halls` is the per-hall row
 * every log append locks first, which is what orders the change log by commit.
 */
export const syncTables: Migration = {
  name: '002_sync',
  async up(db: Kysely<unknown>) {
    const s = db.schema;
    await s
      .createTable('sync_halls')
      .addColumn('hall_id', 'text', (c) => c.primaryKey().references('halls.id'))
      .addColumn('head', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('horizon', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();

    await s
      .createTable('sync_log')
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('entity', 'text', (c) => c.notNull())
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addColumn('data_json', 'text', (c) => c.notNull())
      .addColumn('mutation_id', 'text')
      .addColumn('device_id', 'text')
      .addColumn('epoch', 'text')
      .addColumn('mutation_seq', 'bigint')
      .addColumn('at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('sync_log_pk', ['hall_id', 'seq'])
      .execute();

    await s
      .createTable('sync_entities')
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('entity', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('data_json', 'text', (c) => c.notNull())
      .addColumn('log_seq', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('sync_entities_pk', ['hall_id', 'entity', 'id'])
      .execute();

    await s
      .createTable('sync_device_progress')
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('epoch', 'text', (c) => c.notNull())
      .addColumn('last_seq', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('sync_device_progress_pk', ['device_id', 'epoch'])
      .execute();

    await s
      .createTable('sync_mutations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('epoch', 'text', (c) => c.notNull())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('code', 'text')
      .addColumn('reason', 'text')
      .addColumn('log_seq', 'bigint')
      .addColumn('hlc', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('sync_mutations_device_seq_unique', ['device_id', 'epoch', 'seq'])
      .execute();

    await s
      .createTable('sync_leases')
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('queue_id', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('start_seq', 'integer', (c) => c.notNull())
      .addColumn('end_seq', 'integer', (c) => c.notNull())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('leased_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('sync_leases_pk', ['hall_id', 'queue_id', 'day', 'start_seq'])
      .execute();
    await s.createIndex('sync_leases_device_idx').on('sync_leases').columns(['device_id', 'queue_id', 'day']).execute();
  },
};
