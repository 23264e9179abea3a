import type { FastifyBaseLogger } from 'fastify';
import { FINAL_CASE_STATUSES, type Case, type Ticket, localDay, shiftLocalDay, zonedInstant } from '@hall/shared';
import type { ServerContext } from '../context';
import { withHallLock } from './hallLock';
import { hallStateDiscard, hallStateForget } from './state';

/**
 * Retention by hall-day (issue 22). The sync tables hold what stations sync: the live day's
 * tickets, counters, and every case still moving. Past days' tickets and cases closed
 * before the kept days leave sync_entities (and the cached hall state built from it), and
 * log entries written before the kept days are compacted away (a station behind takes a
 * snapshot, which now covers the kept days). The history stays where the API's routes and
 * statistics read it: the `tickets` and `cases` tables, which sync projects every row into.
 */
export interface HallRetentionPolicy {
  /**
   * Past hall-days kept in the sync state besides the live day. Default 1: a station that
   * was offline overnight still finds yesterday's tickets when it pushes yesterday's work.
   */
  pastDays: number;
}

export const DEFAULT_HALL_RETENTION: HallRetentionPolicy = { pastDays: 1 };

export interface HallRetentionResult {
  tickets: number;
  cases: number;
  /** The log's compaction horizon after the run. */
  horizon: number;
}

const FINAL = new Set<string>(FINAL_CASE_STATUSES);
const CHUNK = 500;

/** Forgets one hall's past hall-days as of `now`, under the hall lock (pushes wait, nothing is half-seen). */
export async function forgetHallPastDays(ctx: ServerContext, hallId: string, now: Date, policy: HallRetentionPolicy = DEFAULT_HALL_RETENTION): Promise<HallRetentionResult> {
  const hall = await ctx.db.selectFrom('halls').select('time_zone').where('id', '=', hallId).executeTakeFirst();
  if (!hall) throw new Error(`hall ${hallId} does not exist`);
  const timeZone = hall.time_zone;
  const firstKept = shiftLocalDay(localDay(now.getTime(), timeZone), -policy.pastDays);
  const keptFrom = new Date(zonedInstant(firstKept, '00:00', timeZone)).toISOString();
  try {
    return await withHallLock(ctx, hallId, async (trx, head) => {
      const rows = await trx
        .selectFrom('sync_entities')
        .select(['entity', 'id', 'data_json'])
        .where('hall_id', '=', hallId)
        .where('entity', 'in', ['ticket', 'case'])
        .execute();
      const neededTickets = new Set<string>();
      const tickets: { id: string; day: string }[] = [];
      const cases: string[] = [];
      for (const row of rows) {
        if (row.entity === 'ticket') {
          tickets.push({ id: row.id, day: (JSON.parse(row.data_json) as Ticket).day });
          continue;
        }
        const kase = JSON.parse(row.data_json) as Case;
        if (!FINAL.has(kase.status)) {
          // An open case keeps its ticket in the state stations are given.
          if (kase.ticketId !== undefined) neededTickets.add(kase.ticketId);
          continue;
        }
        const lastAt = kase.timeline.at(-1)?.at;
        if (lastAt !== undefined && lastAt < keptFrom) cases.push(row.id);
      }
      const ticketIds = tickets.filter((t) => t.day < firstKept && !neededTickets.has(t.id)).map((t) => t.id);
      for (const [entity, ids] of [['ticket', ticketIds], ['case', cases]] as const) {
        for (let i = 0; i < ids.length; i += CHUNK) {
          await trx.deleteFrom('sync_entities').where('hall_id', '=', hallId).where('entity', '=', entity).where('id', 'in', ids.slice(i, i + CHUNK)).execute();
        }
      }
      const last = await trx.selectFrom('sync_log').select((eb) => eb.fn.max('seq').as('seq')).where('hall_id', '=', hallId).where('at', '<', keptFrom).executeTakeFirst();
      const upTo = Math.min(Number(last?.seq ?? 0), head.head);
      let horizon = head.horizon;
      if (upTo > horizon) {
        await trx.deleteFrom('sync_log').where('hall_id', '=', hallId).where('seq', '<=', upTo).execute();
        await trx.updateTable('sync_halls').set({ horizon: upTo }).where('hall_id', '=', hallId).execute();
        horizon = upTo;
      }
      hallStateForget(ctx, hallId, ticketIds, cases, firstKept);
      return { tickets: ticketIds.length, cases: cases.length, horizon };
    });
  } catch (error) {
    // The cached state may have forgotten rows the failed transaction kept.
    hallStateDiscard(ctx, hallId);
    throw error;
  }
}

/** Every hall, one after the other. */
export async function forgetPastDays(ctx: ServerContext, policy: HallRetentionPolicy = DEFAULT_HALL_RETENTION): Promise<void> {
  const halls = await ctx.db.selectFrom('halls').select('id').execute();
  for (const hall of halls) await forgetHallPastDays(ctx, hall.id, ctx.clock(), policy);
}

/** Runs forgetPastDays every `intervalMs` in the server process; a failed run is logged and retried next time. */
export function startRetention(ctx: ServerContext, intervalMs: number, policy: HallRetentionPolicy, log?: FastifyBaseLogger): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = forgetPastDays(ctx, policy).catch((error: unknown) => log?.error({ error: (error as Error).message }, 'sync retention failed'));
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
