import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import { CounterSchema, type Counter } from '@hall/shared';
import type { Database } from '../db/schema';
import { requirePrincipal } from '../http/auth';
import { ApiError, notFound, unknownReference } from '../http/errors';
import { HallParams, IdParams } from '../http/params';
import { parseRequest } from '../http/validate';
import { auditedWrite } from '../http/write';
import { hallOfService } from '../store/catalogue';
import { getDepartment, getHall } from '../store/halls';
import { getCounter, getQueue, insertCounter, listCounters, updateCounter } from '../store/layout';

const LAYOUT_EDITORS = ['hall_manager'] as const;

/** Everything a counter names must exist in the counter's own hall. */
async function checkCounter(db: Kysely<Database>, counter: Counter): Promise<void> {
  if (!(await getHall(db, counter.hallId))) throw unknownReference(`hall ${counter.hallId} does not exist`);
  if (counter.departmentId) {
    const department = await getDepartment(db, counter.departmentId);
    if (department?.hallId !== counter.hallId) throw unknownReference(`department ${counter.departmentId} is not in hall ${counter.hallId}`);
  }
  const seen = new Set<string>();
  for (const { serviceId } of counter.services) {
    if (seen.has(serviceId)) throw new ApiError(400, 'invalid_request', `service ${serviceId} is listed twice`);
    seen.add(serviceId);
    if ((await hallOfService(db, serviceId)) !== counter.hallId) {
      throw unknownReference(`service ${serviceId} is not in hall ${counter.hallId}`);
    }
  }
  for (const queueId of counter.queueIds) {
    if ((await getQueue(db, queueId))?.hallId !== counter.hallId) throw unknownReference(`queue ${queueId} is not in hall ${counter.hallId}`);
  }
}

/** 窗口: number, services with priorities, queues it calls from. */
export const counterRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;
  const { db } = ctx;

  app.get('/halls/:hallId/counters', async (request) => {
    const { params } = parseRequest(request, { params: HallParams });
    if (!(await getHall(db, params.hallId))) throw notFound('hall', params.hallId);
    return { counters: await listCounters(db, params.hallId) };
  });

  app.get('/counters/:id', async (request) => {
    const { params } = parseRequest(request, { params: IdParams });
    const counter = await getCounter(db, params.id);
    if (!counter) throw notFound('counter', params.id);
    return { counter };
  });

  app.post('/counters', async (request, reply) => {
    const principal = await requirePrincipal(ctx, request, { staffRoles: LAYOUT_EDITORS });
    const { body } = parseRequest(request, { body: CounterSchema });
    await requirePrincipal(ctx, request, { staffRoles: LAYOUT_EDITORS, hallId: body.hallId });
    await checkCounter(db, body);
    await auditedWrite(ctx, principal, { action: 'create', entity: 'counter', entityId: body.id, hallId: body.hallId }, (trx) =>
      insertCounter(trx, body, ctx.clock()),
    );
    return reply.code(201).send({ counter: await getCounter(db, body.id) });
  });

  app.put('/counters/:id', async (request) => {
    const principal = await requirePrincipal(ctx, request, { staffRoles: LAYOUT_EDITORS });
    const { params, body } = parseRequest(request, { params: IdParams, body: CounterSchema });
    if (body.id !== params.id) throw new ApiError(400, 'id_mismatch', 'body.id must equal the id in the path');
    const current = await getCounter(db, params.id);
    if (!current) throw notFound('counter', params.id);
    await requirePrincipal(ctx, request, { staffRoles: LAYOUT_EDITORS, hallId: current.hallId });
    if (body.hallId !== current.hallId) throw new ApiError(400, 'invalid_request', 'a counter cannot move to another hall');
    await checkCounter(db, body);
    await auditedWrite(ctx, principal, { action: 'update', entity: 'counter', entityId: body.id, hallId: body.hallId }, (trx) =>
      updateCounter(trx, body, ctx.clock()),
    );
    return { counter: await getCounter(db, body.id) };
  });
};
