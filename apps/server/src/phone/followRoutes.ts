import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { ApiError } from '../http/errors';
import { parseRequest } from '../http/validate';
import type { FollowFeed, FollowUpdate } from './followFeed';
import { EventStreams } from './eventStream';
import { verifiedTicketId } from './followLink';

const RefParams = z.object({ ref: z.string().max(80) });
/** One instance's open follow streams at most (HALL_FOLLOW_MAX_STREAMS); beyond it a phone is asked to retry. */
const MAX_STREAMS = Number(process.env.HALL_FOLLOW_MAX_STREAMS ?? 20_000);

const invalidLink = () => new ApiError(404, 'invalid_follow_link', 'this follow link is not valid: scan the QR code on your ticket slip again');

/** GET /api/v1/follow/:ref (one view) and /api/v1/follow/:ref/events (the pushed stream). */
export function followApiRoutes(feed: FollowFeed): FastifyPluginAsync {
  return async (app) => {
    const ctx = app.hall;
    const streams = new EventStreams(MAX_STREAMS, 'too many phones follow tickets on this server right now; the page retries by itself');
    app.addHook('preClose', async () => streams.closeAll());

    app.get('/follow/:ref', async (request, reply) => {
      const { params } = parseRequest(request, { params: RefParams });
      const ticketId = await verifiedTicketId(ctx, params.ref);
      if (!ticketId) throw invalidLink();
      const update: FollowUpdate = await feed.view(ticketId);
      return reply.header('cache-control', 'no-store').send(update);
    });

    // Server-sent events: the browser's EventSource reconnects by itself after a drop.
    app.get('/follow/:ref/events', async (request, reply) => {
      const { params } = parseRequest(request, { params: RefParams });
      const ticketId = await verifiedTicketId(ctx, params.ref);
      if (!ticketId) throw invalidLink();
      await streams.serve<FollowUpdate>(request, reply, (send) => feed.follow(ticketId, send));
    });
  };
}
