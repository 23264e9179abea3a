import { maxTicketSequence, type NumberBlock } from '@hall/shared';
import type { ServerContext } from '../context';
import type { DevicePrincipal } from '../http/principal';
import { ApiError } from '../http/errors';
import { loadCatalogue } from './catalogue';
import { withHallLock } from './hallLock';
import { hallStateAt, hallStateCommitted, hallStateDiscard } from './state';

/**
 * Leases the next free block of a queue's numbers for a day to a kiosk. Blocks never
 * overlap (allocated under the hall lock, above every block and every number used), so
 * kiosks number offline without ever colliding.
 */
export async function leaseBlock(ctx: ServerContext, device: DevicePrincipal, queueId: string, day: string, count: number): Promise<NumberBlock> {
  const catalogue = await loadCatalogue(ctx.db, device.hallId);
  const queue = catalogue.queues.find((q) => q.id === queueId);
  if (!queue) throw new ApiError(404, 'not_found', `queue ${queueId} is not in hall ${device.hallId}`);
  const max = maxTicketSequence(queue.numberDigits);
  try {
    return await withHallLock(ctx, device.hallId, async (trx, { head }) => {
      const top = await trx
        .selectFrom('sync_leases')
        .select((eb) => eb.fn.max('end_seq').as('top'))
        .where('hall_id', '=', device.hallId)
        .where('queue_id', '=', queueId)
        .where('day', '=', day)
        .executeTakeFirst();
      const state = await hallStateAt(ctx, trx, device.hallId, head);
      const used = state.queue.lastSequence[`${queueId}|${day}`] ?? 0;
      const start = Math.max(Number(top?.top ?? 0), used) + 1;
      if (start > max) throw new ApiError(409, 'numbers_exhausted', `queue ${queue.prefix} has no numbers left on ${day}`);
      const end = Math.min(start + count - 1, max);
      await trx
        .insertInto('sync_leases')
        .values({ hall_id: device.hallId, queue_id: queueId, day, start_seq: start, end_seq: end, device_id: device.id, leased_at: ctx.clock().toISOString() })
        .execute();
      // The state was only read; hand it back to the cache for the same head.
      hallStateCommitted(ctx, device.hallId, state, head);
      return { queueId, day, start, end };
    });
  } catch (error) {
    hallStateDiscard(ctx, device.hallId);
    throw error;
  }
}
