import type { Kysely } from 'kysely';
import type { Migration } from '../db/migrations/types';

/** Parcels waiting in lockers and the events locker stations report (issue 8). */
export const lockerTables: Migration = {
  name: '0802_lockers',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('locker_parcels')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('hall_id', 'text', (c) => c.notNull().references('halls.id'))
      .addColumn('case_number', 'text', (c) => c.notNull())
      .addColumn('size', 'text', (c) => c.notNull())
      .addColumn('phone', 'text', (c) => c.notNull())
      .addColumn('masked_name', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('station_id', 'text')
      .addColumn('compartment_id', 'text')
      .addColumn('flag_reason', 'text')
      .addColumn('issued_by', 'text', (c) => c.notNull())
      .addColumn('issued_at', 'text', (c) => c.notNull())
      .addColumn('deposited_at', 'text')
      .addColumn('closed_at', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('locker_parcels_hall_status').on('locker_parcels').columns(['hall_id', 'status']).execute();
    await db.schema
      .createTable('locker_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('parcel_id', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('data_json', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .execute();
  },
};

/** Counters' delegated deposit-signing keys (offline deposit codes) and the parcels they issued. */
export const lockerDelegationTables: Migration = {
  name: '0951_locker_delegations',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('locker_delegations')
      .addColumn('kid', 'text', (c) => c.primaryKey())
      .addColumn('hall_id', 'text', (c) => c.notNull().references('halls.id'))
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('phone_key', 'text', (c) => c.notNull())
      .addColumn('not_before', 'text', (c) => c.notNull())
      .addColumn('not_after', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('locker_delegations_device').on('locker_delegations').columns(['device_id', 'not_after']).execute();
    await db.schema.alterTable('locker_parcels').addColumn('delegation_kid', 'text').execute();
  },
};
