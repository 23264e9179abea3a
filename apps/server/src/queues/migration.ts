import type { Kysely } from 'kysely';
import type { Migration } from '../db/migrations/types';

/** 咨询号 letter per queue (Queue.consultationPrefix); null: consultation tickets keep the queue's prefix. */
export const queueConsultationPrefixColumn: Migration = {
  name: '0980_queue_consultation_prefix',
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('queues').addColumn('consultation_prefix', 'text').execute();
  },
};
