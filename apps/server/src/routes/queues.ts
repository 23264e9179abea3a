import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import { QueueSchema, type Queue } from '@hall/shared';
import type { Database } from '../db/schema';
import { requirePrincipal } from '../http/auth';
import { ApiError, notFound, unknownReference } from '../http/errors';
import { HallParams, IdParams } from '../http/params';
import { parseRequest } from '../http/validate';
import { auditedWrite } from '../http/write';
import { hallOfService } from '../store/catalogue';
import { getHall } from '../store/halls';
import { getQueue, insertQueue, listQueues, updateQueue } from '../store/layout';

const LAYOUT_EDITORS = ['hall_manager'] as const;

async function checkQueue(db: Kysely<Database>, queue: Queue): Promise<void> {
  if (!(await getHall(db, queue.hallId))) throw unknownReference(`hall ${queue.hallId} does not exist`);
  for (const serviceId of queue.serviceIds) {
    if ((await hallOfService(db, serviceId)) !== queue.hallId) throw unknownReference(`service ${serviceId} is not in hall ${queue.hallId}`);
  }
}

/** Queues: prefix letter, services, ticket kinds. Prefixes are unique per hall (409 otherwise). */
export const queueRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;
  const { db } = ctx;

  app.get('/halls/:hallId/queues', async (request) => {
    const { params } = parseRequest(request, { params: HallParams });
    if (!(await getHall(db, params.hallId))) throw notFound('hall', params.hallId);
    return { queues: await listQueues(db, params.hallId) };
  });

  app.get('/queues/:id', async (request) => {
    const { params } = parseRequest(request, { params: IdParams });
    const queue = await getQueue(db, params.id);
    if (!queue) throw notFound('queue', params.id);
    return { queue };
  });

  app.post('/queues', async (request, reply) => {
    const principal = await requirePrincipal(ctx, request, { staffRoles: LAYOUT_EDITORS });
    const { body } = parseRequest(request, { body: QueueSchema });
    await requirePrincipal(ctx, request, { staffRoles: LAYOUT_EDITORS, hallId: body.hallId });
    await checkQueue(db, body);
    await auditedWrite(ctx, principal, { action: 'create', entity: 'queue', entityId: body.id, hallId: body.hallId }, (trx) =>
      insertQueue(trx, body, ctx.clock()),
    );
    return reply.code(201).send({ queue: await getQueue(db, body.id) });
  });

  app.put('/queues/:id', async (request) => {
    const principal = await requirePrincipal(ctx, request, { staffRoles: LAYOUT_EDITORS });
    const { params, body } = parseRequest(request, { params: IdParams, body: QueueSchema });
    if (body.id !== params.id) throw new ApiError(400, 'id_mismatch', 'body.id must equal the id in the path');
    const current = await getQueue(db, params.id);
    if (!current) throw notFound('queue', params.id);
    await requirePrincipal(ctx, request, { staffRoles: LAYOUT_EDITORS, hallId: current.hallId });
    if (body.hallId !== current.hallId) throw new ApiError(400, 'invalid_request', 'a queue cannot move to another hall');
    await checkQueue(db, body);
    await auditedWrite(ctx, principal, { action: 'update', entity: 'queue', entityId: body.id, hallId: body.hallId }, (trx) =>
      updateQueue(trx, body, ctx.clock()),
    );
    return { queue: await getQueue(db, body.id) };
  });
};
