import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { IdSchema } from '@hall/shared';
import { notFound } from '../http/errors';
import { IdParams } from '../http/params';
import { parseRequest } from '../http/validate';
import { getForm, listForms } from '../store/catalogue';

/** Form schemas are versioned: a case names the version it was filled with. */
export const formRoutes: FastifyPluginAsync = async (app) => {
  const { db } = app.hall;

  app.get('/forms', async () => ({ forms: await listForms(db) }));

  app.get('/forms/:id', async (request) => {
    const { params } = parseRequest(request, { params: IdParams });
    const form = await getForm(db, params.id);
    if (!form) throw notFound('form', params.id);
    return { form };
  });

  app.get('/forms/:id/versions/:version', async (request) => {
    const { params } = parseRequest(request, {
      params: z.object({ id: IdSchema, version: z.coerce.number().int().positive() }),
    });
    const form = await getForm(db, params.id, params.version);
    if (!form) throw notFound('form', `${params.id} v${params.version}`);
    return { form };
  });
};
