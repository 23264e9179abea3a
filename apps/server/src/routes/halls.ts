import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { IdSchema } from '@hall/shared';
import { notFound } from '../http/errors';
import { HallParams } from '../http/params';
import { parseRequest } from '../http/validate';
import { getCallingRules, getHall, listDepartments, listHalls } from '../store/halls';

/** Halls and departments: public reads (kiosks and displays show them before anyone logs in). */
export const hallRoutes: FastifyPluginAsync = async (app) => {
  const { db } = app.hall;

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
};
