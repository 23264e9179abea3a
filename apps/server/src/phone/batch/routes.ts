import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { LocalDateSchema } from '@hall/shared';
import { hallForEditing, hallForReading } from '../../admin/access';
import { ApiError } from '../../http/errors';
import { HallParams } from '../../http/params';
import { actorOf } from '../../http/principal';
import { parseRequest } from '../../http/validate';
import { batchView, createBatch, fillBatch, hallBatches, previewBatch, resumeBatches } from './batches';

const Scope = z
  .object({
    serviceId: z.string().min(1).max(64).nullable(),
    from: LocalDateSchema,
    to: LocalDateSchema,
    reason: z.string().trim().min(2).max(40),
  })
  .strict()
  .refine((s) => s.from <= s.to, { message: 'the first day must not be after the last', path: ['to'] });
const BatchParams = HallParams.extend({ batchId: z.string().uuid() });

/**
 * Batch SMS (issue 18): when a hall or a service pauses, the hall manager tells every booked
 * citizen of the days concerned. PUT with a console-made id, so a second press is the same
 * batch; batches a restart interrupted are finished when the API is ready again.
 */
export const smsBatchRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;
  app.addHook('onReady', async () => {
    await resumeBatches(ctx, app.log);
  });

  app.post('/admin/halls/:hallId/sms-batches/preview', async (request) => {
    const { params, body } = parseRequest(request, { params: HallParams, body: Scope });
    await hallForEditing(ctx, request, params.hallId, 'batch SMS');
    return previewBatch(ctx.db, { ...body, hallId: params.hallId });
  });

  app.put('/admin/halls/:hallId/sms-batches/:batchId', async (request, reply) => {
    const { params, body } = parseRequest(request, { params: BatchParams, body: Scope });
    const { principal } = await hallForEditing(ctx, request, params.hallId, 'batch SMS');
    const preview = await previewBatch(ctx.db, { ...body, hallId: params.hallId });
    if (preview.recipients === 0) throw new ApiError(409, 'no_recipients', 'no booked citizen with a phone number in that range');
    const { created } = await createBatch(ctx, actorOf(principal), { ...body, id: params.batchId, hallId: params.hallId });
    await fillBatch(ctx, params.batchId);
    return reply.code(created ? 201 : 200).send({ batch: await batchView(ctx.db, params.hallId, params.batchId) });
  });

  app.get('/admin/halls/:hallId/sms-batches', async (request) => {
    const { params } = parseRequest(request, { params: HallParams });
    await hallForReading(ctx, request, params.hallId);
    return { batches: await hallBatches(ctx.db, params.hallId) };
  });

  app.get('/admin/halls/:hallId/sms-batches/:batchId', async (request) => {
    const { params } = parseRequest(request, { params: BatchParams });
    await hallForReading(ctx, request, params.hallId);
    return { batch: await batchView(ctx.db, params.hallId, params.batchId) };
  });
};
