import type { TrackView } from '@hall/shared';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { ApiError } from '../http/errors';
import { parseRequest } from '../http/validate';
import { EventStreams } from './eventStream';
import { trackedCase, type TrackFeed } from './trackFeed';

const RefParams = z.object({ ref: z.string().max(160) });
/** One instance's open track streams at most (HALL_TRACK_MAX_STREAMS); beyond it a phone is asked to retry. */
const MAX_STREAMS = Number(process.env.HALL_TRACK_MAX_STREAMS ?? 5_000);

/** One answer for a malformed, unknown, forged or altered link alike. */
const invalidLink = () => new ApiError(404, 'invalid_track_link', 'this link is not valid: scan the QR code on your acceptance receipt again');

/** GET /api/v1/track/:ref (one view) and /api/v1/track/:ref/events (pushed on every change of the case). */
export function trackApiRoutes(feed: TrackFeed): FastifyPluginAsync {
  return async (app) => {
    const db = app.hall.db;
    const streams = new EventStreams(MAX_STREAMS, 'too many phones track cases on this server right now; the page retries by itself');
    app.addHook('preClose', async () => streams.closeAll());

    app.get('/track/:ref', async (request, reply) => {
      const { params } = parseRequest(request, { params: RefParams });
      const kase = await trackedCase(db, params.ref);
      if (!kase) throw invalidLink();
      return reply.header('cache-control', 'no-store').send(await feed.view(kase));
    });

    app.get('/track/:ref/events', async (request, reply) => {
      const { params } = parseRequest(request, { params: RefParams });
      const kase = await trackedCase(db, params.ref);
      if (!kase) throw invalidLink();
      await streams.serve<TrackView>(request, reply, (send) => feed.track(kase, send));
    });
  };
}
