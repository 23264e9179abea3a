import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { IdSchema, ServiceSchema, type Service } from '@hall/shared';
import type { Database } from '../db/schema';
import { requirePrincipal } from '../http/auth';
import { ApiError, notFound, unknownReference } from '../http/errors';
import { IdParams } from '../http/params';
import { parseRequest } from '../http/validate';
import { auditedWrite } from '../http/write';
import { serviceProblems } from '../rules/service';
import { getService, hallOfService, listServices, listThemes } from '../store/catalogue';
import { libraryOf, saveServiceVersion, withLibrary } from '../catalogue/save';
import { actorOf } from '../http/principal';
import { getDepartment } from '../store/halls';
import { getQueue } from '../store/layout';

const ServiceQuery = z.object({
  hallId: IdSchema.optional(),
  departmentId: IdSchema.optional(),
  theme: z.string().min(1).max(64).optional(),
  q: z.string().min(1).max(64).optional(),
});

const CATALOGUE_EDITORS = ['hall_manager'] as const;

/** Checks a service against the rest of the hall and returns the hall it belongs to. */
async function checkService(db: Kysely<Database>, service: Service): Promise<string> {
  const problems = serviceProblems(service);
  if (problems.length > 0) throw new ApiError(400, 'invalid_service', problems[0]!, problems);
  const department = await getDepartment(db, service.departmentId);
  if (!department) throw unknownReference(`department ${service.departmentId} does not exist`);
  const queue = await getQueue(db, service.queueId);
  if (!queue || queue.hallId !== department.hallId) {
    throw unknownReference(`queue ${service.queueId} does not exist in hall ${department.hallId}`);
  }
  return department.hallId;
}

/** 事项 with guide, materials and decision tree. Reads are public; writes need a hall manager. */
export const serviceRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;
  const { db } = ctx;

  app.get('/services', async (request) => {
    const { query } = parseRequest(request, { query: ServiceQuery });
    return {
      services: await listServices(db, { hallId: query.hallId, departmentId: query.departmentId, theme: query.theme, text: query.q }),
    };
  });

  app.get('/services/:id', async (request) => {
    const { params } = parseRequest(request, { params: IdParams });
    const service = await getService(db, params.id);
    if (!service) throw notFound('service', params.id);
    return { service };
  });

  app.get('/themes', async (request) => {
    const { query } = parseRequest(request, { query: z.object({ hallId: IdSchema.optional() }) });
    return { themes: await listThemes(db, query.hallId) };
  });

  app.post('/services', async (request, reply) => {
    const principal = await requirePrincipal(ctx, request, { staffRoles: CATALOGUE_EDITORS });
    const { body } = parseRequest(request, { body: ServiceSchema });
    const hallId = await checkService(db, body);
    await requirePrincipal(ctx, request, { staffRoles: CATALOGUE_EDITORS, hallId });
    const service = withLibrary(body, await libraryOf(db, hallId));
    await auditedWrite(ctx, principal, { action: 'create', entity: 'service', entityId: body.id, hallId }, (trx) =>
      saveServiceVersion(trx, hallId, service, 'create', actorOf(principal), ctx.clock()),
    );
    return reply.code(201).send({ service: await getService(db, body.id) });
  });

  app.put('/services/:id', async (request) => {
    const principal = await requirePrincipal(ctx, request, { staffRoles: CATALOGUE_EDITORS });
    const { params, body } = parseRequest(request, { params: IdParams, body: ServiceSchema });
    if (body.id !== params.id) throw new ApiError(400, 'id_mismatch', 'body.id must equal the id in the path');
    const currentHall = await hallOfService(db, params.id);
    if (!currentHall) throw notFound('service', params.id);
    // Both the hall it leaves and the hall it joins must be the editor's.
    await requirePrincipal(ctx, request, { staffRoles: CATALOGUE_EDITORS, hallId: currentHall });
    const hallId = await checkService(db, body);
    await requirePrincipal(ctx, request, { staffRoles: CATALOGUE_EDITORS, hallId });
    const service = withLibrary(body, await libraryOf(db, hallId));
    await auditedWrite(ctx, principal, { action: 'update', entity: 'service', entityId: body.id, hallId }, (trx) =>
      saveServiceVersion(trx, hallId, service, 'update', actorOf(principal), ctx.clock()),
    );
    return { service: await getService(db, body.id) };
  });
};
