import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { hallForEditing, hallForReading } from '../admin/access';
import { requirePrincipal } from '../http/auth';
import { ApiError, notFound } from '../http/errors';
import { HallParams } from '../http/params';
import { actorOf } from '../http/principal';
import { parseRequest } from '../http/validate';
import { auditedWrite } from '../http/write';
import { createAnnouncement, listAnnouncements, NewAnnouncementSchema, newAnnouncementId, officerAnnouncements, recordOfficerRead, withdrawAnnouncement } from './store';

const ItemParams = HallParams.extend({ id: z.string().min(1).max(64) });

/**
 * 系统通知公告 (issue 20): a hall manager writes and withdraws announcements to staff and
 * sees how many of the audience have read each. Counters receive them in the catalogue, so
 * every change pokes the hall's catalogue topic and stations fetch it now.
 */
export const staffAnnouncementRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;

  app.get('/admin/halls/:hallId/staff-announcements', async (request) => {
    const { params } = parseRequest(request, { params: HallParams });
    await hallForReading(ctx, request, params.hallId);
    return { announcements: await listAnnouncements(ctx.db, params.hallId) };
  });

  app.post('/admin/halls/:hallId/staff-announcements', async (request, reply) => {
    const { params, body } = parseRequest(request, { params: HallParams, body: NewAnnouncementSchema });
    const { principal } = await hallForEditing(ctx, request, params.hallId, 'staff announcements');
    const at = ctx.clock();
    if (body.validUntil !== undefined && Date.parse(body.validUntil) <= at.getTime()) {
      throw new ApiError(400, 'invalid_request', 'validUntil: the announcement would already have ended');
    }
    const id = newAnnouncementId();
    await auditedWrite(ctx, principal, { action: 'create', entity: 'staff_announcement', entityId: id, hallId: params.hallId, detail: { audience: body.audience } }, (trx) =>
      createAnnouncement(trx, params.hallId, id, body, actorOf(principal).id, at),
    );
    ctx.hub.poke(params.hallId, 'catalogue', at);
    const announcement = (await listAnnouncements(ctx.db, params.hallId)).find((a) => a.id === id);
    return reply.code(201).send({ announcement });
  });

  // Officers read theirs in the back office's inbox (counters get theirs in the catalogue).
  const backOffice = (hallId: string) => ({ staffRoles: ['officer' as const, 'hall_manager' as const, 'supervisor' as const], hallId });
  app.get('/halls/:hallId/back-office/announcements', async (request) => {
    const { params } = parseRequest(request, { params: HallParams });
    const principal = await requirePrincipal(ctx, request, backOffice(params.hallId));
    return { announcements: await officerAnnouncements(ctx.db, params.hallId, principal.id, ctx.clock()) };
  });

  app.post('/halls/:hallId/back-office/announcements/:id/read', async (request) => {
    const { params } = parseRequest(request, { params: ItemParams });
    const principal = await requirePrincipal(ctx, request, backOffice(params.hallId));
    if (!(await recordOfficerRead(ctx.db, params.hallId, params.id, principal.id, ctx.clock()))) throw notFound('staff announcement', params.id);
    return { ok: true };
  });

  app.post('/admin/halls/:hallId/staff-announcements/:id/withdraw', async (request) => {
    const { params } = parseRequest(request, { params: ItemParams });
    const { principal } = await hallForEditing(ctx, request, params.hallId, 'staff announcements');
    const at = ctx.clock();
    const found = await auditedWrite(ctx, principal, { action: 'update', entity: 'staff_announcement', entityId: params.id, hallId: params.hallId, detail: { withdrawn: true } }, (trx) =>
      withdrawAnnouncement(trx, params.hallId, params.id, at),
    );
    if (!found) throw notFound('staff announcement', params.id);
    ctx.hub.poke(params.hallId, 'catalogue', at);
    return { announcements: await listAnnouncements(ctx.db, params.hallId) };
  });
};
