import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { ServerIdentity } from '@hall/shared';
import type { ServerContext } from '../context';
import type { Migration } from '../db/migrations/types';
import type { HallHead } from './hallLock';
import { syncDb } from './tables';

/**
 * The central database's identity (a random id made by this migration, so a backup carries
 * it and a fresh database has another) and, per hall, the log epoch: every start of the
 * central API begins a new one at the hall's head (`epoch_start`). A station that saw log
 * positions past the start of the epoch it is now told about was talking to a database
 * that has since lost them (restored from a backup): it takes a snapshot and resends its
 * work the server no longer has. A plain restart loses nothing, and says so: the epoch
 * starts at the head every station has seen at most.
 */
export const syncIdentityTables: Migration = {
  name: '0940_sync_identity',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('sync_identity')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('database_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await sql`insert into sync_identity (id, database_id, created_at) values (1, ${randomUUID()}, ${new Date().toISOString()})`.execute(db);
    await db.schema.alterTable('sync_halls').addColumn('log_epoch', 'text').execute();
    await db.schema.alterTable('sync_halls').addColumn('epoch_start', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  },
};

interface Identity {
  databaseId: string;
  logEpoch: string;
}

/** Per server instance (context): the database's id and the log epoch this instance began. */
const identities = new WeakMap<ServerContext, Promise<Identity>>();

/**
 * Begins this instance's log epoch: every hall's epoch starts at its current head. Runs
 * once per server instance, when sync is registered, before it answers any sync call.
 */
export function beginLogEpoch(ctx: ServerContext): Promise<Identity> {
  let identity = identities.get(ctx);
  if (!identity) {
    identity = (async () => {
      const db = syncDb(ctx.db);
      const row = await db.selectFrom('sync_identity').select('database_id').where('id', '=', 1).executeTakeFirst();
      const logEpoch = randomUUID();
      await db.updateTable('sync_halls').set((eb) => ({ log_epoch: logEpoch, epoch_start: eb.ref('head') })).execute();
      return { databaseId: row?.database_id ?? 'unknown', logEpoch };
    })();
    identities.set(ctx, identity);
    identity.catch(() => identities.delete(ctx));
  }
  return identity;
}

/** This instance's log epoch, for a hall row made after it began (its epoch starts at 0). */
export async function currentLogEpoch(ctx: ServerContext): Promise<string> {
  return (await beginLogEpoch(ctx)).logEpoch;
}

/** What a sync answer tells a station of the database it talks to, as of a hall row read. */
export async function serverIdentity(ctx: ServerContext, head: HallHead): Promise<ServerIdentity> {
  const identity = await beginLogEpoch(ctx);
  return { databaseId: identity.databaseId, logEpoch: head.logEpoch ?? identity.logEpoch, epochStart: head.epochStart };
}
