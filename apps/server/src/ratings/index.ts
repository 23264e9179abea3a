import type { FastifyPluginAsync } from 'fastify';
import { hallForReading } from '../admin/access';
import { HallParams } from '../http/params';
import { parseRequest } from '../http/validate';
import { RatingDispatcher, ratingOutboxSummary } from './outbox';
import { HttpRatingPlatform } from './platform';

export { ratingOutboxTables } from './migration';

/**
 * Ratings to the city's 好差评 platform (issue 20, ~1649). Every recorded rating is queued
 * with it (sync/counterOutcomes.ts); the outbox is sent when a platform is configured
 * (HALL_RATING_PLATFORM_URL, optional HALL_RATING_PLATFORM_TOKEN and
 * HALL_RATING_INTERVAL_MS). Without one, ratings wait and go once it is: nothing is lost.
 */
export const ratingPlugin: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;

  app.get('/admin/halls/:hallId/rating-outbox', async (request) => {
    const { params } = parseRequest(request, { params: HallParams });
    await hallForReading(ctx, request, params.hallId);
    return { configured: Boolean(process.env.HALL_RATING_PLATFORM_URL), ...(await ratingOutboxSummary(ctx.db, params.hallId)) };
  });

  const url = process.env.HALL_RATING_PLATFORM_URL;
  if (!url) return;
  const token = process.env.HALL_RATING_PLATFORM_TOKEN;
  const dispatcher = new RatingDispatcher(ctx.db, new HttpRatingPlatform(url, token ? { token } : {}), ctx.clock, app.log);
  app.addHook('onReady', async () => dispatcher.start(Number(process.env.HALL_RATING_INTERVAL_MS ?? 5000)));
  app.addHook('onClose', async () => dispatcher.stop());
};
