import type { Kysely } from 'kysely';
import type { Migration } from '../../db/migrations/types';

/**
 * 到号前短信提醒 (issue 18): the phone a citizen left at the kiosk for one ticket, sealed,
 * until the SMS is queued, the ticket leaves the queue, or its hall-day ends.
 */
export const positionSmsTables: Migration = {
  name: '1180_position_sms_requests',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('position_sms_requests')
      .addColumn('ticket_id', 'text', (c) => c.primaryKey())
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('phone', 'text', (c) => c.notNull())
      .addColumn('requested_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('position_sms_requests_hall').on('position_sms_requests').columns(['hall_id', 'day']).execute();
  },
};
