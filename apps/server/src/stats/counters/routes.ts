import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { IdSchema, LocalDateSchema } from '@hall/shared';
import { parseRequest } from '../../http/validate';
import { resolveHallScope } from '../scope';
import { counterHours } from './hours';
import { TrendBySchema, TrendPeriodSchema, trendReport } from './trends';

/** A little over five years: half-years and years want several to show a trend. */
const MAX_RANGE_DAYS = 1900;

const RangeQuery = z
  .object({ hallId: IdSchema.optional(), from: LocalDateSchema, to: LocalDateSchema })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 <= MAX_RANGE_DAYS, { message: `a range covers at most ${MAX_RANGE_DAYS} days`, path: ['to'] });

/**
 * The statistics issue 20 adds to the console's 统计 page: themes and half-years with growth
 * and trend, and per counter the pause time and the service after hours. Same access as
 * /stats: a hall's managers and supervisors, the city administrator for any hall.
 */
export const counterStatsPlugin: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;

  app.get('/stats/trends', async (request) => {
    const { query } = parseRequest(request, { query: RangeQuery.and(z.object({ period: TrendPeriodSchema.default('half'), by: TrendBySchema.default('theme') })) });
    const { halls } = await resolveHallScope(ctx, request, query.hallId);
    return trendReport(ctx.db, { ids: halls.map((h) => h.id), timeZone: halls[0]?.timeZone ?? 'Asia/Shanghai' }, query);
  });

  app.get('/stats/counter-hours', async (request) => {
    const { query } = parseRequest(request, { query: RangeQuery });
    const { halls } = await resolveHallScope(ctx, request, query.hallId);
    const now = ctx.clock();
    const perHall = await Promise.all(halls.map(async (hall) => ({ hallId: hall.id, counters: await counterHours(ctx.db, hall, query.from, query.to, now) })));
    return { from: query.from, to: query.to, halls: perHall };
  });
};
