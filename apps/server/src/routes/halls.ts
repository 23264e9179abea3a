import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { CallingRulesSchema, IdSchema } from '@hall/shared';
import { requirePrincipal } from '../http/auth';
import { auditedWrite } from '../http/write';
import { notFound } from '../http/errors';
import { HallParams } from '../http/params';
import { parseRequest } from '../http/validate';
import { getCallingRules, getHall, listDepartments, listHalls, putCallingRules } from '../store/halls';

/**
 * Halls and departments: public reads (kiosks and displays show them before anyone logs
 * in). Calling rules are replaced whole by the hall's manager.
 */
export const hallRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;
  const { db } = ctx;

  app.get('/halls', async () => ({ halls: await listHalls(db) }));

  app.get('/halls/:hallId', async (request) => {
    const { params } = parseRequest(request, { params: HallParams });
    const hall = await getHall(db, params.hallId);
    if (!hall) throw notFound('hall', params.hallId);
    return { hall, callingRules: (await getCallingRules(db, hall.id)) ?? null };
  });

  app.get('/departments', async (request) => {
    const { query } = parseRequest(request, { query: z.object({ hallId: IdSchema.optional() }) });
    return { departments: await listDepartments(db, query.hallId) };
  });

  app.put('/halls/:hallId/calling-rules', async (request) => {
    const principal = await requirePrincipal(ctx, request, { staffRoles: ['hall_manager'] });
    const { params, body } = parseRequest(request, { params: HallParams, body: CallingRulesSchema });
    await requirePrincipal(ctx, request, { staffRoles: ['hall_manager'], hallId: params.hallId });
    if (!(await getHall(db, params.hallId))) throw notFound('hall', params.hallId);
    await auditedWrite(ctx, principal, { action: 'update', entity: 'calling_rules', entityId: params.hallId, hallId: params.hallId }, (trx) =>
      putCallingRules(trx, params.hallId, body, ctx.clock()),
    );
    return { callingRules: await getCallingRules(db, params.hallId) };
  });
};
