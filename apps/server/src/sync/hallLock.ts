import { sql, type Transaction } from 'kysely';
import type { ServerContext } from '../context';
import type { Database } from '../db/schema';
import { currentLogEpoch } from './identity';
import { num, syncDb, type SyncDb, type SyncTables } from './tables';

export interface HallHead {
  head: number;
  horizon: number;
  /** The hall's log epoch (identity.ts); undefined before the hall's first sync write. */
  logEpoch: string | undefined;
  epochStart: number;
}

/** Per server instance (context), so two instances in one process behave like two processes. */
const queuesByContext = new WeakMap<ServerContext, Map<string, Promise<unknown>>>();

/** Runs `task` after every earlier task of the same key in this server instance. */
async function serialized<T>(ctx: ServerContext, key: string, task: () => Promise<T>): Promise<T> {
  let queues = queuesByContext.get(ctx);
  if (!queues) {
    queues = new Map();
    queuesByContext.set(ctx, queues);
  }
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(task, task);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, settled);
  try {
    return await run;
  } finally {
    if (queues.get(key) === settled) queues.delete(key);
  }
}

/**
 * Runs `work` in a transaction that holds the hall's sync row lock.
 *
 * Why the log never skips a late commit: a log seq is `head + 1` read under this lock,
 * and the lock is held until commit. The next writer of the hall can read `head` only
 * after this transaction committed, so seqs become visible in seq order; a reader that
 * sees seq n also sees every seq below n, and "all entries after my cursor" is exact.
 * (A plain sequence/serial would hand out n+1 to a transaction that may commit before
 * the one holding n, and a reader at n+1 would skip n forever.)
 *
 * PostgreSQL: SELECT … FOR UPDATE on the hall row (several server instances included).
 * SQLite: one writer at a time already; the in-process queue keeps hall work in order.
 */
export async function withHallLock<T>(
  ctx: ServerContext,
  hallId: string,
  work: (trx: SyncDb, head: HallHead) => Promise<T>,
): Promise<T> {
  const logEpoch = await currentLogEpoch(ctx);
  return serialized(ctx, `hall:${hallId}`, () =>
    ctx.db.transaction().execute(async (raw: Transaction<Database>) => {
      const trx = syncDb(raw);
      const lock = async () =>
        ctx.database.dialect === 'postgres'
          ? (await sql<{ head: string; horizon: string; log_epoch: string | null; epoch_start: string }>`select head, horizon, log_epoch, epoch_start from sync_halls where hall_id = ${hallId} for update`.execute(trx)).rows[0]
          : await trx.selectFrom('sync_halls').select(['head', 'horizon', 'log_epoch', 'epoch_start']).where('hall_id', '=', hallId).executeTakeFirst();
      // The row exists after a hall's first sync: one round trip per push, not two. A
      // concurrent first writer's insert makes ours wait for its commit, then do nothing.
      let row = await lock();
      if (!row) {
        await trx
          .insertInto('sync_halls')
          .values({ hall_id: hallId, head: 0, horizon: 0, log_epoch: logEpoch, epoch_start: 0 })
          .onConflict((oc) => oc.column('hall_id').doNothing())
          .execute();
        row = await lock();
      }
      return work(trx, { head: num(row?.head), horizon: num(row?.horizon), logEpoch: row?.log_epoch ?? undefined, epochStart: num(row?.epoch_start) });
    }),
  );
}

export async function readHallHead(db: SyncDb, hallId: string): Promise<HallHead> {
  const row = await db.selectFrom('sync_halls').select(['head', 'horizon', 'log_epoch', 'epoch_start']).where('hall_id', '=', hallId).executeTakeFirst();
  return { head: num(row?.head), horizon: num(row?.horizon), logEpoch: row?.log_epoch ?? undefined, epochStart: num(row?.epoch_start) };
}

export async function setHallHead(trx: SyncDb, hallId: string, head: number): Promise<void> {
  await trx.updateTable('sync_halls').set({ head }).where('hall_id', '=', hallId).execute();
}

export type { SyncTables };
