import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { PublicBaseUrlSchema } from '@hall/shared';
import { requirePrincipal } from '../../http/auth';
import { actorOf } from '../../http/principal';
import { parseRequest } from '../../http/validate';
import { auditedWrite } from '../../http/write';
import { hallPhoneLinks, saveHallPhoneLinks } from './links';

const Params = z.object({ hallId: z.string().min(1).max(100) });
const Body = z.object({ baseUrl: PublicBaseUrlSchema.nullable() }).strict();

/**
 * 手机链接地址: the hall manager sets the address phones open for this hall's slips,
 * receipts and SMS. It reaches the stations in the catalogue (hence the catalogue poke).
 */
export const phoneLinkRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;
  app.get('/admin/halls/:hallId/phone-links', async (request) => {
    const { params } = parseRequest(request, { params: Params });
    await requirePrincipal(ctx, request, { staffRoles: ['hall_manager', 'supervisor'], hallId: params.hallId });
    return { baseUrl: (await hallPhoneLinks(ctx.db, params.hallId))?.baseUrl ?? null };
  });

  app.put('/admin/halls/:hallId/phone-links', async (request) => {
    const { params, body } = parseRequest(request, { params: Params, body: Body });
    const principal = await requirePrincipal(ctx, request, { staffRoles: ['hall_manager'], hallId: params.hallId });
    const links = body.baseUrl === null ? null : { baseUrl: body.baseUrl };
    await auditedWrite(ctx, principal, { action: 'update', entity: 'phone_links', entityId: params.hallId, hallId: params.hallId, detail: body }, (trx) =>
      saveHallPhoneLinks(trx, params.hallId, links, actorOf(principal).id, ctx.clock()),
    );
    // Not a CONFIG_ENTITIES entity (that list is shared with other work): the catalogue is refreshed here.
    ctx.hub.poke(params.hallId, 'catalogue', ctx.clock());
    return { baseUrl: links?.baseUrl ?? null };
  });
};
