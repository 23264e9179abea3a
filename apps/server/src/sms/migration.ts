import { sql, type Kysely } from 'kysely';
import type { Migration } from '../db/migrations/types';

/** The SMS outbox (issue 8): one row per message, unique by idempotency key. */
export const smsTables: Migration = {
  name: '0803_sms_outbox',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('sms_outbox')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
      .addColumn('phone', 'text', (c) => c.notNull())
      .addColumn('template', 'text', (c) => c.notNull())
      .addColumn('params_json', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('lease_until', 'text')
      .addColumn('last_error', 'text')
      .addColumn('gateway_message_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text')
      .execute();
    await db.schema.createIndex('sms_outbox_due').on('sms_outbox').columns(['status', 'next_attempt_at']).execute();
  },
};

/**
 * Outbox rows name their hall, so a message is worded with the hall's own text (console,
 * sms_template_texts). Rows queued before this know their hall only through the parcel
 * whose id starts their idempotency key ("<parcel>:<event>"); a row whose parcel is gone
 * keeps no hall and is sent with the built-in text.
 */
export const smsOutboxHall: Migration = {
  name: '0923_sms_outbox_hall',
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('sms_outbox').addColumn('hall_id', 'text').execute();
    // The key suffixes the locker events used when this migration was written; spelled out
    // here so a later change to the keys cannot change what this migration did.
    const suffixes = [
      ['locker_deposited', ':deposited'],
      ['locker_picked_up', ':picked_up'],
      ['locker_returned', ':returned'],
      ['locker_flagged', ':flagged'],
    ] as const;
    for (const [template, suffix] of suffixes) {
      // Parcel id = the key without its suffix, so each row finds its parcel by primary key.
      await sql`
        update sms_outbox set hall_id = (
          select p.hall_id from locker_parcels p
          where p.id = substr(sms_outbox.idempotency_key, 1, length(sms_outbox.idempotency_key) - ${sql.lit(suffix.length)})
        )
        where hall_id is null and template = ${template}
          and substr(idempotency_key, length(idempotency_key) - ${sql.lit(suffix.length - 1)}) = ${suffix}`.execute(db);
    }
  },
};
