import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { ApiError } from '../http/errors';
import { parseRequest } from '../http/validate';
import type { FollowFeed, FollowUpdate } from './followFeed';
import { verifiedTicketId } from './followLink';

const RefParams = z.object({ ref: z.string().max(80) });
/** Proxies close idle streams; a comment line now and then keeps the follow stream open. */
const HEARTBEAT_MS = 20_000;

/** One instance's open follow streams at most (HALL_FOLLOW_MAX_STREAMS); beyond it a phone is asked to retry. */
const MAX_STREAMS = Number(process.env.HALL_FOLLOW_MAX_STREAMS ?? 20_000);

const invalidLink = () => new ApiError(404, 'invalid_follow_link', 'this follow link is not valid: scan the QR code on your ticket slip again');

/** GET /api/v1/follow/:ref (one view) and /api/v1/follow/:ref/events (the pushed stream). */
export function followApiRoutes(feed: FollowFeed): FastifyPluginAsync {
  return async (app) => {
    const ctx = app.hall;
    // Open streams would hold the server's close forever; they end first, and phones reconnect elsewhere.
    const streams = new Set<() => void>();
    app.addHook('preClose', async () => {
      for (const end of [...streams]) end();
    });

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
      if (streams.size >= MAX_STREAMS) throw new ApiError(503, 'busy', 'too many phones follow tickets on this server right now; the page retries by itself');
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      raw.write('retry: 2000\n\n');
      let open = true;
      const unsubscribe = await feed.follow(ticketId, (update) => {
        if (open) raw.write(`data: ${JSON.stringify(update)}\n\n`);
      });
      const heartbeat = setInterval(() => raw.write(': still here\n\n'), HEARTBEAT_MS);
      const end = () => {
        if (!open) return;
        open = false;
        clearInterval(heartbeat);
        unsubscribe();
        streams.delete(end);
        raw.end();
      };
      streams.add(end);
      request.raw.once('close', end);
      raw.once('close', end);
      if (request.raw.destroyed) end();
    });
  };
}
