import type { FastifyPluginAsync } from 'fastify';
import { ApiError } from '../http/errors';
import { HallParams } from '../http/params';
import { parseRequest } from '../http/validate';
import { auditedWrite } from '../http/write';
import { loadCatalogue } from '../sync/catalogue';
import { hallForEditing, hallForReading } from './access';
import { configRoutes } from './configRoutes';
import { configVersion } from './version';
import { listDeviceHealth, liveHall } from './live';
import { listNotices, NoticeSchema, putNotice } from './notices';

/**
 * What the console needs beyond the resource routes (issue 9): the live hall, device
 * health, the hall's configuration version, and wall-display notices. Reads are open to
 * the hall's managers and supervisors (and the city administrator); writes are audited.
 */
export const adminPlugin: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;

  const hallOf = (request: Parameters<typeof hallForReading>[1], hallId: string) => hallForReading(ctx, request, hallId);

  app.get('/admin/halls/:hallId/live', async (request) => {
    const { params } = parseRequest(request, { params: HallParams });
    const { hall } = await hallOf(request, params.hallId);
    return liveHall(ctx.db, hall, ctx.clock());
  });

  app.get('/admin/halls/:hallId/devices', async (request) => {
    const { params } = parseRequest(request, { params: HallParams });
    await hallOf(request, params.hallId);
    return { devices: await listDeviceHealth(ctx.db, params.hallId, ctx.clock()) };
  });

  app.get('/admin/halls/:hallId/config-version', async (request) => {
    const { params } = parseRequest(request, { params: HallParams });
    await hallOf(request, params.hallId);
    const catalogue = await loadCatalogue(ctx.db, params.hallId);
    return { ...(await configVersion(ctx.db, params.hallId)), catalogueVersion: catalogue.version };
  });

  app.get('/admin/halls/:hallId/notices', async (request) => {
    const { params } = parseRequest(request, { params: HallParams });
    await hallOf(request, params.hallId);
    return { notices: await listNotices(ctx.db, params.hallId) };
  });

  app.put('/admin/halls/:hallId/notices', async (request) => {
    const { params, body } = parseRequest(request, { params: HallParams, body: NoticeSchema });
    const { principal } = await hallForEditing(ctx, request, params.hallId, 'notices');
    const ok = await auditedWrite(ctx, principal, { action: 'update', entity: 'notice', entityId: body.id, hallId: params.hallId }, (trx) =>
      putNotice(trx, params.hallId, body, ctx.clock()),
    );
    if (!ok) throw new ApiError(409, 'conflict', `notice ${body.id} belongs to another hall`);
    return { notices: await listNotices(ctx.db, params.hallId) };
  });

  await app.register(configRoutes);
};
