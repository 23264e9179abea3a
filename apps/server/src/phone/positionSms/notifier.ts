import type { FastifyPluginAsync } from 'fastify';
import { DEFAULT_POSITION_SMS_AHEAD, formatFollowReference, localDay } from '@hall/shared';
import type { ServerContext } from '../../context';
import { sealContext } from '../../secrets/atRest';
import { enqueueSms } from '../../sms/outbox';
import { loadCatalogue } from '../../sync/catalogue';
import { citizenKey } from '../../residence-code/keys';
import { followTag } from '../followLink';
import { FollowViews, loadQueueState } from '../followView';
import { PokedHallScan } from '../pokedScan';
import { forgetPastDayPositionPhones, POSITION_PHONE, POSITION_SMS_TOPIC, positionDb } from './requests';

type NotifierContext = Pick<ServerContext, 'db' | 'clock' | 'hub' | 'dataKeys'>;

/** The outbox key: one "N people ahead" SMS per ticket, however often it is asked for or scanned. */
export const positionSmsKey = (ticketId: string) => `ticket:${ticketId}:position`;

/**
 * 到号前短信提醒: on every sync poke of a hall (counters calling), each ticket with a phone
 * left at the kiosk is placed in its queue as the follow page places it; at the hall's N
 * people ahead (calling rules, default 3) or fewer, one SMS is queued and the phone is
 * deleted in the same transaction. A ticket that left the queue first (called, cancelled)
 * loses its phone unsent, and so does every ticket once its hall-day is over.
 */
export async function notifyPositions(ctx: Omit<NotifierContext, 'hub'>, hallId?: string): Promise<number> {
  const now = ctx.clock();
  // The day-end cleanup on the sweep (all halls), not on every call's poke.
  if (hallId === undefined) await forgetPastDayPositionPhones(ctx, now);
  const db = positionDb(ctx.db);
  let query = db.selectFrom('position_sms_requests').select(['ticket_id', 'hall_id', 'phone']);
  if (hallId) query = query.where('hall_id', '=', hallId);
  const requests = await query.execute();
  let queued = 0;
  for (const hall of new Set(requests.map((r) => r.hall_id))) {
    const catalogue = await loadCatalogue(ctx.db, hall);
    const views = new FollowViews(catalogue, await loadQueueState(ctx.db, hall, [localDay(now.getTime(), catalogue.hall.timeZone)]), now.getTime());
    const threshold = catalogue.callingRules.positionSmsAhead ?? DEFAULT_POSITION_SMS_AHEAD;
    const key = catalogue.phoneLinks ? await citizenKey(ctx.db, ctx.dataKeys) : undefined;
    const linkOf = (ticketId: string) => (catalogue.phoneLinks && key ? `${catalogue.phoneLinks.baseUrl}/follow/${formatFollowReference(ticketId, followTag(key, ticketId))}` : '');
    for (const request of requests.filter((r) => r.hall_id === hall)) {
      const view = views.view(request.ticket_id);
      if (view?.status === 'waiting' && (view.ahead ?? 0) > threshold) continue;
      await ctx.db.transaction().execute(async (trx) => {
        if (view?.status === 'waiting') {
          const phone = ctx.dataKeys.open(request.phone, sealContext(POSITION_PHONE, request.ticket_id));
          const message = { idempotencyKey: positionSmsKey(request.ticket_id), hallId: hall, phone, template: 'ticket_position' as const, params: { number: view.number, ahead: String(view.ahead ?? 0), link: linkOf(request.ticket_id) } };
          if (await enqueueSms(trx, ctx.dataKeys, message, now)) queued += 1;
        }
        await positionDb(trx).deleteFrom('position_sms_requests').where('ticket_id', '=', request.ticket_id).where('phone', '=', request.phone).execute();
      });
    }
  }
  return queued;
}

/** Catches calls whose poke this instance never heard, and ends hall-days without any call. */
const SWEEP_MS = 60_000;

export class PositionSmsNotifier {
  readonly #job: PokedHallScan;

  constructor(ctx: NotifierContext, options: { sweep?: boolean } = {}) {
    this.#job = new PokedHallScan(ctx.hub, (hallId) => notifyPositions(ctx, hallId), options.sweep === false ? undefined : SWEEP_MS, ['sync', POSITION_SMS_TOPIC]);
  }

  scan(hallId?: string): Promise<number> {
    return this.#job.scan(hallId);
  }

  async close(): Promise<void> {
    this.#job.close();
    await this.#job.idle();
  }
}

/** The notifier in the API process, closed with it. */
export const positionSmsPlugin: FastifyPluginAsync = async (app) => {
  const notifier = new PositionSmsNotifier(app.hall);
  app.addHook('onClose', () => notifier.close());
};
