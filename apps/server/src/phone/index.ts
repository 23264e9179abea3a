import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { FollowFeed } from './followFeed';
import { verifiedTicketId } from './followLink';
import { bookingRoutes } from './booking/routes';
import { smsBatchRoutes } from './batch/routes';
import { followApiRoutes } from './followRoutes';
import { purgeRoutes } from './purge/routes';
import { positionSmsPlugin } from './positionSms/notifier';
import { phoneLinkRoutes } from './links/routes';
import { reminderPlugin } from './reminders';
import { trackedCase, TrackFeed } from './trackFeed';
import { trackApiRoutes } from './trackRoutes';
import { phoneAsset, phonePage, PHONE_CSP } from './page';

export { FollowFeed } from './followFeed';
export { MissedTicketSms } from './missedSms';

const ASSET_TYPES = { 'follow.js': 'text/javascript', 'book.js': 'text/javascript', 'track.js': 'text/javascript', 'live.js': 'text/javascript', 'phone.css': 'text/css' } as const;
const AssetParams = z.object({ name: z.enum(['follow.js', 'book.js', 'track.js', 'live.js', 'phone.css']) });

/** Issue 18, the citizen's phone: API routes under /api/v1 (registered by app.ts with the feed). */
export function phoneApiPlugin(feed: FollowFeed): FastifyPluginAsync {
  return async (api) => {
    await api.register(followApiRoutes(feed));
    // The track page's pushes (the receipt's QR): held by this plugin, since only its streams use them.
    await api.register(trackApiRoutes(new TrackFeed(api.hall)));
    await api.register(bookingRoutes);
    await api.register(smsBatchRoutes);
    await api.register(reminderPlugin);
    await api.register(purgeRoutes);
    await api.register(positionSmsPlugin);
    await api.register(phoneLinkRoutes);
  };
}

/** The pages themselves, at the site root: /follow/<ref> is what a slip's QR code opens, /track/<ref> a receipt's. */
export const phonePagesPlugin: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;
  app.get('/phone/assets/:name', async (request, reply) => {
    const parsed = AssetParams.safeParse(request.params);
    if (!parsed.success) return reply.code(404).send();
    return reply
      .header('content-security-policy', PHONE_CSP)
      .header('cache-control', 'no-cache')
      .type(`${ASSET_TYPES[parsed.data.name]}; charset=utf-8`)
      .send(phoneAsset(parsed.data.name));
  });
  app.get('/follow/:ref', async (request, reply) => {
    const ref = (request.params as { ref?: unknown }).ref;
    // A forged link gets the same page, which says plainly that the link is not valid.
    const valid = typeof ref === 'string' && (await verifiedTicketId(ctx, ref)) !== undefined;
    return phonePage(reply, { title: '排队进度 Queue progress', script: 'follow.js', status: valid ? 200 : 404 });
  });
  // Track my case: what the acceptance receipt's QR opens. Every invalid link gets the same page.
  app.get('/track/:ref', async (request, reply) => {
    const ref = (request.params as { ref?: unknown }).ref;
    const valid = typeof ref === 'string' && ref.length <= 160 && (await trackedCase(ctx.db, ref)) !== undefined;
    return phonePage(reply, { title: '办件进度 Case progress', script: 'track.js', status: valid ? 200 : 404 });
  });
  // Booking: the hall's page, e.g. linked from its portal or a poster's QR code.
  app.get('/book/:hallId', async (_request, reply) => phonePage(reply, { title: '预约办事 Book a visit', script: 'book.js' }));
};
