import {
  CaseSchema,
  ChangeSchema,
  SYNC_LIMITS,
  TicketSchema,
  type DeviceWatermark,
  type LogEntry,
  type PullResponse,
  type SnapshotResponse,
  CounterRuntimeSchema,
} from '@hall/shared';
import { sql } from 'kysely';
import type { ServerContext } from '../context';
import { syncDb, num } from './tables';
import { readHallHead } from './hallLock';
import { serverIdentity } from './identity';

/**
 * Entries after `cursor`, in log order. A cursor below the compaction horizon (entries
 * were deleted) or above the head (the server's database is not the one the station
 * synced with, e.g. restored) cannot be continued: the station must take a snapshot.
 */
export async function readPage(ctx: ServerContext, hallId: string, cursor: number, limit: number): Promise<PullResponse> {
  const db = syncDb(ctx.db);
  const hall = await readHallHead(db, hallId);
  const { head, horizon } = hall;
  const server = await serverIdentity(ctx, hall);
  if (cursor < horizon || cursor > head) return { kind: 'snapshotRequired', horizon, server };
  const size = Math.min(Math.max(1, limit), SYNC_LIMITS.maxPullPage);
  // Read before the entries: every mutation decided by then has its entries committed, so
  // a last page (which reads to the end of the log) reflects all of them.
  const settled = await readWatermarks(db, hallId);
  const rows = await db
    .selectFrom('sync_log')
    .selectAll()
    .where('hall_id', '=', hallId)
    .where('seq', '>', cursor)
    .orderBy('seq')
    .limit(size)
    .execute();
  // A page never ends inside a mutation: a station applying half of a mutation's rows
  // would show a ticket called at no counter until the next page.
  const tail = rows.at(-1);
  if (rows.length === size && tail?.mutation_id) {
    const rest = await db
      .selectFrom('sync_log')
      .selectAll()
      .where('hall_id', '=', hallId)
      .where('seq', '>', tail.seq)
      .where('mutation_id', '=', tail.mutation_id)
      .orderBy('seq')
      .execute();
    rows.push(...rest);
  }
  const entries: LogEntry[] = rows.map((row) => ({
    seq: num(row.seq),
    change: ChangeSchema.parse({ entity: row.entity, id: row.entity_id, data: JSON.parse(row.data_json) }),
    ...(row.mutation_id && row.device_id && row.epoch
      ? { origin: { mutationId: row.mutation_id, deviceId: row.device_id, epoch: row.epoch, seq: num(row.mutation_seq) } }
      : {}),
    at: row.at,
  }));
  const next = entries.at(-1)?.seq ?? cursor;
  const hasMore = rows.length >= size || next < head;
  return { kind: 'page', entries, cursor: next, hasMore, head: Math.max(head, next), ...(hasMore ? {} : { settled }), server };
}

/** The hall's devices' decided seqs per epoch (the hall mesh drops peers' mutations these cover). */
async function readWatermarks(db: ReturnType<typeof syncDb>, hallId: string): Promise<DeviceWatermark[]> {
  const rows = await db
    .selectFrom('sync_device_progress')
    .innerJoin('devices', 'devices.id', 'sync_device_progress.device_id')
    .select(['sync_device_progress.device_id as deviceId', 'sync_device_progress.epoch as epoch', 'sync_device_progress.last_seq as seq'])
    .where('devices.hall_id', '=', hallId)
    .execute();
  return rows.map((row) => ({ deviceId: row.deviceId, epoch: row.epoch, seq: num(row.seq) }));
}

/**
 * The hall's whole state at one log position. On PostgreSQL a REPEATABLE READ
 * transaction gives one consistent view of head and rows without blocking pushes.
 */
export async function readSnapshot(ctx: ServerContext, hallId: string): Promise<SnapshotResponse> {
  return ctx.db.transaction().execute(async (raw) => {
    if (ctx.database.dialect === 'postgres') await sql`set transaction isolation level repeatable read`.execute(raw);
    const trx = syncDb(raw);
    const hall = await readHallHead(trx, hallId);
    const { head } = hall;
    const rows = await trx.selectFrom('sync_entities').select(['entity', 'id', 'data_json']).where('hall_id', '=', hallId).execute();
    const settled = await readWatermarks(trx, hallId);
    const snapshot: SnapshotResponse = { cursor: head, tickets: [], counters: [], cases: [], server: await serverIdentity(ctx, hall), settled };
    for (const row of rows) {
      const data = JSON.parse(row.data_json) as unknown;
      if (row.entity === 'ticket') snapshot.tickets.push(TicketSchema.parse(data));
      else if (row.entity === 'counter') snapshot.counters.push({ id: row.id, runtime: CounterRuntimeSchema.parse(data) });
      else if (row.entity === 'case') snapshot.cases.push(CaseSchema.parse(data));
    }
    return snapshot;
  });
}

/**
 * Drops log entries at or below `upTo` (keeping the latest state in sync_entities);
 * stations behind the new horizon take a snapshot, and keep their outbox.
 */
export async function compactLog(ctx: ServerContext, hallId: string, upTo: number): Promise<number> {
  return ctx.db.transaction().execute(async (raw) => {
    const trx = syncDb(raw);
    const { head, horizon } = await readHallHead(trx, hallId);
    const limit = Math.min(upTo, head);
    if (limit <= horizon) return horizon;
    await trx.deleteFrom('sync_log').where('hall_id', '=', hallId).where('seq', '<=', limit).execute();
    await trx.updateTable('sync_halls').set({ horizon: limit }).where('hall_id', '=', hallId).execute();
    return limit;
  });
}
